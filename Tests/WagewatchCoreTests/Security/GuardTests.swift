import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Issue 21: the database is the only guard. Each test signs in as a user's own PostgreSQL
/// login, as a person with psql and their own password would, and tries what the issue found.
@Suite("The database is the only guard: what a user's own login cannot do")
struct GuardTests {
    /// A login of `name` on the test's database (the throwaway cluster trusts local logins).
    static func login(_ name: String, _ db: Connection) throws -> Connection {
        let database: String = try db.query("SELECT current_database() AS d").one().decode("d")
        return try Connection(db.conninfo(database: database, user: name))
    }

    /// A complaint and a case in region 410122, through the desks.
    static func seed(_ db: Connection) throws {
        let input = try ComplaintInput.parse { column in
            ["received_at": "2026-03-02 09:00", "region_code": "410122", "channel": "12333", "employer_name": "郑州宏达建筑劳务有限公司",
             "workers_involved": "3", "amount_owed": "9000", "caller_phone": "13812345678"][column]
        }.get()
        let result = try ComplaintIntake().add(input, on: db)
        _ = try ComplaintDesk().decide(.id(result.id), .accept, today: LocalDate(year: 2026, month: 3, day: 3)!, on: db)
    }

    @Test("SET ROLE to one's own group role sees nothing of another region, and files nothing into it (finding 1)")
    func groupRoleSeesNothing() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let users = UserDirectory()
            _ = try users.add(name: "jiancha_410181", role: "inspector", department: "labor", regionCode: "410181", on: db)
            _ = try users.add(name: "rexian_410181", role: "intake", department: "labor", regionCode: "410181", on: db)
            let employer: Int64 = try db.query("SELECT employer_id FROM complaints LIMIT 1").one().decode("employer_id")
            for (name, group) in [("jiancha_410181", "wagewatch_inspector"), ("rexian_410181", "wagewatch_intake")] {
                let own = try Self.login(name, db)
                defer { own.close() }
                // As themselves: their own region only.
                #expect(try own.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == 0, "\(name)")
                // As their group role: nothing at all (it used to be every region).
                try own.query("SET ROLE \(identifier: group)")
                #expect(try own.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == 0, "\(name) as \(group)")
                #expect(try own.query("SELECT count(*) AS n FROM cases").one().decode("n", as: Int.self) == 0, "\(name) as \(group)")
                #expect(throws: PostgresError.self, "\(name) as \(group) files into 410122") {
                    try own.query("""
                        INSERT INTO complaints (region_code, number, received_at, received_on, channel, employer_id,
                            employer_name, workers_involved, amount_owed_fen, decision_due)
                        VALUES ('410122', 'TS-20260302-9999', now(), current_date, '12333', \(employer), '某公司', 1, 100, current_date)
                        """)
                }
            }
            // A user of every region still reads every region (the standard inspector has none).
            let every = try Self.login("zhang_jiancha", db)
            defer { every.close() }
            #expect(try every.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == 1)
        }
    }

    @Test("the CLI's --as refuses a group role")
    func cliRefusesGroupRole() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let result = try CLI.run(["complaint", "list", "--as", "wagewatch_inspector"], database: conninfo)
            #expect(result.status == 6, "\(result.stderr)")
            #expect(result.stderr.contains("wagewatch_inspector is not a wagewatch user"))
        }
    }

    @Test("a user's own login cannot name another actor with wagewatch.actor (finding 5)")
    func noForgedActor() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Self.seed(db)
            let own = try Self.login("zhang_jiancha", db)
            defer { own.close() }
            try own.query("SELECT set_config('wagewatch.actor', 'wang_juzhang', false)")
            #expect(try own.query("SELECT ww_actor() AS a").one().decode("a", as: String.self) == "zhang_jiancha")
            let caseID: Int64 = try own.query("SELECT id FROM cases LIMIT 1").one().decode("id")
            // A claim goes in through its door (sql/functions/cases.sql), which stamps the writer.
            try own.query("SELECT ww_claim_case(\(caseID), '110101199003074514', '张三', 100000)")
            #expect(try db.query("SELECT created_by FROM claims").one().decode("created_by", as: String.self) == "zhang_jiancha")
            // The service account (a superuser, as cron runs) still records the name it is given.
            try db.query("SELECT set_config('wagewatch.actor', 'system', false)")
            #expect(try db.query("SELECT ww_actor() AS a").one().decode("a", as: String.self) == "system")
        }
    }
}

