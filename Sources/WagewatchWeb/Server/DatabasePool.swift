import Foundation
import NIOPosix
import PostgresClient

/// A connection of the pool, lent to one request at a time. What the pool learnt about it once
/// (the settings drift) stays with it.
final class PooledConnection: @unchecked Sendable {
    let connection: Connection
    /// The settings (``WagewatchCore/Configuration/settingsDrift(on:)``) this connection's
    /// database works with differently from the server's configuration; read on first use.
    var settingsDrift: [String]?

    init(_ connection: Connection) { self.connection = connection }
}

/// A bounded pool of libpq connections whose blocking work runs on the pool's own threads, never
/// on the event loop: at most `size` connections, each used by one request at a time; a request
/// that finds them all busy waits for one. A connection that broke, or was handed back inside a
/// transaction, is closed and replaced on demand.
public actor DatabasePool {
    private let connect: @Sendable () throws -> Connection
    public nonisolated let size: Int
    private let threads: NIOThreadPool
    private var idle: [PooledConnection] = []
    private var opened = 0
    /// Requests waiting for a connection; resumed with one, or with nil: "open a new one".
    private var waiting: [CheckedContinuation<PooledConnection?, any Error>] = []
    private var closed = false

    public init(size: Int, connect: @escaping @Sendable () throws -> Connection) {
        precondition(size > 0)
        self.size = size
        self.connect = connect
        threads = NIOThreadPool(numberOfThreads: size)
        threads.start()
    }

    /// Runs `body` with a connection of its own, on the pool's threads.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PooledConnection) throws -> T) async throws -> T {
        let lent = try await acquire()
        do {
            let value = try await threads.runIfActive { try body(lent) }
            handBack(lent)
            return value
        } catch {
            handBack(lent)
            throw error
        }
    }

    /// Runs `body` on a connection of its own, opened for it and closed after it, on the pool's
    /// threads: for work that leaves state in its session a later request of another user must
    /// not meet (an import's temporary staging tables belong to the role that made them).
    nonisolated func withOwnConnection<T: Sendable>(_ body: @escaping @Sendable (PooledConnection) throws -> T) async throws -> T {
        let connect = self.connect
        return try await threads.runIfActive {
            let own = PooledConnection(try connect())
            defer { own.connection.close() }
            return try body(own)
        }
    }

    /// Runs CPU-heavy work (a bcrypt check) on the pool's threads, off the event loop.
    nonisolated func compute<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await threads.runIfActive(body)
    }

    private func acquire() async throws -> PooledConnection {
        if closed { throw PostgresError(kind: .usage, message: "the server is shutting down") }
        if let connection = idle.popLast() { return connection }
        if opened < size {
            opened += 1
            return try await open()
        }
        if let lent = try await withCheckedThrowingContinuation({ waiting.append($0) }) { return lent }
        return try await open()
    }

    /// Opens a connection for a slot already counted in `opened`; gives the slot back on failure.
    private func open() async throws -> PooledConnection {
        do {
            let connect = self.connect
            return try await threads.runIfActive { PooledConnection(try connect()) }
        } catch {
            release(slot: ())
            throw error
        }
    }

    private func handBack(_ lent: PooledConnection) {
        let healthy = lent.connection.isHealthy && lent.connection.transactionDepth == 0
        if !healthy || closed {
            lent.connection.close()
            release(slot: ())
            return
        }
        if !waiting.isEmpty {
            waiting.removeFirst().resume(returning: lent)
        } else {
            idle.append(lent)
        }
    }

    /// A slot became free: a waiting request may open a connection in it.
    private func release(slot: Void) {
        if !waiting.isEmpty, !closed {
            waiting.removeFirst().resume(returning: nil)   // the slot passes to the waiter
        } else {
            opened -= 1
        }
    }

    /// Closes the idle connections, refuses new requests, and stops the threads once the
    /// requests in flight have handed theirs back (they are closed then).
    public func close() async {
        closed = true
        for waiter in waiting {
            waiter.resume(throwing: PostgresError(kind: .usage, message: "the server is shutting down"))
        }
        waiting.removeAll()
        for connection in idle { connection.connection.close() }
        opened -= idle.count
        idle.removeAll()
        try? await threads.shutdownGracefully()
    }

    /// Connections open now (idle and lent), for the tests and the health page.
    public var openCount: Int { opened }
}
