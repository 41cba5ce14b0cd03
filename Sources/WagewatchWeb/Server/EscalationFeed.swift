import Foundation
import PostgresClient
import Synchronization
import WagewatchCore

/// One `LISTEN wagewatch_escalation` for the whole server, fanned out to every open board
/// (`GET /escalations/stream`). The feed passes on only which escalation changed and how: each
/// board re-reads it as its own user, so nobody is shown an escalation they may not read. The
/// listening connection is the server's own login (LISTEN needs no rights), on a thread of its
/// own, started by the first board and reconnecting after a second when the server goes away.
final class EscalationFeed: Sendable {
    struct Event: Sendable, Equatable {
        let id: EscalationID
        let event: String
        /// Not an escalation: the stream's own keep-alive (`ping`).
        var isPing: Bool { event == "" }
    }

    static let channel = "wagewatch_escalation"

    private let connect: @Sendable () throws -> Connection
    private let state = Mutex(State())

    private struct State {
        var subscribers: [UUID: AsyncStream<Event>.Continuation] = [:]
        var started = false
        var stopped = false
        /// Whether the LISTEN is in place now (events before it are not seen by anyone).
        var listening = false
    }

    init(connect: @escaping @Sendable () throws -> Connection) {
        self.connect = connect
    }

    /// A stream of every escalation event from now on, until `unsubscribe` or `stop`.
    func subscribe() -> (UUID, AsyncStream<Event>) {
        let key = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(256))
        let start = state.withLock { state -> Bool in
            if state.stopped { continuation.finish(); return false }
            state.subscribers[key] = continuation
            defer { state.started = true }
            return !state.started
        }
        if start {
            let thread = Thread { [self] in listen() }
            thread.name = "wagewatch escalation feed"
            thread.start()
        }
        return (key, stream)
    }

    func unsubscribe(_ key: UUID) {
        state.withLock { $0.subscribers.removeValue(forKey: key) }?.finish()
    }

    /// Puts a keep-alive into one stream.
    func ping(_ key: UUID) {
        _ = state.withLock { $0.subscribers[key] }?.yield(Event(id: EscalationID(0), event: ""))
    }

    /// Ends every stream; the listening thread stops within a second.
    func stop() {
        let ended = state.withLock { state -> [AsyncStream<Event>.Continuation] in
            state.stopped = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for continuation in ended { continuation.finish() }
    }

    private var stopped: Bool { state.withLock { $0.stopped } }

    /// How many streams are open, and whether the feed is listening: for the tests, which must
    /// not raise an escalation before the boards they watch can see it.
    var readiness: (streams: Int, listening: Bool) { state.withLock { ($0.subscribers.count, $0.listening) } }

    private func listen() {
        while !stopped {
            do {
                let connection = try connect()
                defer {
                    state.withLock { $0.listening = false }
                    connection.close()
                }
                try connection.listen(Self.channel)
                state.withLock { $0.listening = true }
                while !stopped {
                    guard let note = try connection.waitForNotification(timeout: .seconds(1)) else { continue }
                    guard let event = Self.event(note.payload) else { continue }
                    let subscribers = state.withLock { Array($0.subscribers.values) }
                    for subscriber in subscribers { subscriber.yield(event) }
                }
            } catch {
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// The escalation and event a notification names (its payload is SPEC §5's escalation JSON).
    static func event(_ payload: String) -> Event? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
              let text = object["id"] as? String, let id = Int64(text), let event = object["event"] as? String, !event.isEmpty
        else { return nil }
        return Event(id: EscalationID(id), event: event)
    }
}