@Suite("Exports are safe to open in Excel and WPS; Markdown carries no HTML (finding 7)")
struct ExportEscapingTests {
    @Test("a CSV cell that would run as a formula is neutralised and stays readable; numbers stay numbers")
    func csvFormula() {
        #expect(TextEscaping.csvField("=HYPERLINK(\"http://evil\",\"点我\")") == "\"'=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\"")
        #expect(TextEscaping.csvField("@SUM(A1:A9)") == "\"'@SUM(A1:A9)\"")
        #expect(TextEscaping.csvField("+86 138") == "\"'+86 138\"")
        #expect(TextEscaping.csvField("-cmd|' /C calc'!A0") == "\"'-cmd|' /C calc'!A0\"")
        #expect(TextEscaping.csvField("\tx") == "\"'\tx\"")
        #expect(TextEscaping.csvField("-0.01") == "-0.01")
        #expect(TextEscaping.csvField("+12") == "+12")
        #expect(TextEscaping.csvField("郑州宏达建筑劳务有限公司") == "郑州宏达建筑劳务有限公司")
        #expect(TextEscaping.csvField("a,b") == "\"a,b\"")
    }

    @Test("Markdown shows a name holding HTML as text")
    func markdown() {
        #expect(TextEscaping.markdownCell("<script>alert(1)</script>|x\ny") == "&lt;script&gt;alert(1)&lt;/script&gt;\\|x y")
        #expect(TextEscaping.markdown("A & B <b>") == "A &amp; B &lt;b&gt;")
    }
}

@Suite("Small doors closed (finding 10)")
struct SmallGuardTests {
    @Test("a sector login reads no complaint sequence and cannot ask which department leads a flag; the hotline neither")
    func sequencesAndFlagLead() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try UserDirectory().add(name: "jiaotong_seq", role: "sector", department: "transport", regionCode: nil, on: db)
            let sector = try GuardTests.login("jiaotong_seq", db)
            defer { sector.close() }
            #expect(throws: PostgresError.self) { try sector.query("SELECT last_value FROM complaints_id_seq") }
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            #expect(throws: PostgresError.self) { try hotline.query("SELECT ww_flag_lead(1)") }
            #expect(throws: PostgresError.self) { try hotline.query("SELECT last_value FROM flags_id_seq") }
            // Inserting still works without the sequence: identity columns need only INSERT.
            try GuardTests.seed(db)
            #expect(try sector.query("SELECT ww_flag_lead(1) AS l").count == 1)
        }
    }

    @Test("a decision dated before the complaint's receipt is refused by the database")
    func decisionAfterReceipt() async throws {
        try await TestDatabase.withFresh { db, _ in
            try GuardTests.seed(db)
            #expect(throws: PostgresError.self) {
                try db.query("UPDATE complaints SET decided_at = received_at - interval '1 day'")
            }
        }
    }

    @Test("db psql --as signs in as that user: RESET ROLE leaves no superuser shell (finding 10)")
    func psqlActsAs() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let result = try CLI.run(["db", "psql", "--as", "zhang_jiancha", "-At", "-c",
                                      "RESET ROLE; SELECT current_user || ' ' || session_user || ' ' || (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)"],
                                     database: conninfo)
            #expect(result.status == 0, "\(result.stderr)")
            // psql prints RESET's tag first; the last line is the answer.
            #expect(result.stdout.split(separator: "\n").last.map(String.init) == "zhang_jiancha zhang_jiancha false", "\(result.stdout)")
        }
    }
}

@Suite("A configuration that names a program must be the user's own (finding 8)")
struct TrustedConfigurationTests {
    @Test("a wagewatch.toml naming sendmail_path that others may write is refused, naming the file and its mode")
    func writableByOthers() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-conf-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("wagewatch.toml")
        try "[escalations.delivery]\nsendmail_path = \"/tmp/evil.sh\"\n".write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o666)
        do {
            _ = try Configuration.resolve(explicitPath: nil, workingDirectory: folder.path)
            Issue.record("a world-writable file naming a program was accepted")
        } catch let error as WagewatchError {
            #expect(error.kind == .permissionDenied)
            #expect(error.message.contains("wagewatch.toml") && error.message.contains("666"))
        }
        chmod(file.path, 0o644)
        let loaded = try Configuration.resolve(explicitPath: nil, workingDirectory: folder.path)
        #expect(loaded.escalations.delivery.sendmailPath == "/tmp/evil.sh")
        // A file naming no program is read whoever may write it.
        try "[complaints]\ndecision_days = 4\n".write(to: file, atomically: true, encoding: .utf8)
        chmod(file.path, 0o666)
        #expect(try Configuration.resolve(explicitPath: nil, workingDirectory: folder.path).complaints.decisionDays == 4)
    }
}

