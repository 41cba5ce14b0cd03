import Foundation
import PostgresClient
import Testing
import WagewatchCore
import TestSupport

/// Issue 21, "writes only through doors", for case work (sql/functions/cases.sql): with their own
/// login and raw SQL, as a person with psql and their password would, an inspector changes a case
/// only through its doors, and each door holds its rule whoever calls it.
@Suite("Case work only through its doors (issue 21)")
struct CaseDoorTests {
    /// GuardTests' complaint and case in 410122 (3 workers, ¥9,000 owed), an inspector of 410181.
    /// Returns the case's id.
    static func seed(_ db: Connection) throws -> Int64 {
        try GuardTests.seed(db)
        _ = try UserDirectory().add(name: "casedoor_410181", role: "inspector", department: "labor", regionCode: "410181", on: db)
        return try db.query("SELECT id FROM cases").one().decode("id")
    }

    static func refusal(_ statement: String, on login: Connection) -> PostgresError? {
        do {
            try login.query(SQL(unsafeSQL: statement))
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            return nil
        }
    }

    @Test("an inspector's raw UPDATE of a case and INSERT of a claim, recovery or extension are refused by the grants")
    func rawWritesRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            let id = try Self.seed(db)
            let own = try GuardTests.login("zhang_jiancha", db)
            defer { own.close() }
            for attack in [
                "UPDATE cases SET status = 'closed', closed_at = '2026-03-03', disposition = 'paid_in_full' WHERE id = \(id)",
                "UPDATE cases SET investigation_due = '2099-12-31' WHERE id = \(id)",
                "UPDATE cases SET assigned_to = 'wang_juzhang' WHERE id = \(id)",
                "INSERT INTO claims (region_code, case_id, id_number, owed_fen) VALUES ('410122', \(id), '11010519491231002X', 100)",
                "INSERT INTO recoveries (region_code, case_id, id_number, recovered_on, amount_fen, source) VALUES ('410122', \(id), '11010519491231002X', '2026-03-03', 900000000, 'employer')",
                "INSERT INTO case_extensions (region_code, case_id, days, approver, reason) VALUES ('410122', \(id), 300, '我', '无')",
            ] {
                let error = Self.refusal(attack, on: own)
                #expect(error?.code == .insufficientPrivilege && error?.message.hasPrefix("permission denied for table") == true,
                        "\(attack): \(String(describing: error))")
            }
            let row = try db.query("SELECT status, investigation_due::text AS due, assigned_to FROM cases").one()
            #expect(try row.decode("status", as: String.self) == "open")
            #expect(try row.decode("assigned_to", as: String?.self) == nil)
            for table in ["claims", "recoveries", "case_extensions"] {
                #expect(try db.query("SELECT count(*) AS n FROM \(identifier: table)").one().decode("n", as: Int.self) == 0, "\(table)")
            }
        }
    }

    @Test("the doors hold their rules against raw calls: paid only when recovered, no backdated close, more than owed, C5's one extension")
    func doorsHoldTheirRules() async throws {
        try await TestDatabase.withFresh { db, _ in
            let id = try Self.seed(db)
            let own = try GuardTests.login("zhang_jiancha", db)
            defer { own.close() }
            // ¥9,000 owed and nothing recovered: a "paid" close is a conflict.
            let paid = Self.refusal("SELECT ww_close_case(\(id), 'paid_in_full', NULL)", on: own)
            #expect(paid?.hint == "conflict" && paid?.message.contains("¥9,000.00 unrecovered") == true, "\(String(describing: paid))")
            // More than is owed, and a recovery dated in the future.
            let more = Self.refusal("SELECT ww_record_recovery(\(id), '11010519491231002X', '2026-03-03', 900001, 'employer', NULL)", on: own)
            #expect(more?.hint == "conflict" && more?.message.contains("¥9000.00 still owed on case \(id)") == true, "\(String(describing: more))")
            let future = Self.refusal("SELECT ww_record_recovery(\(id), '11010519491231002X', current_date + 30, 100, 'employer', NULL)", on: own)
            #expect(future?.hint == "invalid" && future?.message.hasPrefix("date: ") == true, "\(String(describing: future))")
            // C5: at most the configured 30 days, once.
            let long = Self.refusal("SELECT ww_extend_case(\(id), 31, '局长', '多级分包')", on: own)
            #expect(long?.hint == "invalid" && long?.message == "days: \"31\" must be from 1 to 30 working days", "\(String(describing: long))")
            try own.query("SELECT ww_extend_case(\(id), 5, '局长', '多级分包')")
            let twice = Self.refusal("SELECT ww_extend_case(\(id), 5, '局长', '再延')", on: own)
            #expect(twice?.hint == "conflict", "\(String(describing: twice))")
            // A direct-pay recovery needs a paid line.
            let unpaid = Self.refusal("SELECT ww_record_direct_pay_recovery(1, 1)", on: own)
            #expect(unpaid?.hint == "conflict", "\(String(describing: unpaid))")
            // A close asked for in 2020 is dated now, and stamps nothing the caller names.
            try own.query("SELECT ww_close_case(\(id), 'referred_court', '起诉', '2020-01-01')")
            let closed = try db.query("""
                SELECT status, disposition, close_reason, closed_at > now() - interval '1 hour' AS now_ish FROM cases
                """).one()
            #expect(try closed.decode("status", as: String.self) == "closed")
            #expect(try closed.decode("disposition", as: String.self) == "referred_court")
            #expect(try closed.decode("close_reason", as: String.self) == "起诉")
            #expect(try closed.decode("now_ish", as: Bool.self))
            #expect(try db.query("SELECT created_by FROM case_extensions").one().decode("created_by", as: String.self) == "zhang_jiancha")
            // A closed case takes nothing more.
            for call in ["SELECT ww_record_recovery(\(id), '11010519491231002X', '2026-03-03', 100, 'employer', NULL)",
                         "SELECT ww_claim_case(\(id), '11010519491231002X', NULL, 100)",
                         "SELECT ww_assign_case(\(id), 'zhang_jiancha')",
                         "SELECT ww_close_case(\(id), 'withdrawn', NULL)"] {
                let error = Self.refusal(call, on: own)
                #expect(error?.hint == "conflict" && error?.message == "case \(id) is closed", "\(call): \(String(describing: error))")
            }
        }
    }

    @Test("another region's inspector, a group role and the hotline cannot use the doors")
    func whoMayCall() async throws {
        try await TestDatabase.withFresh { db, _ in
            let id = try Self.seed(db)
            let other = try GuardTests.login("casedoor_410181", db)
            defer { other.close() }
            let notTheirs = Self.refusal("SELECT ww_close_case(\(id), 'withdrawn', NULL)", on: other)
            #expect(notTheirs?.hint == "not_found" && notTheirs?.message == "no case \(id)", "\(String(describing: notTheirs))")
            try other.query("SET ROLE wagewatch_inspector")
            let group = Self.refusal("SELECT ww_close_case(\(id), 'withdrawn', NULL)", on: other)
            #expect(group?.hint == "denied" && group?.message.contains("not wagewatch users") == true, "\(String(describing: group))")
            let hotline = try GuardTests.login("hotline_li", db)
            defer { hotline.close() }
            let intake = Self.refusal("SELECT ww_close_case(\(id), 'withdrawn', NULL)", on: hotline)
            #expect(intake?.code == .insufficientPrivilege && intake?.message.hasPrefix("permission denied for function") == true,
                    "\(String(describing: intake))")
            #expect(try db.query("SELECT status FROM cases").one().decode("status", as: String.self) == "open")
        }
    }

    /// A pending complaint in 410122 against an employer no case is about (received Monday 2026-03-02).
    static func pendingComplaint(_ db: Connection, employer: String) throws -> Int64 {
        let input = try ComplaintInput.parse { column in
            ["received_at": "2026-03-02 10:00", "region_code": "410122", "channel": "12333", "employer_name": employer,
             "workers_involved": "2", "amount_owed": "5000"][column]
        }.get()
        return try ComplaintIntake().add(input, on: db).id.value
    }

    @Test("only the decision's door opens a case: a raw INSERT is refused; the door opens it open, with the settings' period, dated now")
    func openedOnlyByTheDecision() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try Self.seed(db)
            let hotline = try GuardTests.login("hotline_li", db)
            let inspector = try GuardTests.login("zhang_jiancha", db)
            defer { hotline.close(); inspector.close() }
            for login in [hotline, inspector] {
                let refused = Self.refusal("""
                    INSERT INTO cases (region_code, status, employer_id, accepted_on, investigation_days, investigation_due)
                    SELECT region_code, 'closed', employer_id, '2026-03-03', 30, '2099-12-31' FROM complaints LIMIT 1
                    """, on: login)
                #expect(refused?.code == .insufficientPrivilege, "\(String(describing: refused))")
                let update = Self.refusal("UPDATE complaints SET decision_due = '2099-12-31', workers_involved = 1", on: login)
                #expect(update?.code == .insufficientPrivilege, "\(String(describing: update))")
            }
            // The period is the settings table's, not the caller's: 30 here.
            try db.query("UPDATE settings SET value = '30' WHERE key = 'investigation_days'")
            let first = try Self.pendingComplaint(db, employer: "郑州第一劳务有限公司")
            // The service account acting as the inspector keeps its pinned day (the tests' and the demo's clock).
            try db.query("SET ROLE zhang_jiancha")
            let caseID: Int64 = try db.query("SELECT ww_decide_complaint('410122', \(first), 'accepted', NULL, NULL, '2026-03-03', NULL) AS c")
                .one().decode("c")
            try db.query("RESET ROLE")
            let row = try db.query("""
                SELECT status, extended_days, investigation_days, investigation_due::text AS due, assigned_to,
                       opened_at > now() - interval '1 hour' AS now_ish, (SELECT decided_by FROM complaints WHERE id = \(first)) AS by
                FROM cases WHERE id = \(caseID)
                """).one()
            #expect(try row.decode("status", as: String.self) == "open")
            #expect(try row.decode("extended_days", as: Int.self) == 0)
            #expect(try row.decode("investigation_days", as: Int.self) == 30)
            // 30 working days after Tuesday 2026-03-03, by hand: 20 in March (4–6, 9–13, 16–20,
            // 23–27, 30–31), 1–3 April (23), Qingming closes 4–6 April (Monday the 6th), 7–10 April
            // (27), 13–15 April (30).
            #expect(try row.decode("due", as: String.self) == "2026-04-15")
            #expect(try row.decode("assigned_to", as: String?.self) == nil)
            #expect(try row.decode("now_ish", as: Bool.self))
            #expect(try row.decode("by", as: String.self) == "zhang_jiancha")

            // A user's own login cannot backdate: the day and the time are the database's.
            let second = try Self.pendingComplaint(db, employer: "郑州第二劳务有限公司")
            let other: Int64 = try inspector.query("""
                SELECT ww_decide_complaint('410122', \(second), 'accepted', NULL, NULL, '2020-01-01', '2020-01-01') AS c
                """).one().decode("c")
            let dated = try db.query("""
                SELECT c.accepted_on = (now() AT TIME ZONE 'Asia/Shanghai')::date AS today, k.decided_at > now() - interval '1 hour' AS now_ish
                FROM cases c JOIN complaints k ON k.case_id = c.id WHERE c.id = \(other) AND k.id = \(second)
                """).one()
            #expect(try dated.decode("today", as: Bool.self) && dated.decode("now_ish", as: Bool.self))
        }
    }

    @Test("the decision's door: once, with its reason or target, into an open case of the region, never before receipt, by an inspector")
    func decisionDoor() async throws {
        try await TestDatabase.withFresh { db, _ in
            let caseID = try Self.seed(db)
            let complaint = try Self.pendingComplaint(db, employer: "郑州第三劳务有限公司")
            let inspector = try GuardTests.login("zhang_jiancha", db)
            let other = try GuardTests.login("casedoor_410181", db)
            let hotline = try GuardTests.login("hotline_li", db)
            defer { [inspector, other, hotline].forEach { $0.close() } }
            let call = { (outcome: String, note: String, target: String) in
                "SELECT ww_decide_complaint('410122', \(complaint), '\(outcome)', \(note), \(target), NULL, NULL)"
            }
            let noReason = Self.refusal(call("refused", "'  '", "NULL"), on: inspector)
            #expect(noReason?.hint == "invalid" && noReason?.message.hasPrefix("refuse:") == true, "\(String(describing: noReason))")
            let noTarget = Self.refusal(call("referred", "NULL", "NULL"), on: inspector)
            #expect(noTarget?.hint == "invalid" && noTarget?.message.hasPrefix("refer:") == true, "\(String(describing: noTarget))")
            let noCase = Self.refusal(call("merged", "NULL", "NULL"), on: inspector)
            #expect(noCase?.hint == "invalid", "\(String(describing: noCase))")
            #expect(Self.refusal(call("merged", "NULL", "999999"), on: inspector)?.hint == "not_found")
            #expect(Self.refusal(call("approved", "NULL", "NULL"), on: inspector)?.hint == "invalid")
            let elsewhere = Self.refusal(call("refused", "'重复'", "NULL"), on: other)
            #expect(elsewhere?.hint == "not_found" && elsewhere?.message == "no complaint \(complaint)", "\(String(describing: elsewhere))")
            #expect(Self.refusal(call("refused", "'重复'", "NULL"), on: hotline)?.code == .insufficientPrivilege)
            try inspector.query("SET ROLE wagewatch_inspector")
            #expect(Self.refusal(call("refused", "'重复'", "NULL"), on: inspector)?.hint == "denied")
            try inspector.query("RESET ROLE")
            // The service account's pinned clock is kept, but never before the complaint was received.
            try db.query("SET ROLE zhang_jiancha")
            let early = Self.refusal("SELECT ww_decide_complaint('410122', \(complaint), 'refused', '重复', NULL, NULL, '2026-03-01 09:00+08')", on: db)
            #expect(early?.hint == "invalid" && early?.message.hasPrefix("decided_at:") == true, "\(String(describing: early))")
            try db.query("RESET ROLE")
            // A closed case takes no complaint.
            try db.query("UPDATE cases SET status = 'closed', closed_at = now(), close_reason = '测试', disposition = 'withdrawn' WHERE id = \(caseID)")
            #expect(Self.refusal(call("merged", "NULL", "\(caseID)"), on: inspector)?.hint == "conflict")
            try inspector.query(SQL(unsafeSQL: call("referred", "'劳动人事争议仲裁委员会'", "NULL")))
            let again = Self.refusal(call("refused", "'重复'", "NULL"), on: inspector)
            #expect(again?.hint == "conflict" && again?.message.contains("recorded once") == true, "\(String(describing: again))")
            let decided = try db.query("SELECT outcome, referred_to, reason, decided_by FROM complaints WHERE id = \(complaint)").one()
            #expect(try decided.decode("outcome", as: String.self) == "referred")
            #expect(try decided.decode("referred_to", as: String.self) == "劳动人事争议仲裁委员会")
            #expect(try decided.decode("reason", as: String?.self) == nil)
            #expect(try decided.decode("decided_by", as: String.self) == "zhang_jiancha")
        }
    }
}
