import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// A government transport project with a wage account, 5 workers, a signed October payroll with
/// wages unpaid, and an open case where one worker has a claim.
private enum DirectPayFixture {
    static let region = CountyFixture.region
    static let code = CountyFixture.g107.code
    static let october = Month(year: 2026, month: 10)!

    static func workerID(_ n: Int) -> String {
        CountyFixture.residentID(birth: LocalDate(year: 1980 + n, month: 3, day: 7)!, sequence: 10 + n)
    }

    static func seed(_ db: Connection, wageFunds: Int64 = 5_000_000, bankless: Bool = true, unsigned: Bool = true) throws {
        try CountyFixture.directPayProject(treasuryFen: 100_000_000, allocatedFen: wageFunds, on: db)
        for n in 0..<5 {
            let noBank = bankless && n == 4
            try db.query("""
                INSERT INTO workers (region_code, id_number, name, bank, bank_account, employer_id, project_id, joined)
                SELECT \(region), \(workerID(n)), \("工人\(n)"), \(noBank ? nil : "中国农业银行"),
                       \(noBank ? nil : "6228480000000\(100 + n)"),
                       (SELECT id FROM employers WHERE kind = 'general_contractor'), (SELECT id FROM projects), '2026-03-01'
                """)
            try db.query("""
                INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, paid_on, signed)
                SELECT \(region), (SELECT id FROM projects), \(october.firstDay), w.id, 22, 660000,
                       \(n == 0 ? Int64(200_000) : 0), \(n == 0 ? "2026-11-10" : nil), \(!(unsigned && n == 3))
                FROM workers w WHERE w.id_number = \(workerID(n))
                """)
        }
    }

    /// An open case where worker 1 claims ¥6,600.
    static func caseWithClaim(_ db: Connection) throws -> CaseID {
        let fields: [String: String] = [
            "received_at": "2026-11-12 10:00", "region_code": region, "channel": "12333",
            "employer_name": "河南路桥建设集团有限公司", "employer_uscc": "91110000100010433L", "project_code": code,
            "workers_involved": "1", "amount_owed": "6600",
        ]
        let intake = try ComplaintIntake().add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
        let caseID = try #require(try ComplaintDesk().decide(.number(intake.number), .accept, today: LocalDate(year: 2026, month: 11, day: 13)!, on: db).caseID)
        _ = try CaseDesk().claim(caseID, worker: try ResidentID(parsing: workerID(1), today: .testToday), name: "工人1", owedFen: 660_000, on: db)
        return caseID
    }
}

@Suite("Direct pay (D1–D4)")
struct DirectPayTests {
    let desk = DirectPayDesk()

