import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web: the public status page (SPEC §10 N2)")
struct StatusPageTests {
    @Test("without sign-in, number and phone4 show stage, outcome and dates, never a name, amount, phone or another complaint")
    func nothingElseLeaks() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            #expect(try await hotline.post("/complaints", complaintForm(amount: "86000", phone: "13812345678")).status == .seeOther)
            #expect(try await hotline.post("/complaints", complaintForm(amount: "4321", phone: "13900001111",
                                                                        employer: "另一家公司")).status == .seeOther)
            let numbers = try web.db.connection.query("SELECT number FROM complaints ORDER BY id").map { try $0.decode("number", as: String.self) }
            let anonymous = Browser(client)
            let form = try await anonymous.get("/status")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"id="status-form""#))
            let page = try await anonymous.get("/status?number=\(numbers[0])&phone4=5678")
            #expect(page.status == .ok, "\(page.body)")
            #expect(page.field("number") == numbers[0])
            #expect(page.field("stage") == "已登记，待受理")
            #expect(page.field("received_on") == "2026-03-02")
            for leak in ["王建国", "86,000", "86000", "13812345678", "138****5678", "郑州宏达", numbers[1], "另一家公司"] {
                #expect(!page.body.contains(leak), "the status page shows \(leak)")
            }
            // The second complaint's digits do not open the first, and the answer does not say which half was wrong.
            let crossed = try await anonymous.get("/status?number=\(numbers[0])&phone4=1111")
            #expect(crossed.status == .notFound)
            #expect(!crossed.body.contains(#"id="status-result""#))
            let unknown = try await anonymous.get("/status?number=TS-20990101-0001&phone4=5678")
            #expect(unknown.status == .notFound)
            #expect(crossed.body.replacingOccurrences(of: "1111", with: "X").replacingOccurrences(of: numbers[0], with: "N")
                    == unknown.body.replacingOccurrences(of: "5678", with: "X").replacingOccurrences(of: "TS-20990101-0001", with: "N"))
        }
    }

    @Test("10 tries an hour per address; the 11th answers 429, even with the right pair")
    func rateLimited() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            #expect(try await hotline.post("/complaints", complaintForm()).status == .seeOther)
            let number = try web.db.connection.query("SELECT number FROM complaints").one().decode("number", as: String.self)
            let anonymous = Browser(client)
            for attempt in 0..<10 {
                let wrong = try await anonymous.get("/status?number=\(number)&phone4=\(String(format: "%04d", attempt))")
                #expect(wrong.status == .notFound, "try \(attempt + 1)")
            }
            let eleventh = try await anonymous.get("/status?number=\(number)&phone4=5678")
            #expect(eleventh.status == .tooManyRequests)
            #expect(!eleventh.body.contains(#"id="status-result""#))
        }
    }
}