@Suite("Administrators without CREATEROLE (finding 3)")
struct AdministratorTests {
    @Test("an administrator's own login adds users through the door, but cannot grant itself server programs or make a superuser")
    func noCreateRole() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try UserDirectory().add(name: "admin_qian", role: "admin", department: "labor", regionCode: nil, on: db)
            #expect(try db.query("SELECT rolcreaterole FROM pg_roles WHERE rolname = 'admin_qian'").one().decode("rolcreaterole", as: Bool.self) == false)
            let admin = try GuardTests.login("admin_qian", db)
            defer { admin.close() }
            for attack in ["GRANT pg_execute_server_program TO admin_qian", "GRANT pg_read_server_files TO admin_qian",
                           "GRANT pg_write_server_files TO admin_qian", "CREATE ROLE evil SUPERUSER LOGIN",
                           "CREATE ROLE evil LOGIN", "ALTER ROLE admin_qian CREATEROLE",
                           "GRANT wagewatch_user_manager TO admin_qian"] {
                #expect(throws: PostgresError.self, "\(attack)") { try admin.query(SQL(unsafeSQL: attack)) }
            }
            #expect(throws: PostgresError.self) { try admin.query("COPY (SELECT 1) TO PROGRAM 'true'") }
            // The door works for them, and only inside the wagewatch groups.
            let added = try UserDirectory().add(name: "rexian_new", role: "intake", department: "labor", regionCode: "410122", on: admin)
            #expect(added.role == .intake)
            #expect(try db.query("SELECT pg_has_role('rexian_new', 'wagewatch_intake', 'MEMBER') AS m").one().decode("m", as: Bool.self))
            #expect(try db.query("SELECT rolsuper OR rolcreaterole AS p FROM pg_roles WHERE rolname = 'rexian_new'").one().decode("p", as: Bool.self) == false)
            // The administrator sets the new user's password: the desk's hash and the login's SCRAM verifier.
            try UserDirectory().setPassword(name: "rexian_new", hash: "$2b$12$" + String(repeating: "a", count: 53), password: "a-long-password-1", on: admin)
            #expect(try db.query("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' AS scram FROM pg_authid WHERE rolname = 'rexian_new'")
                .one().decode("scram", as: Bool.self))
            #expect(throws: PostgresError.self) { try admin.query("ALTER ROLE rexian_new PASSWORD 'plain'") }
            // Anyone else may not run it.
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            #expect(throws: PostgresError.self) { try hotline.query("SELECT ww_add_user('x_y', 'admin', 'labor', NULL)") }
        }
    }
}

@Suite("Every table is audited (issue 21)")
struct AuditCoverageTests {
    /// Tables whose rows are not audited as they are inserted, and why.
    static let insertsNotAudited: [String: String] = [
        "app_grants": "reference: the grants, part of the migrations",
        "pii_columns": "reference: part of the migrations",
        "departments": "reference: part of the migrations",
        "project_types": "reference: part of the migrations",
        "regions": "reference: part of the migrations",
        "schema_functions": "the migrator's own record",
        "schema_migrations": "the migrator's own record",
        "audit_log": "the audit log itself",
        "working_day_index": "derived from calendar_days, which is audited",
        "complaint_counters": "a work queue: the next number of each region and day",
        "escalation_outbox": "a work queue: events waiting for delivery (the escalations are audited)",
        "rule_dirty": "a work queue: what the next incremental rule run looks at",
        "rule_findings": "a work queue: the last rule run's raw findings (flags are audited)",
        "rule_runs": "a work queue: timings of rule runs",
        "web_sessions": "touched on every request; sign-ins and sign-outs are audited in sign_in_events",
        "user_passwords": "bcrypt hashes stay out of the log; each change is audited as password_set in sign_in_events",
        "attendance": "millions of rows from the sign-in machines; every change is audited",
        "api_idempotency": "a work table: each Idempotency-Key's first answer (the complaint it filed is audited)",
    ]

    /// Tables whose rows are not audited when changed, and why.
    static let updatesNotAudited: [String: String] = insertsNotAudited.filter { $0.key != "attendance" }.merging([
        "transfers": "append-only: an UPDATE is refused",
        "sign_in_events": "append-only events",
        "escalation_levels": "append-only: each level change is a new row",
        "flag_reviews": "append-only: each review is a new row",
        "project_subcontractors": "append-only registrations",
        "api_calls": "append-only: an UPDATE is refused",
    ]) { a, _ in a }

