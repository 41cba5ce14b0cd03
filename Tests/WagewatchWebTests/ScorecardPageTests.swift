import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: the department scorecard")
struct ScorecardPageTests {
    @Test("the scorecard page says the weekly report's scorecard numbers, department by department, zh and en; linked from the report and the desk")
    func sameNumbersAsTheReport() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            #expect(try await hotline.post("/complaints", complaintForm()).status == .seeOther)
            // Accepted in the desk's pinned week: a person's acceptance through the web is dated by
            // the database (issue 21), so the service account, whose pinned day the decision's door
            // keeps, accepts it here.
            let first = try web.count("SELECT min(id)::int AS n FROM complaints")
            _ = try ComplaintDesk().decide(.id(ComplaintID(Int64(first))), .accept, today: LocalDate(year: 2026, month: 3, day: 4)!,
                                           on: web.db.connection)
            #expect(try await hotline.post("/complaints", complaintForm(workers: 4, amount: "12000")).status == .seeOther)
            let official = Browser(client)
            try await official.signIn(WebHarness.official)
            #expect(try await official.get("/").body.contains(#"href="/reports/scorecard""#))
            let week = ISOWeek.containing(LocalDate(year: 2026, month: 3, day: 4)!)
            #expect(try await official.get("/reports/weekly?week=\(week)").body.contains(#"href="/reports/scorecard?week=\#(week)""#))
            let page = try await official.get("/reports/scorecard?week=\(week)")
            #expect(page.status == .ok)
            let report = try WeeklyReport.build(week: week, region: nil, now: webNow, on: web.db.connection)
            #expect(!report.scorecard.isEmpty)
            #expect(report.scorecard.contains { $0.complaintsDue > 0 || $0.owedFen > 0 }, "\(report.scorecard)")
            for row in report.scorecard {
                let d = row.department
                func cell(_ name: String) -> String? { page.field("\(d)-\(name)")?.trimmingCharacters(in: .whitespaces) }
                #expect(cell("complaints") == ScorecardRow.percent(row.complaintsOnTimePermille), "\(d)")
                #expect(page.body.contains("(\(row.complaintsOnTime)/\(row.complaintsDue))"))
                #expect(cell("cases") == ScorecardRow.percent(row.casesOnTimePermille), "\(d)")
                #expect(cell("flags") == ScorecardRow.percent(row.flagsOnTimePermille), "\(d)")
                #expect(cell("owed") == Format.money(row.owedFen, .zh), "\(d)")
                #expect(cell("recovered") == Format.money(row.recoveredFen, .zh), "\(d)")
                #expect(cell("recovered-share") == ScorecardRow.percent(row.recoveredPermille), "\(d)")
                #expect(cell("closed-paid") == ScorecardRow.percent(row.closedPaidPermille), "\(d)")
                #expect(page.body.contains("(\(row.casesClosedPaid)/\(row.casesClosed))"))
                #expect(page.body.contains(Labels.text(.department, d, .zh)))
            }
            // One set of headers, Core's: the page's columns in order, and the weekly report's scorecard
            // table (in the page and in the Markdown download) with the same words.
            let headers = ReportRoutes.scorecardColumns.map { "<th scope=\"col\"\($0 == "department" ? "" : #" class="num""#)>\(Labels.text(.scorecardColumn, $0, .zh))</th>" }
            #expect(page.body.contains("<thead><tr>" + headers.joined() + "</tr></thead>"), "\(page.body)")
            let weekly = try await official.get("/reports/weekly?week=\(week)")
            let markdown = try await official.get("/reports/weekly?week=\(week)&format=md")
            for code in ["complaints", "cases", "flags", "recovered_share", "closed_paid"] {
                #expect(weekly.body.contains(Labels.text(.scorecardColumn, code, .zh)), "\(code)")
                #expect(markdown.body.contains(Labels.text(.scorecardColumn, code, .zh)), "\(code)")
            }
            // The same rows as the report's JSON download.
            let json = try await official.get("/reports/weekly?week=\(week)&format=json")
            let object = try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any]
            let departments = (object?["scorecard"] as? [[String: Any]])?.compactMap { $0["department"] as? String }
            #expect(departments == report.scorecard.map(\.department))
            let english = try await official.get("/reports/scorecard?week=\(week)&lang=en")
            #expect(english.body.contains("Department scorecard \(week)"))
            #expect(english.body.contains(Labels.text(.department, report.scorecard[0].department, .en)))
            #expect(english.body.contains(">\(Labels.text(.scorecardColumn, "closed_paid", .en))</th>"))
            #expect(try await official.get("/reports/scorecard?week=2026-W99").status == .unprocessableContent)
        }
    }

    @Test("the scorecard: 200 for officials, inspectors and administrators, 403 for the hotline and the sector departments")
    func roles() async throws {
        try await WebHarness.with(now: webNow) { _, client in
            let expected: [(String, HTTPResponse.Status)] = [
                (WebHarness.official, .ok), (WebHarness.inspector, .ok), (WebHarness.admin, .ok),
                (WebHarness.intake, .forbidden), (WebHarness.sector, .forbidden),
            ]
            for (name, status) in expected {
                let browser = Browser(client)
                try await browser.signIn(name)
                #expect(try await browser.get("/reports/scorecard").status == status, "\(name)")
            }
            #expect(try await Browser(client).get("/reports/scorecard").status == .seeOther)
        }
    }
}
