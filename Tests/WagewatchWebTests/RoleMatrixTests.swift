import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// Every GET page of SPEC §8 for every role of §1 and for a browser that is not signed in, with
/// real records behind each path (a complaint and its case, projects, a wage account, a flag of
/// the transport department and one of the water department, a paid direct-pay batch).
@Suite("Web desk: the role matrix, every GET route × every role")
struct RoleMatrixTests {
    /// The columns of ``expected``: the roles of SPEC §1, then a browser with no session.
    static let roles = [WebHarness.intake, WebHarness.inspector, WebHarness.sector, WebHarness.official, WebHarness.admin, "signed out"]

    /// What each column gets on each page: 200, 403 (a grant or row security says no), 404 (row
    /// security hides the record, or no such page), 303 (to /login, with `next` where the path
    /// may be one). SPEC §8's "who" column; "per grants" and where it is silent (direct pay,
    /// sanctions): what the grants of sql/0001 say, as each row's comment explains. `{complaint}`
    /// and the others are replaced by the records the test makes.
    static let expected: [(path: String, statuses: [Int])] = [
        //                                     intake inspector sector official admin signed-out
        ("/",                                   [200,  200,      200,   200,     200,  303]),
        ("/login",                              [200,  200,      200,   200,     200,  200]),
        ("/healthz",                            [200,  200,      200,   200,     200,  200]),
        ("/status",                             [200,  200,      200,   200,     200,  200]),
        ("/complaints",                         [200,  200,      403,   200,     200,  303]),
        // SPEC: intake, inspector. The administrator may too: their grants import complaints
        // (`POST /imports`, SPEC §8), so one typed in is no more than one imported.
        ("/complaints/new",                     [200,  200,      403,   403,     200,  303]),
        ("/complaints/{complaint}",             [200,  200,      403,   200,     200,  303]),
        ("/cases",                              [200,  200,      403,   200,     200,  303]),
        ("/cases/{case}",                       [200,  200,      403,   200,     200,  303]),
        // "per grants": every desk reads projects; the ledger (transfers) is the bureau's and the
        // officials', not the hotline's nor the sector departments' (their pages link no account).
        ("/projects",                           [200,  200,      200,   200,     200,  303]),
        ("/projects/ZZ-G107",                   [200,  200,      200,   200,     200,  303]),
        ("/accounts/wage:ZZ-G107",              [403,  200,      403,   200,     200,  303]),
        ("/flags",                              [403,  200,      200,   200,     200,  303]),
        ("/flags/{transport_flag}",             [403,  200,      200,   200,     200,  303]),
        // Another department's flag: row security hides it from the transport reviewer.
        ("/flags/{water_flag}",                 [403,  200,      404,   200,     200,  303]),
        ("/escalations",                        [403,  200,      403,   200,     200,  303]),
        ("/reports/weekly",                     [403,  200,      403,   200,     200,  303]),
        ("/reports/scorecard",                  [403,  200,      403,   200,     200,  303]),
        ("/imports/new",                        [403,  200,      403,   403,     200,  303]),
        ("/admin/users",                        [403,  403,      403,   403,     200,  303]),
        ("/admin/users/{intake}",               [403,  403,      403,   403,     200,  303]),
        ("/admin/sign-ins",                     [403,  403,      403,   403,     200,  303]),
        ("/admin/configuration",                [403,  403,      403,   403,     200,  303]),
        ("/admin/audit",                        [403,  403,      403,   403,     200,  303]),
        // SPEC silent (issue 16: inspectors' pages). Inspectors and administrators plan and pay;
        // officials read batches with ID numbers and accounts masked, not the bank file, which
        // carries them in full; the hotline and the sector departments see no direct pay.
        ("/directpay",                          [403,  200,      403,   200,     200,  303]),
        ("/directpay/{batch}",                  [403,  200,      403,   200,     200,  303]),
        ("/directpay/{batch}/bank-file",        [403,  200,      403,   403,     200,  303]),
        // SPEC silent. Sanctions are public measures (S3's exposure list is published): every
        // desk reads them; the exposure list sums case arrears, which the sector departments'
        // grants do not read.
        ("/sanctions",                          [200,  200,      200,   200,     200,  303]),
        ("/sanctions/exposure",                 [200,  200,      403,   200,     200,  303]),
        ("/no-such-page",                       [404,  404,      404,   404,     404,  404]),
    ]

    @Test("each role's status on each GET page is the one SPEC §8 implies (one table)")
    func matrix() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let db = web.db.connection
            let county = try FlagPageTests.county(web)
            try CountyFixture.fundAndAllocate(CountyFixture.g107.code, treasuryFen: 10_000_000, allocatedFen: 5_000_000, on: db)
            try DirectPayPageTests.payroll(db)
            let (inspector, casePath) = try await CasePageTests.openCase(web, client)
            let planned = try await inspector.post("/directpay", [("project_code", CountyFixture.g107.code), ("period", DirectPayPageTests.october)])
            let batchPath = try #require(planned.location?.split(separator: "?").first.map(String.init), "\(planned.body.suffix(400))")
            let checker = Browser(client)
            try await checker.signIn(WebHarness.secondInspector)
            #expect(try await checker.post(batchPath + "/approve", []).status == .seeOther)
            #expect(try await checker.post(batchPath + "/execute", []).status == .seeOther)
            let complaint = try web.count("SELECT min(id)::int AS n FROM complaints")
            let records = [
                "{complaint}": String(complaint), "{case}": String(casePath.dropFirst("/cases/".count)),
                "{transport_flag}": county.diversion.description, "{water_flag}": county.waterNoAccount.description,
                "{batch}": String(batchPath.dropFirst("/directpay/".count)), "{intake}": WebHarness.intake,
            ]
            #expect(Self.expected.allSatisfy { $0.statuses.count == Self.roles.count })
            for (column, name) in Self.roles.enumerated() {
                let browser = Browser(client)
                if column < Self.roles.count - 1 { #expect(try await browser.signIn(name).status == .seeOther, "\(name) signs in") }
                for (template, statuses) in Self.expected {
                    let path = records.reduce(template) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
                    let page = try await browser.get(path)
                    #expect(page.status.code == statuses[column], "\(name) GET \(path): \(page.status.code), SPEC §8 implies \(statuses[column])")
                    if page.status == .seeOther, column == Self.roles.count - 1 {
                        let next = page.location.flatMap { URLComponents(string: $0) }?.queryItems?.first { $0.name == "next" }?.value
                        #expect(page.location?.hasPrefix("/login") == true && (next == nil || next == path),
                                "signed out GET \(path) goes to \(page.location ?? "nowhere")")
                    }
                }
            }
        }
    }
}