    @Test("a table without its audit triggers (or with them disabled) is listed here with its reason, or the test fails")
    func coverage() async throws {
        try await TestDatabase.withFresh { db, _ in
            let rows = try db.query("""
                SELECT c.relname AS name,
                       coalesce(bool_or(p.proname IN ('ww_audit_insert', 'ww_audit_keyed') AND (t.tgtype & 4) <> 0), false) AS inserts,
                       coalesce(bool_or(p.proname IN ('ww_audit_update', 'ww_audit_keyed', 'ww_audit_row_update') AND (t.tgtype & 16) <> 0), false) AS updates
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgenabled <> 'D'
                LEFT JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE c.relkind = 'r' GROUP BY 1 ORDER BY 1
                """)
            var inserts: [String] = [], updates: [String] = []
            for row in rows {
                let name: String = try row.decode("name")
                if try !row.decode("inserts", as: Bool.self) { inserts.append(name) }
                if try !row.decode("updates", as: Bool.self) { updates.append(name) }
            }
            #expect(inserts == Self.insertsNotAudited.keys.sorted())
            #expect(updates == Self.updatesNotAudited.keys.sorted())
        }
    }

    @Test("the audit log's own refusals of UPDATE, DELETE and TRUNCATE are in place and enabled")
    func appendOnlyTriggers() async throws {
        try await TestDatabase.withFresh { db, _ in
            let enabled = try db.query("""
                SELECT t.tgname AS name FROM pg_trigger t
                WHERE t.tgrelid IN ('audit_log'::regclass, 'audit_chain.head'::regclass) AND t.tgenabled <> 'D'
                  AND t.tgfoid = 'ww_audit_refuse_change()'::regprocedure
                ORDER BY 1
                """).map { try $0.decode("name", as: String.self) }
            #expect(enabled == ["audit_log_append_only", "audit_log_no_truncate", "head_no_delete", "head_no_truncate"])
        }
    }

    @Test("a calendar day added and then changed leaves two audit rows keyed by the day (the keyed writer of payroll and attendance)")
    func changesAudited() async throws {
        try await TestDatabase.withFresh { db, _ in
            let before: Int = try db.query("SELECT count(*)::int AS n FROM audit_log").one().decode("n")
            try db.query("INSERT INTO calendar_days (day, kind) VALUES ('2027-01-02', 'workday') ON CONFLICT DO NOTHING")
            try db.query("UPDATE calendar_days SET kind = 'holiday' WHERE day = '2027-01-02'")
            let after: Int = try db.query("SELECT count(*)::int AS n FROM audit_log").one().decode("n")
            #expect(after - before == 2)
            let rows = try db.query("""
                SELECT action, row_key FROM audit_log WHERE table_name = 'calendar_days' ORDER BY id DESC LIMIT 2
                """).map { "\(try $0.decode("action", as: String.self)) \(try $0.decode("row_key", as: String.self))" }
            #expect(rows == ["update 2027-01-02", "insert 2027-01-02"])
        }
    }
}

@Suite("What the hotline recorded stays recorded (issue 21, finding 4)")
struct ComplaintGuardTests {
    @Test("the hotline's own login cannot move a deadline, shrink a complaint, or decide it; an inspector decides as themselves")
    func rawSQL() async throws {
        try await TestDatabase.withFresh { db, _ in
            let input = try ComplaintInput.parse { column in
                ["received_at": "2026-03-02 09:00", "region_code": "410122", "channel": "12333", "employer_name": "郑州宏达建筑劳务有限公司",
                 "workers_involved": "80", "amount_owed": "900000", "text": "堵路跳楼"][column]
            }.get()
            let id = try ComplaintIntake().add(input, on: db).id
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            for attack in ["UPDATE complaints SET decision_due = '2099-12-31'", "UPDATE complaints SET workers_involved = 1",
                           "UPDATE complaints SET text = '已解决'",
                           "UPDATE complaints SET status = 'decided', outcome = 'refused', reason = 'x', decided_by = 'hotline_li', decided_at = now()"] {
                #expect(throws: PostgresError.self, "\(attack)") { try hotline.query(SQL(unsafeSQL: attack)) }
            }
            let inspector = try GuardTests.login("zhang_jiancha", db)
            defer { inspector.close() }
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE complaints SET status = 'decided', outcome = 'refused', reason = 'x', decided_by = 'wang_juzhang', decided_at = now()")
            }
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE complaints SET status = 'decided', outcome = 'refused', reason = 'x', decided_by = 'zhang_jiancha'")
            }
            // Through the decision's door, backdated: the database records its own time and the caller.
            try inspector.query("SELECT ww_decide_complaint('410122', \(id), 'refused', 'x', NULL, '2026-03-02', '2026-03-02 10:00+08')")
            let row = try db.query("SELECT decided_by, decided_at > now() - interval '1 minute' AS now FROM complaints WHERE id = \(id)").one()
            #expect(try row.decode("decided_by", as: String.self) == "zhang_jiancha")
            #expect(try row.decode("now", as: Bool.self), "the time of the decision is the database's, not the one written")
            // Once decided, never again.
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE complaints SET outcome = 'refused', reason = 'y'")
            }
            #expect(throws: PostgresError.self) {
                try inspector.query("SELECT ww_decide_complaint('410122', \(id), 'refused', 'y', NULL, NULL, NULL)")
            }
            // The deadline still follows the calendar when an administrator loads a new one.
            try db.query("UPDATE complaints SET decision_due = ww_add_working_days(received_on, decision_days)")
        }
    }
}

