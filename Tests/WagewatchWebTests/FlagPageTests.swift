import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: the sector departments' risk flags and their review", .serialized)
struct FlagPageTests {
    static let water = "shuiwu_chen"

    /// The flags the rules raised in the test county: two roads without a wage account (R1,
    /// transport), a road whose fund paid a stranger (R9, transport) and a water works without a
    /// wage account (R1, water); plus whatever else the rules find there.
    struct County {
        let noAccount: FlagID, secondNoAccount: FlagID, diversion: FlagID, waterNoAccount: FlagID
    }

    /// Registers the county, runs every rule as of 2026-03-03 and dates the flags as the test
    /// needs them (the rules stamp the database's own clock): the R1 flag of ZZ-G310 on Monday
    /// 2026-03-02, the others on Friday 2026-02-27. Adds a water department reviewer.
    static func county(_ web: WebHarness) throws -> County {
        let db = web.db.connection
        try CountyFixture.register([CountyFixture.owner, CountyFixture.contractor, CountyFixture.laborFirm], on: db)
        let g107 = CountyFixture.g107
        try CountyFixture.register([
            g107,
            g107.coded("ZZ-G310", name: "G310改建工程"),
            g107.coded("ZZ-S316", name: "S316大修工程"),
            g107.coded("SW-001", name: "贾鲁河治理工程").typed("gov_water", funding: "government"),
        ], on: db)
        try CountyFixture.openWageAccount(g107.code, on: db)
        let ledger = Ledger(defaultRegion: CountyFixture.region)
        _ = try ledger.transfer(key: "fund-1", from: .external(name: "郑州市财政局"), to: .fund(project: g107.code),
                                amountFen: 100_000_000, occurredAt: PostgresTimestamp.parse("2026-02-25T10:00:00+08:00")!, memo: nil, on: db)
        _ = try ledger.transfer(key: "out-1", from: .fund(project: g107.code), to: .external(name: "外地某公司"),
                                amountFen: 10_000_000, occurredAt: PostgresTimestamp.parse("2026-03-02T11:00:00+08:00")!, memo: nil, on: db)
        _ = try RuleEngine().run(asOf: CountyFixture.day("2026-03-03"), on: db)
        try db.query("UPDATE flags SET raised_at = '2026-02-27 10:00+08'")
        func flag(_ rule: String, _ project: String) throws -> FlagID {
            FlagID(try db.query("""
                SELECT f.id FROM flags f JOIN projects p ON p.region_code = f.region_code AND p.id = f.project_id
                WHERE f.rule = \(rule) AND p.code = \(project)
                """).one().decode("id", as: Int64.self))
        }
        let county = County(
            noAccount: try flag("no_wage_account", "ZZ-S316"), secondNoAccount: try flag("no_wage_account", "ZZ-G310"),
            diversion: try flag("fund_diversion", "ZZ-G107"), waterNoAccount: try flag("no_wage_account", "SW-001"))
        try db.query("UPDATE flags SET raised_at = '2026-03-02 10:00+08' WHERE id = \(county.secondNoAccount)")
        _ = try UserDirectory().add(name: water, role: "sector", department: "water", regionCode: nil, on: db)
        try UserDirectory().setPassword(name: water, hash: WebHarness.passwordHash, on: db)
        return county
    }

