import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("Decoding a whole row into a record")
struct RowDecoderTests {
    struct Payment: Decodable, Equatable {
        let id: Int64
        let payee: String
        let paidOn: LocalDate
        let paidAt: Date
        let memo: String?
        let note: String?
        let lines: [Int64]
        let confirmed: Bool

        enum CodingKeys: String, CodingKey {
            case id, payee, paidOn = "paid_on", paidAt = "paid_at", memo, note, lines, confirmed
        }
    }

    static let paymentSQL: SQL = """
        SELECT 42::int8 AS id, '张三'::text AS payee, DATE '2026-02-14' AS paid_on,
               TIMESTAMPTZ '2026-02-13 09:30:00+08' AS paid_at, NULL::text AS memo, 'n'::text AS note,
               ARRAY[1, 2]::int8[] AS lines, true AS confirmed, 'ignored'::text AS extra
        """

    @Test("each coding key reads the column of that name, NULL as nil")
    func readsEveryColumn() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let payment = try RowDecoder(row: db.query(Self.paymentSQL).one()).decode(Payment.self)
            #expect(payment == Payment(
                id: 42, payee: "张三", paidOn: LocalDate(year: 2026, month: 2, day: 14)!,
                paidAt: PostgresTimestamp.parse("2026-02-13T01:30:00Z")!, memo: nil, note: "n", lines: [1, 2],
                confirmed: true))
        }
    }

    @Test("a missing column is an error that names it, even for an optional property")
    func missingColumn() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let row = try db.query("""
                SELECT 42::int8 AS id, '张三'::text AS payee, DATE '2026-02-14' AS paid_on,
                       now() AS paid_at, 'n'::text AS note, ARRAY[1]::int8[] AS lines, true AS confirmed
                """).one()
            #expect {
                try RowDecoder(row: row).decode(Payment.self)
            } throws: { error in
                String(describing: error).contains("no column \"memo\"")
            }
        }
    }

    @Test("a column of the wrong type fails with Row's message: the column, its type and the Swift type")
    func wrongType() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let row = try db.query("""
                SELECT 'x'::text AS id, '张三'::text AS payee, DATE '2026-02-14' AS paid_on, now() AS paid_at,
                       NULL::text AS memo, NULL::text AS note, ARRAY[1]::int8[] AS lines, true AS confirmed
                """).one()
            #expect {
                try RowDecoder(row: row).decode(Payment.self)
            } throws: { error in
                let text = String(describing: error)
                return (error as? PostgresError)?.kind == .decoding && text.contains("\"id\"")
                    && text.contains("text") && text.contains("Int64")
            }
        }
    }

    @Test("a NULL in a non-optional property is an error")
    func nullIntoNonOptional() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let row = try db.query("""
                SELECT 42::int8 AS id, NULL::text AS payee, DATE '2026-02-14' AS paid_on, now() AS paid_at,
                       NULL::text AS memo, NULL::text AS note, ARRAY[1]::int8[] AS lines, true AS confirmed
                """).one()
            #expect {
                try RowDecoder(row: row).decode(Payment.self)
            } throws: { error in
                String(describing: error).contains("payee")
            }
        }
    }

    struct Measured: Decodable { let ratio: Double }

    @Test("a floating-point property is refused, naming its column: rows hold integers and exact numerics only")
    func noFloatingPoint() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let row = try db.query("SELECT 0.5::numeric AS ratio").one()
            #expect { try RowDecoder(row: row).decode(Measured.self) } throws: { error in
                (error as? PostgresError)?.message.contains("column \"ratio\"") == true
            }
        }
    }
}