@Suite("Acknowledgements and resolutions are the acting person's (issue 21, finding 5)")
struct EscalationGuardTests {
    @Test("no raw UPDATE of an escalation but an administrator's; through the doors nobody acts in another region or name, backdates, or resolves as an official")
    func rawSQL() async throws {
        try await TestDatabase.withFresh { db, _ in
            let input = try ComplaintInput.parse { column in
                ["received_at": "2026-03-02 09:00", "region_code": "410122", "channel": "12333", "employer_name": "郑州宏达建筑劳务有限公司",
                 "workers_involved": "30", "amount_owed": "300000"][column]
            }.get()
            _ = try ComplaintIntake().add(input, on: db)
            let id: Int64 = try db.query("SELECT id FROM escalations LIMIT 1").one().decode("id")
            _ = try UserDirectory().add(name: "jiancha_410181x", role: "inspector", department: "labor", regionCode: "410181", on: db)
            let official = try GuardTests.login("wang_juzhang", db)
            defer { official.close() }
            let inspector = try GuardTests.login("zhang_jiancha", db)
            defer { inspector.close() }
            // Raw SQL: refused by the grants (it used to be held only by the guard).
            for (login, attack) in [(official, "UPDATE escalations SET status = 'acknowledged', acknowledged_by = 'wang_juzhang' WHERE id = \(id)"),
                                    (inspector, "UPDATE escalations SET status = 'resolved', resolution = '已处理' WHERE id = \(id)")] {
                let error = #expect(throws: PostgresError.self, "\(attack)") { try login.query(SQL(unsafeSQL: attack)) }
                #expect(error?.message.hasPrefix("permission denied for table") == true, "\(attack): \(error?.message ?? "")")
            }
            // Another region's inspector: not there for them.
            let stranger = try GuardTests.login("jiancha_410181x", db)
            defer { stranger.close() }
            #expect(try stranger.query("SELECT count(*) AS n FROM escalations").one().decode("n", as: Int.self) == 0)
            let elsewhere = #expect(throws: PostgresError.self) { try stranger.query("SELECT ww_resolve_escalation(\(id), '已处理')") }
            #expect(elsewhere?.hint == "not_found")
            #expect(try db.query("SELECT status FROM escalations WHERE id = \(id)").one().decode("status", as: String.self) == "open")
            // Not in another's name; the time is the database's, whatever is passed.
            let forged = #expect(throws: PostgresError.self) {
                try official.query("SELECT ww_acknowledge_escalation(\(id), NULL, 'zhang_jiancha')")
            }
            #expect(forged?.hint == "denied")
            try official.query("SELECT ww_acknowledge_escalation(\(id), '2026-03-02 09:01+08')")
            let row = try db.query("SELECT acknowledged_by, acknowledged_at > now() - interval '1 minute' AS fresh FROM escalations WHERE id = \(id)").one()
            #expect(try row.decode("acknowledged_by", as: String.self) == "wang_juzhang")
            #expect(try row.decode("fresh", as: Bool.self), "the database's time, not the one passed")
            let again = #expect(throws: PostgresError.self) { try inspector.query("SELECT ww_acknowledge_escalation(\(id))") }
            #expect(again?.hint == "conflict")
            // Officials acknowledge but do not resolve; the hotline does neither.
            let notOfficials = #expect(throws: PostgresError.self) { try official.query("SELECT ww_resolve_escalation(\(id), '已处理')") }
            #expect(notOfficials?.code == .insufficientPrivilege)
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            #expect(throws: PostgresError.self) { try hotline.query("SELECT ww_acknowledge_escalation(\(id))") }
            let blank = #expect(throws: PostgresError.self) { try inspector.query("SELECT ww_resolve_escalation(\(id), '  ')") }
            #expect(blank?.hint == "invalid")
            // Levels move only in the catch-up job: an inspector has no UPDATE at all now.
            #expect(throws: PostgresError.self) { try inspector.query("UPDATE escalations SET level = 'township' WHERE id = \(id)") }
            try inspector.query("SELECT ww_resolve_escalation(\(id), '已督促支付', '2026-03-02 10:00+08')")
            let resolved = try db.query("SELECT resolved_by, resolved_at > now() - interval '1 minute' AS fresh FROM escalations WHERE id = \(id)").one()
            #expect(try resolved.decode("resolved_by", as: String.self) == "zhang_jiancha")
            #expect(try resolved.decode("fresh", as: Bool.self))
            let twice = #expect(throws: PostgresError.self) { try inspector.query("SELECT ww_resolve_escalation(\(id), '改写')") }
            #expect(twice?.hint == "conflict")
            // The desk goes through the same doors on a login's own connection.
            _ = try ComplaintIntake().add(input, on: db)
            let second: Int64 = try db.query("SELECT max(id) AS id FROM escalations").one().decode("id")
            let acked = try EscalationDesk().acknowledge(EscalationID(second), by: "wang_juzhang", now: Date(), on: official)
            #expect(acked.status == .acknowledged)
        }
    }
}

