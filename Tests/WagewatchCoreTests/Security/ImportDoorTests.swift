import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Issue 21, "imports go through staging tables and such functions": employers, workers, payroll,
/// attendance and ledger accounts are written only by the doors of sql/functions/import_*.sql and
/// accounts.sql. Each test signs in as a user's own login and tries what a person with psql and
/// their own password would.
@Suite("Imports and accounts go only through their doors (issue 21)")
struct ImportDoorTests {
    static let region = CountyFixture.region
    static let worker = CountyFixture.residentID(birth: LocalDate(year: 1985, month: 6, day: 12)!, sequence: 7)
    static let newcomer = CountyFixture.residentID(birth: LocalDate(year: 1990, month: 1, day: 2)!, sequence: 8)
    static let tables = ["employers", "workers", "payroll", "attendance", "ledger_accounts"]

    /// The county's owner and contractor, G107 with its wage account, one worker on it with a day
    /// of attendance and a month of payroll (as the service account); an administrator of every
    /// region and an inspector of 410181.
    static func seed(_ db: Connection) throws {
        try CountyFixture.register([CountyFixture.owner, CountyFixture.contractor], on: db)
        try CountyFixture.register([CountyFixture.g107], on: db)
        try CountyFixture.openWageAccount(CountyFixture.g107.code, on: db)
        try db.query("""
            INSERT INTO workers (region_code, id_number, name, employer_id, project_id, joined)
            SELECT region_code, \(worker), '张建国', contractor_id, id, '2026-03-01' FROM projects
            """)
        try db.query("INSERT INTO attendance (region_code, project_id, day, worker_id) SELECT region_code, project_id, '2026-03-02', id FROM workers")
        try db.query("""
            INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen)
            SELECT region_code, project_id, '2026-03-01', id, 20, 800000, 0 FROM workers
            """)
        _ = try UserDirectory().add(name: "door_admin", role: "admin", department: "labor", regionCode: nil, on: db)
        _ = try UserDirectory().add(name: "door_jiancha_410181", role: "inspector", department: "labor", regionCode: "410181", on: db)
    }

    /// How many rows each of the doors' tables holds, and what its rows say.
    static func state(_ db: Connection) throws -> [String] {
        try tables.map { table in
            let row = try db.query("SELECT count(*) AS n, coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS h FROM \(identifier: table) t").one()
            return "\(table) \(try row.decode("n", as: Int.self)) \(try row.decode("h", as: String.self))"
        }
    }

