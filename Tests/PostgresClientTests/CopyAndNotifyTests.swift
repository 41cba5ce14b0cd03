import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("COPY and LISTEN/NOTIFY")
struct CopyAndNotifyTests {
    @Test("COPY FROM STDIN streams 100,000 rows and the count reads back")
    func copyInManyRows() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE attendance (n bigint, name text, note text)")
            let stored = try db.copyIn("COPY attendance (n, name, note) FROM STDIN") { writer in
                for n in 1...100_000 {
                    try writer.writeRow([String(n), "工人\(n)", n % 10 == 0 ? nil : "tab\there\\ and\nnewline"])
                }
            }
            #expect(stored == 100_000)
            let row = try db.query("SELECT count(*) AS c, sum(n) AS s, count(note) AS notes FROM attendance").one()
            #expect(try row.decode("c", as: Int64.self) == 100_000)
            #expect(try row.decode("s", as: Int64.self) == 5_000_050_000)
            #expect(try row.decode("notes", as: Int64.self) == 90_000)
            let sample = try db.query("SELECT note FROM attendance WHERE n = 1").one()
            #expect(try sample.decode("note", as: String.self) == "tab\there\\ and\nnewline")
        }
    }

    @Test("a COPY whose writer throws stores nothing and the connection stays usable")
    func copyAborted() async throws {
        struct Stop: Error {}
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE staging (n bigint)")
            #expect(throws: Stop.self) {
                try db.copyIn("COPY staging FROM STDIN") { writer in
                    for n in 1...1000 { try writer.writeRow([String(n)]) }
                    throw Stop()
                }
            }
            #expect(try db.query("SELECT count(*) AS c FROM staging").one().decode("c", as: Int.self) == 0)
        }
    }

    @Test("bad COPY data fails with the server's error naming the column")
    func copyBadData() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE staging (n bigint)")
            #expect {
                try db.copyIn("COPY staging FROM STDIN") { writer in try writer.writeRow(["not a number"]) }
            } throws: { error in
                (error as? PostgresError)?.code == .invalidTextRepresentation
            }
            #expect(try db.query("SELECT 1 AS ok").one().decode("ok", as: Int.self) == 1)
        }
    }

    @Test("COPY TO STDOUT hands back every row")
    func copyOut() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE t AS SELECT g AS n FROM generate_series(1, 5000) g")
            var bytes = [UInt8]()
            let count = try db.copyOut("COPY t TO STDOUT") { chunk in bytes.append(contentsOf: chunk) }
            #expect(count == 5000)
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 5000)
            #expect(lines.last == "5000")
        }
    }

    @Test("LISTEN receives a NOTIFY sent from a second connection")
    func listenNotify() async throws {
        try await TestDatabase.withEmpty { db, conninfo in
            try db.listen("wagewatch_escalation")
            #expect(try db.waitForNotification(timeout: .milliseconds(50)) == nil)
            let sender = try Connection(conninfo)
            defer { sender.close() }
            try sender.notify("wagewatch_escalation", payload: "{\"level\":\"county\",\"原因\":\"群体性\"}")
            // Waits for the notification itself; the long timeout is only a safety net.
            let received = try db.waitForNotification(timeout: .seconds(300))
            #expect(received?.channel == "wagewatch_escalation")
            #expect(received?.payload == "{\"level\":\"county\",\"原因\":\"群体性\"}")
            #expect(received?.senderPID == sender.backendPID)
        }
    }

    @Test("a notification sent inside a rolled-back transaction never arrives")
    func notifyOnlyOnCommit() async throws {
        struct Abort: Error {}
        try await TestDatabase.withEmpty { db, conninfo in
            try db.listen("ww_test")
            let sender = try Connection(conninfo)
            defer { sender.close() }
            _ = try? sender.transaction { tx in
                try tx.notify("ww_test", payload: "rolled back")
                throw Abort()
            }
            // Then one that commits, from the same session: PostgreSQL delivers one session's
            // notifications in the order they committed, so whatever the rolled-back one would
            // have been, it would arrive first. Waiting for the committed one is waiting for an
            // event, not for a quiet spell; the long timeout is only a safety net.
            try sender.notify("ww_test", payload: "committed")
            let first = try db.waitForNotification(timeout: .seconds(300))
            #expect(first?.payload == "committed")
            #expect(try db.waitForNotification(timeout: .milliseconds(0)) == nil)
        }
    }
}
