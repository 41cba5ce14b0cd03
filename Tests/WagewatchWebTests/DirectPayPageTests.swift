import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// Direct pay in the browser (issue 16, deliverable 3): plan, approve as a second inspector,
/// pay, download the bank file, record a returned line — through the router, a real PostgreSQL.
@Suite("Web desk: direct pay batches")
struct DirectPayPageTests {
    static let october = "2026-10"

    /// G107 in direct-pay mode with ¥50,000 in its wage account and three workers owed October's
    /// ¥6,600 each on a signed payroll.
    static func seed(_ db: Connection) throws {
        try CountyFixture.directPayProject(treasuryFen: 100_000_000, allocatedFen: 5_000_000, on: db)
        try payroll(db)
    }

    /// Three workers of G107 (registered, its wage account open) owed October's ¥6,600 each on a
    /// signed payroll, and G107 put into direct-pay mode by an inspector's order.
    static func payroll(_ db: Connection) throws {
        for n in 0..<3 {
            let id = CountyFixture.residentID(birth: LocalDate(year: 1980 + n, month: 3, day: 7)!, sequence: 10 + n)
            try db.query("""
                INSERT INTO workers (region_code, id_number, name, bank, bank_account, employer_id, project_id, joined)
                SELECT \(CountyFixture.region), \(id), \("工人\(n)"), '中国农业银行', \("6228480000000\(100 + n)"),
                       (SELECT id FROM employers WHERE kind = 'general_contractor'), (SELECT id FROM projects WHERE code = \(CountyFixture.g107.code)), '2026-03-01'
                """)
            try db.query("""
                INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, signed)
                SELECT \(CountyFixture.region), (SELECT id FROM projects WHERE code = \(CountyFixture.g107.code)), '2026-10-01', w.id, 22, 660000, 0, true
                FROM workers w WHERE w.id_number = \(id)
                """)
        }
        try DirectPayDesk().order(project: CountyFixture.g107.code, basis: "县人社局监察指令", flagID: nil, on: db)
    }

    @Test("plan, approve as another inspector (the planner's own approval refused), pay once, the bank file, a returned line")
    func story() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            try Self.seed(web.db.connection)
            let planner = Browser(client)
            try await planner.signIn(WebHarness.inspector)
            #expect(try await planner.get("/directpay").status == .ok)

