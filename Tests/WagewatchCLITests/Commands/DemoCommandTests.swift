import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("wagewatch demo")
struct DemoCommandTests {
    /// The demo runs on today's date (as `./scripts/demo` does), so that what direct pay posts
    /// with the database's clock and the report's week agree.
    @Test("the demo builds its own county, pays a batch directly, blacklists the absconder, reports it, and leaves the user's database alone")
    func demo() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("ww-demo-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out) }
            let weekBefore = ISOWeek.containing(DateInput.shanghaiDate(of: Date()))
            let result = try CLI.run(["demo", "--out-dir", out.path], database: conninfo, environment: ["WAGEWATCH_NOW": ""])
            let weekAfter = ISOWeek.containing(DateInput.shanghaiDate(of: Date()))
            #expect(result.status == 0, "\(result.stderr)")
            // The counts below come from the sample county's definition (Sources/SampleCounty/
            // SampleCounty.swift), read by hand, not from a run's output: 147 complaints spread over
            // the year plus the bridge's 12 workers, the other 28 of its 40 and the 9 at the
            // abandoned housing site: 150.
            #expect(result.stdout.contains("已处理劳资纠纷150起"))
            #expect(result.stderr.contains("风险规则 R1–R12 运行完毕"))
            // Narrated, step by step: the flag confirmed, the batch, the blacklisting.
            #expect(result.stderr.contains("确认并处置为“直接支付”"))
            #expect(result.stderr.contains("制单人自审被拒"))
            #expect(result.stderr.contains("列入拖欠农民工工资失信联合惩戒名单"))

            // The user's database got nothing.
            let mine = try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self)
            #expect(mine == 0)
            let demo = try Connection(db.conninfo(database: "wagewatch_demo"))
            defer { demo.close() }
            let counts = try demo.query("""
                SELECT (SELECT count(*) FROM projects) AS projects, (SELECT count(*) FROM workers) AS workers,
                       (SELECT count(DISTINCT type) FROM projects) AS types,
                       (SELECT count(DISTINCT funding) FROM projects) AS fundings,
                       (SELECT count(*) FROM employers) AS employers,
                       (SELECT count(*) FROM flags WHERE rule = 'fund_diversion') AS diversions,
                       (SELECT count(*) FROM employers WHERE absconded_on IS NOT NULL) AS absconded,
                       (SELECT count(*) FROM sanctions) AS sanctions,
                       (SELECT count(*) FROM sanctions WHERE measure = 'blacklist') AS blacklisted,
                       (SELECT count(*) FROM payment_orders WHERE deadline < (now() AT TIME ZONE 'Asia/Shanghai')::date) AS missed_orders
                """).one()
            // `plans`: 15 projects of the 7 types, gov_* government-funded and the rest social; 40
            // workers on each (600); 6 owners, 9 contractors and 5 enterprises (20 employers).
            #expect(try counts.decode("projects", as: Int.self) == 15)
            #expect(try counts.decode("workers", as: Int.self) == 15 * 40)
            #expect(try counts.decode("types", as: Int.self) == 7)
            #expect(try counts.decode("fundings", as: Int.self) == 2)
            #expect(try counts.decode("employers", as: Int.self) == 6 + 9 + 5)
            // One government fund pays an outside party (ZM-X012's 材料款); every other payment out
            // of a fund goes to its own wage account.
            #expect(try counts.decode("diversions", as: Int.self) == 1)
            // The one absconder (恒通), its restriction and its blacklisting, its one missed order.
            #expect(try counts.decode("absconded", as: Int.self) == 1)
            #expect(try counts.decode("sanctions", as: Int.self) == 2)
            #expect(try counts.decode("blacklisted", as: Int.self) == 1)
            #expect(try counts.decode("missed_orders", as: Int.self) == 1)
            // E1 at intake, by complaint: the year's complaints name 1–8 workers and no protest
            // words; the bridge's 12 workers are a mass incident by number, the other 28 by number
            // and by their words (聚集, 讨薪, 拉横幅), the housing site's 9 by the absconding.
            var intakeEscalations: [Int: [String]] = [:]
            for row in try demo.query("""
                SELECT c.workers_involved AS workers, array_agg(e.reason::text ORDER BY e.reason::text) AS reasons
                FROM escalations e JOIN complaints c ON c.region_code = e.region_code AND c.id = e.complaint_id
                WHERE e.mass_incident AND e.reason <> 'criminal_threshold' GROUP BY 1
                """) {
                intakeEscalations[try row.decode("workers")] = try row.decode("reasons")
            }
            #expect(intakeEscalations == [12: ["mass_incident_workers"], 28: ["mass_incident_workers", "protest_keywords"],
                                          9: ["employer_absconded"]])

            // D1–D3: a confirmed red flag put a government project into direct pay; the batch was
            // planned and approved by two different people and paid once, line by line, and each
            // payment counts as a recovery on the workers' case.
            let batch = try demo.query("""
                SELECT b.status, b.planned_by, b.approved_by, b.total_fen, p.funding, p.direct_pay_mode,
                       (SELECT count(*) FROM direct_pay_lines l WHERE l.batch_id = b.id AND l.status = 'paid') AS paid,
                       (SELECT coalesce(sum(amount_fen), 0) FROM recoveries WHERE source = 'direct_pay')::bigint AS recovered,
                       (SELECT count(*) FROM flags f WHERE f.project_id = p.id AND f.status = 'confirmed'
                           AND f.review_action = 'direct_pay' AND f.severity = 'red') AS confirmed
                FROM direct_pay_batches b JOIN projects p ON p.region_code = b.region_code AND p.id = b.project_id
                """)
            #expect(batch.count == 1)
            let row = try #require(batch.first)
            #expect(try row.decode("status", as: String.self) == "executed")
            #expect(try row.decode("planned_by", as: String.self) != row.decode("approved_by", as: String.self))
            #expect(try row.decode("funding", as: String.self) == "government")
            #expect(try row.decode("direct_pay_mode", as: Bool.self))
            #expect(try row.decode("confirmed", as: Int.self) == 1)
            let paid = try row.decode("paid", as: Int.self)
            let total = try row.decode("total_fen", as: Int64.self)
            // The bridge's 40 workers, unpaid for the last months, each get a line.
            #expect(paid == 40)
            #expect(try row.decode("recovered", as: Int64.self) == total)
            let owedOnBridge = try demo.query("""
                SELECT sum(l.amount_fen)::bigint AS owed, count(*) FILTER (WHERE l.amount_fen > 0) AS owing
                FROM direct_pay_lines l WHERE l.batch_id = (SELECT id FROM direct_pay_batches)
                """).one()
            #expect(try owedOnBridge.decode("owed", as: Int64.self) == total)
            #expect(try owedOnBridge.decode("owing", as: Int.self) == 40)

            // This week's report is written, named, and shows the direct pay and the blacklisting.
            let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".html") }
            #expect(written.count == 1)
            let name = try #require(written.first)
            #expect(name == "weekly-\(weekBefore).html" || name == "weekly-\(weekAfter).html")
            let html = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
            #expect(html.contains("<svg"))
            #expect(html.contains("欠薪"))
            #expect(html.contains("本周直接支付（代发工资）\(paid)笔，共"))
            #expect(html.contains("列入失信联合惩戒名单"))
            #expect(html.contains("中牟县恒通建筑安装有限公司"))
            #expect(result.stdout.contains(out.appendingPathComponent(name).path))
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name.replacingOccurrences(of: ".html", with: ".md")).path))
            // The summary says the same.
            #expect(result.stdout.contains("本周直接支付（代发工资）\(paid)笔"))
            #expect(result.stdout.contains("中牟县恒通建筑安装有限公司列入失信联合惩戒名单"))
            demo.close()

            // Run twice: the same county again, from scratch.
            let again = try CLI.run(["demo", "--out-dir", out.path], database: conninfo, environment: ["WAGEWATCH_NOW": ""])
            #expect(again.status == 0, "\(again.stderr)")
            let totals = { (text: String) in text.split(separator: "\n").filter { $0.contains("已处理劳资纠纷") || $0.contains("预警") } }
            #expect(!totals(result.stdout).isEmpty)
            #expect(totals(again.stdout).map { $0.split(separator: "；").first } == totals(result.stdout).map { $0.split(separator: "；").first })
            let admin = try Connection(try TestDatabase.adminURL())
            defer { admin.close() }
            try admin.query("DROP DATABASE IF EXISTS wagewatch_demo WITH (FORCE)")
        }
    }
}
