import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// The complaint search (migration 0007): what it finds, and that a signed-in user's search can
/// reach the index of name pieces through row security (which it cannot when a function in the
/// condition is not LEAKPROOF: then every search reads every complaint).
@Suite("Complaint search: numbers, USCCs and names, through the index under row security")
struct ComplaintSearchTests {
    static func add(_ name: String, uscc: String? = nil, minute: Int, on db: Connection) throws {
        var fields = ["received_at": "2026-03-02 09:\(String(format: "%02d", minute))", "region_code": "410122", "channel": "12333",
                      "employer_name": name, "workers_involved": "3", "amount_owed": "9000", "caller_phone": "13812345678"]
        if let uscc { fields["employer_uscc"] = uscc }
        _ = try ComplaintIntake().add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
    }

    @Test("each kind of search finds what it names, newest first")
    func finds() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.add("郑州宏达建筑劳务有限公司", minute: 0, on: db)
            try Self.add("中原路桥工程有限公司", uscc: "91350100M000100Y43", minute: 1, on: db)
            try Self.add("ABC建筑劳务有限公司", minute: 2, on: db)
            let desk = ComplaintDesk()
            func names(_ q: String) throws -> [String] {
                var filter = ComplaintFilter()
                filter.search = q
                filter.order = .newest
                return try desk.list(filter, on: db).map(\.employerName)
            }
            #expect(try names("建筑劳务") == ["ABC建筑劳务有限公司", "郑州宏达建筑劳务有限公司"])
            #expect(try names("abc") == ["ABC建筑劳务有限公司"])
            #expect(try names("桥") == ["中原路桥工程有限公司"], "one character: no piece, still found")
            #expect(try names("91350100m000100y43") == ["中原路桥工程有限公司"])
            #expect(try names("建筑_务").isEmpty, "LIKE's characters are plain text")
            let number: String = try db.query("SELECT number FROM complaints ORDER BY id LIMIT 1").one().decode("number")
            #expect(try names(number.lowercased()) == ["郑州宏达建筑劳务有限公司"])
            #expect(try names(String(number.prefix(11))).count == 3)
        }
    }

    @Test("a signed-in inspector's name search can use complaints_employer_grams (its functions are LEAKPROOF)")
    func indexUnderRowSecurity() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.add("郑州宏达建筑劳务有限公司", minute: 0, on: db)
            let leakproof: [String] = try db.query("""
                SELECT proname FROM pg_proc WHERE proname IN ('ww_name_grams', 'ww_grams_contain') AND proleakproof ORDER BY proname
                """).map { try $0.decode("proname") }
            #expect(leakproof == ["ww_grams_contain", "ww_name_grams"])
            let database: String = try db.query("SELECT current_database() AS d").one().decode("d")
            let inspector = try Connection(db.conninfo(database: database, user: "zhang_jiancha"))
            defer { inspector.close() }
            // A table this small is read whole by choice; forbidding that shows whether the index
            // may be used at all: under row security a leaky condition leaves only the scan.
            try inspector.query("SET enable_seqscan = off")
            let plan = try inspector.query("""
                EXPLAIN SELECT id FROM complaints
                WHERE ww_name_grams(employer_name) @>> ww_search_grams('宏达') AND employer_name ILIKE '%宏达%'
                """).map { try $0.decode("QUERY PLAN", as: String.self) }.joined(separator: "\n")
            #expect(plan.contains("complaints_employer_grams"), "\(plan)")
            #expect(try inspector.query("""
                SELECT count(*) AS n FROM complaints WHERE ww_name_grams(employer_name) @>> ww_name_grams('宏达')
                """).one().decode("n", as: Int.self) == 1)
        }
    }
}
