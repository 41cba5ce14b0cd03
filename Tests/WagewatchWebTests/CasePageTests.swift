import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: the case page and its forms")
struct CasePageTests {
    /// A complaint logged by the hotline and accepted by the inspector: the case's path.
    static func openCase(_ web: WebHarness, _ client: any TestClientProtocol) async throws -> (Browser, String) {
        let hotline = Browser(client)
        try await hotline.signIn(WebHarness.intake)
        let path = try #require(try await hotline.post("/complaints", complaintForm()).location?.split(separator: "?").first.map(String.init))
        let inspector = Browser(client)
        try await inspector.signIn(WebHarness.inspector)
        #expect(try await inspector.post(path + "/decision", [("decision", "accept")]).status == .seeOther)
        let caseID = try web.count("SELECT case_id AS n FROM complaints")
        return (inspector, "/cases/\(caseID)")
    }

    static let zhang = "110101199003074514", li = "11010119900307416X"

    @Test("claims, a recovery, a refused close and a close with a reason, each as the CLI's desk decides")
    func workACase() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let (inspector, path) = try await Self.openCase(web, client)
            #expect(try await inspector.post(path + "/claims", [("id_number", Self.zhang), ("name", "张三"), ("amount", "3000")]).status == .seeOther)
            #expect(try await inspector.post(path + "/claims", [("id_number", Self.li), ("name", "李四"), ("amount", "2500")]).status == .seeOther)
            let badID = try await inspector.post(path + "/claims", [("id_number", "11010119900307461X"), ("name", "王五"), ("amount", "100")])
            #expect(badID.status == .unprocessableContent)
            #expect(badID.body.contains(#"id="id_number-problem""#))
            let twice = try await inspector.post(path + "/claims", [("id_number", Self.zhang), ("name", "张三"), ("amount", "3000")])
            #expect(twice.status == .conflict)
            #expect(try web.count("SELECT count(*) AS n FROM claims") == 2)

