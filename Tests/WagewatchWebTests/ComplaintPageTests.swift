import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: the hotline's and inspectors' complaint pages")
struct ComplaintPageTests {
    @Test("a POST without the CSRF token, or with another session's, is 403 and writes nothing")
    func csrf() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let other = Browser(client)
            try await other.signIn(WebHarness.inspector)
            let before = try web.count("SELECT count(*) AS n FROM complaints")
            #expect(try await hotline.post("/complaints", complaintForm(), csrf: false).status == .forbidden)
            #expect(try await hotline.post("/complaints", complaintForm() + [("_csrf", other.csrf!)], csrf: false).status == .forbidden)
            #expect(try await hotline.post("/complaints", complaintForm() + [("_csrf", "")], csrf: false).status == .forbidden)
            #expect(try web.count("SELECT count(*) AS n FROM complaints") == before)
        }
    }

    @Test("people logging complaints one after another on the same pooled connection are each taken (the staging table is the connection's, not its first user's)")
    func sharedConnection() async throws {
        var configuration = Configuration.defaults
        configuration.web.poolSize = 1
        try await WebHarness.with(configuration: configuration, now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            let before = try web.count("SELECT count(*) AS n FROM complaints")
            for (i, browser) in [hotline, inspector, hotline, inspector].enumerated() {
                let logged = try await browser.post("/complaints", complaintForm(employer: "顺序\(i)劳务有限公司"))
                #expect(logged.status == .seeOther, "complaint \(i + 1): \(logged.status) \(logged.body.prefix(400))")
            }
            #expect(try web.count("SELECT count(*) AS n FROM complaints") == before + 4)
        }
    }

    @Test("a bad field answers 422 with the message beside that field, everything typed kept, nothing written")
    func invalidField() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let form = complaintForm(phone: "12345", uscc: "91410100MA0000000X")
            let page = try await hotline.post("/complaints", form)
            #expect(page.status == .unprocessableContent)
            // Beside the field, naming it and the value.
            let phoneProblem = try #require(page.body.range(of: #"<p class="problem" id="caller_phone-problem">[^<]*</p>"#, options: .regularExpression))
            #expect(page.body[phoneProblem].contains("caller_phone：&quot;12345&quot; 不是有效的电话号码"), "in the page's language: \(page.body[phoneProblem])")
            #expect(page.body.contains(#"id="employer_uscc-problem""#))
            #expect(page.body.contains(#"aria-invalid="true" aria-describedby="caller_phone-problem""#))
            // What was typed is still there.
            #expect(page.body.contains(#"value="郑州宏达建筑劳务有限公司""#))
            #expect(page.body.contains(#"value="86000""#))
            #expect(page.body.contains("拖欠工资</textarea>"))
            #expect(try web.count("SELECT count(*) AS n FROM complaints") == 0)
            let missing = try await hotline.post("/complaints", complaintForm().filter { $0.0 != "employer_name" })
            #expect(missing.status == .unprocessableContent)
            #expect(missing.body.contains(#"id="employer_name-problem">employer_name：&quot;&quot; 必须填写"#))
        }
    }

    @Test("a 12-worker complaint: 303 to its page, which shows its number, deadline and the county escalation; the hotline sees the phone masked")
    func escalation() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let created = try await hotline.post("/complaints", complaintForm(workers: 12))
            #expect(created.status == .seeOther)
            let location = try #require(created.location)
            #expect(location.hasPrefix("/complaints/") && location.hasSuffix("?logged=1"))
            let page = try await hotline.get(location)
            #expect(page.status == .ok)
            let number = try #require(page.field("number"))
            #expect(number.range(of: #"^TS-20260302-[0-9]{4}$"#, options: .regularExpression) != nil, "\(number)")
            // Received Monday 2026-03-02: 5 working days → Monday 2026-03-09.
            #expect(page.field("decision_due") == "2026-03-09")
            #expect(page.body.contains("县两办"))
            #expect(page.body.contains("涉及人数众多（群体性欠薪）"))
            #expect(page.field("caller_phone") == "138****5678")
            #expect(!page.body.contains("13812345678"))
            #expect(try web.count("SELECT count(*) AS n FROM escalations WHERE level = 'county' AND reason = 'mass_incident_workers'") == 1)
            // The timeline, from the audit log.
            #expect(page.body.contains("登记投诉"))
            #expect(page.body.contains("即时上报"))
        }
    }

    @Test("an inspector accepts a complaint; a second complaint about the same employer shows its merge into that case at once")
    func merge() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let first = try await hotline.post("/complaints", complaintForm(employer: "郑州宏达建筑劳务有限公司"))
            let firstPath = try #require(first.location?.split(separator: "?").first.map(String.init))
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            let complaintPage = try await inspector.get(firstPath)
            #expect(complaintPage.body.contains(#"id="decision-form""#))
            let decided = try await inspector.post(firstPath + "/decision", [("decision", "accept")])
            #expect(decided.status == .seeOther)
            let accepted = try await inspector.get(firstPath)
            #expect(accepted.field("outcome") == "受理")
            let caseID = try web.count("SELECT case_id AS n FROM complaints")
            // The second complaint joins the open case at intake (C4).
            let second = try await hotline.post("/complaints", complaintForm(employer: "郑州宏达建筑劳务有限公司", received: "2026-03-03 10:00"))
            let page = try await hotline.get(try #require(second.location))
            #expect(page.field("outcome") == "并案")
            #expect(page.body.contains("已并入办理中的案件 \(caseID)"))
            #expect(page.body.contains("href=\"/cases/\(caseID)\""))
            // Deciding it again is refused with the desk's message, 409.
            let again = try await inspector.post(firstPath + "/decision", [("decision", "accept")])
            #expect(again.status == .conflict)
            #expect(again.body.contains("was already decided"))
        }
    }

    @Test("refusing without a reason is 422 beside the reason; referring names its target")
    func decisions() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let path = try #require(try await hotline.post("/complaints", complaintForm()).location?.split(separator: "?").first.map(String.init))
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            let refused = try await inspector.post(path + "/decision", [("decision", "refuse"), ("reason", "  ")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains(#"id="reason-problem""#))
            #expect(try web.count("SELECT count(*) AS n FROM complaints WHERE status = 'pending'") == 1)
            let merged = try await inspector.post(path + "/decision", [("decision", "merge"), ("case", "999")])
            #expect(merged.status == .unprocessableContent)
            #expect(merged.body.contains(#"id="case-problem""#))
            let referred = try await inspector.post(path + "/decision", [("decision", "refer"), ("target", "县劳动人事争议仲裁委员会")])
            #expect(referred.status == .seeOther)
            let page = try await inspector.get(path)
            #expect(page.field("outcome")?.contains("移送") == true)
            #expect(page.body.contains("县劳动人事争议仲裁委员会"))
        }
    }

    @Test("the list searches by number, employer name and USCC, filters, and pages 50 at a time with phones masked")
    func list() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            // 53 complaints through the desk's own intake, in one go; the 8th names an employer
            // with a USCC, the 10th one with Latin letters.
            let intake = ComplaintIntake()
            func add(_ i: Int) throws {
                let name = switch i {
                case 7: "中原路桥工程有限公司"
                case 9: "ABC建筑劳务有限公司"
                default: "郑州宏达建筑劳务有限公司\(i)"
                }
                var fields = ["received_at": "2026-03-02 08:\(String(format: "%02d", i))", "region_code": "410122",
                              "channel": "12333", "employer_name": name, "workers_involved": "2", "amount_owed": "5000",
                              "caller_phone": "13900001111"]
                if i == 7 { fields["employer_uscc"] = "91350100M000100Y43" }
                let input = try ComplaintInput.parse { fields[$0] }.get()
                _ = try intake.add(input, on: web.db.connection)
            }
            for i in 0..<53 { try add(i) }
            func rows(_ page: Browser.Page) -> Int { page.body.components(separatedBy: "<tr").count - 2 }
            let first = try await hotline.get("/complaints")
            #expect(first.status == .ok)
            #expect(rows(first) == 50, "50 rows and a header row")
            #expect(first.body.contains("rel=\"next\""))
            #expect(!first.body.contains("rel=\"prev\""))
            #expect(!first.body.contains("13900001111"))
            #expect(first.body.contains("139****1111"))
            // By number: the next page still counts rows.
            let second = try await hotline.get("/complaints?page=2")
            #expect(rows(second) == 3)
            // By the desk's own links: the page after the last row shown, so a complaint logged
            // meanwhile (the newest, on page 1) moves nothing onto page 2 twice.
            try add(59)
            let next = try await hotline.get(try #require(first.link("next")))
            #expect(rows(next) == 3)
            #expect(next.body.contains("第 2 页"))
            #expect(next.body.contains("宏达建筑劳务有限公司2<") && next.body.contains("宏达建筑劳务有限公司0<"))
            #expect(!next.body.contains("rel=\"next\""))
            let back = try await hotline.get(try #require(next.link("prev")))
            #expect(rows(back) == 50)
            #expect(back.body.contains("第 1 页"))
            #expect(back.body.contains("宏达建筑劳务有限公司59<"), "page 1 again, the complaint logged meanwhile first")
            #expect(!back.body.contains("宏达建筑劳务有限公司3<"), "the 50 newest: the 4th oldest is on page 2 now")
            // Employer names: two characters or more through the index, Latin letters in any
            // case, one character by reading them all; LIKE's own characters are plain text.
            let byName = try await hotline.get("/complaints?q=" + Browser.encode("中原路桥"))
            #expect(rows(byName) == 1)
            #expect(byName.body.contains("中原路桥工程有限公司"))
            #expect(rows(try await hotline.get("/complaints?q=" + Browser.encode("路桥"))) == 1)
            // A name most complaints hold fills its page from the newest rows, and pages on.
            let common = try await hotline.get("/complaints?q=" + Browser.encode("宏达"))
            #expect(rows(common) == 50)
            #expect(rows(try await hotline.get(try #require(common.link("next")))) == 2, "52 of the 54 hold 宏达")
            #expect(rows(try await hotline.get("/complaints?q=abc")) == 1)
            #expect(rows(try await hotline.get("/complaints?q=" + Browser.encode("桥"))) == 1)
            #expect(try await hotline.get("/complaints?q=" + Browser.encode("宏达%")).body.contains("没有符合条件的记录"))
            #expect(rows(try await hotline.get("/complaints?q=" + Browser.encode("劳务有限公司5"))) == 5, "5, 50–52 and 59")
            // A USCC finds its employer's complaints; a number, exactly or by its start.
            let byUSCC = try await hotline.get("/complaints?q=91350100m000100y43")
            #expect(rows(byUSCC) == 1)
            #expect(byUSCC.body.contains("中原路桥工程有限公司"))
            let number = try web.db.connection.query("SELECT number FROM complaints ORDER BY id LIMIT 1").one().decode("number", as: String.self)
            let byNumber = try await hotline.get("/complaints?q=" + number.lowercased())
            #expect(rows(byNumber) == 1)
            #expect(rows(try await hotline.get("/complaints?q=" + String(number.prefix(11)))) == 50, "TS-20260302: that day's")
            let pending = try await hotline.get("/complaints?status=decided")
            #expect(pending.body.contains("没有符合条件的记录"))
            // Overdue: nothing is overdue on 2026-03-04 (due 2026-03-09).
            let overdue = try await hotline.get("/complaints?overdue=true")
            #expect(overdue.body.contains("没有符合条件的记录"))
        }
    }
}
