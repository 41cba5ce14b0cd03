import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

extension EscalationsCommand {
    /// `wagewatch escalations deliver`: the E4 delivery job, safe to run from cron every minute.
    struct Deliver: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Raise what is overdue, then send the outbox on: escalations by webhook and mail, SMS to complainants.",
            discussion: """
                First raises every escalation overdue as of now and moves unacknowledged ones up a level \
                (as `rules run` does), then sends each outbox event not yet sent to the targets of \
                [escalations.delivery] in wagewatch.toml: webhook_url (HTTP POST of the event's JSON) \
                and mail_to (through sendmail -t). A failed event is retried by a later run after 1, 2, \
                4 … minutes (at most 60); a sent one is never sent again. Two runs at once never send \
                one event twice.

                The outbox also holds the complainants' SMS (SPEC §10 N1: recorded, decided, closed), \
                sent to the gateway of [sms]: command (a program given {"to","text","complaint_number","event"} \
                on stdin, exit 0 = sent) or webhook (the same object POSTed), worded by [sms.templates].

                Example (crontab): * * * * * wagewatch escalations deliver
                """)
        @OptionGroup var global: GlobalOptions

        struct Report: Encodable {
            let catchUp: CatchUpReport
            let delivery: DeliverySummary

            enum CodingKeys: String, CodingKey { case catchUp = "catch_up", delivery }
        }

        func run(_ session: Session) throws -> CommandResult {
            let catchUp = try session.escalations.catchUp(now: session.now, on: session.connection)
            let delivery = try session.delivery.deliver(on: session.connection, now: session.now)
            var warnings = delivery.failures.map { failure in
                "outbox \(failure.outboxID) (" + (failure.escalationID.map { "escalation \($0)" }
                    ?? "SMS for complaint \(failure.complaintNumber ?? "?")") + "): \(failure.error); "
                    + "attempt \(failure.attempts), next try at \(PostgresTimestamp.format(failure.nextAttemptAt))"
            }
            if !delivery.targetsConfigured {
                warnings.append(
                    "no delivery target configured (set webhook_url or mail_to under [escalations.delivery], or command or webhook under [sms], in wagewatch.toml); "
                        + "events wait in the outbox")
            }
            return CommandResult(json: Report(catchUp: catchUp, delivery: delivery), text: [
                "escalations: \(catchUp.raised) raised, \(catchUp.promoted) moved up a level, \(catchUp.reminded) reminder(s)",
                "delivery: \(delivery.sent) sent, \(delivery.failed) failed, \(delivery.pending) pending",
            ], warnings: warnings)
        }
    }

    /// `wagewatch escalations watch`: follow escalations as they are raised, moved up or reminded.
    struct Watch: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print each escalation event as it happens (LISTEN on wagewatch_escalation).",
            discussion: """
                Runs until interrupted, or until --count events arrived, or until --timeout seconds \
                passed without one. With --json each event is printed as one JSON object per line.

                If the connection to the database is lost (the server restarts), it reconnects, trying \
                after 1, 2, 4 … seconds (at most 30), and says so on stderr; events raised while it was \
                away are not replayed (they are in `escalations list` and the outbox). With --timeout it \
                gives up after that many seconds without a connection and exits 1.

                Example: wagewatch escalations watch --json | tee -a escalations.jsonl
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Stop after this many events.") var count: Int?
        @Option(help: "Stop after this many seconds without an event.") var timeout: Int?

        static let channel = "wagewatch_escalation"

        func validate() throws {
            if let count, count < 1 { throw ArgumentParser.ValidationError("--count must be at least 1") }
            if let timeout, timeout < 1 { throw ArgumentParser.ValidationError("--timeout must be at least 1 second") }
        }

        func run(_ first: Session) throws -> CommandResult {
            let output = Output(json: global.json)
            var session = first
            try session.connection.listen(Self.channel)
            output.note("listening on \(Self.channel)"
                + (timeout.map { " (stopping after \($0) s without an event)" } ?? "; press Ctrl-C to stop"))
            var received = 0
            while count.map({ received < $0 }) ?? true {
                // Without --timeout, wait in long slices forever.
                let slice: Duration = timeout.map { .seconds($0) } ?? .seconds(3_600)
                let next: PostgresNotification?
                do {
                    next = try session.connection.waitForNotification(timeout: slice)
                } catch let lost as PostgresError where lost.isConnectionLost {
                    session = try reconnect(session, after: lost, output: output)
                    continue
                }
                guard let notification = next else {
                    if timeout != nil { break }
                    continue
                }
                received += 1
                let line = global.json ? Self.jsonLine(notification.payload) : Self.readableLine(notification.payload)
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            if session !== first { session.close() }
            return CommandResult(json: nil, warnings: ["\(received) event(s)"])
        }

        /// A new Session (the same user, settings and configuration) listening again after `lost`,
        /// tried after 1, 2, 4 … 30 s. With --timeout, `lost` is thrown once that many seconds pass
        /// without one (the command then exits 1). It connects without starting or migrating
        /// anything: the server's owner restarts it.
        func reconnect(_ old: Session, after lost: PostgresError, output: Output) throws -> Session {
            output.note("\(lost.message); reconnecting (events raised meanwhile are not replayed: see `wagewatch escalations list`)")
            let started = ContinuousClock.now
            var pause = Duration.seconds(1)
            while true {
                if let timeout, ContinuousClock.now - started + pause > .seconds(timeout) { throw lost }
                sleep(UInt32(pause.components.seconds))   // whole seconds: 1, 2, 4 … backoff
                do {
                    let session = try old.reopened(systemNow: Date())
                    try session.connection.listen(Self.channel)
                    output.note("reconnected as \(session.actor); listening on \(Self.channel) again")
                    return session
                } catch let error as PostgresError where error.kind == .connection || error.isConnectionLost {
                    pause = min(pause * 2, .seconds(30))
                    output.note("cannot reach the database yet (\(error.message)); next try in \(pause.components.seconds) s")
                }
            }
        }

        /// The payload as one line of JSON: the server's jsonb text already is one; anything
        /// else is written again on one line.
        static func jsonLine(_ payload: String) -> String {
            guard payload.contains(where: \.isNewline) else { return payload }
            guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)),
                  let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            else { return payload.replacingOccurrences(of: "\n", with: " ") }
            return String(decoding: data, as: UTF8.self)
        }

        /// The event as a line for a terminal (the payload itself if it cannot be read).
        static func readableLine(_ payload: String) -> String {
            (try? EscalationEvent(json: payload))?.line ?? payload
        }
    }
}
