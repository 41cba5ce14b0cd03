import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("wagewatch project and account, through the binary")
struct ProjectCommandTests {
    let env = ["WAGEWATCH_REGION": "410102", "WAGEWATCH_USER": "zhang_jiancha"]

    /// Registers the owner and contractor and one government transport project.
    func seed(_ conninfo: String, type: String = "gov_transport", funding: String = "government") throws {
        let employers = try csvFile(CountyFixture.employersCSV([
            CountyFixture.owner, CountyFixture.contractor.contact("张某", "13812345678"),
        ]))
        let imported = try CLI.run(["import", "employers", employers], database: conninfo, environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        let add = try CLI.run(CountyFixture.projectAdd(code: "ZZ-G107", name: "G107改建工程", type: type, funding: funding),
                              database: conninfo, environment: env)
        #expect(add.status == 0, "\(add.stderr)")
    }

    @Test("a project code used in two regions is found in the region named, and refused (3) naming both without one")
    func projectCodeInTwoRegions() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            try db.executeScript(unsafeSQL: """
                INSERT INTO employers (region_code, uscc, name, name_key, kind) VALUES
                    ('410103', '91110000100010433L', '河南路桥建设集团有限公司', '河南路桥建设集团', 'general_contractor');
                INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                                      contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen)
                SELECT '410103', 'ZZ-G107', '二七区同名工程', 'gov_other', 'government', e.id, e.id, 100000000,
                       '2026-01-05', '2026-02-01', '2026-12-31', 30, 1000000
                FROM employers e WHERE e.region_code = '410103';
                """)
            let service = ["WAGEWATCH_REGION": "", "WAGEWATCH_USER": ""]
            for command in [["project", "show", "ZZ-G107"], ["project", "finish", "ZZ-G107", "--date", "2026-09-01"],
                            ["directpay", "order", "ZZ-G107", "--basis", "限期支付令"],
                            ["account", "open", "wage:ZZ-G107", "--bank", "农行", "--number", "16010101040012345", "--opened", "2026-02-20"]] {
                let refused = try CLI.run(command, database: conninfo, environment: service)
                #expect(refused.status == 3, "\(command): \(refused.stderr)")
                #expect(refused.stderr.contains("410102 and 410103"), "\(command): \(refused.stderr)")
            }
            let other = try CLI.run(["project", "show", "ZZ-G107", "--json"], database: conninfo,
                                    environment: ["WAGEWATCH_REGION": "410103", "WAGEWATCH_USER": ""])
            #expect(other.status == 0, "\(other.stderr)")
            let shown = try #require(try JSONSerialization.jsonObject(with: Data(other.stdout.utf8)) as? [String: Any])
            #expect(shown["region_code"] as? String == "410103" && shown["name"] as? String == "二七区同名工程")
            let started = try CLI.run(["project", "start", "ZZ-G107", "--date", "2026-03-01", "--force", "--reason", "抢工期"],
                                      database: conninfo, environment: env)
            #expect(started.status == 0, "\(started.stderr)")
            let statuses = try db.query("SELECT region_code, status FROM projects WHERE code = 'ZZ-G107' ORDER BY region_code")
                .map { "\(try $0.decode("region_code", as: String.self)) \(try $0.decode("status", as: String.self))" }
            #expect(statuses == ["410102 started", "410103 planned"])
        }
    }

    @Test("P2: a construction project cannot start without a wage account unless forced with a reason")
    func startNeedsWageAccount() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            let refused = try CLI.run(["project", "start", "ZZ-G107", "--date", "2026-03-01"], database: conninfo, environment: env)
            #expect(refused.status == 5)
            #expect(refused.stderr.contains("wage account"))
            let noReason = try CLI.run(["project", "start", "ZZ-G107", "--date", "2026-03-01", "--force"], database: conninfo, environment: env)
            #expect(noReason.status == 5)
            let forced = try CLI.run(["project", "start", "ZZ-G107", "--date", "2026-03-01", "--force", "--reason", "抢工期"],
                                     database: conninfo, environment: env)
            #expect(forced.status == 0, "\(forced.stderr)")
            let reason = try db.query("SELECT forced_start_reason FROM projects WHERE code = 'ZZ-G107'").one()
                .decode("forced_start_reason", as: String?.self)
            #expect(reason == "抢工期")
        }
    }

    @Test("the wage account is named after contractor and project, and the project starts once it is open")
    func openThenStart() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            let open = try CLI.run(["account", "open", "wage:ZZ-G107", "--bank", "中国农业银行郑州分行",
                                    "--number", "16010101040012345", "--opened", "2026-02-20", "--json"],
                                   database: conninfo, environment: env)
            #expect(open.status == 0, "\(open.stderr)")
            #expect(open.stdout.contains("河南路桥建设集团有限公司G107改建工程农民工工资专用账户"))
            let again = try CLI.run(["account", "open", "wage:ZZ-G107", "--bank", "x", "--number", "16010101040012345",
                                     "--opened", "2026-02-20"], database: conninfo, environment: env)
            #expect(again.status == 5)
            let start = try CLI.run(["project", "start", "ZZ-G107", "--date", "2026-03-01"], database: conninfo, environment: env)
            #expect(start.status == 0, "\(start.stderr)")
            let show = try jsonObject(try CLI.run(["project", "show", "ZZ-G107", "--json"], database: conninfo, environment: env).stdout)
            #expect(show["status"] as? String == "started")
            #expect(show["lead_department"] as? String == "transport")
            #expect(show["deposit_required_fen"] as? Int == 240_000_000)
        }
    }

    @Test("transfers: idempotent by key, never below zero, unopened accounts refused, balances as of a past day")
    func ledgerStory() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            func transfer(_ key: String, _ from: String, _ to: String, _ amount: String, _ date: String) throws -> CLIResult {
                try CLI.run(["account", "transfer", "--key", key, "--from", from, "--to", to, "--amount", amount, "--date", date, "--json"],
                            database: conninfo, environment: env)
            }
            let unopened = try transfer("k0", "fund:ZZ-G107", "wage:ZZ-G107", "1000", "2026-03-01")
            #expect(unopened.status == 5)
            _ = try CLI.run(["account", "open", "wage:ZZ-G107", "--bank", "农行", "--number", "16010101040012345", "--opened", "2026-02-20"],
                            database: conninfo, environment: env)
            #expect(try transfer("k1", "external:郑州市财政局", "fund:ZZ-G107", "100万", "2026-02-25").status == 0)
            let allocation = try transfer("k2", "fund:ZZ-G107", "wage:ZZ-G107", "48万", "2026-03-01")
            #expect(allocation.status == 0, "\(allocation.stderr)")
            #expect(try jsonObject(allocation.stdout)["diversion"] as? Bool == false)
            let replay = try transfer("k2", "fund:ZZ-G107", "wage:ZZ-G107", "48万", "2026-03-01")
            #expect(try jsonObject(replay.stdout)["replayed"] as? Bool == true)
            #expect(try transfer("k2", "fund:ZZ-G107", "wage:ZZ-G107", "47万", "2026-03-01").status == 5)
            let diverted = try transfer("k3", "fund:ZZ-G107", "external:外地某公司", "10万", "2026-03-02")
            #expect(try jsonObject(diverted.stdout)["diversion"] as? Bool == true)
            let overdraft = try transfer("k4", "wage:ZZ-G107", "worker:11010519491231002X", "48.01万", "2026-03-05")
            #expect(overdraft.status == 5)
            #expect(overdraft.stderr.contains("480000.00"))
            let balance = try jsonObject(try CLI.run(["account", "balance", "wage:ZZ-G107", "--json"], database: conninfo, environment: env).stdout)
            #expect(balance["balance_fen"] as? Int == 48_000_000)
            let past = try jsonObject(try CLI.run(["account", "balance", "fund:ZZ-G107", "--as-of", "2026-02-28", "--json"],
                                                  database: conninfo, environment: env).stdout)
            #expect(past["balance_fen"] as? Int == 100_000_000)
            #expect(past["as_of"] as? String == "2026-02-28")
            let ledger = try CLI.run(["account", "ledger", "fund:ZZ-G107", "--json"], database: conninfo, environment: env)
            let entries = try jsonArray(ledger.stdout)
            #expect(entries.map { $0["amount_fen"] as? Int } == [100_000_000, -48_000_000, -10_000_000])
            #expect(entries.last?["balance_fen"] as? Int == 42_000_000)
        }
    }

    @Test("deposit:CODE: a transfer into one never opened exits 5 and writes nothing; once opened it takes the deposit")
    func depositAccount() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            func transfer(_ key: String, _ from: String, _ to: String, _ amount: String) throws -> CLIResult {
                try CLI.run(["account", "transfer", "--key", key, "--from", from, "--to", to, "--amount", amount,
                             "--date", "2026-03-01", "--json"], database: conninfo, environment: env)
            }
            #expect(try transfer("in", "external:郑州市财政局", "fund:ZZ-G107", "100万").status == 0)
            let transfers = { try db.query("SELECT count(*) AS n FROM transfers").one().decode("n", as: Int.self) }
            let before = try transfers()
            let refused = try transfer("dep-1", "fund:ZZ-G107", "deposit:ZZ-G107", "2.4万")
            #expect(refused.status == 5, "\(refused.stderr)")
            #expect(refused.stderr.contains("deposit:ZZ-G107"), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty, "\(refused.stdout)")
            #expect(try transfers() == before)
            let opened = try CLI.run(["account", "open", "deposit:ZZ-G107", "--bank", "中国银行郑州分行", "--number", "2570101040012345",
                                      "--opened", "2026-02-25"], database: conninfo, environment: env)
            #expect(opened.status == 0, "\(opened.stderr)")
            let paid = try transfer("dep-1", "fund:ZZ-G107", "deposit:ZZ-G107", "2.4万")
            #expect(paid.status == 0, "\(paid.stderr)")
            let balance = try jsonObject(try CLI.run(["account", "balance", "deposit:ZZ-G107", "--json"], database: conninfo,
                                                     environment: env).stdout)
            #expect(balance["balance_fen"] as? Int == 2_400_000)
        }
    }

    @Test("a project whose owner is not a registered employer is refused naming the USCC")
    func unknownOwner() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let add = try CLI.run([
                "project", "add", "--code", "X-1", "--name", "某厂房", "--type", "factory_build", "--funding", "social",
                "--owner", "91350100M000100Y43", "--contractor", "91110000100010433L", "--contract-value", "2000000",
                "--signed", "2026-01-10", "--planned-start", "2026-03-01", "--planned-end", "2026-12-31", "--allocation-amount", "5万",
            ], database: conninfo, environment: env)
            #expect(add.status == 3)
            #expect(add.stderr.contains("owner_uscc"))
            #expect(add.stderr.contains("91350100M000100Y43"))
        }
    }

    @Test("P3: project add takes --allocation-share 12.5 instead of an amount; both, neither or a 32-day cycle exit 3 and write nothing")
    func allocationShareFromTheCommandLine() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            func add(_ code: String, _ plan: [String]) throws -> CLIResult {
                var args = CountyFixture.projectAdd(code: code, name: code + "工程")
                args.removeLast(2)  // --allocation-amount 48万
                return try CLI.run(args + plan + ["--json"], database: conninfo, environment: env)
            }
            let share = try add("ZZ-S316", ["--allocation-share", "12.5"])
            #expect(share.status == 0, "\(share.stderr)")
            let json = try jsonObject(share.stdout)
            #expect(json["allocation_share_bp"] as? Int == 1_250)
            #expect(json["allocation_amount_fen"] is NSNull)
            let shown = try CLI.run(["project", "show", "ZZ-S316"], database: conninfo, environment: env)
            #expect(shown.stdout.contains("labour-cost allocation: 12.5% of each project payment every 30 days"), "\(shown.stdout)")
            let amount = try jsonObject(try CLI.run(["project", "show", "ZZ-G107", "--json"], database: conninfo, environment: env).stdout)
            #expect(amount["allocation_amount_fen"] as? Int == 48_000_000)
            #expect(amount["allocation_share_bp"] is NSNull)

            let both = try add("ZZ-S317", ["--allocation-share", "20", "--allocation-amount", "48万"])
            #expect(both.status == 3)
            #expect(both.stderr.contains(#"allocation_share: "20" is given with allocation_amount 48万"#), "\(both.stderr)")
            let neither = try add("ZZ-S317", [])
            #expect(neither.status == 3)
            #expect(neither.stderr.contains("allocation_amount"), "\(neither.stderr)")
            let tooMuch = try add("ZZ-S317", ["--allocation-share", "120"])
            #expect(tooMuch.status == 3)
            #expect(tooMuch.stderr.contains(#"allocation_share: "120""#), "\(tooMuch.stderr)")
            let longCycle = try add("ZZ-S317", ["--allocation-share", "20", "--cycle-days", "32"])
            #expect(longCycle.status == 3)
            #expect(longCycle.stderr.contains(#"allocation_cycle_days: "32" must be 1 to 31 days (at most a month)"#), "\(longCycle.stderr)")
            #expect(try db.query("SELECT count(*) AS n FROM projects WHERE code = 'ZZ-S317'").one().decode("n", as: Int64.self) == 0)
        }
    }

    @Test("P3: a projects CSV may carry allocation_share, with allocation_amount empty; a row with both fails the whole file")
    func allocationShareFromTheCSV() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            let header = "code,name,type,funding,region_code,owner_uscc,contractor_uscc,contract_value,contract_signed,"
                + "planned_start,planned_end,allocation_cycle_days,allocation_amount,allocation_share\n"
            func row(_ code: String, _ amount: String, _ share: String) -> String {
                "\(code),\(code)工程,gov_transport,government,410102,\(CountyFixture.ownerUSCC),\(CountyFixture.contractorUSCC),"
                    + "120000000,2026-01-10,2026-03-01,2026-12-31,30,\(amount),\(share)\n"
            }
            let bad = try csvFile(header + row("ZZ-S316", "", "20") + row("ZZ-S317", "48万", "20") + row("ZZ-S318", "", ""))
            let refused = try CLI.run(["import", "projects", bad], database: conninfo, environment: env)
            #expect(refused.status == 3)
            #expect(refused.stderr.contains(#"line 3: allocation_share: "20" is given with allocation_amount 48万"#), "\(refused.stderr)")
            #expect(refused.stderr.contains("line 4: allocation_amount"), "\(refused.stderr)")
            #expect(try db.query("SELECT count(*) AS n FROM projects").one().decode("n", as: Int64.self) == 1)

            let good = try csvFile(header + row("ZZ-S316", "", "20") + row("ZZ-S317", "48万", ""))
            let imported = try CLI.run(["import", "projects", good], database: conninfo, environment: env)
            #expect(imported.status == 0, "\(imported.stderr)")
            let plans = try db.query("""
                SELECT code, allocation_amount_fen, allocation_share_bp FROM projects WHERE code LIKE 'ZZ-S%' ORDER BY code
                """).map { "\(try $0.decode("code", as: String.self)) \(try $0.decode("allocation_amount_fen", as: Int64?.self).map(String.init) ?? "-") \(try $0.decode("allocation_share_bp", as: Int32?.self).map(String.init) ?? "-")" }
            #expect(plans == ["ZZ-S316 - 2000", "ZZ-S317 48000000 -"])
        }
    }

    @Test("complaints and cases filter by the department that leads their project; no project means labor")
    func departmentFilter() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            for (employer, project) in [("河南路桥建设集团有限公司", "ZZ-G107"), ("某小作坊", "")] {
                var args = ["complaint", "add", "--employer-name", employer, "--workers", "3", "--amount", "9000",
                            "--received-at", "2026-03-02 10:00"]
                if !project.isEmpty { args += ["--project", project] }
                let added = try CLI.run(args, database: conninfo, environment: env)
                #expect(added.status == 0, "\(added.stderr)")
            }
            let transport = try jsonArray(try CLI.run(["complaint", "list", "--dept", "transport", "--json"], database: conninfo, environment: env).stdout)
            let labor = try jsonArray(try CLI.run(["complaint", "list", "--dept", "labor", "--json"], database: conninfo, environment: env).stdout)
            #expect(transport.map { $0["project_code"] as? String } == ["ZZ-G107"])
            #expect(labor.map { $0["employer_name"] as? String } == ["某小作坊"])
            let decided = try CLI.run(["complaint", "decide", "TS-20260302-0001", "--accept"], database: conninfo, environment: env)
            #expect(decided.status == 0, "\(decided.stderr)")
            let cases = try jsonArray(try CLI.run(["case", "list", "--dept", "transport", "--json"], database: conninfo, environment: env).stdout)
            let none = try jsonArray(try CLI.run(["case", "list", "--dept", "water", "--json"], database: conninfo, environment: env).stdout)
            #expect(cases.count == 1)
            #expect(none.isEmpty)
        }
    }
}
