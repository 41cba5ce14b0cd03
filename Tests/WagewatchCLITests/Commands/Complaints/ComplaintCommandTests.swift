import Foundation
import PostgresClient
import Testing
import TestSupport

/// Writes a CSV file for one test.
func csvFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ww-\(UUID().uuidString).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

func jsonArray(_ text: String) throws -> [[String: Any]] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
}

@Suite("wagewatch complaint and case, through the binary")
struct ComplaintCommandTests {
    let fixedNow = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_USER": "hotline_li"]
    /// Inspectors accept complaints (opening cases) and record recoveries; the hotline may not.
    let inspector = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_USER": "zhang_jiancha"]

    @Test("a hotline call is numbered, listed as SPEC §5 JSON with the phone masked, accepted, and recovered")
    func hotlineStory() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let add = try CLI.run([
                "complaint", "add", "--region", "410102", "--employer-name", "郑州宏达建筑劳务有限公司",
                "--workers", "2", "--amount", "1.2万", "--caller-phone", "13812345678",
                "--received-at", "2026-02-13 10:00", "--text", "春节前工资未发",
            ], database: conninfo, environment: fixedNow)
            #expect(add.status == 0, "\(add.stderr)")
            #expect(add.stdout.contains("TS-20260213-0001"))
            #expect(add.stdout.contains("2026-02-27"))

            let list = try CLI.run(["complaint", "list", "--json"], database: conninfo, environment: fixedNow)
            let complaints = try jsonArray(list.stdout)
            #expect(complaints.count == 1)
            let first = try #require(complaints.first)
            for key in ["id", "number", "received_at", "employer_uscc", "employer_name", "project_code",
                        "workers_involved", "amount_fen", "status", "outcome", "reason", "case_id", "decision_due"] {
                #expect(first.keys.contains(key), "missing \(key)")
            }
            #expect(first["amount_fen"] as? Int == 1_200_000)
            #expect(first["decision_due"] as? String == "2026-02-27")
            #expect(first["outcome"] is NSNull)
            #expect(first["id"] is String)
            #expect(!list.stdout.contains("13812345678"))
            #expect(list.stdout.contains("138****5678"))

            let decide = try CLI.run(["complaint", "decide", "TS-20260213-0001", "--accept", "--json"], database: conninfo, environment: inspector)
            #expect(decide.status == 0, "\(decide.stderr)")
            let caseID = try #require(try jsonObject(decide.stdout)["case_id"] as? String)

            let again = try CLI.run(["complaint", "decide", "TS-20260213-0001", "--refuse", "重复"], database: conninfo, environment: inspector)
            #expect(again.status == 5, "\(again.stderr)")
            // The hotline decides nothing, decided or not (the decision's door refuses it).
            let byHotline = try CLI.run(["complaint", "decide", "TS-20260213-0001", "--refuse", "重复"], database: conninfo, environment: fixedNow)
            #expect(byHotline.status == 6, "\(byHotline.stderr)")

            let recover = try CLI.run([
                "case", "recover", caseID, "--worker", "11010519491231002X", "--amount", "12000",
                "--source", "employer", "--date", "2026-03-01",
            ], database: conninfo, environment: inspector)
            #expect(recover.status == 0, "\(recover.stderr)")
            let cases = try jsonArray(try CLI.run(["case", "list", "--json"], database: conninfo, environment: fixedNow).stdout)
            let record = try #require(cases.first)
            #expect(record["owed_fen"] as? Int == 1_200_000)
            #expect(record["recovered_fen"] as? Int == 1_200_000)
            #expect(record["complaint_ids"] as? [String] == [String(describing: first["id"]!)])
            #expect(record["investigation_due"] as? String != nil)
            let close = try CLI.run(["case", "close", caseID, "--disposition", "paid_in_full"], database: conninfo, environment: inspector)
            #expect(close.status == 0, "\(close.stderr)")

            // Decision and closure carry the command's clock (WAGEWATCH_NOW here), not the server's.
            let stamps = try db.query("""
                SELECT (SELECT decided_at FROM complaints) = '2026-02-16T02:00:00Z' AS decided,
                       (SELECT closed_at FROM cases) = '2026-02-16T02:00:00Z' AS closed
                """).one()
            #expect(try stamps.decode("decided", as: Bool.self))
            #expect(try stamps.decode("closed", as: Bool.self))

