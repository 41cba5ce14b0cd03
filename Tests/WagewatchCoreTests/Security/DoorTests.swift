import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Issue 21, "writes only through doors": the SECURITY DEFINER functions that check a rule and
/// write for the user. Each test signs in as a user's own login, as a person with psql and their
/// own password would.
@Suite("A flag is reviewed only through its door, by its lead department (issue 21)")
struct FlagReviewDoorTests {
    /// G107 (a government road, led by transport) and a red R1 flag on it; a transport reviewer,
    /// a water reviewer. Returns the flag's id.
    static func seed(_ db: Connection) throws -> Int64 {
        try CountyFixture.register([CountyFixture.owner.named("交通局建设处"), CountyFixture.contractor], on: db)
        try CountyFixture.register([CountyFixture.g107], on: db)
        for (name, department) in [("door_jiaotong", "transport"), ("door_shuiwu", "water")] {
            _ = try UserDirectory().add(name: name, role: "sector", department: department, regionCode: nil, on: db)
        }
        let run: Int64 = try db.query("INSERT INTO rule_runs (as_of, full_run) VALUES ('2026-03-02', true) RETURNING id").one().decode("id")
        return try db.query("""
            INSERT INTO flags (region_code, rule, severity, subject_kind, subject_id, project_id, employer_id, department,
                               period, raised_on, raised_by_run, evidence, last_seen_run)
            SELECT p.region_code, 'no_wage_account', 'red', 'project', p.id, p.id, p.contractor_id, 'transport',
                   '2026-03', '2026-03-02', \(run), '{}', \(run)
            FROM projects p WHERE p.code = \(CountyFixture.g107.code)
            RETURNING id
            """).one().decode("id")
    }

    static func status(_ db: Connection, _ flag: Int64) throws -> String {
        try db.query("SELECT status FROM flags WHERE id = \(flag)").one().decode("status")
    }

