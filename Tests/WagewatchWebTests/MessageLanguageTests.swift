import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// Core's messages on a Chinese page are Chinese (issue 15): the common refusals — a bad phone,
/// a bad USCC, a door's refusal (a closed case, another region's case) — through Core's message
/// table (Labels' `.message`, Messages), and English with `?lang=en`, as the CLI says them.
@Suite("Web desk: Core's messages in the page's language")
struct MessageLanguageTests {
    /// Words of the English messages that must not show on a zh page.
    static let english = ["is not a valid", "unified social credit", "expected", "digits", "is closed", "no case", "check digit"]

    static func noEnglish(_ page: Browser.Page, _ what: String) {
        for words in english { #expect(!page.body.contains(words), "\(what): \"\(words)\" on a zh page") }
    }

    @Test("a bad phone and a bad USCC come back beside their fields in Chinese, in English with ?lang=en")
    func fieldProblems() async throws {
        try await WebHarness.with(now: webNow) { _, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let phone = try await hotline.post("/complaints", complaintForm(phone: "1381234567"))
            #expect(phone.status == .unprocessableContent)
            #expect(phone.body.contains("不是有效的电话号码（手机号码为 11 位）"), "\(phone.body)")
            Self.noEnglish(phone, "a bad phone")
            let uscc = try await hotline.post("/complaints", complaintForm(uscc: "91410100MA44XXXXX9"))
            #expect(uscc.status == .unprocessableContent)
            #expect(uscc.body.contains("不是有效的统一社会信用代码"), "\(uscc.body)")
            Self.noEnglish(uscc, "a bad USCC")
            // The same in English, word for word what the CLI prints.
            let english = try await hotline.post("/complaints?lang=en", complaintForm(phone: "1381234567"))
            #expect(english.body.contains("is not a valid phone number (a mobile number has 11 digits)"))
        }
    }

    @Test("a door's refusals — a closed case, another region's case — read in Chinese")
    func doorRefusals() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let (inspector, path) = try await CasePageTests.openCase(web, client)
            #expect(try await inspector.post(path + "/close", [("disposition", "referred_court"), ("reason", "移送法院")]).status == .seeOther)
            let closed = try await inspector.post(path + "/claims", [("id_number", CasePageTests.zhang), ("name", "张三"), ("amount", "3000")])
            #expect(closed.status == .conflict)
            let id = path.split(separator: "/").last!
            #expect(closed.body.contains("案件 \(id) 已结案"), "\(closed.body)")
            Self.noEnglish(closed, "a closed case")
            // An inspector of another county: 410122's case is not there for them (row security, the door).
            _ = try UserDirectory().add(name: "jiancha_410181", role: "inspector", department: "labor", regionCode: "410181",
                                        on: web.db.connection)
            try UserDirectory().setPassword(name: "jiancha_410181", hash: WebHarness.passwordHash, on: web.db.connection)
            let elsewhere = Browser(client)
            try await elsewhere.signIn("jiancha_410181")
            let page = try await elsewhere.get(path)
            #expect(page.status == .notFound)
            #expect(page.body.contains("没有案件 \(id)"), "\(page.body)")
            Self.noEnglish(page, "another region's case")
            let post = try await elsewhere.post(path + "/claims", [("id_number", CasePageTests.li), ("name", "李四"), ("amount", "100")])
            #expect(post.status == .notFound)
            #expect(post.body.contains("没有案件 \(id)"), "\(post.body)")
            Self.noEnglish(post, "another region's case, a form")
            #expect(try web.count("SELECT count(*) AS n FROM claims") == 0)
        }
    }
}
