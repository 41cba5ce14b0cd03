import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Issue 9: what each SPEC §1 role can and cannot read or change, decided by PostgreSQL (grants,
/// column privileges, row-level security) and exercised through the binary with real logins.
@Suite("Roles, row security and personal data, through the binary")
struct RoleTests {
    /// Data entry and rule runs go as the service account (no user), as cron does.
    let service = ["WAGEWATCH_NOW": "2026-03-05T02:00:00Z", "WAGEWATCH_REGION": "410102"]
    static let workerID = "11010519491231002X"
    static let phone = "13812345678"

    /// Roles are cluster-wide and tests run in parallel: every test makes its own names.
    struct People {
        let intake, inspector, transport, water, official, admin: String
        init() {
            let tag = UUID().uuidString.prefix(6).lowercased()
            intake = "hot_\(tag)"; inspector = "insp_\(tag)"; transport = "jt_\(tag)"
            water = "sw_\(tag)"; official = "off_\(tag)"; admin = "adm_\(tag)"
        }
        var all: [(name: String, role: String, department: String)] {
            [(intake, "intake", "labor"), (inspector, "inspector", "labor"), (transport, "sector", "transport"),
             (water, "sector", "water"), (official, "official", "county_office"), (admin, "admin", "labor")]
        }
    }

    func cli(_ arguments: [String], _ conninfo: String, as user: String? = nil) throws -> CLIResult {
        var env = service
        if let user { env["WAGEWATCH_USER"] = user }
        return try CLI.run(arguments, database: conninfo, environment: env)
    }

    /// Two government projects without wage accounts (a transport and a water one: R1/R2 flags
    /// for each department), a worker with phone and bank account, a 12-worker complaint with the
    /// caller's phone (an E1 escalation), accepted, with a recovery for the worker.
    func seed(_ conninfo: String, people: People) throws {
        for p in people.all {
            let added = try cli(["user", "add", p.name, "--role", p.role, "--department", p.department], conninfo)
            #expect(added.status == 0, "\(added.stderr)")
        }
        let employers = try csvFile(CountyFixture.employersCSV([
            CountyFixture.owner, CountyFixture.contractor.contact("张某", "13912345678"), CountyFixture.waterContractor,
        ]))
        let imported = try cli(["import", "employers", employers], conninfo)
        #expect(imported.status == 0, "\(imported.stderr)")
        for (code, type, contractor) in [("ZZ-G107", "gov_transport", CountyFixture.contractorUSCC),
                                         ("SW-001", "gov_water", CountyFixture.laborFirmUSCC)] {
            let add = try cli(CountyFixture.projectAdd(code: code, name: code + "工程", type: type, contractor: contractor),
                              conninfo)
            #expect(add.status == 0, "\(add.stderr)")
        }
        let workers = try csvFile("""
            id_number,name,phone,bank,bank_account,employer_uscc,project_code,joined,left
            \(Self.workerID),王建国,13700001111,中国农业银行,6228480012345678,91110000100010433L,ZZ-G107,2026-03-01,

            """)
        let registered = try cli(["import", "workers", workers], conninfo)
        #expect(registered.status == 0, "\(registered.stderr)")
        let complaint = try cli([
            "complaint", "add", "--region", "410102", "--employer-name", "河南路桥建设集团有限公司",
            "--employer-uscc", "91110000100010433L", "--project", "ZZ-G107", "--workers", "12", "--amount", "6万",
            "--caller-phone", Self.phone, "--received-at", "2026-03-02 10:00", "--text", "工资拖欠两个月",
        ], conninfo)
        #expect(complaint.status == 0, "\(complaint.stderr)")
        let accepted = try cli(["complaint", "decide", "TS-20260302-0001", "--accept"], conninfo)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        let recovered = try cli(["case", "recover", "1", "--worker", Self.workerID, "--amount", "3000",
                                 "--source", "employer", "--date", "2026-03-04"], conninfo)
        #expect(recovered.status == 0, "\(recovered.stderr)")
        let ran = try cli(["rules", "run", "--as-of", "2026-03-05"], conninfo)
        #expect(ran.status == 0, "\(ran.stderr)")
    }

    @Test("user add makes a login in its role's group and a users row; a repeat exits 5, a bad role exits 3 making nothing")
    func userAdd() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let name = "li_\(UUID().uuidString.prefix(6).lowercased())"
            let added = try cli(["user", "add", name, "--role", "sector", "--department", "transport"], conninfo)
            #expect(added.status == 0, "\(added.stderr)")
            #expect(added.stdout.contains("wagewatch user passwd \(name) --password-stdin"), "prints how to set the password: \(added.stdout)")
            let role = try db.query("""
                SELECT rolcanlogin, rolsuper, pg_has_role(rolname, 'wagewatch_sector', 'MEMBER') AS sector,
                       pg_has_role(rolname, 'wagewatch_admin', 'MEMBER') AS admin
                FROM pg_roles WHERE rolname = \(name)
                """).one()
            #expect(try role.decode("rolcanlogin", as: Bool.self))
            #expect(try !role.decode("rolsuper", as: Bool.self))
            #expect(try role.decode("sector", as: Bool.self))
            #expect(try !role.decode("admin", as: Bool.self))
            let department: String = try db.query("SELECT department FROM users WHERE name = \(name)").one().decode("department")
            #expect(department == "transport")

            let again = try cli(["user", "add", name, "--role", "sector", "--department", "transport"], conninfo)
            #expect(again.status == 5, "\(again.stderr)")
            let other = "zz_\(UUID().uuidString.prefix(6).lowercased())"
            let badRole = try cli(["user", "add", other, "--role", "boss", "--department", "labor"], conninfo)
            #expect(badRole.status == 3)
            #expect(badRole.stderr.contains("role: \"boss\""))
            let badDept = try cli(["user", "add", other, "--role", "intake", "--department", "police"], conninfo)
            #expect(badDept.status == 3)
            #expect(badDept.stderr.contains("department: \"police\""))
            let made: Int64 = try db.query("SELECT count(*) AS n FROM pg_roles WHERE rolname = \(other)").one().decode("n")
            #expect(made == 0)
            let rows: Int64 = try db.query("SELECT count(*) AS n FROM users WHERE name = \(other)").one().decode("n")
            #expect(rows == 0)
        }
    }

    @Test("user disable makes the login NOLOGIN and --as refused (exit 6); twice exits 5; user enable gives it back")
    func userDisable() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let name = "dis_\(UUID().uuidString.prefix(6).lowercased())"
            #expect(try cli(["user", "add", name, "--role", "intake", "--department", "labor"], conninfo).status == 0)
            func canLogin() throws -> Bool { try db.query("SELECT rolcanlogin FROM pg_roles WHERE rolname = \(name)").one().decode("rolcanlogin") }
            let disabled = try cli(["user", "disable", name], conninfo)
            #expect(disabled.status == 0, "\(disabled.stderr)")
            #expect(disabled.stdout.contains("login of \(name) disabled"))
            #expect(try !canLogin())
            let acting = try cli(["complaint", "list"], conninfo, as: name)
            #expect(acting.status == 6, "\(acting.stderr)")
            #expect(acting.stderr.contains("disabled"))
            #expect(try cli(["user", "disable", name], conninfo).status == 5)
            #expect(try cli(["user", "disable", "nobody_here"], conninfo).status == 4)
            let enabled = try cli(["user", "enable", name], conninfo)
            #expect(enabled.status == 0, "\(enabled.stderr)")
            #expect(try canLogin())
            #expect(try cli(["complaint", "list"], conninfo, as: name).status == 0)
            #expect(try cli(["user", "enable", name], conninfo).status == 5)
        }
    }

    @Test("--as an unknown user exits 6 and writes nothing; only an administrator may act as someone else")
    func actingAs() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let people = People()
            for p in [people.all[0], people.all[5]] {
                #expect(try cli(["user", "add", p.name, "--role", p.role, "--department", p.department], conninfo).status == 0)
            }
            let arguments = ["complaint", "add", "--region", "410102", "--employer-name", "某建筑公司", "--workers", "2",
                             "--amount", "9000", "--received-at", "2026-03-02 10:00"]
            let unknown = try cli(arguments, conninfo, as: "nobody_at_all")
            #expect(unknown.status == 6)
            #expect(unknown.stderr.contains("nobody_at_all is not a wagewatch user"))
            let none: Int64 = try db.query("SELECT count(*) AS n FROM complaints").one().decode("n")
            #expect(none == 0)

            // Signed in as the hotline operator's own login: acting as the administrator is refused.
            let asIntake = conninfo + " user='\(people.intake)'"
            let own = try CLI.run(arguments, database: asIntake, environment: service)
            #expect(own.status == 0, "\(own.stderr)")
            let escalate = try CLI.run(["user", "list", "--as", people.admin], database: asIntake, environment: service)
            #expect(escalate.status == 6)
            #expect(escalate.stderr.contains("cannot act as \(people.admin)"))
            // Signed in as the administrator: acting as the hotline operator is allowed.
            let asAdmin = conninfo + " user='\(people.admin)'"
            let delegated = try CLI.run(arguments + ["--as", people.intake], database: asAdmin, environment: service)
            #expect(delegated.status == 0, "\(delegated.stderr)")
            let actors = try db.query("SELECT created_by FROM complaints ORDER BY id").map { try $0.decode("created_by", as: String.self) }
            #expect(actors == [people.intake, people.intake])
        }
    }

    @Test("each role through the CLI: what it may do exits 0, what it may not exits 6")
    func matrix() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let people = People()
            try seed(conninfo, people: people)
            let complaint = ["complaint", "add", "--region", "410102", "--employer-name", "某劳务公司", "--workers", "2",
                             "--amount", "9000", "--received-at", "2026-03-03 10:00"]
            let recover = ["case", "recover", "1", "--worker", Self.workerID, "--amount", "100", "--source", "employer",
                           "--date", "2026-03-05"]
            let project = { (code: String) in ["project", "add", "--code", code, "--name", "新工程", "--type", "gov_other", "--funding",
                           "government", "--owner", "91350100M000100Y43", "--contractor", "91110000100010433L",
                           "--contract-value", "1000000", "--signed", "2026-01-10", "--planned-start", "2026-04-01",
                           "--planned-end", "2026-12-31", "--allocation-amount", "1万"] }
            let report = ["report", "weekly", "--week", "2026-W10", "--format", "json"]
            let newUser = ["user", "add", "x_\(UUID().uuidString.prefix(6).lowercased())", "--role", "intake", "--department", "labor"]
            let cases: [(String, [String], Int32)] = [
                (people.intake, complaint, 0), (people.intake, ["complaint", "list"], 0), (people.intake, ["case", "list"], 0),
                (people.intake, recover, 6), (people.intake, ["case", "close", "1", "--disposition", "referred_court", "--reason", "移送法院"], 6),
                (people.intake, ["flags", "list"], 6), (people.intake, project("NEW-1"), 6),
                (people.intake, ["rules", "run", "--as-of", "2026-03-05"], 6), (people.intake, newUser, 6),
                (people.inspector, recover, 0), (people.inspector, project("NEW-2"), 0), (people.inspector, ["flags", "list"], 0),
                (people.inspector, ["case", "show", "1"], 0), (people.inspector, ["rules", "run", "--as-of", "2026-03-05"], 6),
                (people.inspector, newUser, 6),
                (people.transport, ["flags", "list"], 0), (people.transport, ["project", "list"], 0),
                (people.transport, ["complaint", "list"], 6), (people.transport, ["case", "list"], 6),
                (people.transport, complaint, 6), (people.transport, recover, 6), (people.transport, report, 6),
                (people.official, report, 0), (people.official, ["complaint", "list"], 0), (people.official, ["case", "show", "1"], 0),
                (people.official, ["escalations", "list"], 0), (people.official, complaint, 6), (people.official, recover, 6),
                (people.official, project("NEW-3"), 6), (people.official, ["rules", "run", "--as-of", "2026-03-05"], 6),
                (people.official, ["audit", "verify"], 0), (people.admin, ["audit", "verify"], 0),
                (people.admin, newUser, 0), (people.admin, ["rules", "run", "--as-of", "2026-03-05"], 0), (people.admin, report, 0),
            ]
            for (user, arguments, expected) in cases {
                let result = try cli(arguments, conninfo, as: user)
                #expect(result.status == expected, "\(user) \(arguments.joined(separator: " ")): \(result.stderr)")
            }
            // Officials acknowledge escalations but do not resolve them; inspectors do.
            let escalations = try jsonArray(try cli(["escalations", "list", "--json"], conninfo, as: people.official).stdout)
            let id = try #require(escalations.first?["id"] as? String)
            #expect(try cli(["escalations", "ack", id], conninfo, as: people.official).status == 0)
            #expect(try cli(["escalations", "resolve", id, "--reason", "已支付"], conninfo, as: people.official).status == 6)
            #expect(try cli(["escalations", "resolve", id, "--reason", "已支付"], conninfo, as: people.inspector).status == 0)
        }
    }

    @Test("a sector department sees and reviews only the flags and projects it leads")
    func sectorRows() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let people = People()
            try seed(conninfo, people: people)
            let transportFlags: Int64 = try db.query("SELECT count(*) AS n FROM flags WHERE department = 'transport'").one().decode("n")
            let waterFlags: Int64 = try db.query("SELECT count(*) AS n FROM flags WHERE department = 'water'").one().decode("n")
            #expect(transportFlags >= 2 && waterFlags >= 2)

            let seen = try jsonArray(try cli(["flags", "list", "--json"], conninfo, as: people.transport).stdout)
            #expect(seen.count == Int(transportFlags))
            #expect(seen.allSatisfy { $0["department"] as? String == "transport" })
            let projects = try cli(["project", "list", "--json"], conninfo, as: people.transport)
            #expect(projects.status == 0, "\(projects.stderr)")
            #expect(try jsonArray(projects.stdout).compactMap { $0["code"] as? String } == ["ZZ-G107"])

            let waterFlag = try #require(try jsonArray(try cli(["flags", "list", "--json"], conninfo, as: people.water).stdout)
                .first?["id"] as? String)
            let denied = try cli(["flags", "review", waterFlag, "--ack"], conninfo, as: people.transport)
            #expect(denied.status == 6, "\(denied.stderr)")
            #expect(denied.stderr.contains("led by water"))
            let ack = try cli(["flags", "review", waterFlag, "--ack"], conninfo, as: people.water)
            #expect(ack.status == 0, "\(ack.stderr)")

            // In SQL, past the program: the policy keys on the database role, not on a setting the
            // client may write, and a change to a flag the role does not lead touches no row.
            let sql = try Connection(conninfo)
            defer { sql.close() }
            try sql.query("SELECT set_config('role', \(people.transport), false)")
            try sql.query("SELECT set_config('wagewatch.actor', \(people.admin), false)")
            let visible: Int64 = try sql.query("SELECT count(*) AS n FROM flags").one().decode("n")
            #expect(visible == transportFlags)
            // (Refused outright since reviews go through ww_review_flag; never a row of another department.)
            let changed = try? sql.query("UPDATE flags SET status = 'dismissed', review_reason = 'x' WHERE department = 'water' RETURNING id")
            #expect(changed?.isEmpty ?? true)
            let forged = try? sql.query("""
                INSERT INTO flag_reviews (region_code, flag_id, action, reviewer, department)
                SELECT region_code, id, 'ack', \(people.transport), 'water' FROM flags LIMIT 1
                """)
            #expect(forged == nil, "a review in another department's name is refused")
        }
    }

    @Test("ID numbers, phones and bank accounts: in full for inspectors and administrators, masked by the database for everyone else")
    func personalData() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let people = People()
            try seed(conninfo, people: people)
            let sql = try Connection(conninfo)
            defer { sql.close() }
            func act(_ name: String) throws { try sql.query("SELECT set_config('role', \(name), false)") }
            func denied(_ query: SQL) -> Bool {
                do { _ = try sql.query(query); return false } catch let error as PostgresError {
                    return error.code == .insufficientPrivilege
                } catch { return false }
            }
            for name in [people.intake, people.transport, people.official] {
                try act(name)
                #expect(denied("SELECT id_number FROM workers"), "\(name) reads ID numbers")
                #expect(denied("SELECT bank_account FROM workers"), "\(name) reads bank accounts")
                #expect(denied("SELECT caller_phone FROM complaints"), "\(name) reads callers' phones")
                #expect(denied("SELECT id_number FROM recoveries"), "\(name) reads ID numbers of recoveries")
                #expect(denied("SELECT phone FROM employers"), "\(name) reads employers' phones")
            }
            try act(people.official)
            let masked = try sql.query("SELECT id_number_masked, phone_masked, bank_account_masked FROM workers").one()
            #expect(try masked.decode("id_number_masked", as: String.self) == "1101**********002X")
            #expect(try masked.decode("phone_masked", as: String.self) == "137****1111")
            #expect(try masked.decode("bank_account_masked", as: String.self) == "6228**********5678")
            let callerPhone: String = try sql.query("SELECT caller_phone_masked FROM complaints").one().decode("caller_phone_masked")
            #expect(callerPhone == "138****5678")
            for name in [people.inspector, people.admin] {
                try act(name)
                let full: String = try sql.query("SELECT id_number FROM workers").one().decode("id_number")
                #expect(full == Self.workerID)
                let phone: String = try sql.query("SELECT caller_phone FROM complaints").one().decode("caller_phone")
                #expect(phone == Self.phone)
            }

            // Through the program: the official's case view has the amounts and the masked worker.
            let official = try cli(["case", "show", "1", "--json"], conninfo, as: people.official)
            #expect(official.status == 0, "\(official.stderr)")
            #expect(official.stdout.contains("1101**********002X"))
            #expect(!official.stdout.contains(Self.workerID))
            let inspector = try cli(["case", "show", "1", "--json"], conninfo, as: people.inspector)
            let amounts = { (text: String) throws -> [Int] in
                (try jsonObject(text)["workers"] as? [[String: Any]] ?? []).compactMap { $0["recovered_fen"] as? Int }
            }
            #expect(try amounts(official.stdout) == [300_000])
            #expect(try amounts(official.stdout) == amounts(inspector.stdout))
            let list = try cli(["complaint", "list", "--json"], conninfo, as: people.official)
            #expect(list.status == 0, "\(list.stderr)")
            #expect(!list.stdout.contains(Self.phone))
        }
    }

    @Test("every table and view has grants in app_grants, every personal-data column is registered, row security is forced")
    func coverage() async throws {
        try await TestDatabase.withFresh { db, _ in
            let ungranted = try db.query("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')
                  AND NOT EXISTS (SELECT 1 FROM app_grants a WHERE a.table_name = c.relname)
                ORDER BY 1
                """).map { try $0.decode("relname", as: String.self) }
            #expect(ungranted == [], "tables without app_grants rows: \(ungranted)")
            let unregistered = try db.query("""
                SELECT c.relname || '.' || a.attname AS col FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                  AND (a.attname IN ('id_number', 'bank_account') OR a.attname LIKE '%phone')
                  AND NOT EXISTS (SELECT 1 FROM pii_columns p WHERE p.table_name = c.relname AND p.column_name = a.attname)
                ORDER BY 1
                """).map { try $0.decode("col", as: String.self) }
            #expect(unregistered == [], "personal-data columns not in pii_columns: \(unregistered)")
            let unforced = try db.query("""
                SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND relrowsecurity AND NOT relforcerowsecurity
                """).map { try $0.decode("relname", as: String.self) }
            #expect(unforced == [])
            let secured = try db.query("""
                SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND relrowsecurity ORDER BY 1
                """).map { try $0.decode("relname", as: String.self) }
            for table in ["cases", "complaints", "flag_reviews", "flags", "projects", "workers"] {
                #expect(secured.contains(table), "\(table) has no row-level security")
            }
        }
    }
}

extension RoleTests {
    @Test("a township sees the small enterprises of its own region; commerce, which co-leads them, sees all")
    func township() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let tag = UUID().uuidString.prefix(6).lowercased()
            let (town, commerce) = ("xz_\(tag)", "jm_\(tag)")
            #expect(try cli(["user", "add", town, "--role", "sector", "--department", "township", "--region", "410102"], conninfo).status == 0)
            #expect(try cli(["user", "add", commerce, "--role", "sector", "--department", "commerce"], conninfo).status == 0)
            let employers = try csvFile("""
                uscc,name,kind,region_code,legal_rep,phone
                91350100M000100Y43,郑州某服装来料加工点,enterprise,410102,,
                91110000100010433L,郑州某电子加工厂,enterprise,410103,,

                """)
            #expect(try cli(["import", "employers", employers], conninfo).status == 0)
            for (code, region, uscc) in [("XZ-1", "410102", "91350100M000100Y43"), ("XZ-2", "410103", "91110000100010433L")] {
                let add = try CLI.run([
                    "project", "add", "--code", code, "--name", code + "厂房", "--type", "small_enterprise", "--funding", "social",
                    "--owner", uscc, "--contractor", uscc, "--contract-value", "500000", "--signed", "2026-01-10",
                    "--planned-start", "2026-03-01", "--planned-end", "2026-12-31", "--allocation-amount", "1万",
                ], database: conninfo, environment: ["WAGEWATCH_NOW": "2026-03-05T02:00:00Z", "WAGEWATCH_REGION": region])
                #expect(add.status == 0, "\(add.stderr)")
            }
            let all: Int64 = try db.query("SELECT count(*) AS n FROM projects").one().decode("n")
            #expect(all == 2)
            let codes = { (user: String) throws -> [String] in
                let result = try self.cli(["project", "list", "--json"], conninfo, as: user)
                #expect(result.status == 0, "\(result.stderr)")
                return try jsonArray(result.stdout).compactMap { $0["code"] as? String }.sorted()
            }
            #expect(try codes(town) == ["XZ-1"])
            #expect(try codes(commerce) == ["XZ-1", "XZ-2"])
        }
    }
}

extension RoleTests {
    @Test("a signed-in user cannot backdate a decision with WAGEWATCH_NOW; the service account can (tests, the demo)")
    func noBackdating() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let inspector = "insp_\(UUID().uuidString.prefix(6).lowercased())"
            #expect(try cli(["user", "add", inspector, "--role", "inspector", "--department", "labor"], conninfo).status == 0)
            for number in 1...2 {
                let add = try cli(["complaint", "add", "--region", "410102", "--employer-name", "某公司\(number)", "--workers", "2",
                                   "--amount", "9000", "--received-at", "2026-03-02 10:00"], conninfo)
                #expect(add.status == 0, "\(add.stderr)")
            }
            // As the inspector's own login, with the clock pinned in March: the server's time is kept.
            let own = try CLI.run(["complaint", "decide", "TS-20260302-0001", "--accept"],
                                  database: conninfo + " user='\(inspector)'", environment: service)
            #expect(own.status == 0, "\(own.stderr)")
            // As the service account (the cluster's superuser) acting for the inspector: the pinned time.
            let pinned = try cli(["complaint", "decide", "TS-20260302-0002", "--accept"], conninfo, as: inspector)
            #expect(pinned.status == 0, "\(pinned.stderr)")
            let rows = try db.query("""
                SELECT number, abs(extract(epoch FROM decided_at - now())) < 3600 AS server_time,
                       decided_at = '2026-03-05T02:00:00Z' AS pinned, decided_by
                FROM complaints ORDER BY number
                """)
            #expect(try rows.map { try $0.decode("server_time", as: Bool.self) } == [true, false])
            #expect(try rows.map { try $0.decode("pinned", as: Bool.self) } == [false, true])
            #expect(try rows.map { try $0.decode("decided_by", as: String.self) } == [inspector, inspector])
        }
    }
}
