import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("wagewatch audit verify, through the binary")
struct AuditCommandTests {
    /// The service account (no user), as cron runs it.
    let env = ["WAGEWATCH_REGION": "410102", "WAGEWATCH_NOW": "2026-02-16T02:00:00Z"]

    func run(_ arguments: [String], _ conninfo: String, as user: String? = nil) throws -> CLIResult {
        var environment = env
        if let user { environment["WAGEWATCH_USER"] = user }
        return try CLI.run(arguments, database: conninfo, environment: environment)
    }

    /// A complaint taken by the hotline, accepted and its arrears recovered by an inspector, all
    /// through the binary.
    func seed(_ conninfo: String) throws {
        let add = try run([
            "complaint", "add", "--employer-name", "郑州宏达建筑劳务有限公司", "--workers", "2", "--amount", "1.2万",
            "--caller-phone", "13812345678", "--received-at", "2026-02-13 10:00", "--text", "春节前工资未发",
        ], conninfo, as: "hotline_li")
        #expect(add.status == 0, "\(add.stderr)")
        let decide = try run(["complaint", "decide", "TS-20260213-0001", "--accept", "--json"], conninfo, as: "zhang_jiancha")
        #expect(decide.status == 0, "\(decide.stderr)")
        let caseID = try #require(try jsonObject(decide.stdout)["case_id"] as? String)
        let recover = try run([
            "case", "recover", caseID, "--worker", "11010519491231002X", "--amount", "12000", "--source", "employer",
            "--date", "2026-03-01",
        ], conninfo, as: "zhang_jiancha")
        #expect(recover.status == 0, "\(recover.stderr)")
    }

    @Test("an intact log exits 0, says how many rows were verified, and prints SPEC-style JSON")
    func intact() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            let rows = try db.query("SELECT count(*) AS n FROM audit_log").one().decode("n", as: Int.self)
            #expect(rows >= 5)

            let human = try run(["audit", "verify"], conninfo)
            #expect(human.status == 0, "\(human.stderr)")
            #expect(human.stdout.contains("audit log: \(rows) rows verified, chain intact"), "\(human.stdout)")

            let json = try run(["audit", "verify", "--json"], conninfo)
            #expect(json.status == 0, "\(json.stderr)")
            let result = try jsonObject(json.stdout)
            #expect(result["rows_verified"] as? Int == rows)
            #expect(result["intact"] as? Bool == true)
            #expect(result["first_broken_id"] is NSNull)
            #expect(result["problem"] is NSNull)
            let head = try db.query("SELECT encode(last_hash, 'hex') AS h FROM audit_chain.head").one().decode("h", as: String.self)
            #expect(result["last_hash"] as? String == head)

            // The hotline may check the log without being able to read it.
            let hotline = try run(["audit", "verify"], conninfo, as: "hotline_li")
            #expect(hotline.status == 0, "\(hotline.stderr)")
            #expect(hotline.stdout.contains("chain intact"))
        }
    }

    @Test("a row changed behind the log's back exits 1 naming the row and the problem, in words and in JSON")
    func broken() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            let target = try db.query("SELECT id FROM audit_log WHERE table_name = 'recoveries' ORDER BY id LIMIT 1").one()
                .decode("id", as: Int64.self)
            let before = try db.query("SELECT count(*) AS n FROM audit_log WHERE id < \(target)").one().decode("n", as: Int.self)
            // What a superuser could do: switch the log's triggers off and lower a recovered amount.
            try db.executeScript(unsafeSQL: """
                ALTER TABLE audit_log DISABLE TRIGGER USER;
                UPDATE audit_log SET after = jsonb_set(after, '{amount_fen}', '100') WHERE id = \(target);
                ALTER TABLE audit_log ENABLE TRIGGER USER;
                """)

            let human = try run(["audit", "verify"], conninfo)
            #expect(human.status == 1)
            #expect(human.stderr.contains("chain broken at row \(target)"), "\(human.stderr)")
            #expect(human.stderr.contains("content_hash_mismatch"), "\(human.stderr)")
            #expect(!human.stdout.contains("chain intact"))

            let json = try run(["audit", "verify", "--json"], conninfo)
            #expect(json.status == 1)
            let result = try jsonObject(json.stdout)
            #expect(result["intact"] as? Bool == false)
            #expect(result["first_broken_id"] as? String == String(target))
            #expect(result["problem"] as? String == "content_hash_mismatch")
            #expect(result["rows_verified"] as? Int == before)
            #expect(json.stderr.contains("row \(target)"))
        }
    }

    @Test("a deleted row is reported as a gap at the row after it")
    func gap() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            let ids = try db.query("SELECT id FROM audit_log ORDER BY id").map { try $0.decode("id", as: Int64.self) }
            try #require(ids.count >= 3)
            try db.executeScript(unsafeSQL: """
                ALTER TABLE audit_log DISABLE TRIGGER USER;
                DELETE FROM audit_log WHERE id = \(ids[1]);
                ALTER TABLE audit_log ENABLE TRIGGER USER;
                """)
            let json = try run(["audit", "verify", "--json"], conninfo)
            #expect(json.status == 1)
            let result = try jsonObject(json.stdout)
            #expect(result["first_broken_id"] as? String == String(ids[2]))
            #expect(result["problem"] as? String == "gap")
            #expect(result["rows_verified"] as? Int == 1)
        }
    }

    @Test("an unknown option is a usage error (exit 2), and --help explains the command with an example")
    func usage() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let bad = try run(["audit", "verify", "--repair"], conninfo)
            #expect(bad.status == 2)
            let help = try CLI.run(["audit", "--help"], database: nil)
            #expect(help.status == 0)
            #expect(help.stdout.contains("wagewatch audit verify"))
            #expect(help.stdout.contains("SHA-256"))
        }
    }
}