    @Test("the full story: red flag confirmed with direct_pay, plan, approval by another user, execution, bank file, a returned line, recoveries on the case")
    func story() async throws {
        try await TestDatabase.withFresh { db, _ in
            try DirectPayFixture.seed(db)
            let caseID = try DirectPayFixture.caseWithClaim(db)
            // A red flag: R3 wages unpaid for October is due by the end of November.
            try db.query("INSERT INTO attendance (region_code, project_id, day, worker_id) SELECT '410102', project_id, '2026-10-12', id FROM workers")
            _ = try RuleEngine().run(asOf: LocalDate(year: 2026, month: 12, day: 2)!, only: "R3", on: db)
            let flag = try #require(try FlagDesk().list(FlagFilter(), on: db).first { $0.rule == "wages_unpaid" })
            #expect(flag.severity == .red)
            try db.query("INSERT INTO users (name, role, department) VALUES ('li_jiaotong', 'sector', 'transport')")
            // Before the confirmation the project is not in direct-pay mode.
            // A wrong state for planning (SPEC §4: conflict, exit 5).
            #expect {
                try desk.plan(project: DirectPayFixture.code, period: DirectPayFixture.october, planner: "zhang", on: db)
            } throws: { ($0 as? WagewatchError)?.kind == .conflict }
            _ = try FlagDesk().review(flag.id, .confirm(action: "direct_pay"), reviewer: "li_jiaotong", on: db)
            let mode = try db.query("SELECT direct_pay_mode FROM projects").one().decode("direct_pay_mode", as: Bool.self)
            #expect(mode)

            let plan = try desk.plan(project: DirectPayFixture.code, period: DirectPayFixture.october, planner: "zhang", on: db)
            // Worker 0 was paid ¥2,000 of ¥6,600; workers 1 and 2 nothing; 3 unsigned; 4 has no bank account.
            #expect(plan.lines.map(\.amountFen) == [460_000, 660_000, 660_000])
            #expect(plan.totalFen == 460_000 + 660_000 + 660_000)
            #expect(Set(plan.exceptions.map(\.reason)) == ["payroll line not signed", "no bank account registered"])
            #expect(plan.source == .wage)

            #expect { try desk.approve(plan.batchID, approver: "zhang", on: db) } throws: { ($0 as? WagewatchError)?.kind == .permissionDenied }
            #expect { try desk.execute(plan.batchID, at: Date(), on: db) } throws: { ($0 as? WagewatchError)?.kind == .conflict }
            _ = try desk.approve(plan.batchID, approver: "wang", on: db)
            let executed = try desk.execute(plan.batchID, at: Date(), on: db)
            #expect(executed.alreadyExecuted == false)
            #expect(executed.plan.lines.allSatisfy { $0.status == .paid })
            let balance = try Ledger(defaultRegion: "410102").balance(.wage(project: DirectPayFixture.code), asOf: nil, on: db)
            #expect(balance.balanceFen == 5_000_000 - plan.totalFen)

            // Worker 1's claim on the case is recovered by the direct payment.
            let detail = try CaseDesk().detail(caseID, on: db)
            #expect(detail.recoveries.map(\.source) == [.directPay])
            #expect(detail.case.recoveredFen == 660_000)

            let file = try desk.bankFile(plan.batchID, on: db)
            let rows = file.split(separator: "\n")
            #expect(rows.first == "worker_name,id_number,bank,account,amount_yuan,reference")
            #expect(rows.count == 1 + plan.lines.count + 1)
            #expect(rows.last?.hasPrefix("TOTAL,,,,17800.00,") == true)
            #expect(file.contains(DirectPayFixture.workerID(1)))

            let returned = try desk.returned(plan.batchID, line: 2, reason: "账户已销户", at: Date(), on: db)
            #expect(returned.lines.first { $0.line == 2 }?.status == .returned)
            let after = try Ledger(defaultRegion: "410102").balance(.wage(project: DirectPayFixture.code), asOf: nil, on: db)
            #expect(after.balanceFen == balance.balanceFen + plan.lines[1].amountFen)
            // Line 2 is worker 1, whose claim is on the case: the case shows the money held for them.
            let held = try CaseDesk().detail(caseID, on: db).returnedPayments
            #expect(held.map(\.line) == [2])
            #expect(held.first?.reason == "账户已销户")
            let entries = try Ledger(defaultRegion: "410102").entries(.wage(project: DirectPayFixture.code), on: db)
            #expect(entries.last?.memo?.contains("代付退回") == true)
        }
    }

    @Test("a second execution, or two at once, pays nothing more; no worker is paid twice for a month")
    func idempotentExecution() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try DirectPayFixture.seed(db)
            try desk.order(project: DirectPayFixture.code, basis: "监察指令书〔2026〕12号", flagID: nil, on: db)
            let plan = try desk.plan(project: DirectPayFixture.code, period: DirectPayFixture.october, planner: "zhang", on: db)
            _ = try desk.approve(plan.batchID, approver: "wang", on: db)
            let outcomes = Box()
            try runOnThreads(2) { _ in
                let connection = try Connection(conninfo)
                defer { connection.close() }
                let result = try DirectPayDesk().execute(plan.batchID, at: Date(), on: connection)
                outcomes.add(result.alreadyExecuted)
            }
            #expect(outcomes.values.sorted { !$0 && $1 } == [false, true])
            let again = try desk.execute(plan.batchID, at: Date(), on: db)
            #expect(again.alreadyExecuted)
            let paid = try db.query("SELECT count(*) AS n, sum(amount_fen) AS s FROM transfers t JOIN ledger_accounts a ON a.id = t.to_account WHERE a.kind = 'worker'").one()
            #expect(try paid.decode("n", as: Int.self) == plan.lines.count)
            #expect(try paid.decode("s", as: Int64.self) == plan.totalFen)
            // A new plan for the same month finds nobody left to pay.
            #expect { try desk.plan(project: DirectPayFixture.code, period: DirectPayFixture.october, planner: "zhang", on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .conflict
            }
        }
    }

    @Test("a batch larger than the funds available for labour cost is refused")
    func overFunds() async throws {
        try await TestDatabase.withFresh { db, _ in
            try DirectPayFixture.seed(db, wageFunds: 1_000_000)
            try desk.order(project: DirectPayFixture.code, basis: "监察指令", flagID: nil, on: db)
            #expect { try desk.plan(project: DirectPayFixture.code, period: DirectPayFixture.october, planner: "zhang", on: db) } throws: { error in
                (error as? WagewatchError)?.kind == .conflict && String(describing: error).contains("holds")
            }
            #expect(try db.query("SELECT count(*) AS n FROM direct_pay_batches").one().decode("n", as: Int.self) == 0)
        }
    }

    @Test("D2: a worker owed nothing for the period gets no line; one owed a part gets only what is owed")
    func noLineForWorkerOwedNothing() async throws {
        try await TestDatabase.withFresh { db, _ in
            try DirectPayFixture.seed(db, bankless: false, unsigned: false)
            // Worker 5 was paid all of October's ¥6,600, on the signed sheet.
            let paidInFull = DirectPayFixture.workerID(5)
            try db.query("""
                INSERT INTO workers (region_code, id_number, name, bank, bank_account, employer_id, project_id, joined)
                SELECT \(DirectPayFixture.region), \(paidInFull), '工人5', '中国农业银行', '6228480000000105',
                       (SELECT id FROM employers WHERE kind = 'general_contractor'), (SELECT id FROM projects), '2026-03-01'
                """)
            try db.query("""
                INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, paid_on, signed)
                SELECT \(DirectPayFixture.region), (SELECT id FROM projects), \(DirectPayFixture.october.firstDay), w.id, 22, 660000,
                       660000, '2026-11-10', true
                FROM workers w WHERE w.id_number = \(paidInFull)
                """)
            try desk.order(project: DirectPayFixture.code, basis: "监察指令", flagID: nil, on: db)
            let plan = try desk.plan(project: DirectPayFixture.code, period: DirectPayFixture.october, planner: "zhang", on: db)
            // Worker 0 was paid ¥2,000 of ¥6,600: ¥4,600; workers 1–4 nothing: ¥6,600 each; worker 5 no line.
            let lines = Dictionary(uniqueKeysWithValues: plan.lines.map { ($0.idNumber, $0.amountFen) })
            #expect(lines[paidInFull] == nil, "\(plan.lines)")
            #expect(!plan.exceptions.contains { $0.idNumber == paidInFull }, "\(plan.exceptions)")
            #expect(lines == Dictionary(uniqueKeysWithValues: (0..<5).map { (DirectPayFixture.workerID($0), $0 == 0 ? Int64(460_000) : 660_000) }))
            #expect(plan.totalFen == 460_000 + 4 * 660_000)
        }
    }

    @Test("direct-pay mode ends only by a recorded decision")
    func clearMode() async throws {
        try await TestDatabase.withFresh { db, _ in
            try DirectPayFixture.seed(db)
            try desk.order(project: DirectPayFixture.code, basis: "监察指令", flagID: nil, on: db)
            #expect { try desk.clear(project: DirectPayFixture.code, reason: " ", on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .invalidInput
            }
            try desk.clear(project: DirectPayFixture.code, reason: "总包已补足专户资金并按月足额发放", on: db)
            let row = try db.query("SELECT clear_reason FROM direct_pay_orders").one()
            #expect(try row.decode("clear_reason", as: String?.self) == "总包已补足专户资金并按月足额发放")
        }
    }
}