            let page = try await inspector.get(path)
            #expect(page.body.contains("3,000元") && page.body.contains("2,500元"))
            #expect(page.field("owed") == "5,500元")
            // The recovery form's key makes a double submission record it once.
            let key = try #require(page.body.range(of: #"name="key" value="[^"]+""#, options: .regularExpression).map { String(page.body[$0]) })
            let keyValue = String(key.dropFirst(#"name="key" value=""#.count).dropLast())
            let recovery = [("id_number", Self.zhang), ("amount", "3000"), ("source", "employer"), ("date", "2026-03-03"), ("key", keyValue)]
            #expect(try await inspector.post(path + "/recoveries", recovery).status == .seeOther)
            #expect(try await inspector.post(path + "/recoveries", recovery).status == .seeOther)
            #expect(try web.count("SELECT count(*) AS n FROM recoveries") == 1)
            let tooMuch = try await inspector.post(path + "/recoveries", [("id_number", Self.li), ("amount", "9000"), ("source", "employer"), ("date", "2026-03-03")])
            #expect(tooMuch.status == .conflict || tooMuch.status == .unprocessableContent)
            #expect(try web.count("SELECT count(*) AS n FROM recoveries") == 1)

            let form = try await inspector.get(path)
            #expect(form.body.contains(#"<option value="referred_court""#), "the close form offers the dispositions")
            let noDisposition = try await inspector.post(path + "/close", [("reason", "")])
            #expect(noDisposition.status == .unprocessableContent)
            #expect(noDisposition.body.contains(#"id="disposition-problem""#))
            let refused = try await inspector.post(path + "/close", [("disposition", "paid_in_full"), ("reason", "")])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("role=\"alert\""))
            #expect(refused.body.contains("未追回") && !refused.body.contains("unrecovered"), "the door's refusal in the page's language")
            #expect(try await inspector.get(path).field("status") == "办理中")
            let closed = try await inspector.post(path + "/close", [("disposition", "referred_court"), ("reason", "欠薪企业已逃匿，剩余部分移送法院")])
            #expect(closed.status == .seeOther)
            let after = try await inspector.get(path)
            #expect(after.field("status") == "已结案")
            #expect(after.body.contains("移送法院 — 欠薪企业已逃匿，剩余部分移送法院"))
            #expect(try web.count("SELECT count(*) AS n FROM cases WHERE disposition = 'referred_court'") == 1)
            #expect(!after.body.contains(#"id="close-form""#))
            // The case's timeline comes from the audit log.
            #expect(after.body.contains("登记欠薪"))
            #expect(after.body.contains("追回"))
        }
    }

    @Test("one extension with an approver and a reason; a second is refused")
    func extend() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let (inspector, path) = try await Self.openCase(web, client)
            let missing = try await inspector.post(path + "/extension", [("days", "20"), ("approver", ""), ("reason", "需调取银行流水")])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains(#"id="approver-problem""#))
            let tooLong = try await inspector.post(path + "/extension", [("days", "31"), ("approver", "王局长"), ("reason", "需调取银行流水")])
            #expect(tooLong.status == .unprocessableContent)
            #expect(try await inspector.post(path + "/extension", [("days", "20"), ("approver", "王局长"), ("reason", "需调取银行流水")]).status == .seeOther)
            let again = try await inspector.post(path + "/extension", [("days", "5"), ("approver", "王局长"), ("reason", "再延")])
            #expect(again.status == .conflict)
            #expect(try web.count("SELECT count(*) AS n FROM case_extensions") == 1)
        }
    }

    @Test("two inspectors adding claims to the same case at once lose nothing")
    func concurrentEdits() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let (first, path) = try await Self.openCase(web, client)
            let second = Browser(client)
            try await second.signIn(WebHarness.secondInspector)
            _ = try await second.get(path)
            let ids = (0..<10).map { i -> String in
                let body = "11010119900307" + String(format: "%03d", 100 + i)
                return body + ResidentIDCheck.digit(body)
            }
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (i, id) in ids.enumerated() {
                    let browser = i % 2 == 0 ? first : second
                    group.addTask { try await browser.post(path + "/claims", [("id_number", id), ("name", "工人\(i)"), ("amount", "1000")]).status }
                }
                for try await status in group { #expect(status == .seeOther) }
            }
            #expect(try web.count("SELECT count(*) AS n FROM claims") == 10)
            #expect(try web.count("SELECT sum(owed_fen)::int AS n FROM claims") == 1_000_000)
            #expect(try web.count("SELECT count(DISTINCT created_by) AS n FROM claims") == 2)
        }
    }

    @Test("the case list pages 50 at a time by its own links, soonest deadline first, and back")
    func pages() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            // 52 cases of 52 employers, accepted through the desk.
            for i in 0..<52 {
                let input = try ComplaintInput.parse { column in
                    ["received_at": "2026-03-02 08:\(String(format: "%02d", i))", "region_code": "410122", "channel": "12333",
                     "employer_name": "郑州第\(i)建筑劳务有限公司", "workers_involved": "2", "amount_owed": "5000"][column]
                }.get()
                let added = try ComplaintIntake().add(input, on: web.db.connection)
                _ = try ComplaintDesk().decide(.id(added.id), .accept, today: LocalDate(year: 2026, month: 3, day: 2)!, on: web.db.connection)
            }
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            func rows(_ page: Browser.Page) -> Int { page.body.components(separatedBy: "<tr").count - 2 }
            let first = try await inspector.get("/cases")
            #expect(rows(first) == 50)
            #expect(first.body.contains("郑州第0建筑劳务有限公司<"))
            let next = try await inspector.get(try #require(first.link("next")))
            #expect(rows(next) == 2)
            #expect(next.body.contains("郑州第51建筑劳务有限公司<") && !next.body.contains("郑州第0建筑劳务有限公司<"))
            #expect(next.link("next") == nil)
            let back = try await inspector.get(try #require(next.link("prev")))
            #expect(rows(back) == 50)
            #expect(back.body.contains("郑州第0建筑劳务有限公司<") && !back.body.contains("郑州第51建筑劳务有限公司<"))
            #expect(rows(try await inspector.get("/cases?page=2")) == 2, "by number too")
        }
    }

    @Test("the hotline reads a case with ID numbers masked and no forms; an official likewise")
    func readOnly() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let (inspector, path) = try await Self.openCase(web, client)
            #expect(try await inspector.post(path + "/claims", [("id_number", Self.zhang), ("name", "张三"), ("amount", "3000")]).status == .seeOther)
            #expect(try await inspector.get(path).body.contains(Self.zhang), "an inspector reads ID numbers in full")
            for name in [WebHarness.intake, WebHarness.official] {
                let reader = Browser(client)
                try await reader.signIn(name)
                let page = try await reader.get(path)
                #expect(page.status == .ok, "\(name)")
                #expect(!page.body.contains(Self.zhang), "\(name)")
                #expect(page.body.contains("1101**********4514"), "\(name)")
                #expect(!page.body.contains(#"id="claim-form""#), "\(name)")
            }
        }
    }
}

/// The GB 11643 check digit, for making valid test ID numbers.
enum ResidentIDCheck {
    static func digit(_ body: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.compactMap { $0.wholeNumberValue }, weights).map(*).reduce(0, +)
        return ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"][sum % 11]
    }
}
