import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: the escalation board")
struct EscalationPageTests {
    @Test("a 12-worker complaint's escalation on the board, mass-incident risk first; the official acknowledges, the inspector resolves")
    func board() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            #expect(try await hotline.post("/complaints", complaintForm(workers: 3, employer: "郑州小额劳务有限公司")).status == .seeOther)
            #expect(try await hotline.post("/complaints", complaintForm(workers: 12)).status == .seeOther)
            let mass = try web.count("SELECT min(id)::int AS n FROM escalations WHERE mass_incident")
            let official = Browser(client)
            try await official.signIn(WebHarness.official)
            let board = try await official.get("/escalations")
            #expect(board.status == .ok)
            #expect(board.body.contains("id=\"escalation-\(mass)\" class=\"mass\""))
            #expect(board.body.contains("群体性事件风险"))
            let first = try #require(board.body.range(of: "<tr id=\"escalation-"))
            #expect(board.body[first.upperBound...].hasPrefix("\(mass)\""), "the mass-incident risk is the first row")
            // Without the CSRF token nothing is acknowledged.
            #expect(try await official.post("/escalations/\(mass)/ack", [], csrf: false).status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE id = \(mass) AND status = 'open'") == 1)
            let acked = try await official.post("/escalations/\(mass)/ack", [])
            #expect(acked.status == .seeOther)
            let after = try await official.get("/escalations")
            #expect(after.body.contains("已签收"))
            #expect(after.body.contains(WebHarness.official))
            // Acknowledging twice is a conflict, said above the board.
            let again = try await official.post("/escalations/\(mass)/ack", [])
            #expect(again.status == .conflict)
            #expect(again.body.contains("预警 \(mass) 已签收"), "the door's refusal in the page's language")
            // Officials acknowledge; resolving is the inspectors' (the guard): no form, and a forged one changes nothing.
            #expect(!after.body.contains("/escalations/\(mass)/resolve"))
            #expect(try await official.post("/escalations/\(mass)/resolve", [("reason", "已处理")]).status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE id = \(mass) AND status = 'resolved'") == 0)
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            // A resolve without a reason: 422 beside that row's reason, nothing written.
            let bare = try await inspector.post("/escalations/\(mass)/resolve", [("reason", " ")])
            #expect(bare.status == .unprocessableContent)
            #expect(bare.body.contains("id=\"reason-\(mass)-problem\""))
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE id = \(mass) AND status = 'resolved'") == 0)
            let resolved = try await inspector.post("/escalations/\(mass)/resolve", [("reason", "已约谈总包单位，工资三日内支付")])
            #expect(resolved.status == .seeOther)
            #expect(!(try await inspector.get("/escalations")).body.contains("id=\"escalation-\(mass)\""))
            let done = try await official.get("/escalations?status=resolved")
            #expect(done.body.contains("id=\"escalation-\(mass)\""))
            #expect(done.body.contains("已约谈总包单位"))
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE id = \(mass) AND resolved_by = \(WebHarness.inspector)") == 1)
        }
    }

    @Test("one complaint that meets four E1 conditions is one row with every reason, the highest level and the oldest age; one acknowledgement and one resolution cover all four")
    func oneRowPerSubject() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            var form = complaintForm(workers: 28, text: "工人聚集讨薪，扬言跳楼")
            form.append(("employer_absconded", "true"))
            #expect(try await hotline.post("/complaints", form).status == .seeOther)
            #expect(try await hotline.post("/complaints", complaintForm(workers: 12, employer: "郑州小额劳务有限公司")).status == .seeOther)
            let ids = try web.db.connection.query("SELECT id FROM escalations WHERE complaint_id = (SELECT min(id) FROM complaints) ORDER BY id")
                .map { try $0.decode("id", as: Int64.self) }
            try #require(ids.count == 4, "workers, keywords, the criminal threshold and absconded: \(ids)")
            let other = try web.count("SELECT min(id)::int AS n FROM escalations WHERE complaint_id = (SELECT max(id) FROM complaints)")
            let official = Browser(client)
            try await official.signIn(WebHarness.official)
            let board = try await official.get("/escalations")
            let rows = board.body.components(separatedBy: "<tr id=\"escalation-").dropFirst()
            #expect(rows.count == 2, "one row per complaint: \(board.body)")
            let row = try #require(rows.first { $0.hasPrefix("\(ids[0])\"") })
            for reason in EscalationReason.allCases.prefix(4) {
                #expect(row.contains(Labels.text(.escalationReason, reason.rawValue, .zh)), "\(reason) listed in the row")
            }
            #expect(row.components(separatedBy: "action=\"/escalations/").count == 2, "one acknowledge form for the row")
            for id in ids.dropFirst() { #expect(!board.body.contains("id=\"escalation-\(id)\""), "no row of its own for \(id)") }
            // The highest level and the oldest age: the first escalation down to township and 3 hours older.
            // (What raised an escalation never changes, the guard says: the test's superuser steps around its triggers.)
            try web.db.connection.query("SET session_replication_role = replica")
            try web.db.connection.query("UPDATE escalations SET level = 'township', raised_at = raised_at - interval '3 hours' WHERE id = \(ids[0])")
            try web.db.connection.query("SET session_replication_role = origin")
            let moved = try await official.get("/escalations")
            let movedRow = try #require(moved.body.components(separatedBy: "<tr id=\"escalation-").first { $0.hasPrefix("\(ids[0])\"") })
            #expect(movedRow.contains("<td>" + Labels.text(.escalationLevel, "county", .zh) + "</td>"), "the highest level")
            let ages = try web.db.connection.query(
                "SELECT max(extract(epoch FROM (\(webNow) - raised_at)) / 60)::bigint AS m FROM escalations WHERE id = ANY(ARRAY[\(ids[0]), \(ids[1])]::bigint[])").one()
            #expect(movedRow.contains(Format.age(minutes: Int(try ages.decode("m", as: Int64.self)), .zh)), "the oldest age")
            // The row's form names what it showed: a reason raised after the page was drawn waits for its own acknowledgement.
            #expect(moved.body.contains("name=\"escalations\" value=\"\(ids.map(String.init).joined(separator: ","))\""))
            let shown = ids.prefix(3).map(String.init).joined(separator: ",")
            #expect(try await official.post("/escalations/\(ids[0])/ack", [("escalations", shown)]).status == .seeOther)
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE status = 'open' AND id = \(ids[3])") == 1, "not shown, not acknowledged")
            let partly = try await official.get("/escalations")
            let partlyRow = try #require(partly.body.components(separatedBy: "<tr id=\"escalation-").first { $0.hasPrefix("\(ids[0])\"") })
            #expect(partlyRow.contains("action=\"/escalations/\(ids[0])/ack\""), "the row still asks for an acknowledgement")
            // One acknowledgement: every escalation of the complaint, each through the door, the other complaint's untouched.
            #expect(try await official.post("/escalations/\(ids[0])/ack", []).status == .seeOther)
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE complaint_id = (SELECT min(id) FROM complaints) AND status = 'acknowledged' AND acknowledged_by = \(WebHarness.official)") == 4)
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE id = \(other) AND status = 'open'") == 1)
            #expect(try web.count("SELECT count(*)::int AS n FROM escalation_outbox o JOIN escalations e ON e.id = o.escalation_id WHERE e.complaint_id = (SELECT min(id) FROM complaints)") == 4,
                    "the outbox stays per escalation")
            // One resolution with one reason, by the inspector.
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            #expect(try await inspector.post("/escalations/\(ids[2])/resolve", [("reason", "已约谈，三日内支付")]).status == .seeOther)
            #expect(try web.count("SELECT count(*)::int AS n FROM escalations WHERE complaint_id = (SELECT min(id) FROM complaints) AND status = 'resolved' AND resolution = '已约谈，三日内支付'") == 4)
            let after = try await inspector.get("/escalations")
            #expect(after.body.components(separatedBy: "<tr id=\"escalation-").count == 2, "only the other complaint's row is left")
        }
    }

    @Test("the board's answer for each role (SPEC §8: officials, inspectors, administrators): the hotline and a sector department may not open it nor its stream")
    func roles() async throws {
        try await WebHarness.with(now: webNow) { _, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let logged = try await hotline.post("/complaints", complaintForm(workers: 12))
            #expect(logged.status == .seeOther)
            // The hotline still sees its own complaint's escalation on the complaint's page.
            let reason = Labels.text(.escalationReason, EscalationReason.massIncidentWorkers.rawValue, .zh)
            #expect(try await hotline.get(try #require(logged.location)).body.contains(reason))
            for (name, status) in [(WebHarness.official, HTTPResponse.Status.ok), (WebHarness.inspector, .ok), (WebHarness.admin, .ok),
                                   (WebHarness.sector, .forbidden), (WebHarness.intake, .forbidden)] {
                let browser = Browser(client)
                try await browser.signIn(name)
                let board = try await browser.get("/escalations")
                #expect(board.status == status, "\(name)")
                if status == .forbidden {
                    #expect(!board.body.contains("郑州宏达建筑劳务有限公司"), "\(name) is shown nothing of the board")
                    #expect(try await browser.get("/escalations/stream?wait=1").status == .forbidden, "\(name)'s stream")
                }
            }
        }
    }

    @Test("the stream sends each new escalation as the viewer reads it; a sector department may not open it")
    func stream() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            #expect(try await sector.get("/escalations/stream?wait=1").status == .forbidden)
            // An inspector of another county, who may not read 410122's escalations (officials read every region's).
            _ = try UserDirectory().add(name: "jiancha_410181", role: "inspector", department: "labor", regionCode: "410181",
                                        on: web.db.connection)
            try UserDirectory().setPassword(name: "jiancha_410181", hash: WebHarness.passwordHash, on: web.db.connection)
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            func listen(_ name: String) -> Task<Browser.Page, any Error> {
                Task {
                    let viewer = Browser(client)
                    try await viewer.signIn(name)
                    return try await viewer.get("/escalations/stream?wait=15")
                }
            }
            let listening = listen(WebHarness.official), elsewhere = listen("jiancha_410181")
            // Both streams open and the feed's LISTEN in place before anything is raised (a
            // fixed sleep was not enough on a loaded machine); the wait is only a safety net.
            let feed = web.server.app.feed
            let deadline = ContinuousClock.now + .seconds(60)
            while feed.readiness.streams < 2 || !feed.readiness.listening {
                try #require(ContinuousClock.now < deadline, "the two streams never opened: \(feed.readiness)")
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await hotline.post("/complaints", complaintForm(workers: 28)).status == .seeOther)
            let answer = try await listening.value
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let mass = try web.count("SELECT min(id)::int AS n FROM escalations WHERE mass_incident")
            #expect(answer.body.contains("event: escalation\nid: \(mass)-raised\ndata: {"), "\(answer.body)")
            #expect(answer.body.contains("\"mass_incident\":true"))
            #expect(answer.body.contains("\"workers_involved\":28"))
            let other = try await elsewhere.value
            #expect(other.status == .ok)
            #expect(other.body.contains(": wagewatch escalations"), "its stream opened")
            #expect(!other.body.contains("event: escalation"), "and carried nothing of 410122: \(other.body)")
        }
    }
}