private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Bool] = []
    func add(_ value: Bool) { lock.withLock { items.append(value) } }
    var values: [Bool] { lock.withLock { items } }
}

@Suite("Direct pay's maker-checker is the database's (issue 21, finding 2)")
struct DirectPayGuardTests {
    @Test("an inspector's own login cannot approve their own batch, name another approver, or change a line after approval")
    func rawSQL() async throws {
        try await TestDatabase.withFresh { db, _ in
            try DirectPayFixture.seed(db)
            try db.query("UPDATE projects SET direct_pay_mode = true")
            let inspector = try GuardTests.login("zhang_jiancha", db)
            defer { inspector.close() }
            let plan = try DirectPayDesk().plan(project: DirectPayFixture.code, period: DirectPayFixture.october,
                                                planner: "zhang_jiancha", on: inspector)
            let batch = plan.batchID
            // Naming someone else as the approver of one's own batch, or oneself: no UPDATE at all.
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE direct_pay_batches SET status = 'approved', approved_by = 'li_jiancha_x', approved_at = now() WHERE id = \(batch)")
            }
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE direct_pay_batches SET status = 'approved', approved_by = 'zhang_jiancha' WHERE id = \(batch)")
            }
            #expect { try DirectPayDesk().approve(batch, approver: "zhang_jiancha", on: inspector) } throws: { error in
                WagewatchError.from(error).kind == .permissionDenied
            }
            // A second inspector approves, as themselves.
            _ = try UserDirectory().add(name: "li_fuhe", role: "inspector", department: "labor", regionCode: nil, on: db)
            let checker = try GuardTests.login("li_fuhe", db)
            defer { checker.close() }
            let approved = try DirectPayDesk().approve(batch, approver: "li_fuhe", on: checker)
            #expect(approved.status == .approved)
            // After approval: a line's account and amount, and the batch's total, are frozen; no line is added.
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE direct_pay_lines SET bank_account = '6222000011112222', amount_fen = amount_fen * 10 WHERE batch_id = \(batch) AND line_no = 1")
            }
            #expect(throws: PostgresError.self) {
                try inspector.query("UPDATE direct_pay_batches SET total_fen = total_fen * 10 WHERE id = \(batch)")
            }
            #expect(throws: PostgresError.self) {
                try inspector.query("""
                    INSERT INTO direct_pay_lines (region_code, batch_id, line_no, project_id, period, worker_id, id_number,
                        worker_name, bank, bank_account, amount_fen)
                    SELECT region_code, batch_id, 99, project_id, period, worker_id, id_number, worker_name, bank, '6222000011112222', 100
                    FROM direct_pay_lines WHERE batch_id = \(batch) AND line_no = 1
                    """)
            }
            // Execution pays exactly what was approved.
            let (paid, _) = try DirectPayDesk().execute(batch, at: Date(), on: inspector)
            #expect(paid.totalFen == plan.totalFen)
            #expect(paid.lines.map(\.amountFen) == plan.lines.map(\.amountFen))
        }
    }

    @Test("direct pay is written only through its doors: no grant on the tables; who plans, approves, executes and returns is checked there")
    func doors() async throws {
        try await TestDatabase.withFresh { db, _ in
            try DirectPayFixture.seed(db)
            let region = DirectPayFixture.region
            let project: Int64 = try db.query("SELECT id FROM projects WHERE code = \(DirectPayFixture.code)").one().decode("id")
            _ = try UserDirectory().add(name: "dp_410181", role: "inspector", department: "labor", regionCode: "410181", on: db)
            let inspector = try GuardTests.login("zhang_jiancha", db)
            let other = try GuardTests.login("dp_410181", db)
            let official = try GuardTests.login("wang_juzhang", db)
            let hotline = try GuardTests.login("hotline_li", db)
            defer { [inspector, other, official, hotline].forEach { $0.close() } }

            // No INSERT or UPDATE on the tables for anyone: the grants refuse before any guard.
            for statement in ["INSERT INTO direct_pay_orders (region_code, project_id, basis) VALUES ('\(region)', \(project), 'x')",
                              "UPDATE direct_pay_orders SET cleared_at = now()",
                              "INSERT INTO direct_pay_batches (region_code, project_id, period, source, total_fen, planned_by) VALUES ('\(region)', \(project), '2026-10-01', 'wage', 1, 'zhang_jiancha')"] {
                let refused = CaseDoorTests.refusal(statement, on: inspector)
                #expect(refused?.code == .insufficientPrivilege, "\(statement): \(String(describing: refused))")
            }
            // The order: only through the door, for a project of the caller's region.
            let elsewhere = CaseDoorTests.refusal("SELECT ww_order_direct_pay('\(region)', \(project), '令', NULL)", on: other)
            #expect(elsewhere?.hint == "not_found", "\(String(describing: elsewhere))")
            let byHotline = CaseDoorTests.refusal("SELECT ww_order_direct_pay('\(region)', \(project), '令', NULL)", on: hotline)
            #expect(byHotline?.code == .insufficientPrivilege, "\(String(describing: byHotline))")
            let blank = CaseDoorTests.refusal("SELECT ww_order_direct_pay('\(region)', \(project), '  ', NULL)", on: inspector)
            #expect(blank?.hint == "invalid" && blank?.message.hasPrefix("basis:") == true, "\(String(describing: blank))")
            try inspector.query("SELECT ww_order_direct_pay(\(region), \(project), '中人社监令〔2026〕17号', NULL)")
            let orderedBy: String = try db.query("SELECT ordered_by FROM direct_pay_orders").one().decode("ordered_by")
            #expect(orderedBy == "zhang_jiancha")

            // Planning: the lines come from the payroll, the planner is the caller whatever name is passed.
            let named: Int64 = try inspector.query("""
                SELECT ww_plan_direct_pay(\(region), \(project), '2026-10-01', 'wang_juzhang') AS id
                """).one().decode("id")
            let batch = try db.query("SELECT planned_by, total_fen, source FROM direct_pay_batches WHERE id = \(named)").one()
            #expect(try batch.decode("planned_by", as: String.self) == "zhang_jiancha")
            // Workers 0–4 are each due ¥6,600: worker 0 was paid ¥2,000, worker 3 did not sign, worker 4 has no bank
            // account, so three lines: ¥4,600 + ¥6,600 + ¥6,600.
            #expect(try batch.decode("total_fen", as: Int64.self) == 460_000 + 660_000 + 660_000)
            let lines = try db.query("SELECT line_no, id_number, amount_fen FROM direct_pay_lines WHERE batch_id = \(named) ORDER BY line_no")
                .map { (try $0.decode("line_no", as: Int32.self), try $0.decode("id_number", as: String.self), try $0.decode("amount_fen", as: Int64.self)) }
            let expected = [DirectPayFixture.workerID(0), DirectPayFixture.workerID(1), DirectPayFixture.workerID(2)].sorted()
            #expect(lines.map(\.1) == expected && lines.map(\.0) == [1, 2, 3])
            #expect(lines.first { $0.1 == DirectPayFixture.workerID(0) }?.2 == 460_000)
            // Nothing owed twice: a second plan of the month has nothing left to pay.
            let again = CaseDoorTests.refusal("SELECT ww_plan_direct_pay('\(region)', \(project), '2026-10-01', NULL)", on: inspector)
            #expect(again?.hint == "conflict" && again?.message.contains("nothing to pay") == true, "\(String(describing: again))")

            // Approval: not by the planner (whatever name is passed), not by the hotline or a group
            // role, not in another region; a bureau head (official) may.
            let own = CaseDoorTests.refusal("SELECT ww_approve_direct_pay(\(named), 'wang_juzhang')", on: inspector)
            #expect(own?.hint == "denied" && own?.message.contains("maker-checker") == true, "\(String(describing: own))")
            #expect(CaseDoorTests.refusal("SELECT ww_approve_direct_pay(\(named), NULL)", on: other)?.hint == "not_found")
            #expect(CaseDoorTests.refusal("SELECT ww_approve_direct_pay(\(named), NULL)", on: hotline)?.code == .insufficientPrivilege)
            let early = CaseDoorTests.refusal("SELECT ww_execute_direct_pay(\(named), NULL)", on: inspector)
            #expect(early?.hint == "conflict" && early?.message.contains("not approved") == true, "\(String(describing: early))")
            try official.query("SET ROLE wagewatch_official")
            let group = CaseDoorTests.refusal("SELECT ww_approve_direct_pay(\(named), NULL)", on: official)
            #expect(group?.hint == "denied" && group?.message.contains("not wagewatch users") == true, "\(String(describing: group))")
            try official.query("RESET ROLE")
            try official.query("SELECT ww_approve_direct_pay(\(named), 'zhang_jiancha')")
            let approver: String = try db.query("SELECT approved_by FROM direct_pay_batches WHERE id = \(named)").one().decode("approved_by")
            #expect(approver == "wang_juzhang")
            #expect(CaseDoorTests.refusal("SELECT ww_approve_direct_pay(\(named), NULL)", on: inspector)?.hint == "conflict")

            // Execution: by an inspector, not a bureau head; once.
            #expect(CaseDoorTests.refusal("SELECT ww_execute_direct_pay(\(named), NULL)", on: official)?.code == .insufficientPrivilege)
            let first: Bool = try inspector.query("SELECT ww_execute_direct_pay(\(named), '2020-01-01') AS a").one().decode("a")
            let second: Bool = try inspector.query("SELECT ww_execute_direct_pay(\(named), NULL) AS a").one().decode("a")
            #expect(!first && second)
            let paid = try db.query("""
                SELECT count(*) AS n, sum(t.amount_fen)::bigint AS fen, bool_and(t.occurred_at > now() - interval '1 hour') AS now_dated
                FROM direct_pay_lines l JOIN transfers t ON t.region_code = l.region_code AND t.id = l.transfer_id
                WHERE l.batch_id = \(named) AND l.status = 'paid'
                """).one()
            #expect(try paid.decode("n", as: Int64.self) == 3 && paid.decode("fen", as: Int64.self) == 1_780_000)
            #expect(try paid.decode("now_dated", as: Bool.self), "a user's execution is dated by the database, not by the caller")

            // A returned payment: a reason, a paid line, the caller's region.
            #expect(CaseDoorTests.refusal("SELECT ww_return_direct_pay_line(\(named), 1, ' ', NULL)", on: inspector)?.hint == "invalid")
            #expect(CaseDoorTests.refusal("SELECT ww_return_direct_pay_line(\(named), 9, '账户已销户', NULL)", on: inspector)?.hint == "not_found")
            #expect(CaseDoorTests.refusal("SELECT ww_return_direct_pay_line(\(named), 1, '账户已销户', NULL)", on: other)?.hint == "not_found")
            try inspector.query("SELECT ww_return_direct_pay_line(\(named), 1, '账户已销户', NULL)")
            #expect(CaseDoorTests.refusal("SELECT ww_return_direct_pay_line(\(named), 1, '账户已销户', NULL)", on: inspector)?.hint == "conflict")
            let status: String = try db.query("SELECT status FROM direct_pay_lines WHERE batch_id = \(named) AND line_no = 1").one().decode("status")
            #expect(status == "returned")
        }
    }
}