    @Test("a sector login writes nothing with raw SQL: no flag, no review row, no direct-pay order, no project mode")
    func rawSQLRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            let flag = try Self.seed(db)
            let sector = try GuardTests.login("door_jiaotong", db)
            defer { sector.close() }
            #expect(try sector.query("SELECT count(*) AS n FROM flags").one().decode("n", as: Int.self) == 1, "it reads its flag")
            let project: Int64 = try db.query("SELECT id FROM projects").one().decode("id")
            for attack in [
                "UPDATE flags SET status = 'dismissed', review_reason = '无', reviewed_by = 'door_jiaotong', reviewed_at = now() WHERE id = \(flag)",
                "UPDATE flags SET status = 'acknowledged' WHERE id = \(flag)",
                "INSERT INTO flag_reviews (region_code, flag_id, action, reviewer, department) VALUES ('410102', \(flag), 'ack', 'door_jiaotong', 'transport')",
                "INSERT INTO direct_pay_orders (region_code, project_id, basis) VALUES ('410102', \(project), 'x')",
                "UPDATE projects SET direct_pay_mode = true WHERE id = \(project)",
            ] {
                // Refused by the grants themselves, not by a guard further in.
                let error = #expect(throws: PostgresError.self, "\(attack)") { try sector.query(SQL(unsafeSQL: attack)) }
                #expect(error?.message.hasPrefix("permission denied for table") == true, "\(attack): \(error?.message ?? "")")
            }
            #expect(try Self.status(db, flag) == "open")
            #expect(try db.query("SELECT count(*) AS n FROM flag_reviews").one().decode("n", as: Int.self) == 0)
            #expect(try db.query("SELECT count(*) AS n FROM direct_pay_orders").one().decode("n", as: Int.self) == 0)
        }
    }

    @Test("the door: only the lead department, as itself, at the database's time, each step once; D1 orders direct pay")
    func door() async throws {
        try await TestDatabase.withFresh { db, _ in
            let flag = try Self.seed(db)
            // Another department may call the door but is refused; nobody else may even call it.
            let water = try GuardTests.login("door_shuiwu", db)
            defer { water.close() }
            let other = #expect(throws: PostgresError.self) { try water.query("SELECT ww_review_flag(\(flag), 'ack')") }
            #expect(other?.hint == "denied")
            #expect(other?.message.contains("led by transport") == true, "\(other?.message ?? "")")
            for name in ["zhang_jiancha", "wang_juzhang", "hotline_li"] {
                let login = try GuardTests.login(name, db)
                defer { login.close() }
                let refused = #expect(throws: PostgresError.self, "\(name)") { try login.query("SELECT ww_review_flag(\(flag), 'ack')") }
                #expect(refused?.code == .insufficientPrivilege, "\(name)")
            }
            #expect(try Self.status(db, flag) == "open")

            let sector = try GuardTests.login("door_jiaotong", db)
            defer { sector.close() }
            // Not in another's name.
            let forged = #expect(throws: PostgresError.self) {
                try sector.query("SELECT ww_review_flag(\(flag), 'ack', NULL, NULL, 'door_shuiwu')")
            }
            #expect(forged?.hint == "denied")
            for (attack, hint) in [("SELECT ww_review_flag(\(flag), 'forget')", "invalid"),
                                   ("SELECT ww_review_flag(\(flag), 'confirm', 'shrug')", "invalid"),
                                   ("SELECT ww_review_flag(\(flag), 'dismiss', NULL, '  ')", "invalid"),
                                   ("SELECT ww_review_flag(999999, 'ack')", "not_found")] {
                let error = #expect(throws: PostgresError.self, "\(attack)") { try sector.query(SQL(unsafeSQL: attack)) }
                #expect(error?.hint == hint, "\(attack): \(error?.message ?? "")")
            }
            #expect(try Self.status(db, flag) == "open")

            // Through the Core desk on the login's own connection: the door, as the login.
            let acked = try FlagDesk().review(FlagID(flag), .acknowledge, reviewer: "door_jiaotong", on: sector)
            #expect(acked.status == .acknowledged && acked.reviewedBy == "door_jiaotong")
            let twice = #expect(throws: WagewatchError.self) {
                try FlagDesk().review(FlagID(flag), .acknowledge, reviewer: "door_jiaotong", on: sector)
            }
            #expect(twice?.kind == .conflict)
            try sector.query("SELECT ww_review_flag(\(flag), 'confirm', 'direct_pay')")
            let row = try db.query("""
                SELECT status, review_action, reviewed_by, reviewed_at > now() - interval '1 minute' AS fresh FROM flags WHERE id = \(flag)
                """).one()
            #expect(try row.decode("status", as: String.self) == "confirmed")
            #expect(try row.decode("review_action", as: String.self) == "direct_pay")
            #expect(try row.decode("reviewed_by", as: String.self) == "door_jiaotong")
            #expect(try row.decode("fresh", as: Bool.self))
            let reviews = try db.query("SELECT action, reviewer, department FROM flag_reviews WHERE flag_id = \(flag) ORDER BY id")
                .map { "\(try $0.decode("action", as: String.self)) \(try $0.decode("reviewer", as: String.self)) \(try $0.decode("department", as: String.self))" }
            #expect(reviews == ["ack door_jiaotong transport", "confirm door_jiaotong transport"])
            // D1: the government road is now paid directly, on the reviewer's order.
            let order = try db.query("SELECT ordered_by, flag_id FROM direct_pay_orders").one()
            #expect(try order.decode("ordered_by", as: String.self) == "door_jiaotong")
            #expect(try order.decode("flag_id", as: Int64.self) == flag)
            #expect(try db.query("SELECT direct_pay_mode FROM projects").one().decode("direct_pay_mode", as: Bool.self))
            // Every step audited, as the reviewer.
            let actors = try db.query("""
                SELECT DISTINCT actor FROM audit_log WHERE table_name IN ('flags', 'flag_reviews', 'direct_pay_orders', 'projects')
                  AND action = CASE table_name WHEN 'flags' THEN 'update' WHEN 'projects' THEN 'update' ELSE 'insert' END
                """).map { try $0.decode("actor", as: String.self) }
            #expect(actors == ["door_jiaotong"])
            let closed = #expect(throws: PostgresError.self) { try sector.query("SELECT ww_review_flag(\(flag), 'dismiss', NULL, '改判')") }
            #expect(closed?.hint == "conflict")
        }
    }
}