    /// The flag ids a page links to.
    static func flagLinks(_ page: Browser.Page) -> Set<Int64> {
        var ids = Set<Int64>()
        var rest = page.body[...]
        while let range = rest.range(of: #"href="/flags/[0-9]+""#, options: .regularExpression) {
            ids.insert(Int64(rest[range].dropFirst(#"href="/flags/"#.count).dropLast())!)
            rest = rest[range.upperBound...]
        }
        return ids
    }

    /// The pager's `rel` link (`next`, `prev`), its `&amp;` read back as `&`.
    static func pagerLink(_ page: Browser.Page, _ rel: String) -> String? {
        guard let range = page.body.range(of: #"rel="\#(rel)" href="[^"]+""#, options: .regularExpression) else { return nil }
        let link = page.body[range].dropFirst(#"rel="\#(rel)" href=""#.count).dropLast()
        return link.replacingOccurrences(of: "&amp;", with: "&")
    }

    static func ids(_ web: WebHarness, department: String, status: String? = nil) throws -> Set<Int64> {
        var sql: SQL = "SELECT id FROM flags WHERE \(department) IN (department, co_department)"
        if let status { sql.append(" AND status = \(status)") }
        return Set(try web.db.connection.query(sql).map { try $0.decode("id", as: Int64.self) })
    }

    @Test("a sector user sees exactly the flags its department leads, on the list and on its desk")
    func ownDepartmentOnly() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try Self.county(web)
            let transport = try Self.ids(web, department: "transport")
            #expect(transport.contains(county.noAccount.value) && transport.contains(county.diversion.value))
            #expect(!transport.contains(county.waterNoAccount.value))

            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            let all = try await sector.get("/flags?status=")
            #expect(all.status == .ok)
            #expect(Self.flagLinks(all) == transport)
            // The menu's link: the open ones (all of them, before any review).
            #expect(Self.flagLinks(try await sector.get("/flags")) == (try Self.ids(web, department: "transport", status: "open")))
            let desk = try await sector.get("/")
            #expect(Self.flagLinks(desk) == transport)
            #expect(desk.body.contains(#"href="/flags""#))

            let waterUser = Browser(client)
            try await waterUser.signIn(Self.water)
            #expect(Self.flagLinks(try await waterUser.get("/flags?status=")) == (try Self.ids(web, department: "water")))
            // Red first, then the oldest: the list's first row is red.
            let list = try await waterUser.get("/flags")
            #expect(list.body.contains(#"<tr class="sev-red"#))
        }
    }

    @Test("another department's flag is not found, and a forged review of it writes nothing")
    func otherDepartmentIsNotFound() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try Self.county(web)
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            #expect(try await sector.get("/flags/\(county.waterNoAccount)").status == .notFound)
            #expect(try await sector.get("/flags/999999").status == .notFound)
            #expect(try await sector.get("/flags/abc").status == .notFound)
            for fields in [[("action", "ack")], [("action", "confirm"), ("confirm_action", "stop_work")],
                           [("action", "dismiss"), ("reason", "不归我们管")]] {
                #expect(try await sector.post("/flags/\(county.waterNoAccount)/review", fields).status == .notFound)
            }
            #expect(try web.count("SELECT count(*)::int AS n FROM flag_reviews") == 0)
            #expect(try web.count("SELECT count(*)::int AS n FROM flags WHERE status <> 'open'") == 0)
            // The water department's own reviewer may.
            let waterUser = Browser(client)
            try await waterUser.signIn(Self.water)
            #expect(try await waterUser.get("/flags/\(county.waterNoAccount)").status == .ok)
        }
    }

    @Test("the working days left before an unreviewed red flag escalates (E2), on the working-day calendar")
    func daysLeft() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try Self.county(web)
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            let list = try await sector.get("/flags")
            // Raised Monday 2026-03-02, today Wednesday 03-04: due Thursday 03-05, one working day left.
            #expect(list.field("due-\(county.secondNoAccount)") == "2026-03-05 · 剩 1 个工作日")
            // Raised Friday 02-27: Saturday 02-28 is a working day (春节调休), so due Tuesday 03-03, overdue.
            #expect(list.field("due-\(county.noAccount)") == "2026-03-03 · 已超期，逐级上报")
            #expect(list.body.contains("3 个工作日内审核"))
            let page = try await sector.get("/flags/\(county.secondNoAccount)")
            #expect(page.field("review_due") == "2026-03-05 · 剩 1 个工作日")
            let english = try await sector.get("/flags?lang=en")
            #expect(english.field("due-\(county.secondNoAccount)") == "2026-03-05 · 1 working day left")
            // Reviewed, it no longer counts down.
            #expect(try await sector.post("/flags/\(county.secondNoAccount)/review", [("action", "ack")]).status == .seeOther)
            #expect(try await sector.get("/flags/\(county.secondNoAccount)").field("review_due") == nil)
        }
    }

    @Test("acknowledge, confirm with an action and dismiss with a reason each work and show on the flag's page")
    func review() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try Self.county(web)
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            let before = try await sector.get("/flags/\(county.noAccount)")
            #expect(before.body.contains(#"id="review-form""#))
            #expect(before.body.contains(#"name="_csrf""#))

            let ack = try await sector.post("/flags/\(county.noAccount)/review", [("action", "ack")])
            #expect(ack.status == .seeOther)
            #expect(ack.location == "/flags/\(county.noAccount)?reviewed=1")
            let acked = try await sector.get(ack.location!)
            #expect(acked.field("status") == "已签收")
            #expect(acked.body.contains("审核已记录"))
            #expect(acked.body.contains(#"id="review-list""#) && acked.body.contains(WebHarness.sector))

            // Acknowledged, then confirmed with an order to rectify.
            let confirm = try await sector.post("/flags/\(county.noAccount)/review", [("action", "confirm"), ("confirm_action", "rectify")])
            #expect(confirm.status == .seeOther)
            let confirmed = try await sector.get("/flags/\(county.noAccount)")
            #expect(confirmed.field("status") == "已确认")
            #expect(confirmed.field("review_action") == "责令整改")
            #expect(!confirmed.body.contains(#"id="review-form""#))

            // A red flag on a government road confirmed with direct pay puts the project into direct-pay mode (D1).
            let direct = try await sector.post("/flags/\(county.diversion)/review", [("action", "confirm"), ("confirm_action", "direct_pay")])
            #expect(direct.status == .seeOther)
            let directPage = try await sector.get(direct.location!)
            #expect(directPage.field("review_action") == "直接代发工资")
            #expect(directPage.body.contains("直接代发工资"))
            #expect(try web.count("SELECT count(*)::int AS n FROM projects WHERE code = 'ZZ-G107' AND direct_pay_mode") == 1)

            let dismiss = try await sector.post("/flags/\(county.secondNoAccount)/review",
                                                [("action", "dismiss"), ("reason", "已核实，专户已于3月3日开立")])
            #expect(dismiss.status == .seeOther)
            let dismissed = try await sector.get("/flags/\(county.secondNoAccount)")
            #expect(dismissed.field("status") == "已排除")
            #expect(dismissed.field("review_reason") == "已核实，专户已于3月3日开立")
            #expect(dismissed.field("reviewed_by") == WebHarness.sector)

            // Once decided, a second review is a conflict and writes nothing.
            let again = try await sector.post("/flags/\(county.secondNoAccount)/review", [("action", "ack")])
            #expect(again.status == .conflict)
            #expect(try web.count("SELECT count(*)::int AS n FROM flag_reviews") == 4)
            #expect(try web.count("SELECT count(*)::int AS n FROM flag_reviews WHERE reviewer = \(WebHarness.sector)") == 4)
        }
    }

    @Test("a bad review field comes back 422 with the message beside it and nothing written")
    func badFields() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try Self.county(web)
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            let path = "/flags/\(county.noAccount)/review"
            let noReason = try await sector.post(path, [("action", "dismiss"), ("reason", "  ")])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.body.contains(#"id="reason-problem""#))
            #expect(noReason.body.contains(#"<option value="dismiss" selected>"#))
            let noAction = try await sector.post(path, [("action", "confirm"), ("confirm_action", ""), ("reason", "保留的说明")])
            #expect(noAction.status == .unprocessableContent)
            #expect(noAction.body.contains(#"id="confirm_action-problem""#))
            #expect(noAction.body.contains("保留的说明"))
            let badAction = try await sector.post(path, [("action", "confirm"), ("confirm_action", "shoot")])
            #expect(badAction.status == .unprocessableContent)
            #expect(badAction.body.contains(#"id="confirm_action-problem""#))
            let badKind = try await sector.post(path, [("action", "forget")])
            #expect(badKind.status == .unprocessableContent)
            #expect(badKind.body.contains(#"id="action-problem""#))
            #expect(try await sector.post(path, [("action", "ack")], csrf: false).status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM flag_reviews") == 0)
            #expect(try web.count("SELECT count(*)::int AS n FROM flags WHERE status <> 'open'") == 0)
        }
    }

    @Test("the roles of SPEC §8: the hotline may not see flags; inspectors and officials read them but may not review")
    func roles() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try Self.county(web)
            let flagPath = "/flags/\(county.noAccount)"
            let expected: [(String, HTTPResponse.Status, HTTPResponse.Status)] = [
                (WebHarness.intake, .forbidden, .forbidden),
                (WebHarness.inspector, .ok, .forbidden),
                (WebHarness.official, .ok, .forbidden),
                (WebHarness.admin, .ok, .ok),
                (WebHarness.sector, .ok, .ok),
            ]
            for (name, read, _) in expected {
                let browser = Browser(client)
                try await browser.signIn(name)
                #expect(try await browser.get("/flags").status == read, "\(name) /flags")
                let page = try await browser.get(flagPath)
                #expect(page.status == read, "\(name) \(flagPath)")
                if read == .ok, name != WebHarness.sector, name != WebHarness.admin {
                    #expect(!page.body.contains(#"id="review-form""#), "\(name) is offered the review form")
                }
            }
            for name in [WebHarness.intake, WebHarness.inspector, WebHarness.official] {
                let browser = Browser(client)
                try await browser.signIn(name)
                let forged = try await browser.post(flagPath + "/review", [("action", "dismiss"), ("reason", "伪造")])
                #expect(forged.status == .forbidden, "\(name) review: \(forged.status)")
            }
            #expect(try web.count("SELECT count(*)::int AS n FROM flag_reviews") == 0)
            let anonymous = Browser(client)
            #expect(try await anonymous.get("/flags").status == .seeOther)
        }
    }

    @Test("the evidence reads as a table — months, workers, amounts in 元/万元, R9's transfer — never as JSON")
    func evidenceTable() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try Self.county(web)
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            let diversion = try await sector.get("/flags/\(county.diversion)")
            #expect(diversion.status == .ok)
            #expect(diversion.body.contains(#"class="list evidence-table""#))
            #expect(diversion.body.contains("资金转出记录"))
            #expect(diversion.body.contains("10万元"))
            #expect(diversion.body.contains("external:外地某公司"))
            #expect(diversion.body.contains("out-1"))
            #expect(diversion.body.contains("2026-03-02 11:00"))
            #expect(diversion.body.contains("资金向外地转移"))
            #expect(diversion.body.contains(#"<a href="/projects/ZZ-G107">ZZ-G107</a> G107改建工程"#))
            #expect(diversion.field("contractor")?.contains("河南路桥建设集团有限公司") == true)
            let noAccount = try await sector.get("/flags/\(county.noAccount)")
            #expect(noAccount.body.contains("合同签订日期"))
            #expect(noAccount.body.contains("2026-01-10"))
            #expect(noAccount.body.contains("未开立农民工工资专用账户"))
            for page in [diversion, noAccount] {
                #expect(!page.body.contains("{"), "JSON on the page")
                #expect(!page.body.contains("_fen"))
            }
            // Every flag the county has renders without a brace, whatever its rule.
            let official = Browser(client)
            try await official.signIn(WebHarness.official)
            for id in try Self.ids(web, department: "transport").union(try Self.ids(web, department: "water")) {
                let page = try await official.get("/flags/\(id)")
                #expect(page.status == .ok)
                #expect(!page.body.contains("{"), "flag \(id) shows JSON")
            }
        }
    }

    @Test("a township sees only its own region's small enterprises; the commerce bureau sees them all")
    func townshipOwnRegion() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let db = web.db.connection
            // A processing point (来料加工点) in each of two regions, idle since December: R10 in each.
            for (region, code) in [("410102", "LL-001"), ("410105", "LL-002")] {
                try CountyFixture.register([CountyFixture.owner, CountyFixture.enterprise], region: region, on: db)
                try CountyFixture.register([
                    CountyFixture.Project(code: code, name: "锦绣服装来料加工点", type: "small_enterprise", funding: "social",
                                          contractor: CountyFixture.enterpriseUSCC, contractValueFen: 50_000_000,
                                          signed: "2025-11-01", plannedStart: "2025-12-01", allocationFen: 0, started: "2025-12-01"),
                ], region: region, on: db)
            }
            _ = try RuleEngine().run(asOf: CountyFixture.day("2026-03-03"), on: db)
            let users = UserDirectory()
            _ = try users.add(name: "xiangzhen_zhao", role: "sector", department: "township", regionCode: "410102", on: db)
            _ = try users.add(name: "jingmao_qian", role: "sector", department: "commerce", regionCode: nil, on: db)
            for name in ["xiangzhen_zhao", "jingmao_qian"] { try users.setPassword(name: name, hash: WebHarness.passwordHash, on: db) }
            func ids(_ region: String?) throws -> Set<Int64> {
                var sql: SQL = "SELECT id FROM flags WHERE 'township' IN (department, co_department)"
                if let region { sql.append(" AND region_code = \(region)") }
                return Set(try db.query(sql).map { try $0.decode("id", as: Int64.self) })
            }
            let own = try ids("410102"), everywhere = try ids(nil)
            #expect(!own.isEmpty && own != everywhere)

            let township = Browser(client)
            try await township.signIn("xiangzhen_zhao")
            #expect(Self.flagLinks(try await township.get("/flags?status=")) == own)
            for other in everywhere.subtracting(own) {
                #expect(try await township.get("/flags/\(other)").status == .notFound)
                #expect(try await township.post("/flags/\(other)/review", [("action", "ack")]).status == .notFound)
            }
            let commerce = Browser(client)
            try await commerce.signIn("jingmao_qian")
            #expect(Self.flagLinks(try await commerce.get("/flags?status=")) == everywhere)
            #expect(try web.count("SELECT count(*)::int AS n FROM flag_reviews") == 0)
        }
    }

    @Test("the list pages by 50, each flag on exactly one page")
    func pages() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let db = web.db.connection
            try CountyFixture.register([CountyFixture.owner, CountyFixture.contractor], on: db)
            try CountyFixture.register((1...55).map { n in
                CountyFixture.g107.coded(String(format: "ZZ-P%03d", n), name: "乡村道路\(n)号")
            }, on: db)
            _ = try RuleEngine().run(asOf: CountyFixture.day("2026-03-03"), on: db)
            let all = try Self.ids(web, department: "transport")
            #expect(all.count > 50)
            let sector = Browser(client)
            try await sector.signIn(WebHarness.sector)
            // Forwards by the pager's links (keyset: each page starts after the last row shown).
            var seen = Set<Int64>()
            var pages: [Set<Int64>] = []
            var path: String? = "/flags?status="
            while let next = path, pages.count < 10 {
                let shown = try await sector.get(next)
                let ids = Self.flagLinks(shown)
                #expect(seen.isDisjoint(with: ids), "\(next) repeats a flag")
                seen.formUnion(ids)
                pages.append(ids)
                #expect(shown.body.contains(#"rel="prev""#) == (pages.count > 1))
                path = Self.pagerLink(shown, "next")
                if path != nil { #expect(ids.count == 50, "\(next) has \(ids.count)") }
                if pages.count == 2, let back = Self.pagerLink(shown, "prev") {
                    // Backwards from page 2 is page 1 again.
                    #expect(Self.flagLinks(try await sector.get(back)) == pages[0])
                }
            }
            #expect(pages.count == (all.count + 49) / 50)
            #expect(seen == all)
            // A page reached by its number alone holds the same flags.
            #expect(Self.flagLinks(try await sector.get("/flags?page=2&status=")) == pages[1])
        }
    }
}