@Suite("Rows name who wrote them (issue 21, finding 5)")
struct WriterStampTests {
    @Test("a hotline login's own INSERT of a complaint cannot name another writer, come decided or move its deadline")
    func complaintInsert() async throws {
        try await TestDatabase.withFresh { db, _ in
            try GuardTests.seed(db)
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            let employer: Int64 = try db.query("SELECT employer_id FROM complaints LIMIT 1").one().decode("employer_id")
            // Each filing takes the counter's next number in the same statement (the number is the
            // counter's, ComplaintNumberTests), so only what is under test is wrong.
            func file(createdBy: String, status: String = "pending", decidedBy: String? = nil,
                      due: SQL = "ww_add_working_days('2026-03-02', 5)") throws {
                try hotline.query("""
                    INSERT INTO complaints (region_code, number, received_at, received_on, channel, employer_id, employer_name,
                        workers_involved, amount_owed_fen, decision_days, decision_due, status, outcome, reason, decided_at, decided_by, created_by)
                    SELECT '410122', 'TS-20260302-' || lpad(k.o_last::text, 4, '0'), '2026-03-02 10:00+08', '2026-03-02', '12333',
                        \(employer), '郑州宏达建筑劳务有限公司', 2, 500000, 5,
                        \(due), \(status), \(status == "pending" ? nil : "refused"), \(status == "pending" ? nil : "拒绝"),
                        \(status == "pending" ? nil : Date()), \(decidedBy), \(createdBy)
                    FROM ww_take_complaint_numbers(ARRAY['410122'], ARRAY[date '2026-03-02'], ARRAY[1]) k
                    """)
            }
            let before = try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self)
            #expect(throws: PostgresError.self, "another writer") { try file(createdBy: "zhang_jiancha") }
            #expect(throws: PostgresError.self, "decided at filing") {
                try file(createdBy: "hotline_li", status: "decided", decidedBy: "zhang_jiancha")
            }
            #expect(throws: PostgresError.self, "a deadline of its own") {
                try file(createdBy: "hotline_li", due: "date '2026-03-02' + 60")
            }
            #expect(try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == before, "nothing written")
            // Filed as intake files it, the same INSERT goes in.
            try file(createdBy: "hotline_li")
            #expect(try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == before + 1)
        }
    }

    @Test("a claim written by an inspector's own login names the inspector and the database's time; an INSERT naming another is refused")
    func claimStamp() async throws {
        try await TestDatabase.withFresh { db, _ in
            try GuardTests.seed(db)
            let inspector = try GuardTests.login("zhang_jiancha", db)
            defer { inspector.close() }
            let caseID: Int64 = try inspector.query("SELECT id FROM cases LIMIT 1").one().decode("id")
            #expect(throws: PostgresError.self) {
                try inspector.query("""
                    INSERT INTO claims (region_code, case_id, id_number, worker_name, owed_fen, created_by, created_at)
                    VALUES ('410122', \(caseID), '110101199003074514', '张三', 100000, 'wang_juzhang', '2026-01-01')
                    """)
            }
            try inspector.query("SELECT ww_claim_case(\(caseID), '110101199003074514', '张三', 100000)")
            let row = try db.query("SELECT created_by, created_at > now() - interval '1 minute' AS fresh FROM claims").one()
            #expect(try row.decode("created_by", as: String.self) == "zhang_jiancha")
            #expect(try row.decode("fresh", as: Bool.self))
        }
    }
}