            // A bad month is named beside its field; nothing planned.
            let bad = try await planner.post("/directpay", [("project_code", CountyFixture.g107.code), ("period", "2026-13")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains(#"id="period-problem""#))
            #expect(try web.count("SELECT count(*)::int AS n FROM direct_pay_batches") == 0)

            let planned = try await planner.post("/directpay", [("project_code", CountyFixture.g107.code), ("period", Self.october)])
            #expect(planned.status == .seeOther, "\(planned.body.suffix(600))")
            let batchPath = try #require(planned.location?.split(separator: "?").first.map(String.init))
            let page = try await planner.get(batchPath)
            #expect(page.status == .ok)
            #expect(page.field("status") == "待审核")
            #expect(page.field("total") == Money.forOfficials(1_980_000, in: .zh))
            // ID numbers and accounts are masked on the page.
            #expect(!page.body.contains("6228480000000100"))
            // The planner is told another person approves, and offered no approve button.
            #expect(!page.body.contains(#"id="approve-form""#))
            #expect(page.body.contains(Words.text("own_batch_waits", .zh)))

            // The planner's own approval (a forged form) is refused, and nothing changes.
            let own = try await planner.post(batchPath + "/approve", [])
            #expect(own.status == .forbidden)
            #expect(own.body.contains(Words.text("own_batch_refused", .zh)), "the refusal is said in the page's language")
            #expect(try web.count("SELECT count(*)::int AS n FROM direct_pay_batches WHERE status = 'planned'") == 1)
            // Not approved, it cannot be paid.
            #expect(try await planner.post(batchPath + "/execute", []).status == .conflict)

            let checker = Browser(client)
            try await checker.signIn(WebHarness.secondInspector)
            #expect(try await checker.get(batchPath).body.contains(#"id="approve-form""#), "another inspector is offered the approval")
            let approved = try await checker.post(batchPath + "/approve", [])
            #expect(approved.status == .seeOther)
            #expect(try await checker.get(batchPath).field("approved_by") == WebHarness.secondInspector)

            let paid = try await checker.post(batchPath + "/execute", [])
            #expect(paid.status == .seeOther)
            let again = try await checker.post(batchPath + "/execute", [])
            #expect(again.status == .seeOther)
            #expect(try await checker.get(try #require(again.location)).body.contains("未重复付款"))
            // Three workers paid once each, ¥6,600 apiece, whatever the retries.
            #expect(try web.count("SELECT count(*)::int AS n FROM direct_pay_lines WHERE status = 'paid'") == 3)
            #expect(try web.count("""
                SELECT count(*)::int AS n FROM transfers t JOIN ledger_accounts a ON a.id = t.to_account
                WHERE a.kind = 'worker' AND t.amount_fen = 660000
                """) == 3)

            let file = try await checker.get(batchPath + "/bank-file")
            #expect(file.status == .ok)
            #expect(file.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(file.body.hasPrefix("worker_name,id_number,bank,account,amount_yuan,reference\n"))
            #expect(file.body.contains("6228480000000100"))   // the bank needs the whole account
            #expect(file.body.contains("TOTAL,,,,19800.00,"))

            // A returned line needs its reason; with one, the line is returned.
            let noReason = try await checker.post(batchPath + "/returned", [("line", "2"), ("reason", "")])
            #expect(noReason.status == .unprocessableContent)
            #expect(try await checker.post(batchPath + "/returned", [("line", "x"), ("reason", "账户已销户")]).status == .unprocessableContent)
            let returned = try await checker.post(batchPath + "/returned", [("line", "2"), ("reason", "账户已销户")])
            #expect(returned.status == .seeOther)
            #expect(try await checker.get(batchPath).field("line-status-2") == "银行退回")
            #expect(try web.count("SELECT count(*)::int AS n FROM direct_pay_lines WHERE status = 'returned'") == 1)
        }
    }

    @Test("a bureau head (official) approves an inspector's batch from the web, but neither plans nor pays one")
    func bureauHeadApproves() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            try Self.seed(web.db.connection)
            let planner = Browser(client)
            try await planner.signIn(WebHarness.inspector)
            let planned = try await planner.post("/directpay", [("project_code", CountyFixture.g107.code), ("period", Self.october)])
            let batchPath = try #require(planned.location?.split(separator: "?").first.map(String.init))
            let head = Browser(client)
            try await head.signIn(WebHarness.official)
            let list = try await head.get("/directpay")
            #expect(list.status == .ok && !list.body.contains(#"id="plan-form""#), "an official is not offered planning")
            let page = try await head.get(batchPath)
            #expect(page.body.contains(#"id="approve-form""#), "the bureau head is offered the approval")
            #expect(try await head.post("/directpay", [("project_code", CountyFixture.g107.code), ("period", "2026-09")]).status == .forbidden)
            let approved = try await head.post(batchPath + "/approve", [])
            #expect(approved.status == .seeOther, "\(approved.status)")
            let after = try await head.get(batchPath)
            #expect(after.field("approved_by") == WebHarness.official)
            #expect(!after.body.contains(#"id="execute-form""#), "the bureau head is not offered the payment")
            #expect(!after.body.contains("/bank-file"), "nor the bank file, which carries what officials read masked")
            #expect(try await head.post(batchPath + "/execute", []).status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM direct_pay_lines WHERE status = 'paid'") == 0)
            #expect(try await planner.get(batchPath).body.contains(#"id="execute-form""#), "the inspector pays it")
        }
    }

    @Test("the hotline and a sector department may not see or plan direct pay")
    func refusals() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            try Self.seed(web.db.connection)
            for name in [WebHarness.intake, WebHarness.sector] {
                let browser = Browser(client)
                try await browser.signIn(name)
                let list = try await browser.get("/directpay")
                #expect(list.status == .forbidden, "\(name): \(list.status)")
                let plan = try await browser.post("/directpay", [("project_code", CountyFixture.g107.code), ("period", Self.october)])
                #expect(plan.status == .forbidden, "\(name): \(plan.status)")
            }
            #expect(try web.count("SELECT count(*)::int AS n FROM direct_pay_batches") == 0)
        }
    }
}