    static func csv(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ww-door-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Stages rows for a door by hand, as a psql user would: the engine's staging table, made and
    /// filled with raw SQL.
    static func stage(_ kind: any ImportKind.Type, _ values: String, on login: Connection) throws {
        let staging = kind.staging
        try login.query(SQL(unsafeSQL: "CREATE TEMP TABLE IF NOT EXISTS \(staging.name) (\(staging.definition!))"))
        try login.query(SQL(unsafeSQL: "DELETE FROM \(staging.name)"))
        try login.query(SQL(unsafeSQL: "INSERT INTO \(staging.name) (\(staging.columns.joined(separator: ", "))) VALUES \(values)"))
    }

    @Test("the hotline's, an inspector's and an administrator's own logins INSERT and UPDATE none of the five tables")
    func rawWritesRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let before = try Self.state(db)
            for name in ["hotline_li", "zhang_jiancha", "door_admin"] {
                let login = try GuardTests.login(name, db)
                defer { login.close() }
                for attack in [
                    "INSERT INTO employers (region_code, uscc, name, name_key) VALUES ('410102', '\(CountyFixture.enterpriseUSCC)', '某公司', '某公司')",
                    "UPDATE employers SET phone = '13800000000'",
                    "INSERT INTO workers (region_code, id_number, name, employer_id, project_id, joined) VALUES ('410102', '\(Self.newcomer)', '某人', 1, 1, '2026-03-01')",
                    "UPDATE workers SET bank_account = '6222020200112233'",
                    "INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen) VALUES ('410102', 1, '2026-04-01', 1, 1, 1, 1)",
                    "UPDATE payroll SET wage_paid_fen = 800000",
                    "INSERT INTO attendance (region_code, project_id, day, worker_id) VALUES ('410102', 1, '2026-03-03', 1)",
                    "UPDATE attendance SET day = '2026-03-04'",
                    "INSERT INTO ledger_accounts (region_code, kind, ref, name) VALUES ('410102', 'external', '某账户', '某账户')",
                    "UPDATE ledger_accounts SET number = '6222020200112233'",
                ] {
                    // Refused by the grants themselves, not by a guard further in.
                    let error = #expect(throws: PostgresError.self, "\(name): \(attack)") { try login.query(SQL(unsafeSQL: attack)) }
                    #expect(error?.message.hasPrefix("permission denied for table") == true, "\(name): \(attack): \(error?.message ?? "")")
                }
            }
            #expect(try Self.state(db) == before)
        }
    }

    @Test("a staged row of another region is refused, naming its line and region, and nothing of the file is written")
    func otherRegionRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let before = try Self.state(db)
            let local = try GuardTests.login("door_jiancha_410181", db)
            defer { local.close() }
            // Through the engine: a file whose second row is of 410102.
            let file = try Self.csv("""
                uscc,name,kind,region_code,legal_rep,phone
                \(CountyFixture.laborFirmUSCC),深圳宏达建筑劳务有限公司,subcontractor,410181,,
                \(CountyFixture.enterpriseUSCC),郑州锦绣服装来料加工点,enterprise,410102,,

                """)
            let refused = #expect(throws: WagewatchError.self) { try EmployerImport().run(path: file, dryRun: false, on: local) }
            #expect(refused?.kind == .permissionDenied)
            #expect(refused?.message.contains(#"line 3: region_code: "410102" is not your region (410181)"#) == true, "\(refused?.message ?? "")")

            // Straight at the doors, with staging tables filled by hand: G107 is a project of 410102.
            let g107 = CountyFixture.g107.code
            let attempts: [(any ImportKind.Type, String, String, String)] = [
                (EmployerImport.self, "(2, '\(CountyFixture.laborFirmUSCC)', '某公司', '某公司', 'subcontractor', '410181', NULL, NULL), "
                    + "(5, '\(CountyFixture.enterpriseUSCC)', '某公司', '某公司', 'enterprise', '410102', NULL, NULL)",
                 "SELECT * FROM ww_import_employers()", #"line 5: region_code: "410102" is not your region (410181)"#),
                (WorkerImport.self, "(4, '\(Self.newcomer)', '某人', NULL, NULL, NULL, '\(CountyFixture.contractorUSCC)', '\(g107)', '2026-03-01', NULL)",
                 "SELECT * FROM ww_import_workers()", #"line 4: project_code: "\#(g107)" is a project of region 410102, not of your region (410181)"#),
                (PayrollImport.self, "(4, '\(g107)', '2026-03-01', '\(Self.worker)', 31, 9900000, 9900000, '2026-04-01', true)",
                 "SELECT * FROM ww_import_payroll()", #"line 4: project_code: "\#(g107)" is a project of region 410102"#),
                // A worker registered nowhere: the check runs even when the write would find no row.
                (PayrollImport.self, "(6, '\(g107)', '2026-03-01', '\(Self.newcomer)', 1, 100, 0, NULL, false)",
                 "SELECT * FROM ww_import_payroll()", #"line 6: project_code: "\#(g107)" is a project of region 410102"#),
                (AttendanceImport.self, "(4, '\(g107)', '2026-03-09', '\(Self.newcomer)')", "SELECT ww_import_attendance()",
                 #"line 4: project_code: "\#(g107)" is a project of region 410102"#),
            ]
            for (kind, values, door, message) in attempts {
                try Self.stage(kind, values, on: local)
                let error = #expect(throws: PostgresError.self, "\(door)") { try local.query(SQL(unsafeSQL: door)) }
                #expect(error?.hint == "denied", "\(door)")
                #expect(error?.message.hasPrefix(message) == true, "\(door): \(error?.message ?? "")")
            }
            // Nor an account of that region, opened or made on first use.
            let project: Int64 = try db.query("SELECT id FROM projects").one().decode("id")
            let open = #expect(throws: PostgresError.self) {
                try local.query("SELECT ww_open_account('410102', \(project), 'deposit', '农行', '16010101040099999', '2026-03-01')")
            }
            #expect(open?.hint == "not_found", "\(open?.message ?? "")")
            let implicit = #expect(throws: PostgresError.self) { try local.query("SELECT ww_implicit_account('410102', 'external', '某供应商')") }
            #expect(implicit?.hint == "denied", "\(implicit?.message ?? "")")
            #expect(try Self.state(db) == before)
        }
    }

    @Test("one's own group role (SET ROLE wagewatch_inspector) passes no door")
    func groupRoleRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let before = try Self.state(db)
            let login = try GuardTests.login("zhang_jiancha", db)
            defer { login.close() }
            try login.query("SET ROLE wagewatch_inspector")
            let file = try Self.csv(CountyFixture.employersCSV([CountyFixture.enterprise]))
            let refused = #expect(throws: WagewatchError.self) { try EmployerImport().run(path: file, dryRun: false, on: login) }
            #expect(refused?.kind == .permissionDenied, "\(refused?.message ?? "")")
            #expect(refused?.message.contains("those who are not wagewatch users") == true, "\(refused?.message ?? "")")
            try Self.stage(WorkerImport.self,
                           "(2, '\(Self.newcomer)', '某人', NULL, NULL, NULL, '\(CountyFixture.contractorUSCC)', '\(CountyFixture.g107.code)', '2026-03-01', NULL)",
                           on: login)
            let project: Int64 = try db.query("SELECT id FROM projects").one().decode("id")
            for door in ["SELECT * FROM ww_import_workers()",
                         "SELECT ww_open_account('410102', \(project), 'deposit', '农行', '16010101040099999', '2026-03-01')",
                         "SELECT ww_implicit_account('410102', 'external', '某供应商')"] {
                let error = #expect(throws: PostgresError.self, "\(door)") { try login.query(SQL(unsafeSQL: door)) }
                #expect(error?.hint == "denied", "\(door): \(error?.message ?? "")")
            }
            #expect(try Self.state(db) == before)
        }
    }

    @Test("a door reads only the session's plain staging table: a view or a table with row security in its place is refused before anything of it runs")
    func plantedStagingRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let before = try Self.state(db)
            let login = try GuardTests.login("zhang_jiancha", db)
            defer { login.close() }
            // A function of the login's own in pg_temp, which a view would run with the door's rights.
            try login.query("CREATE FUNCTION pg_temp.planted() RETURNS integer LANGUAGE sql AS 'SELECT 1'")
            try login.query("CREATE TEMP VIEW worker_staging AS SELECT pg_temp.planted() AS line")
            try login.query("CREATE TEMP VIEW intake_staging AS SELECT pg_temp.planted() AS line")
            try login.query("CREATE TEMP TABLE employer_staging (line integer, region_code text)")
            try login.query("ALTER TABLE pg_temp.employer_staging ENABLE ROW LEVEL SECURITY")
            for door in ["SELECT * FROM ww_import_workers()", "SELECT * FROM ww_import_employers()", "SELECT ww_register_intake_employers()"] {
                let error = #expect(throws: PostgresError.self, "\(door)") { try login.query(SQL(unsafeSQL: door)) }
                #expect(error?.hint == "denied" && error?.message.contains("plain staging table") == true, "\(door): \(error?.message ?? "")")
            }
            #expect(try Self.state(db) == before)
        }
    }

    @Test("the hotline imports no workers, payroll, attendance or employers and opens no account")
    func hotlineImportsNoWorkers() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let before = try Self.state(db)
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            let file = try Self.csv("""
                id_number,name,employer_uscc,project_code,joined
                \(Self.newcomer),某人,\(CountyFixture.contractorUSCC),\(CountyFixture.g107.code),2026-03-01

                """)
            let refused = #expect(throws: WagewatchError.self) { try WorkerImport(today: .testToday).run(path: file, dryRun: false, on: hotline) }
            #expect(refused?.kind == .permissionDenied, "\(refused?.message ?? "")")
            for door in ["ww_import_workers", "ww_import_payroll", "ww_import_attendance", "ww_import_employers"] {
                let error = #expect(throws: PostgresError.self, "\(door)") { try hotline.query(SQL(unsafeSQL: "SELECT * FROM \(door)()")) }
                #expect(error?.message.hasPrefix("permission denied for function \(door)") == true, "\(door): \(error?.message ?? "")")
            }
            let project: Int64 = try db.query("SELECT id FROM projects").one().decode("id")
            for door in ["SELECT ww_open_account('410102', \(project), 'deposit', '农行', '16010101040099999', '2026-03-01')",
                         "SELECT ww_implicit_account('410102', 'external', '某供应商')"] {
                let error = #expect(throws: PostgresError.self, "\(door)") { try hotline.query(SQL(unsafeSQL: door)) }
                #expect(error?.message.hasPrefix("permission denied for function") == true, "\(door): \(error?.message ?? "")")
            }
            #expect(try Self.state(db) == before)
        }
    }

    @Test("through the doors an inspector imports and opens an account, audited as the inspector at the database's time")
    func doorsAudited() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let seeded: Int64 = try db.query("SELECT coalesce(max(id), 0) AS n FROM audit_log").one().decode("n")
            let inspector = try GuardTests.login("zhang_jiancha", db)
            defer { inspector.close() }
            let employers = try EmployerImport().run(
                path: try Self.csv(CountyFixture.employersCSV([CountyFixture.enterprise, CountyFixture.contractor.contact("王建设", nil)])),
                dryRun: false, on: inspector)
            #expect(employers.counts == ["inserted": 1, "updated": 1, "unchanged": 0])
            let workers = try WorkerImport(today: .testToday).run(path: try Self.csv("""
                id_number,name,employer_uscc,project_code,joined
                \(Self.newcomer),李秀英,\(CountyFixture.contractorUSCC),\(CountyFixture.g107.code),2026-03-01
                \(Self.worker),张建国,\(CountyFixture.contractorUSCC),\(CountyFixture.g107.code),2026-03-01

                """), dryRun: false, on: inspector)
            #expect(workers.counts == ["inserted": 1, "updated": 0, "unchanged": 1])
            let payroll = try PayrollImport(today: .testToday).run(path: try Self.csv("""
                project_code,period,id_number,days_worked,wage_due,wage_paid,paid_on,signed
                \(CountyFixture.g107.code),2026-03,\(Self.worker),20,8000,8000,2026-04-10,true
                \(CountyFixture.g107.code),2026-03,\(Self.newcomer),10,4000,0,,

                """), dryRun: false, on: inspector)
            #expect(payroll.counts == ["inserted": 1, "updated": 1, "unchanged": 0])
            let attendance = try AttendanceImport(today: .testToday).run(path: try Self.csv("""
                project_code,date,id_number
                \(CountyFixture.g107.code),2026-03-02,\(Self.worker)
                \(CountyFixture.g107.code),2026-03-02,\(Self.newcomer)

                """), dryRun: false, on: inspector)
            #expect(attendance.counts == ["inserted": 1, "duplicates": 1])
            let name = try Ledger(defaultRegion: Self.region).open(.deposit(project: CountyFixture.g107.code), bank: "农行",
                                                                  number: "16010101040099999", openedOn: CountyFixture.day("2026-03-01"), on: inspector)
            #expect(name == "G107改建工程工资保证金账户")
            let again = #expect(throws: WagewatchError.self) {
                try Ledger(defaultRegion: Self.region).open(.deposit(project: CountyFixture.g107.code), bank: "农行",
                                                            number: "16010101040099999", openedOn: CountyFixture.day("2026-03-01"), on: inspector)
            }
            #expect(again?.kind == .conflict && again?.message == "deposit:\(CountyFixture.g107.code) is already open", "\(again?.message ?? "")")
            #expect(try db.query("SELECT balance_fen FROM ledger_accounts WHERE kind = 'deposit'").one().decode("balance_fen", as: Int64.self) == 0)

            let audited = try db.query("""
                SELECT table_name || ' ' || action || ' ' || actor AS entry, bool_and(at > now() - interval '5 minutes') AS fresh
                FROM audit_log WHERE table_name IN ('employers', 'workers', 'payroll', 'ledger_accounts') AND id > \(seeded)
                GROUP BY 1 ORDER BY 1
                """)
            #expect(try audited.map { try $0.decode("entry", as: String.self) } == [
                "employers insert zhang_jiancha", "employers update zhang_jiancha", "ledger_accounts insert zhang_jiancha",
                "payroll insert zhang_jiancha", "payroll update zhang_jiancha", "workers insert zhang_jiancha",
            ])
            #expect(try audited.allSatisfy { try $0.decode("fresh", as: Bool.self) })
        }
    }
}
