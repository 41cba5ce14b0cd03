import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: every page for every role, as grants and row security decide")
struct WebRoleTests {
    @Test("each role's answer on each page: 200 where its grants let it read, 403 where they do not")
    func matrix() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let (_, casePath) = try await CasePageTests.openCase(web, client)
            let complaintPath = "/complaints/" + String(try web.count("SELECT min(id)::int AS n FROM complaints"))
            let pages = ["/", "/complaints", "/complaints/new", complaintPath, "/cases", casePath, "/projects", "/reports/weekly"]
            // What each role may open (SPEC §8's table); the sector departments read no complaints or cases.
            let expected: [String: [HTTPResponse.Status]] = [
                WebHarness.intake: [.ok, .ok, .ok, .ok, .ok, .ok, .ok, .forbidden],
                WebHarness.inspector: [.ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok],
                WebHarness.official: [.ok, .ok, .forbidden, .ok, .ok, .ok, .ok, .ok],
                WebHarness.admin: [.ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok],
                WebHarness.sector: [.ok, .forbidden, .forbidden, .forbidden, .forbidden, .forbidden, .ok, .forbidden],
            ]
            for (name, statuses) in expected.sorted(by: { $0.key < $1.key }) {
                let browser = Browser(client)
                try await browser.signIn(name)
                for (path, status) in zip(pages, statuses) {
                    let page = try await browser.get(path)
                    #expect(page.status == status, "\(name) \(path): \(page.status)")
                }
            }
        }
    }

    @Test("a sector user's forged complaint POST changes nothing")
    func sectorCannotFile() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            let page = try await sector.post("/complaints", complaintForm())
            #expect(page.status == .forbidden)
            #expect(try web.count("SELECT count(*) AS n FROM complaints") == 0)
        }
    }

    @Test("an unknown complaint or case is 404, a malformed id too")
    func notFound() async throws {
        try await WebHarness.with(now: webNow) { _, client in
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            #expect(try await inspector.get("/complaints/999999").status == .notFound)
            #expect(try await inspector.get("/complaints/TS-20260101-9999").status == .notFound)
            #expect(try await inspector.get("/cases/999999").status == .notFound)
            #expect(try await inspector.get("/cases/abc").status == .notFound)
            #expect(try await inspector.get("/projects/NO-SUCH").status == .notFound)
        }
    }
}