@Suite("The ledger is written only through its door (issue 21, finding 6)")
struct LedgerGuardTests {
    @Test("an inspector's own login cannot set a balance, write a transfer or open an account with money; the hotline cannot post")
    func rawSQL() async throws {
        try await TestDatabase.withFresh { db, _ in
            try CountyFixture.directPayProject(treasuryFen: 100_000_000, allocatedFen: 5_000_000, on: db)
            let inspector = try GuardTests.login("zhang_jiancha", db)
            defer { inspector.close() }
            let account: Int64 = try inspector.query("SELECT id FROM ledger_accounts WHERE kind = 'wage'").one().decode("id")
            let before: Int64 = try db.query("SELECT balance_fen FROM ledger_accounts WHERE id = \(account)").one().decode("balance_fen")
            try inspector.query("SET wagewatch.posting = 'on'")
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE ledger_accounts SET balance_fen = balance_fen + 100000000 WHERE id = \(account)")
            }
            #expect(throws: PostgresError.self) {
                try inspector.query("""
                    INSERT INTO transfers (region_code, idempotency_key, payload_hash, from_account, to_account, amount_fen, occurred_at)
                    SELECT region_code, 'raw-1', 'x', id, id, 100, now() FROM ledger_accounts WHERE id = \(account)
                    """)
            }
            #expect(throws: PostgresError.self) {
                try inspector.query("""
                    INSERT INTO ledger_accounts (region_code, kind, ref, name, balance_fen)
                    SELECT region_code, 'external', '某账户', '某账户', 100000000 FROM ledger_accounts WHERE id = \(account)
                    """)
            }
            #expect(try db.query("SELECT balance_fen FROM ledger_accounts WHERE id = \(account)").one().decode("balance_fen", as: Int64.self) == before)
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            #expect(throws: PostgresError.self) {
                try hotline.query("SELECT * FROM ww_post_transfer('410102', 'k', \(account), \(account), 1, now(), NULL)")
            }
            // Through the door, the inspector posts.
            let result = try Ledger().transfer(key: "door-1", from: .wage(project: CountyFixture.g107.code), to: .external(name: "某供应商"),
                                               amountFen: 100, occurredAt: Date(), memo: nil, on: inspector)
            #expect(!result.replayed)
        }
    }
}

@Suite("Every table × every role × INSERT, UPDATE, DELETE, TRUNCATE in raw SQL (issue 21)")
struct WriteSweepTests {
    /// What each group's own login may still write with plain SQL, relation by relation, and why:
    /// the short allow-list of issue 21. Everything else is refused by the grants (every other
    /// change goes through a door: ww_review_flag, ww_take_complaint_numbers, ww_post_transfer,
    /// ww_add_user, ww_set_password, the sign-in doors). An entry naming columns means only those.
    /// A grant added without a line here, or a line whose grant is gone, fails the test.
    static let allowed: [String: (writers: [String], why: String)] = [
        // Rule jobs, the catch-up and delivery run as an administrator or the service account.
        "escalation_levels": (["admin INSERT", "admin UPDATE"], "the catch-up job (as an administrator) moves levels; append-only rows"),
        "escalation_outbox": (["admin INSERT", "admin UPDATE"], "the delivery job's queue"),
        "flags": (["admin INSERT", "admin UPDATE"], "rule runs raise, upgrade and clear flags; reviews only through ww_review_flag (ww_flag_review_guard holds reviewed_by)"),
        "rule_dirty": (["admin DELETE", "admin INSERT", "admin UPDATE"], "work queue of incremental rule runs"),
        "rule_findings": (["admin DELETE", "admin INSERT"], "work queue of a rule run's raw findings"),
        "rule_runs": (["admin INSERT", "admin UPDATE"], "a rule run's record"),
        // Reference data the administrator keeps.
        "calendar_days": (["admin INSERT", "admin UPDATE"], "the calendar import; audited"),
        "departments": (["admin INSERT", "admin UPDATE"], "reference"),
        "regions": (["admin INSERT", "admin UPDATE"], "reference"),
        "settings": (["admin INSERT", "admin UPDATE"], "the configuration (ww_store_settings), audited"),
        "users": (["admin INSERT", "admin UPDATE"], "users rows; logins only through ww_add_user"),
        // Case work: opening a case (ww_decide_complaint), claims, recoveries, extensions and every change of a
        // case go through the doors of sql/functions/cases.sql and complaints_guard.sql, direct pay through those
        // of sql/functions/direct_pay.sql, sanctions through sanctions.sql; employers, workers, payroll, attendance
        // and ledger accounts through the doors of their imports and of `account open` (sql/functions/import_*.sql,
        // accounts.sql); what is left here is still by plain INSERT/UPDATE under a guard trigger (doors pending, issue 21).
        "complaints": (["admin INSERT", "inspector INSERT", "intake INSERT"],
                       "filed by intake (ww_complaint_insert_guard: the counter's number, pending, the settings' deadline); decided only through ww_decide_complaint"),
        "escalations": (["admin INSERT", "admin UPDATE"], "the catch-up job raises and moves levels; ww_escalation_guard holds acknowledgements and resolutions, which others make through ww_acknowledge_escalation and ww_resolve_escalation"),
        "project_subcontractors": (["admin INSERT", "inspector INSERT"], "append-only registrations"),
        "projects": (["admin INSERT", "admin UPDATE", "inspector INSERT", "inspector UPDATE"], "audited"),
    ]

