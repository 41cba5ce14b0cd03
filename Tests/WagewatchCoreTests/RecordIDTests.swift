import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("Record ids: a bigint in the database, a string in JSON, one type per table")
struct RecordIDTests {
    @Test("an id prints and encodes as its number in a string, and decodes back")
    func json() throws {
        let id = FlagID(42)
        #expect(id.description == "42")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == "[\"42\"]")
        #expect(try JSONDecoder().decode([FlagID].self, from: data) == [id])
    }

    @Test("an argument that is not a number is refused naming the noun (exit 3)")
    func parsing() throws {
        #expect(try EscalationID(parsing: "7") == EscalationID(7))
        let error = #expect(throws: WagewatchError.self) { try FlagID(parsing: "abc") }
        #expect(error?.message == "flag: \"abc\" is not a flag id")
        #expect(error?.exitCode == 3)
    }

    @Test("an id is bound as a bigint and decoded from one")
    func database() async throws {
        try await TestDatabase.withFresh { db, _ in
            let row = try db.query("SELECT pg_typeof(\(EscalationID(9)))::text AS t, \(EscalationID(9)) + 1 AS n").one()
            #expect(try row.decode("t", as: String.self) == "bigint")
            #expect(try row.decode("n", as: EscalationID.self) == EscalationID(10))
        }
    }
}
