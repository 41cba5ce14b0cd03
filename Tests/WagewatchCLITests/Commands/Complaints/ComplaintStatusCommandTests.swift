import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("wagewatch complaint status: what the complainant may see (SPEC §10 N2)")
struct ComplaintStatusCommandTests {
    let hotline = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_USER": "hotline_li"]
    let inspector = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_USER": "zhang_jiancha"]

    @Test("number and phone4 give stage, outcome and dates only; a wrong pair is exit 4, bad digits exit 3")
    func status() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            for (name, phone, amount) in [("张三", "13812345678", "12000"), ("李四", "13987654321", "8600")] {
                let add = try CLI.run([
                    "complaint", "add", "--region", "410102", "--employer-name", "郑州宏达建筑劳务有限公司",
                    "--workers", "2", "--amount", amount, "--caller-name", name, "--caller-phone", phone,
                    "--received-at", "2026-02-13 10:00",
                ], database: conninfo, environment: hotline)
                #expect(add.status == 0, "\(add.stderr)")
            }
            let pending = try CLI.run(["complaint", "status", "TS-20260213-0001", "--phone4", "5678", "--json"],
                                      database: conninfo, environment: hotline)
            #expect(pending.status == 0, "\(pending.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(pending.stdout.utf8)) as? [String: Any] ?? [:]
            #expect(Set(object.keys) == ["number", "stage", "outcome", "received_on", "decided_on", "closed_on"])
            #expect(object["stage"] as? String == "received")
            #expect(object["received_on"] as? String == "2026-02-13")
            #expect(object["outcome"] is NSNull)
            for leak in ["张三", "李四", "12000", "1200000", "13812345678", "郑州"] {
                #expect(!pending.stdout.contains(leak), "the status shows \(leak)")
            }
            // The other caller's digits do not open the first complaint, nor the first's the second.
            let wrong = try CLI.run(["complaint", "status", "TS-20260213-0001", "--phone4", "4321"], database: conninfo, environment: hotline)
            #expect(wrong.status == 4, "\(wrong.stderr)")
            #expect(!wrong.stderr.contains("李四") && !wrong.stderr.contains("4321 ") )
            let crossed = try CLI.run(["complaint", "status", "TS-20260213-0002", "--phone4", "5678"], database: conninfo, environment: hotline)
            #expect(crossed.status == 4)
            let unknown = try CLI.run(["complaint", "status", "TS-20260213-0009", "--phone4", "5678"], database: conninfo, environment: hotline)
            #expect(unknown.status == 4)
            let bad = try CLI.run(["complaint", "status", "TS-20260213-0001", "--phone4", "56a8"], database: conninfo, environment: hotline)
            #expect(bad.status == 3)
            #expect(bad.stderr.contains("--phone4: \"56a8\""), "\(bad.stderr)")

            let decided = try CLI.run(["complaint", "decide", "TS-20260213-0001", "--accept", "--json"], database: conninfo, environment: inspector)
            #expect(decided.status == 0, "\(decided.stderr)")
            let caseID = try #require((try JSONSerialization.jsonObject(with: Data(decided.stdout.utf8)) as? [String: Any])?["case_id"] as? String)
            let open = try CLI.run(["complaint", "status", "TS-20260213-0001", "--phone4", "5678"], database: conninfo, environment: hotline)
            #expect(open.stdout.contains("investigating — accepted"), "\(open.stdout)")
            #expect(open.stdout.contains("decided 2026-02-16"), "\(open.stdout)")
            let close = try CLI.run(["case", "close", caseID, "--disposition", "referred_court"], database: conninfo, environment: inspector)
            #expect(close.status == 0, "\(close.stderr)")
            let closed = try CLI.run(["complaint", "status", "TS-20260213-0001", "--phone4", "5678", "--json"],
                                     database: conninfo, environment: hotline)
            let after = try JSONSerialization.jsonObject(with: Data(closed.stdout.utf8)) as? [String: Any] ?? [:]
            #expect(after["stage"] as? String == "closed")
            #expect(after["closed_on"] as? String == "2026-02-16")
        }
    }

    @Test("the door returns only the allowed columns and is the authenticator's only way to complaints")
    func door() async throws {
        try await TestDatabase.withFresh { db, _ in
            let columns = try db.query("""
                SELECT array_to_string(proargnames, ',') AS names FROM pg_proc WHERE proname = 'ww_complaint_status'
                """).first?.decode("names", as: String.self)
            #expect(columns == "p_number,p_phone4,number,stage,outcome,received_on,decided_on,closed_on")
            let reads = try db.query("""
                SELECT count(*) AS n FROM information_schema.role_table_grants
                WHERE grantee = 'wagewatch_authenticator' AND table_name IN ('complaints', 'cases')
                """).first?.decode("n", as: Int64.self)
            #expect(reads == 0)
        }
    }
}
