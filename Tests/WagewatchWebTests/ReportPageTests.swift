import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: the weekly report in the page and to download")
struct ReportPageTests {
    @Test("an official reads any week's report in the page, zh or en, and downloads every format but PDF here")
    func weekly() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            #expect(try await hotline.post("/complaints", complaintForm(workers: 12)).status == .seeOther)
            let official = Browser(client)
            try await official.signIn(WebHarness.official)
            let page = try await official.get("/reports/weekly")
            #expect(page.status == .ok)
            let week = ISOWeek.containing(LocalDate(year: 2026, month: 3, day: 4)!).description
            #expect(page.body.contains("周报 \(week)"))
            #expect(page.body.contains("<article class=\"report\""))
            #expect(page.body.contains("本周新受理欠薪投诉1起"), "the officials' sentence of this week's one complaint")
            #expect(!page.body.contains("<style"), "no inline style under the page's CSP")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src") == true)
            #expect(page.link("next") == nil, "no week after this one")
            let before = try await official.get(try #require(page.link("prev")))
            #expect(before.status == .ok)
            #expect(before.body.contains("零报告"), "the week before holds nothing: a zero report")
            let english = try await official.get("/reports/weekly?week=\(week)&lang=en")
            #expect(english.body.contains("Weekly report \(week)"))
            for (format, type, marker) in [("md", "text/markdown", "# "), ("csv", "text/csv", ","), ("json", "application/json", "{")] {
                let file = try await official.get("/reports/weekly?week=\(week)&format=\(format)")
                #expect(file.status == .ok, "\(format)")
                #expect(file.headers[.contentType]?.hasPrefix(type) == true, "\(format)")
                #expect(file.headers[.contentDisposition] == "attachment; filename=\"weekly-\(week)-en.\(format)\"", "\(format)")
                #expect(file.body.hasPrefix(marker) || file.body.contains(marker), "\(format)")
            }
            let json = try await official.get("/reports/weekly?week=\(week)&format=json")
            let report = try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any]
            #expect(report?["week"] as? String == week)
        }
    }

    @Test("a bad week or format is 422 naming it; the hotline and the sector departments get 403")
    func refused() async throws {
        try await WebHarness.with(now: webNow) { _, client in
            let official = Browser(client)
            try await official.signIn(WebHarness.official)
            let badWeek = try await official.get("/reports/weekly?week=2026-W99")
            #expect(badWeek.status == .unprocessableContent)
            #expect(badWeek.body.contains("2026-W99"))
            let badFormat = try await official.get("/reports/weekly?format=docx")
            #expect(badFormat.status == .unprocessableContent)
            #expect(badFormat.body.contains("docx"))
            for name in [WebHarness.intake, WebHarness.sector] {
                let browser = Browser(client)
                try await browser.signIn(name)
                #expect(try await browser.get("/reports/weekly").status == .forbidden, "\(name)")
            }
        }
    }
}