            // The hotline logged the complaint, the inspector recorded the decision.
            let actors = try db.query("SELECT action, actor FROM audit_log WHERE table_name = 'complaints' ORDER BY id")
                .map { "\(try $0.decode("action", as: String.self)) \(try $0.decode("actor", as: String.self))" }
            #expect(actors == ["insert hotline_li", "update zhang_jiancha"])
        }
    }

    @Test("bad input exits 3 naming the field and value, and writes nothing")
    func invalidInput() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let result = try CLI.run([
                "complaint", "add", "--region", "410102", "--employer-name", "某公司", "--workers", "3", "--amount", "1.234",
            ], database: conninfo, environment: fixedNow)
            #expect(result.status == 3)
            #expect(result.stderr.contains("amount_owed"))
            #expect(result.stderr.contains("1.234"))
            #expect(try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == 0)
        }
    }

    @Test("an unknown complaint or case exits 4")
    func notFound() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let complaint = try CLI.run(["complaint", "show", "TS-20260101-0009"], database: conninfo)
            let unknownCase = try CLI.run(["case", "show", "424242"], database: conninfo)
            #expect(complaint.status == 4)
            #expect(unknownCase.status == 4)
        }
    }

    @Test("closing a case with money unrecovered exits 5 unless a reason is recorded")
    func closeRefused() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            _ = try CLI.run(["complaint", "add", "--region", "410102", "--employer-name", "某公司", "--workers", "3",
                             "--amount", "5000", "--received-at", "2026-02-13 10:00"], database: conninfo, environment: fixedNow)
            let decided = try CLI.run(["complaint", "decide", "TS-20260213-0001", "--accept", "--json"], database: conninfo, environment: inspector)
            let caseID = try #require(try jsonObject(decided.stdout)["case_id"] as? String)
            let missing = try CLI.run(["case", "close", caseID], database: conninfo, environment: inspector)
            #expect(missing.status == 2, "a close without --disposition is a usage error: \(missing.stderr)")
            let unknown = try CLI.run(["case", "close", caseID, "--disposition", "paid"], database: conninfo, environment: inspector)
            #expect(unknown.status == 3)
            #expect(unknown.stderr.contains("--disposition: \"paid\""), "\(unknown.stderr)")
            let refused = try CLI.run(["case", "close", caseID, "--disposition", "paid_in_full"], database: conninfo, environment: inspector)
            #expect(refused.status == 5)
            #expect(refused.stderr.contains("5,000.00"))
            let hotline = try CLI.run(["case", "close", caseID, "--disposition", "referred_police", "--reason", "用人单位欠薪逃匿，已移送公安"],
                                      database: conninfo, environment: fixedNow)
            #expect(hotline.status == 6, "the hotline does not close cases: \(hotline.stderr)")
            let closed = try CLI.run(["case", "close", caseID, "--disposition", "referred_police", "--reason", "用人单位欠薪逃匿，已移送公安", "--json"],
                                     database: conninfo, environment: inspector)
            #expect(closed.status == 0, "\(closed.stderr)")
            #expect(try jsonObject(closed.stdout)["disposition"] as? String == "referred_police")
            let shown = try CLI.run(["case", "show", caseID], database: conninfo, environment: inspector)
            #expect(shown.stdout.contains("closed: referred_police (移送公安（拒不支付劳动报酬罪）) — 用人单位欠薪逃匿，已移送公安"), "\(shown.stdout)")
        }
    }

    @Test("an import with bad lines reports each as line N: column: problem, exits 3 and writes nothing")
    func importAllOrNothing() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let path = try csvFile("""
                \u{FEFF}received_at,region_code,channel,employer_name,workers_involved,amount_owed,employer_uscc
                2026-03-01 09:00,410102,12333,甲公司,3,1.5万,
                2026-03-01 09:05,410102,12333,乙公司,0,100,
                2026-03-01 09:10,410102,12333,丙公司,2,100,91410100MA3X00001A
                2026-03-01 09:15,410102,12333,丁公司,2,100,

                """)
            let bad = try CLI.run(["import", "complaints", path], database: conninfo)
            #expect(bad.status == 3)
            #expect(bad.stderr.contains("line 3: workers_involved"))
            #expect(bad.stderr.contains("line 4: employer_uscc"))
            #expect(!bad.stderr.contains("line 2:"))
            #expect(try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == 0)
            #expect(try db.query("SELECT count(*) AS n FROM employers").one().decode("n", as: Int.self) == 0)

            let good = try csvFile("""
                received_at,region_code,channel,employer_name,workers_involved,amount_owed,owed_until
                2026-03-01 09:00,410102,12333,甲公司,3,1.5万,
                2026-03-01 09:05,410102,12333,乙公司,1,100,2023-01-01

                """)
            let ok = try CLI.run(["import", "complaints", good, "--json"], database: conninfo)
            #expect(ok.status == 0, "\(ok.stderr)")
            let summary = try jsonObject(ok.stdout)
            #expect(summary["rows"] as? Int == 2)
            #expect((summary["counts"] as? [String: Int]) == ["pending": 1, "refused": 1])
        }
    }

    @Test("an extra column is refused, naming it")
    func extraColumn() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let path = try csvFile("received_at,region_code,channel,employer_name,workers_involved,amount_owed,colour\n")
            let result = try CLI.run(["import", "complaints", path], database: conninfo)
            #expect(result.status == 3)
            #expect(result.stderr.contains("colour"))
        }
    }

    @Test("employers import: bad USCC refused; a good file upserts by USCC")
    func employersImport() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let bad = try csvFile("uscc,name,kind,region_code,legal_rep,phone\n91410100MA3X00001A,某公司,general_contractor,410102,,\n")
            let refused = try CLI.run(["import", "employers", bad], database: conninfo)
            #expect(refused.status == 3)
            #expect(refused.stderr.contains("line 2: uscc"))
            let good = try csvFile("uscc,name,kind,region_code,legal_rep,phone\n91350100M000100Y43,福建某建设集团有限公司,general_contractor,410102,王某,13812345678\n")
            // The same USCC again, renamed, with a new legal representative and phone.
            let renamed = try csvFile("uscc,name,kind,region_code,legal_rep,phone\n91350100M000100Y43,福建某建设集团股份有限公司,general_contractor,410102,陈某,13987654321\n")
            let first = try CLI.run(["import", "employers", good], database: conninfo)
            #expect(first.status == 0, "\(first.stderr)")
            let id = try db.query("SELECT id FROM employers WHERE uscc = '91350100M000100Y43'").one().decode("id", as: Int64.self)
            let second = try CLI.run(["import", "employers", renamed], database: conninfo)
            #expect(second.status == 0, "\(second.stderr)")
            let rows = try db.query("SELECT id, name, legal_rep, phone FROM employers WHERE uscc = '91350100M000100Y43'")
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode("id", as: Int64.self) == id, "the row is updated in place, not replaced")
            #expect(try row.decode("name", as: String.self) == "福建某建设集团股份有限公司")
            #expect(try row.decode("legal_rep", as: String?.self) == "陈某")
            #expect(try row.decode("phone", as: String?.self) == "13987654321")
        }
    }
}
