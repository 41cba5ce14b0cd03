import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("Bound parameters")
struct ParameterTests {
    @Test("a nil value is bound as SQL NULL")
    func nullParameter() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let missing: String? = nil
            let row = try db.query("SELECT \(missing)::text IS NULL AS is_null, \(missing)::text AS value").one()
            #expect(try row.decode("is_null", as: Bool.self))
            #expect(try row.decode("value", as: String?.self) == nil)
        }
    }

    @Test("an identifier with a quote, even one a combining mark follows, is quoted and read back whole")
    func quotedIdentifiers() async throws {
        try await TestDatabase.withEmpty { db, _ in
            for name in ["plain", "a\"b", "x\"\u{301}; DROP TABLE keep; --", "工资\"\u{301}\"表"] {
                try db.query("CREATE TABLE IF NOT EXISTS keep (id int)")
                try db.query("CREATE TABLE \(identifier: name) (id int)")
                let found: Int64 = try db.query("SELECT count(*) AS n FROM pg_class WHERE relname = \(name)").one().decode("n")
                #expect(found == 1, "\(name.debugDescription)")
                let kept: Int64 = try db.query("SELECT count(*) AS n FROM pg_class WHERE relname = 'keep'").one().decode("n")
                #expect(kept == 1)
            }
        }
    }

    @Test("Chinese text round-trips unchanged")
    func chineseText() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let text = "河南省郑州市建筑工地农民工讨薪：拖欠工资298万元，涉及民工649人 ‘引号’ \"双引号\" $$ ;-- \\ 反斜杠"
            try db.query("CREATE TABLE notes (body text)")
            try db.query("INSERT INTO notes (body) VALUES (\(text))")
            let back = try db.query("SELECT body, length(body) AS n FROM notes").one()
            #expect(try back.decode("body", as: String.self) == text)
            #expect(try back.decode("n", as: Int.self) == text.count)
        }
    }

    @Test("Int64 extremes survive a round trip")
    func int64Extremes() async throws {
        try await TestDatabase.withEmpty { db, _ in
            // Each bound value is compared on the server with the same number written as a literal
            // by hand, so a parameter sent wrong (truncated, sign lost) cannot agree with itself.
            let literals: [(Int64, String)] = [
                (Int64.min, "-9223372036854775808"), (-1, "-1"), (0, "0"), (1, "1"), (Int64.max, "9223372036854775807"),
            ]
            for (value, literal) in literals {
                let row = try db.query("""
                    SELECT \(value)::bigint AS v, \(value)::bigint = \(unsafeRaw: "'\(literal)'")::bigint AS same,
                           \(value)::bigint::text AS text
                    """).one()
                #expect(try row.decode("v", as: Int64.self) == value)
                #expect(try row.decode("same", as: Bool.self), "\(literal)")
                #expect(try row.decode("text", as: String.self) == literal)
            }
        }
    }

    @Test("a value that looks like SQL is stored verbatim, never executed")
    func injectionIsInert() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE victims (name text)")
            let hostile = "x'); DROP TABLE victims; --"
            try db.query("INSERT INTO victims (name) VALUES (\(hostile))")
            #expect(try db.query("SELECT name FROM victims").one().decode("name", as: String.self) == hostile)
        }
    }

    @Test("a NUL byte in a parameter is refused with a clear error")
    func nulByteRefused() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let value = "a\u{0}b"
            #expect {
                try db.query("SELECT \(value)::text")
            } throws: { error in
                (error as? PostgresError)?.message.contains("NUL byte") == true
            }
        }
    }

    @Test("nested statements renumber their placeholders")
    func nestedStatements() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let inner: SQL = "\(Int64(40)) + \(Int64(2))"
            let outer: SQL = "SELECT \("answer") AS label, \(inner) AS value"
            #expect(outer.text == "SELECT $1 AS label, $2 + $3 AS value")
            let row = try db.query(outer).one()
            #expect(try row.decode("label", as: String.self) == "answer")
            #expect(try row.decode("value", as: Int64.self) == 42)
        }
    }

    @Test("a statement's description shows placeholders, never bound values")
    func descriptionHidesValues() {
        let secret = "410102199003070061"
        let sql: SQL = "SELECT * FROM workers WHERE id_number = \(secret)"
        #expect(!sql.description.contains(secret))
        #expect(sql.description.contains("$1"))
    }

    @Test("prepared statements are reused across calls")
    func preparedReuse() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE counter (n bigint)")
            for n in 1...50 { try db.queryPrepared("INSERT INTO counter (n) VALUES (\(Int64(n)))") }
            let row = try db.query("SELECT count(*) AS c, sum(n) AS s FROM counter").one()
            #expect(try row.decode("c", as: Int64.self) == 50)
            #expect(try row.decode("s", as: Int64.self) == 1275)
            let prepared = try db.query("SELECT count(*) AS c FROM pg_prepared_statements").one()
            #expect(try prepared.decode("c", as: Int.self) == 1)
        }
    }
}
