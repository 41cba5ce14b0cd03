import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// Sanctions and the exposure list in the browser (issue 16, deliverable 3).
@Suite("Web desk: sanctions and the exposure list")
struct SanctionPageTests {
    static func add(_ browser: Browser, measure: String, from: String = "2026-03-01", until: String = "") async throws -> Browser.Page {
        try await browser.post("/sanctions", [
            ("contractor", CountyFixture.contractor.uscc), ("measure", measure), ("basis", "限制参与政府投资项目招投标"),
            ("department", "construction"), ("from", from), ("until", until),
        ])
    }

    @Test("an inspector records measures and lifts one with a reason; a blacklisting without S2's conditions is refused, naming what is missing")
    func story() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            try CountyFixture.register([CountyFixture.contractor], on: web.db.connection)
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            #expect(try await inspector.get("/sanctions").body.contains(#"id="sanction-form""#))

            let bad = try await inspector.post("/sanctions", [("contractor", "91410102MA45R8N12X"), ("measure", "blacklist"),
                                                              ("basis", "x"), ("department", "labor"), ("from", "2026-03-01")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains(#"id="contractor-problem""#))
            #expect(try web.count("SELECT count(*)::int AS n FROM sanctions") == 0)

            #expect(try await Self.add(inspector, measure: "restrict_bidding", until: "2027-02-28").status == .seeOther)
            #expect(try await Self.add(inspector, measure: "public_exposure").status == .seeOther)
            // S2: a blacklisting needs a payment order whose deadline passed and arrears at the
            // criminal threshold (or a mass incident): refused, and the page says what is missing.
            let blacklist = try await Self.add(inspector, measure: "blacklist")
            #expect(blacklist.status == .conflict || blacklist.status == .unprocessableContent, "\(blacklist.status)")
            #expect(blacklist.body.contains("责令限期支付"), "the refusal names the missing payment order")
            let ids = try web.db.connection.query("SELECT id, measure FROM sanctions ORDER BY id").map {
                (try $0.decode("id", as: Int64.self), try $0.decode("measure", as: String.self))
            }
            #expect(ids.map(\.1) == ["restrict_bidding", "public_exposure"])

            // No reason: refused beside the row; a reason lifts it.
            let noReason = try await inspector.post("/sanctions/\(ids[0].0)/lift", [("reason", "")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains(#"id="reason-\#(ids[0].0)-problem""#))
            let lifted = try await inspector.post("/sanctions/\(ids[0].0)/lift", [("reason", "已整改")])
            #expect(lifted.status == .seeOther)
            #expect(try await inspector.get("/sanctions").field("sanction-\(ids[0].0)")?.contains("已整改") == true)
            // Lifted once, not twice.
            #expect(try await inspector.post("/sanctions/\(ids[0].0)/lift", [("reason", "再次")]).status == .conflict)
            #expect(try web.count("SELECT count(*)::int AS n FROM sanctions WHERE lifted_on IS NULL") == 1)

            // The public exposure list, in each format.
            let csv = try await inspector.get("/sanctions/exposure?format=csv")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body.contains(CountyFixture.contractor.name))
            #expect(try await inspector.get("/sanctions/exposure?format=html").headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await inspector.get("/sanctions/exposure?format=pdf").status == .unprocessableContent)
        }
    }

    @Test("the hotline reads the published measures but has no forms, and a forged one writes nothing")
    func hotline() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            try CountyFixture.register([CountyFixture.contractor], on: web.db.connection)
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            let page = try await hotline.get("/sanctions")
            #expect(page.status == .ok)
            #expect(!page.body.contains(#"id="sanction-form""#))
            #expect(try await Self.add(hotline, measure: "blacklist").status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM sanctions") == 0)
        }
    }
}
