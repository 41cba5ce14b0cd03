import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("wagewatch demo")
struct DemoCommandTests {
    @Test("the demo builds its own database, raises flags and escalations, and leaves the user's database alone")
    func demo() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let env = ["WAGEWATCH_NOW": "2026-11-20T02:00:00Z"]
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("ww-demo-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            let result = try CLI.run(["demo", "--out-dir", out.path], database: conninfo, environment: env)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("已处理劳资纠纷150起"))
            #expect(result.stderr.contains("风险规则 R1–R12 运行完毕"))
            // The user's database got nothing.
            let mine = try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self)
            #expect(mine == 0)
            let demo = try Connection(db.conninfo(database: "wagewatch_demo"))
            defer { demo.close() }
            let counts = try demo.query("""
                SELECT (SELECT count(*) FROM projects) AS projects, (SELECT count(*) FROM workers) AS workers,
                       (SELECT count(DISTINCT type) FROM projects) AS types,
                       (SELECT count(*) FROM flags WHERE rule = 'fund_diversion') AS diversions,
                       (SELECT count(*) FROM escalations WHERE mass_incident) AS mass,
                       (SELECT count(*) FROM sanctions) AS sanctions
                """).one()
            #expect(try counts.decode("projects", as: Int.self) == 15)
            #expect(try counts.decode("workers", as: Int.self) == 600)
            #expect(try counts.decode("types", as: Int.self) == 7)
            #expect(try counts.decode("diversions", as: Int.self) >= 1)
            #expect(try counts.decode("mass", as: Int.self) >= 1)
            #expect(try counts.decode("sanctions", as: Int.self) == 1)
            // Run twice: the same county again, from scratch.
            // This week's report is written and named.
            let html = try String(contentsOf: out.appendingPathComponent("weekly-2026-W47.html"), encoding: .utf8)
            #expect(html.contains("<svg"))
            #expect(html.contains("欠薪"))
            #expect(result.stdout.contains(out.appendingPathComponent("weekly-2026-W47.html").path))
            let again = try CLI.run(["demo", "--out-dir", out.path], database: conninfo, environment: env)
            let totals = { (text: String) in text.split(separator: "\n").filter { $0.contains("已处理劳资纠纷") || $0.contains("预警") } }
            #expect(!totals(result.stdout).isEmpty)
            #expect(totals(again.stdout).map { $0.split(separator: "；").first } == totals(result.stdout).map { $0.split(separator: "；").first })
            demo.close()
            let admin = try Connection(try TestDatabase.adminURL())
            defer { admin.close() }
            try admin.query("DROP DATABASE IF EXISTS wagewatch_demo WITH (FORCE)")
        }
    }
}