@Suite("A complaint's number is the counter's (issue 21)")
struct ComplaintNumberTests {
    @Test("a hotline login cannot reset or set a counter, nor file under a number it chose; the counter's next number goes in")
    func rawSQL() async throws {
        try await TestDatabase.withFresh { db, _ in
            try GuardTests.seed(db)   // one complaint in 410122 on 2026-03-02: TS-20260302-0001
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            for attack in ["UPDATE complaint_counters SET last = 0",
                           "INSERT INTO complaint_counters (region_code, day, last) VALUES ('410122', '2026-03-03', 0)",
                           "DELETE FROM complaint_counters"] {
                let error = #expect(throws: PostgresError.self, "\(attack)") { try hotline.query(SQL(unsafeSQL: attack)) }
                #expect(error?.message.hasPrefix("permission denied for table") == true, "\(attack): \(error?.message ?? "")")
            }
            let employer: Int64 = try db.query("SELECT employer_id FROM complaints LIMIT 1").one().decode("employer_id")
            /// Files one complaint received on 2026-03-02 10:00 in Shanghai under `number`, the
            /// counter's next number when `number` is nil (taken in the same statement).
            func file(_ number: String?, receivedOn: String = "2026-03-02") throws {
                try hotline.query("""
                    INSERT INTO complaints (region_code, number, received_at, received_on, channel, employer_id, employer_name,
                        workers_involved, amount_owed_fen, decision_days, decision_due)
                    SELECT '410122', coalesce(\(number), 'TS-20260302-' || lpad(k.o_last::text, 4, '0')), '2026-03-02 10:00+08',
                           \(receivedOn)::date, '12333', \(employer), '郑州宏达建筑劳务有限公司', 2, 500000, 5,
                           ww_add_working_days(\(receivedOn)::date, 5)
                    FROM (SELECT o_last FROM ww_take_complaint_numbers(ARRAY['410122'], ARRAY[date '2026-03-02'], ARRAY[1])
                          WHERE \(number == nil)
                          UNION ALL SELECT 0 WHERE \(number != nil)) k
                    """)
            }
            let before = try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self)
            for number in ["TS-20260302-0002", "TS-20260302-0009", "TS-20260302-0001", "TS-20260303-0001", "TS-20260302-02", "某号"] {
                #expect(throws: PostgresError.self, "\(number)") { try file(number) }
            }
            // Another day's receipt under today's number, and a number for the wrong day.
            #expect(throws: PostgresError.self, "received_on of another day") { try file(nil, receivedOn: "2026-03-05") }
            #expect(try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == before, "nothing written")
            #expect(try db.query("SELECT last FROM complaint_counters WHERE region_code = '410122' AND day = '2026-03-02'")
                .one().decode("last", as: Int.self) == 1, "a refused filing takes no number")
            // The counter's own next number goes in, and intake goes on numbering after it.
            try file(nil)
            #expect(try db.query("SELECT max(number) AS m FROM complaints").one().decode("m", as: String.self) == "TS-20260302-0002")
            let input = try ComplaintInput.parse { column in
                ["received_at": "2026-03-02 11:00", "region_code": "410122", "channel": "12333", "employer_name": "某劳务公司",
                 "workers_involved": "2", "amount_owed": "3000"][column]
            }.get()
            let third = try ComplaintIntake().add(input, on: hotline)
            #expect(third.number == "TS-20260302-0003")
        }
    }

    @Test("the counters' door only moves forward, only in one's own region, only for those who file complaints")
    func door() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try UserDirectory().add(name: "rexian_door_410181", role: "intake", department: "labor", regionCode: "410181", on: db)
            _ = try UserDirectory().add(name: "jiaotong_door", role: "sector", department: "transport", regionCode: nil, on: db)
            let local = try GuardTests.login("rexian_door_410181", db)
            defer { local.close() }
            let elsewhere = #expect(throws: PostgresError.self) {
                try local.query("SELECT * FROM ww_take_complaint_numbers(ARRAY['410122'], ARRAY[date '2026-03-02'], ARRAY[1])")
            }
            #expect(elsewhere?.hint == "denied")
            for count in [0, -5] {
                #expect(throws: PostgresError.self, "\(count)") {
                    try local.query("SELECT * FROM ww_take_complaint_numbers(ARRAY['410181'], ARRAY[date '2026-03-02'], ARRAY[\(count)])")
                }
            }
            let last: Int = try local.query("SELECT o_last FROM ww_take_complaint_numbers(ARRAY['410181'], ARRAY[date '2026-03-02'], ARRAY[2])")
                .one().decode("o_last")
            #expect(last == 2)
            let sector = try GuardTests.login("jiaotong_door", db)
            defer { sector.close() }
            let refused = #expect(throws: PostgresError.self) {
                try sector.query("SELECT * FROM ww_take_complaint_numbers(ARRAY['410181'], ARRAY[date '2026-03-02'], ARRAY[1])")
            }
            #expect(refused?.code == .insufficientPrivilege)
        }
    }
}

