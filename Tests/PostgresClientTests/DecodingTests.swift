import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("Decoding the types the schema uses")
struct DecodingTests {
    @Test("every supported type decodes from its column")
    func everyType() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let row = try db.query("""
                SELECT true AS b, 7::int2 AS i2, 70000::int4 AS i4, 9000000000::int8 AS i8,
                       'text'::text AS t, '可变'::varchar(10) AS vc, DATE '2026-02-14' AS d,
                       TIMESTAMPTZ '2026-02-13 09:30:00.25+08' AS ts, 2980000.50::numeric AS n,
                       '{"工资": 298, "ok": true}'::jsonb AS j,
                       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u,
                       ARRAY['甲', 'b,c', NULL, '"q"']::text[] AS ta, ARRAY[1, -2, 9000000000]::int8[] AS ia,
                       NULL::int8 AS missing
                """).one()
            #expect(try row.decode("b", as: Bool.self) == true)
            #expect(try row.decode("i2", as: Int16.self) == 7)
            #expect(try row.decode("i4", as: Int32.self) == 70000)
            #expect(try row.decode("i8", as: Int64.self) == 9_000_000_000)
            #expect(try row.decode("t", as: String.self) == "text")
            #expect(try row.decode("vc", as: String.self) == "可变")
            #expect(try row.decode("d", as: LocalDate.self) == LocalDate(year: 2026, month: 2, day: 14))
            let instant = try row.decode("ts", as: Date.self)
            #expect(PostgresTimestamp.format(instant) == "2026-02-13T01:30:00.250000Z")
            #expect(try row.decode("n", as: Numeric.self).text == "2980000.50")
            let json = try row.decode("j", as: JSONB.self)
            struct Payload: Decodable, Equatable { let 工资: Int; let ok: Bool }
            #expect(try json.decode(Payload.self) == Payload(工资: 298, ok: true))
            #expect(try row.decode("u", as: UUID.self) == UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
            #expect(try row.decode("ta", as: [String?].self) == ["甲", "b,c", nil, "\"q\""])
            #expect(try row.decode("ia", as: [Int64].self) == [1, -2, 9_000_000_000])
            #expect(try row.decode("missing", as: Int64?.self) == nil)
        }
    }

    @Test("bound values of each type round-trip through the server")
    func boundRoundTrip() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let date = LocalDate(year: 2025, month: 1, day: 28)!
            let instant = Date(timeIntervalSince1970: 1_771_000_000.5)
            let uuid = UUID()
            let names = ["张三", "O'Brien", "back\\slash", "{braces}"]
            let ids: [Int64] = [Int64.min, 0, Int64.max]
            let row = try db.query("""
                SELECT \(date) AS d, \(instant) AS ts, \(uuid) AS u, \(names) AS names, \(ids) AS ids,
                       \(try JSONB(encoding: ["k": "值"])) AS j, \(true) AS b
                """).one()
            #expect(try row.decode("d", as: LocalDate.self) == date)
            #expect(try row.decode("ts", as: Date.self) == instant)
            #expect(try row.decode("u", as: UUID.self) == uuid)
            #expect(try row.decode("names", as: [String].self) == names)
            #expect(try row.decode("ids", as: [Int64].self) == ids)
            #expect(try row.decode("j", as: JSONB.self).decode([String: String].self) == ["k": "值"])
            #expect(try row.decode("b", as: Bool.self))
        }
    }

    @Test("a NULL read as a non-optional type names the column and the type")
    func nullIntoNonOptional() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let row = try db.query("SELECT NULL::int8 AS owed_fen").one()
            #expect {
                try row.decode("owed_fen", as: Int64.self)
            } throws: { error in
                let text = String(describing: error)
                return text.contains("owed_fen") && text.contains("int8") && text.contains("Int64")
            }
        }
    }

    @Test("a text column read as an integer names the column, its type and the value")
    func wrongType() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let row = try db.query("SELECT 'abc'::text AS amount, 'x'::text AS flag").one()
            #expect {
                try row.decode("amount", as: Int64.self)
            } throws: { error in
                let text = String(describing: error)
                return text.contains("amount") && text.contains("text") && text.contains("abc")
            }
            #expect(throws: PostgresError.self) { try row.decode("flag", as: Bool.self) }
            #expect(throws: PostgresError.self) { try row.decode("no_such_column", as: String.self) }
        }
    }

    @Test("timestamps parse with any offset form the server prints")
    func timestampForms() {
        let utc = PostgresTimestamp.parse("2026-02-13 01:30:00+00")
        #expect(utc == PostgresTimestamp.parse("2026-02-13 09:30:00+08"))
        #expect(utc == PostgresTimestamp.parse("2026-02-13T09:30:00+08:00"))
        #expect(utc == PostgresTimestamp.parse("2026-02-13T04:00:00+02:30"))
        #expect(utc == PostgresTimestamp.parse("2026-02-13T01:30:00Z"))
        #expect(PostgresTimestamp.parse("2026-02-13 25:00:00+00") == nil)
        #expect(PostgresTimestamp.parse("yesterday") == nil)
    }

    @Test("dates convert to and from days since the epoch")
    func localDates() {
        var day = LocalDate(year: 1999, month: 12, day: 25)!
        for _ in 0..<3000 {
            let next = day.adding(days: 1)
            #expect(next.daysSinceEpoch == day.daysSinceEpoch + 1)
            #expect(next > day)
            day = next
        }
        #expect(LocalDate(year: 2026, month: 2, day: 13)!.isoWeekday == 5)
        #expect(LocalDate(year: 2026, month: 2, day: 14)!.isWeekend)
        #expect(LocalDate(year: 2025, month: 2, day: 29) == nil)
        #expect(LocalDate(iso: "2024-02-29") != nil)
        #expect(LocalDate(iso: "2024-2-29") == nil)
    }
}