    /// One login per group: the standard users and two of the test's own.
    static let logins = [("intake", "hotline_li"), ("inspector", "zhang_jiancha"), ("sector", "sweep_sector"),
                         ("official", "wang_juzhang"), ("admin", "sweep_admin")]

    /// Whether `statement` got past the grants: it ran, or something after the privilege check
    /// refused it (a guard trigger, a constraint). A refusal by the grants is "permission denied
    /// for …" (42501), or a view that cannot be written at all.
    static func writes(_ statement: String, on login: Connection) throws -> Bool {
        try login.query("SAVEPOINT sweep")
        defer { _ = try? login.query("ROLLBACK TO SAVEPOINT sweep") }
        do {
            try login.query(SQL(unsafeSQL: statement))
            return true
        } catch let error as PostgresError {
            if error.code == .insufficientPrivilege && error.message.hasPrefix("permission denied for") { return false }
            // A view no statement can write, whoever asks: not updatable (0A000, 55000), or no
            // table at all for TRUNCATE (42809).
            if ["0A000", "55000", "42809"].contains(error.code?.raw ?? ""),
               error.message.contains("view") || error.message.contains("not a table") { return false }
            return true
        }
    }

    @Test("each group's own login writes, with raw SQL, exactly what the allow-list says, column by column; nothing deletes")
    func sweep() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try UserDirectory().add(name: "sweep_sector", role: "sector", department: "transport", regionCode: nil, on: db)
            _ = try UserDirectory().add(name: "sweep_admin", role: "admin", department: "labor", regionCode: nil, on: db)
            // Every table and view of the schema and of the audit chain, with the columns a
            // statement may name (generated and always-identity columns take no value).
            let relations = try db.query("""
                SELECT format('%I.%I', n.nspname, c.relname) AS qualified, c.relname AS name,
                       array_agg(a.attname::text ORDER BY a.attname) FILTER (WHERE a.attgenerated = '' AND a.attidentity <> 'a') AS insertable,
                       array_agg(a.attname::text ORDER BY a.attname) AS columns
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname IN ('public', 'audit_chain')
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                GROUP BY 1, 2 ORDER BY 2
                """).map { (try $0.decode("qualified", as: String.self), try $0.decode("name", as: String.self),
                            try $0.decode("insertable", as: [String]?.self) ?? [], try $0.decode("columns", as: [String].self)) }
            #expect(relations.count > 40)
            var found: [String: [String]] = [:]
            for (group, name) in Self.logins {
                let login = try GuardTests.login(name, db)
                defer { login.close() }
                try login.query("BEGIN")
                defer { _ = try? login.query("ROLLBACK") }
                for (qualified, table, insertable, columns) in relations {
                    func verb(_ verb: String, _ columns: [String], _ statement: (String) -> String) throws {
                        let open = try columns.filter { try Self.writes(statement(SQL.quoteIdentifier($0)), on: login) }
                        if open.isEmpty { return }
                        found[table, default: []].append(open.count == columns.count ? "\(group) \(verb)"
                                                          : "\(group) \(verb) (\(open.joined(separator: ", ")))")
                    }
                    try verb("INSERT", insertable) { "INSERT INTO \(qualified) (\($0)) SELECT NULL WHERE false" }
                    try verb("UPDATE", columns) { "UPDATE \(qualified) SET \($0) = DEFAULT WHERE false" }
                    if try Self.writes("DELETE FROM \(qualified) WHERE false", on: login) { found[table, default: []].append("\(group) DELETE") }
                    if try Self.writes("TRUNCATE \(qualified)", on: login) { found[table, default: []].append("\(group) TRUNCATE") }
                }
            }
            let unexpected = found.filter { Self.allowed[$0.key] == nil }
            #expect(unexpected.isEmpty, "written outside the allow-list: \(unexpected.sorted { $0.key < $1.key })")
            for (table, entry) in Self.allowed {
                #expect((found[table] ?? []).sorted() == entry.writers.sorted(), "\(table): \((found[table] ?? []).sorted())")
            }
            // Nothing at all for the audit log, its chain, the sign-in tables and the migrator's records.
            for table in ["audit_log", "head", "user_passwords", "web_sessions", "sign_in_events", "schema_migrations", "schema_functions"] {
                #expect(found[table] == nil, "\(table)")
            }
            // The sector departments write nothing directly, and nobody writes a review row (reviews
            // go through ww_review_flag).
            #expect(found.values.joined().filter { $0.hasPrefix("sector ") }.isEmpty)
            #expect(found["flag_reviews"] == nil)
        }
    }
}