@Suite("The doors themselves (issue 21)")
struct DoorCatalogueTests {
    /// The SECURITY DEFINER functions (trigger functions aside) each group may call, beyond
    /// those every role may (`everyone`). A door granted to a group without a line here fails.
    static let everyone: Set<String> = [
        // reads that return only what the caller may read (masked, or under the caller's row security)
        "ww_case_returned_masked", "ww_case_workers_masked", "ww_may_read_case",
        "ww_case_timeline", "ww_complaint_timeline", "ww_timeline_rows", "ww_search_grams",
        // the audit chain's verification: positions and hashes, no content
        "ww_audit_verify_page",
    ]
    /// The API's tokens (sql/functions/api.sql): every user manages their own and records their
    /// calls; those who file complaints keep their Idempotency-Keys.
    static let tokenDoors: Set<String> = ["ww_api_token_add", "ww_api_token_list", "ww_api_token_revoke", "ww_api_call"]
    static let idempotencyDoors: Set<String> = ["ww_api_idempotency_begin", "ww_api_idempotency_finish"]
    /// Case work (sql/functions/cases.sql): inspectors and administrators.
    static let caseDoors: Set<String> = ["ww_assign_case", "ww_extend_case", "ww_claim_case", "ww_record_recovery",
                                         "ww_record_direct_pay_recovery", "ww_close_case", "ww_lock_case_to_join"]
    /// Direct pay (sql/functions/direct_pay.sql); a bureau head (official) may approve too.
    static let directPayDoors: Set<String> = ["ww_order_direct_pay", "ww_clear_direct_pay", "ww_plan_direct_pay", "ww_approve_direct_pay",
                                              "ww_execute_direct_pay", "ww_return_direct_pay_line"]
    /// Complaint decisions and sanctions (sql/functions/complaints_guard.sql, sanctions.sql).
    static let decisionDoors: Set<String> = ["ww_decide_complaint", "ww_add_sanction", "ww_lift_sanction", "ww_order_payment"]
    /// Imports and ledger accounts (sql/functions/import_*.sql, accounts.sql): inspectors and
    /// administrators; those who file complaints register the employers they name.
    static let importDoors: Set<String> = ["ww_import_employers", "ww_import_workers", "ww_import_payroll", "ww_import_attendance",
                                           "ww_register_intake_employers", "ww_open_account", "ww_implicit_account"]

    static let doors: [String: Set<String>] = [
        "intake": Set(["ww_take_complaint_numbers", "ww_register_intake_employers"]).union(tokenDoors).union(idempotencyDoors),
        "inspector": Set(["ww_take_complaint_numbers", "ww_post_transfer", "ww_acknowledge_escalation", "ww_resolve_escalation",
                          "ww_import_bank_lines"])
            .union(tokenDoors).union(idempotencyDoors).union(caseDoors).union(directPayDoors).union(decisionDoors).union(importDoors),
        "sector": Set(["ww_review_flag", "ww_flag_lead"]).union(tokenDoors),
        "official": Set(["ww_acknowledge_escalation", "ww_approve_direct_pay"]).union(tokenDoors),
        "admin": Set(["ww_take_complaint_numbers", "ww_post_transfer", "ww_acknowledge_escalation", "ww_resolve_escalation",
                      "ww_review_flag", "ww_flag_lead", "ww_add_user", "ww_set_password", "ww_set_user_disabled",
                      "ww_import_bank_lines"]).union(tokenDoors).union(idempotencyDoors).union(caseDoors).union(directPayDoors).union(decisionDoors).union(importDoors),
    ]

    @Test("every SECURITY DEFINER function pins its search_path")
    func pinned() async throws {
        try await TestDatabase.withFresh { db, _ in
            let loose = try db.query("""
                SELECT p.oid::regprocedure::text AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('public', 'audit_chain') AND p.prosecdef
                  AND NOT coalesce(EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=pg\\_catalog%'), false)
                ORDER BY 1
                """).map { try $0.decode("f", as: String.self) }
            #expect(loose.isEmpty, "\(loose)")
        }
    }

    @Test("each group may call exactly its doors")
    func grants() async throws {
        try await TestDatabase.withFresh { db, _ in
            let rows = try db.query("""
                SELECT g AS grp, p.proname::text AS f
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public',
                     unnest(ARRAY['intake', 'inspector', 'sector', 'official', 'admin']) g
                WHERE p.prosecdef AND p.prorettype <> 'trigger'::regtype
                  AND has_function_privilege('wagewatch_' || g, p.oid, 'EXECUTE')
                """)
            var found: [String: Set<String>] = [:]
            for row in rows { found[try row.decode("grp"), default: []].insert(try row.decode("f")) }
            // Web sign-in doors run as the server's login, not as a group: leave them to WebTests.
            let signIn = try db.query("""
                SELECT DISTINCT p.proname::text AS f FROM pg_proc p
                WHERE p.prosecdef AND has_function_privilege('wagewatch_authenticator', p.oid, 'EXECUTE')
                  AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
                """).map { try $0.decode("f", as: String.self) }
            for (group, names) in Self.doors {
                let mine = (found[group] ?? []).subtracting(Self.everyone).subtracting(signIn)
                #expect(mine == names, "\(group): \(mine.sorted())")
            }
        }
    }
}
