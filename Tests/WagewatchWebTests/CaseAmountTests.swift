import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

extension CasePageTests {
    /// The cells of the #workers row whose ID number (as the page shows it) ends with `tail`.
    static func workerCells(_ page: Browser.Page, tail: String) -> [String: String] {
        guard let table = page.body.range(of: #"id="workers""#),
              let end = page.body[table.upperBound...].range(of: "</table>") else { return [:] }
        let rows = page.body[table.upperBound..<end.lowerBound].components(separatedBy: "<tr>")
        guard let row = rows.first(where: { $0.contains(tail + "</td>") }) else { return [:] }
        var cells: [String: String] = [:]
        for name in ["owed", "recovered", "outstanding"] {
            guard let start = row.range(of: "data-field=\"\(name)\""),
                  let close = row[start.upperBound...].firstIndex(of: ">"),
                  let stop = row[row.index(after: close)...].firstIndex(of: "<") else { continue }
            cells[name] = String(row[row.index(after: close)..<stop])
        }
        return cells
    }

    @Test("every role that reads a case sees each worker's owed, recovered and outstanding alike (amounts are not masked, SPEC §6); no claim reads —")
    func amountsForEveryReader() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let (inspector, path) = try await Self.openCase(web, client)
            // Li is paid before any claim is recorded (allowed while the case has none); then Zhang's claim and part payment.
            #expect(try await inspector.post(path + "/recoveries", [("id_number", Self.li), ("amount", "800"), ("source", "employer"), ("date", "2026-03-03")]).status == .seeOther)
            #expect(try await inspector.post(path + "/claims", [("id_number", Self.zhang), ("name", "张三"), ("amount", "3000")]).status == .seeOther)
            #expect(try await inspector.post(path + "/recoveries", [("id_number", Self.zhang), ("amount", "1000"), ("source", "employer"), ("date", "2026-03-03")]).status == .seeOther)
            for name in [WebHarness.inspector, WebHarness.intake, WebHarness.official, WebHarness.admin] {
                let browser = Browser(client)
                try await browser.signIn(name)
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(name)")
                #expect(Self.workerCells(page, tail: "4514") == ["owed": "3,000元", "recovered": "1,000元", "outstanding": "2,000元"], "\(name)")
                #expect(Self.workerCells(page, tail: "416X") == ["owed": "—", "recovered": "800元", "outstanding": "—"], "\(name)")
                // ID numbers stay masked for those who may not read them (SPEC §6); amounts do not.
                if [WebHarness.intake, WebHarness.official].contains(name) { #expect(!page.body.contains(Self.zhang), "\(name) sees the ID number in full") }
            }
        }
    }
}
