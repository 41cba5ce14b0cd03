import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// A small county for the rule tests (region 410102): an owner, a general contractor, a labour
/// subcontractor and a small enterprise, with projects, workers, attendance, payroll and money
/// added by each test in plain SQL or through the ledger.
private struct County {
    static let region = CountyFixture.region
    static let owner = CountyFixture.ownerUSCC            // 郑州市交通运输局建设处
    static let contractor = CountyFixture.contractorUSCC  // 河南路桥建设集团有限公司
    static let laborFirm = CountyFixture.laborFirmUSCC    // 深圳宏达建筑劳务有限公司
    static let enterprise = CountyFixture.enterpriseUSCC  // 郑州锦绣服装来料加工点

    let db: Connection
    let ledger = Ledger(defaultRegion: County.region)

    struct Worker {
        let id: Int64
        let idNumber: String
    }

    init(_ db: Connection) throws {
        self.db = db
        try CountyFixture.register(
            [CountyFixture.owner, CountyFixture.contractor, CountyFixture.laborFirm, CountyFixture.enterprise], on: db)
    }

    static func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    /// Noon of the day in Asia/Shanghai.
    static func noon(_ iso: String) -> Date {
        Date(timeIntervalSince1970: TimeInterval(day(iso).daysSinceEpoch * 86_400 + 4 * 3_600))
    }

    func employerID(_ uscc: String) throws -> Int64 {
        try db.query("SELECT id FROM employers WHERE region_code = \(Self.region) AND uscc = \(uscc)").one().decode("id")
    }

    func projectID(_ code: String) throws -> Int64 {
        try db.query("SELECT id FROM projects WHERE region_code = \(Self.region) AND code = \(code)").one().decode("id")
    }

    /// Registers a project. By default it has no allocation plan (R2 silent) and is exempt from
    /// the deposit (R11 silent), so each test switches on only what it looks at.
    @discardableResult
    func project(
        _ code: String, type: String = "gov_transport", funding: String = "government",
        contractor: String = County.contractor, valueFen: Int64 = 1_000_000_000, signed: String = "2026-01-10",
        plannedStart: String = "2026-03-01", plannedEnd: String = "2026-12-31", cycleDays: Int32 = 30,
        allocationFen: Int64 = 0, shareBasisPoints: Int32? = nil, depositExempt: Bool = true, started: String? = nil,
        finished: String? = nil, forcedReason: String? = nil
    ) throws -> Int64 {
        let status = finished != nil ? "finished" : started != nil ? "started" : "planned"
        return try db.query("""
            INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen,
                allocation_share_bp, deposit_exempt, status, actual_start, actual_end, forced_start_reason)
            VALUES (\(Self.region), \(code), \(code + "工程"), \(type), \(funding), \(try employerID(Self.owner)),
                \(try employerID(contractor)), \(valueFen), \(Self.day(signed)), \(Self.day(plannedStart)),
                \(Self.day(plannedEnd)), \(cycleDays), \(shareBasisPoints == nil ? allocationFen : nil),
                \(shareBasisPoints), \(depositExempt), \(status),
                \(started.map(Self.day)), \(finished.map(Self.day)), \(forcedReason))
            RETURNING id
            """).one().decode("id")
    }

    /// Registers worker number `sequence` (a valid resident ID) on a project.
    func worker(_ sequence: Int, on code: String, employer: String = County.contractor) throws -> Worker {
        let idNumber = CountyFixture.residentID(birth: LocalDate(year: 1985, month: 6, day: 1)!, sequence: sequence)
        let id: Int64 = try db.query("""
            INSERT INTO workers (region_code, id_number, name, employer_id, project_id, joined)
            VALUES (\(Self.region), \(idNumber), \("工人\(sequence)"), \(try employerID(employer)), \(try projectID(code)),
                    \(Self.day("2026-01-01")))
            RETURNING id
            """).one().decode("id")
        return Worker(id: id, idNumber: idNumber)
    }

    func attend(_ worker: Worker, on code: String, days: [String]) throws {
        for day in days {
            try db.query("""
                INSERT INTO attendance (region_code, project_id, day, worker_id)
                VALUES (\(Self.region), \(try projectID(code)), \(Self.day(day)), \(worker.id))
                """)
        }
    }

    /// A signed payroll line for `month` (`YYYY-MM`).
    func payroll(_ worker: Worker, on code: String, month: String, dueFen: Int64, paidFen: Int64, paidOn: String?) throws {
        try db.query("""
            INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen,
                                 paid_on, signed)
            VALUES (\(Self.region), \(try projectID(code)), \(Self.day(month + "-01")), \(worker.id), \(Int32(22)),
                    \(dueFen), \(paidFen), \(paidOn.map(Self.day)), true)
            """)
    }

    func openWage(_ code: String, on day: String) throws {
        _ = try ledger.open(.wage(project: code), bank: "中国农业银行郑州分行", number: "16010101040012345",
                            openedOn: Self.day(day), on: db)
    }

    func openDeposit(_ code: String, on day: String) throws {
        _ = try ledger.open(.deposit(project: code), bank: "中国建设银行郑州分行", number: "41050100123400001",
                            openedOn: Self.day(day), on: db)
    }

    @discardableResult
    func transfer(_ from: AccountRef, _ to: AccountRef, _ fen: Int64, on day: String) throws -> TransferResult {
        try ledger.transfer(key: UUID().uuidString, from: from, to: to, amountFen: fen, occurredAt: Self.noon(day),
                            memo: nil, on: db)
    }

    /// Money into the project's fund from the county treasury.
    func fund(_ code: String, _ fen: Int64, on day: String) throws {
        try transfer(.external(name: "郑州市财政局"), .fund(project: code), fen, on: day)
    }

    /// Labour-cost allocation: project fund → wage account.
    func allocate(_ code: String, _ fen: Int64, on day: String) throws {
        try transfer(.fund(project: code), .wage(project: code), fen, on: day)
    }

    /// Wages paid from the wage account to a worker's own account.
    func pay(_ worker: Worker, from code: String, _ fen: Int64, on day: String) throws {
        try transfer(.wage(project: code), .worker(idNumber: worker.idNumber), fen, on: day)
    }

    @discardableResult
    func run(_ asOf: String, only rule: String? = nil) throws -> RuleRunReport {
        try RuleEngine().run(asOf: Self.day(asOf), only: rule, on: db)
    }

    func flags(_ rule: String? = nil, project: String? = nil) throws -> [FlagRecord] {
        var filter = FlagFilter()
        filter.rule = rule
        filter.projectCode = project
        return try FlagDesk().list(filter, on: db)
    }

    func complain(
        _ received: String, employer: String, uscc: String, project: String? = nil, workers: Int = 3,
        amount: String = "8600", owedSince: String? = nil, owedUntil: String? = nil
    ) throws -> IntakeResult {
        var input = try complaint(
            received: received, employer: employer, uscc: uscc, project: project, workers: workers, amount: amount,
            owedUntil: owedUntil)
        input.owedSince = owedSince.map(Self.day)
        return try ComplaintIntake().add(input, on: db)
    }

    func user(_ name: String, role: String = "sector", department: String) throws {
        try registerUser(name, role: role, department: department, on: db)
    }
}

/// Registers a user with plain SQL, with every trigger on: the row is audited like any other.
private func registerUser(_ name: String, role: String, department: String, on db: Connection) throws {
    try db.query("INSERT INTO users (name, role, department) VALUES (\(name), \(role), \(department))")
}

private func evidenceInt(_ flag: FlagRecord?, _ key: String) -> Int64? {
    if case .integer(let value)? = flag?.evidence[key] { return value }
    return nil
}

private func evidenceString(_ flag: FlagRecord?, _ key: String) -> String? {
    if case .string(let value)? = flag?.evidence[key] { return value }
    return nil
}

/// Every rule fires on its data set and stays silent on a near miss; runs are idempotent and
/// repeatable as of a date; flags go to the lead department and are reviewed there.
@Suite("Risk rules R1–R12 and the flag desk")
struct RuleTests {}

// MARK: - Each rule: fires, and a near miss does not

extension RuleTests {
    @Suite("Risk rules R1–R4: wage accounts, allocations and payroll")
    struct WagesAndPayroll {
        @Test("R1 is red on a construction project 30 days after signing with no wage account, and silent on day 29")
        func r1ThirtyDaysAfterSigning() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", signed: "2026-01-10")
                try county.run("2026-02-08")
                let day29 = try county.flags("R1")
                #expect(day29.isEmpty)

                try county.run("2026-02-09")
                let flags = try county.flags("R1")
                #expect(flags.count == 1)
                let flag = try #require(flags.first)
                #expect(flag.rule == "no_wage_account")
                #expect(flag.severity == .red)
                #expect(flag.status == .open)
                #expect(flag.period == "once")
                #expect(flag.subjectKind == "project")
                #expect(flag.projectCode == "ZZ-G107")
                #expect(flag.contractorUSCC == County.contractor)
                #expect(flag.department == .transport)
                #expect(flag.coDepartment == nil)
                #expect(flag.raisedOn == County.day("2026-02-09"))
                #expect(evidenceInt(flag, "days_since_contract") == 30)
                #expect(evidenceString(flag, "contract_signed") == "2026-01-10")
                #expect(evidenceString(flag, "project_code") == "ZZ-G107")
                #expect(flag.evidence["actual_start"] == .null)
            }
        }

        @Test("R1 fires when construction starts without a wage account before day 30; an open account or a small enterprise does not")
        func r1StartedWithoutAccount() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G310", signed: "2026-02-20", started: "2026-03-01", forcedReason: "抢工期")
                // Opened on day 30 exactly: on time.
                try county.project("ZZ-S316", signed: "2026-01-10")
                try county.openWage("ZZ-S316", on: "2026-02-09")
                // Opened the day after day 30: late.
                try county.project("ZZ-S317", signed: "2026-01-10")
                try county.openWage("ZZ-S317", on: "2026-02-10")
                try county.project("JG-001", type: "small_enterprise", funding: "social", contractor: County.enterprise,
                                   signed: "2025-06-01", started: "2025-07-01")

                // As of day 30, S317's account (opened the next day) does not count yet.
                try county.run("2026-02-09")
                let dayThirty = try county.flags("R1")
                #expect(dayThirty.compactMap(\.projectCode) == ["ZZ-S317"])

                try county.run("2026-02-28")
                let beforeStart = try county.flags("R1")
                #expect(beforeStart.map(\.conditionCleared) == [true])

                try county.run("2026-03-01")
                let flags = try county.flags("R1")
                let started = try #require(flags.first { $0.projectCode == "ZZ-G310" })
                #expect(started.severity == .red)
                #expect(started.conditionCleared == false)
                #expect(evidenceString(started, "actual_start") == "2026-03-01")
                #expect(evidenceString(started, "forced_start_reason") == "抢工期")
                #expect(evidenceInt(started, "days_since_contract") == 9)
                #expect(!flags.contains { $0.projectCode == "ZZ-S316" })
                #expect(!flags.contains { $0.projectCode == "JG-001" })
                #expect(flags.count == 2)
            }
        }

        /// 48,000 yuan every 30 days from 2026-03-01: dues on 03-01, 03-31, 04-30, …
        private func allocationProject(_ county: County, _ code: String = "ZZ-G107") throws {
            try county.project(code, allocationFen: 4_800_000)
            try county.openWage(code, on: "2026-02-20")
            try county.fund(code, 100_000_000, on: "2026-02-25")
        }

        @Test("R2 is orange from the unmet due date, still orange at 30 days overdue, red at 31 on the same flag")
        func r2Escalates() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try allocationProject(county)
                try county.allocate("ZZ-G107", 4_800_000, on: "2026-03-01")

                try county.run("2026-03-30")
                let notDue = try county.flags("R2")
                #expect(notDue.isEmpty)

                try county.run("2026-03-31")
                let due = try #require(try county.flags("R2").first)
                #expect(due.rule == "allocation_overdue")
                #expect(due.severity == .orange)
                #expect(due.period == "2026-03-31")
                #expect(due.department == .transport)
                #expect(due.projectCode == "ZZ-G107")
                #expect(due.contractorUSCC == County.contractor)
                #expect(evidenceString(due, "due_on") == "2026-03-31")
                #expect(evidenceInt(due, "days_overdue") == 0)
                #expect(evidenceInt(due, "cumulative_due_fen") == 9_600_000)
                #expect(evidenceInt(due, "allocated_fen") == 4_800_000)

                // One fen short of the cumulative amount due does not meet the due date.
                try county.allocate("ZZ-G107", 4_799_999, on: "2026-04-05")
                try county.run("2026-04-30")
                let thirty = try county.flags("R2")
                #expect(thirty.count == 1)
                #expect(thirty.first?.id == due.id)
                #expect(thirty.first?.severity == .orange)

                try county.run("2026-05-01")
                let red = try county.flags("R2")
                #expect(red.count == 1)
                #expect(red.first?.id == due.id)
                #expect(red.first?.severity == .red)
                #expect(evidenceInt(red.first, "days_overdue") == 31)
                #expect(evidenceInt(red.first, "allocated_fen") == 9_599_999)
            }
        }

        @Test("R2 is silent while cumulative allocations reach what is due; the last fen clears the flag and the next due date is flagged")
        func r2MetDueDates() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try allocationProject(county, "ZZ-G107")
                try county.allocate("ZZ-G107", 4_800_000, on: "2026-03-01")
                try county.allocate("ZZ-G107", 4_800_000, on: "2026-03-31")
                try allocationProject(county, "ZZ-G310")
                try county.allocate("ZZ-G310", 4_800_000, on: "2026-03-01")
                try county.allocate("ZZ-G310", 4_799_999, on: "2026-03-31")

                try county.run("2026-04-29")
                let flags = try county.flags("R2")
                #expect(flags.map(\.projectCode) == ["ZZ-G310"])
                let short = try #require(flags.first)

                try county.allocate("ZZ-G310", 1, on: "2026-05-02")
                try county.run("2026-05-02")
                let after = try county.flags("R2", project: "ZZ-G310")
                #expect(after.first { $0.id == short.id }?.conditionCleared == true)
                let next = try #require(after.first { $0.id != short.id })
                #expect(next.period == "2026-04-30")
                #expect(next.severity == .orange)
                #expect(evidenceInt(next, "days_overdue") == 2)
                // G107 met 03-01 and 03-31 but not 04-30.
                let g107 = try county.flags("R2", project: "ZZ-G107")
                #expect(g107.map(\.period) == ["2026-04-30"])
            }
        }

        /// P3's share, worked by hand: 20 % every 30 days from 2026-03-01 (dues 03-01, 03-31, 04-30).
        /// Paid into the fund: ¥1,000,000.00 on 02-25, ¥333,333.33 on 03-15, ¥100,000.00 on 04-10.
        /// Due by 03-01: 20 % of 100,000,000 fen = 20,000,000. By 03-31: 20 % of 133,333,333 =
        /// 26,666,666.6, rounded down to 26,666,666 (rounding to nearest would make it …667). By
        /// 04-30: 20 % of 143,333,333 = 28,666,666.6 → 28,666,666. Money the wage account sends back
        /// to the fund (¥10,000.00 on 04-20) is not a project payment: it lowers what was allocated
        /// (26,666,666 + 2,000,000 on 04-12 − 1,000,000 = 27,666,666).
        @Test("R2 with a 20 % share: due is 20 % of what the fund received by each due date, rounded down to the fen")
        func r2Share() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", shareBasisPoints: 2_000)
                try county.openWage("ZZ-G107", on: "2026-02-20")
                try county.fund("ZZ-G107", 100_000_000, on: "2026-02-25")
                try county.allocate("ZZ-G107", 20_000_000, on: "2026-03-01")
                try county.fund("ZZ-G107", 33_333_333, on: "2026-03-15")

                // 03-01 is met exactly; the payment of 03-15 is due only from 03-31.
                try county.run("2026-03-30")
                #expect(try county.flags("R2").isEmpty)

                try county.run("2026-03-31")
                let due = try #require(try county.flags("R2").first)
                #expect(due.severity == .orange)
                #expect(due.period == "2026-03-31")
                #expect(due.projectCode == "ZZ-G107")
                #expect(evidenceInt(due, "cumulative_due_fen") == 26_666_666)
                #expect(evidenceInt(due, "allocated_fen") == 20_000_000)

                // One fen short still overdue; the last fen of the rounded-down share meets it.
                try county.allocate("ZZ-G107", 6_666_665, on: "2026-04-02")
                try county.run("2026-04-02")
                #expect(try county.flags("R2").map(\.conditionCleared) == [false])
                try county.allocate("ZZ-G107", 1, on: "2026-04-03")
                try county.run("2026-04-03")
                #expect(try county.flags("R2").map(\.conditionCleared) == [true])

                // Paid into the fund on 04-10: nothing more is due before 04-30.
                try county.fund("ZZ-G107", 10_000_000, on: "2026-04-10")
                try county.allocate("ZZ-G107", 2_000_000, on: "2026-04-12")
                try county.transfer(.wage(project: "ZZ-G107"), .fund(project: "ZZ-G107"), 1_000_000, on: "2026-04-20")
                try county.run("2026-04-29")
                #expect(try county.flags("R2").filter { !$0.conditionCleared }.isEmpty)
                try county.run("2026-04-30")
                let next = try #require(try county.flags("R2").first { $0.period == "2026-04-30" })
                #expect(next.severity == .orange)
                #expect(evidenceInt(next, "cumulative_due_fen") == 28_666_666)
                #expect(evidenceInt(next, "allocated_fen") == 27_666_666)
            }
        }

        @Test("P3: the database holds an allocation amount or a share, exactly one, and a share of 0 or above 100 % is refused")
        func allocationAmountOrShare() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                let id = try county.project("ZZ-G107", shareBasisPoints: 1_250)
                let row = try db.query("SELECT allocation_amount_fen, allocation_share_bp FROM projects WHERE id = \(id)").one()
                #expect(try row.decode("allocation_amount_fen", as: Int64?.self) == nil)
                #expect(try row.decode("allocation_share_bp", as: Int32?.self) == 1_250)
                for change in ["allocation_amount_fen = 100", "allocation_share_bp = NULL", "allocation_share_bp = 0",
                               "allocation_share_bp = 10001"] {
                    #expect(throws: PostgresError.self, "\(change)") {
                        try db.query("UPDATE projects SET \(unsafeRaw: change) WHERE id = \(id)")
                    }
                }
                try db.query("UPDATE projects SET allocation_share_bp = 10000 WHERE id = \(id)")
            }
        }

        @Test("R3 is red when a month with attendance has no wage paid through the wage account by the end of the next month")
        func r3WagesUnpaid() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                for code in ["ZZ-G107", "ZZ-G310"] {
                    try county.project(code, started: "2026-03-01")
                    try county.openWage(code, on: "2026-02-20")
                    try county.fund(code, 10_000_000, on: "2026-02-25")
                    try county.allocate(code, 4_800_000, on: "2026-03-01")
                }
                let a = try county.worker(1, on: "ZZ-G107")
                let b = try county.worker(3, on: "ZZ-G107")
                try county.attend(a, on: "ZZ-G107", days: ["2026-03-02", "2026-03-03", "2026-03-04"])
                try county.attend(b, on: "ZZ-G107", days: ["2026-03-02"])
                let c = try county.worker(5, on: "ZZ-G310")
                try county.attend(c, on: "ZZ-G310", days: ["2026-03-02"])
                // G310 pays on the last day allowed, G107 a day late.
                try county.pay(c, from: "ZZ-G310", 600_000, on: "2026-04-30")
                try county.pay(a, from: "ZZ-G107", 600_000, on: "2026-05-01")

                try county.run("2026-04-30")
                let notYet = try county.flags("R3")
                #expect(notYet.isEmpty)

                try county.run("2026-05-01")
                let flags = try county.flags("R3")
                #expect(flags.map(\.projectCode) == ["ZZ-G107"])
                let flag = try #require(flags.first)
                #expect(flag.rule == "wages_unpaid")
                #expect(flag.severity == .red)
                #expect(flag.period == "2026-03")
                #expect(flag.department == .transport)
                #expect(flag.contractorUSCC == County.contractor)
                #expect(evidenceString(flag, "month") == "2026-03")
                #expect(evidenceInt(flag, "workers_on_attendance") == 2)
                #expect(evidenceInt(flag, "attendance_days") == 4)
                #expect(evidenceString(flag, "due_by") == "2026-04-30")
            }
        }

        @Test("R4 is red when 1 of 10 workers on attendance went unpaid (10 %), yellow when 1 of 11, silent when all were paid on time")
        func r4PartialPayroll() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                var sequence = 1
                var unpaid: [String: County.Worker] = [:]
                for (code, workers, paidInFull) in [("ZZ-G107", 10, 9), ("ZZ-G310", 11, 10), ("ZZ-S316", 10, 10)] {
                    try county.project(code, started: "2026-03-01")
                    for index in 0..<workers {
                        let worker = try county.worker(sequence, on: code)
                        sequence += 2
                        try county.attend(worker, on: code, days: ["2026-03-10"])
                        if index < paidInFull {
                            try county.payroll(worker, on: code, month: "2026-03", dueFen: 500_000, paidFen: 500_000,
                                               paidOn: code == "ZZ-S316" ? "2026-04-30" : "2026-04-15")
                        } else {
                            unpaid[code] = worker
                            // G107's last worker is paid one fen short; G310's has no payroll line at all.
                            if code == "ZZ-G107" {
                                try county.payroll(worker, on: code, month: "2026-03", dueFen: 500_000, paidFen: 499_999,
                                                   paidOn: "2026-04-15")
                            }
                        }
                    }
                }

                try county.run("2026-04-30")
                let notDue = try county.flags("R4")
                #expect(notDue.isEmpty)

                try county.run("2026-05-01")
                let flags = try county.flags("R4")
                #expect(flags.count == 2)
                let red = try #require(flags.first { $0.projectCode == "ZZ-G107" })
                #expect(red.rule == "partial_payroll")
                #expect(red.severity == .red)
                #expect(red.period == "2026-03")
                #expect(red.department == .transport)
                #expect(red.contractorUSCC == County.contractor)
                #expect(evidenceInt(red, "workers_on_attendance") == 10)
                #expect(evidenceInt(red, "unpaid_workers") == 1)
                #expect(red.evidence["unpaid_worker_ids"] == .array([.integer(unpaid["ZZ-G107"]!.id)]))
                let yellow = try #require(flags.first { $0.projectCode == "ZZ-G310" })
                #expect(yellow.severity == .yellow)
                #expect(evidenceInt(yellow, "workers_on_attendance") == 11)
                #expect(evidenceInt(yellow, "unpaid_workers") == 1)
                #expect(!flags.contains { $0.projectCode == "ZZ-S316" })
            }
        }
    }
}

extension RuleTests {
    @Suite("Risk rules R5–R8: pay concentration, complaints, arrears, shortfalls")
    struct MoneyComplaintsArrears {
        @Test("R5 is red when one worker is paid more than ¥50,000 in a month by paid_on date, not at exactly ¥50,000")
        func r5Monthly() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", started: "2026-03-01")
                let foreman = try county.worker(1, on: "ZZ-G107")
                let other = try county.worker(3, on: "ZZ-G107")
                // March's and April's wages both paid in April: they count for April.
                try county.payroll(foreman, on: "ZZ-G107", month: "2026-03", dueFen: 3_000_000, paidFen: 3_000_000, paidOn: "2026-04-05")
                try county.payroll(foreman, on: "ZZ-G107", month: "2026-04", dueFen: 2_000_001, paidFen: 2_000_001, paidOn: "2026-04-30")
                try county.payroll(other, on: "ZZ-G107", month: "2026-03", dueFen: 5_000_000, paidFen: 5_000_000, paidOn: "2026-04-10")

                try county.run("2026-04-29")
                let before = try county.flags("R5")
                #expect(before.isEmpty)

                try county.run("2026-04-30")
                let flags = try county.flags("R5")
                #expect(flags.count == 1)
                let flag = try #require(flags.first)
                #expect(flag.rule == "pay_concentration")
                #expect(flag.severity == .red)
                #expect(flag.period == "2026-04")
                #expect(flag.projectCode == "ZZ-G107")
                #expect(flag.department == .transport)
                #expect(flag.contractorUSCC == County.contractor)
                #expect(flag.evidence["workers"] == .array([.object(["worker_id": .integer(foreman.id), "paid_fen": .integer(5_000_001)])]))
            }
        }

        @Test("R5 is red when one worker is paid more than ¥300,000 in a year, not at exactly ¥300,000")
        func r5Yearly() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", type: "real_estate", funding: "social", started: "2026-01-01")
                let foreman = try county.worker(1, on: "ZZ-G107")
                for month in 1...6 {
                    try county.payroll(foreman, on: "ZZ-G107", month: "2026-0\(month)", dueFen: 5_000_000, paidFen: 5_000_000,
                                       paidOn: "2026-0\(month + 1)-10")
                }
                try county.run("2026-07-31")
                let exactly = try county.flags("R5")
                #expect(exactly.isEmpty)

                try county.payroll(foreman, on: "ZZ-G107", month: "2026-07", dueFen: 1, paidFen: 1, paidOn: "2026-08-10")
                try county.run("2026-08-10")
                let flag = try #require(try county.flags("R5").first)
                #expect(flag.period == "2026")
                #expect(flag.severity == .red)
                #expect(flag.department == .construction)
                #expect(flag.evidence["workers"] == .array([.object(["worker_id": .integer(foreman.id), "paid_fen": .integer(30_000_001)])]))
            }
        }

        @Test("R6 is orange at 3 complaints in 90 days whatever their outcome, and turns red at 5 on the same flag; 2 are not enough")
        func r6Cluster() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                let name = "深圳宏达建筑劳务有限公司"
                _ = try county.complain("2026-05-04 10:00", employer: name, uscc: County.laborFirm)
                // Time-barred and refused at intake: still counts.
                let refused = try county.complain("2026-05-06 10:00", employer: name, uscc: County.laborFirm, owedUntil: "2023-12-31")
                #expect(refused.outcome == .refused)
                try county.run("2026-05-06")
                let two = try county.flags("R6")
                #expect(two.isEmpty)

                let third = try county.complain("2026-05-08 10:00", employer: name, uscc: County.laborFirm)
                _ = try ComplaintDesk().decide(.number(third.number), .accept, today: County.day("2026-05-08"), on: db)
                try county.run("2026-05-08")
                let orange = try #require(try county.flags("R6").first)
                #expect(orange.rule == "complaint_cluster")
                #expect(orange.severity == .orange)
                #expect(orange.period == "2026-05")
                #expect(orange.subjectKind == "employer")
                let firmID = try county.employerID(County.laborFirm)
                #expect(orange.subjectID == String(firmID))
                #expect(orange.projectCode == nil)
                #expect(orange.contractorUSCC == County.laborFirm)
                // No project as contractor: the labour bureau.
                #expect(orange.department == .labor)
                #expect(evidenceInt(orange, "complaints") == 3)
                #expect(evidenceInt(orange, "window_days") == 90)
                #expect(evidenceString(orange, "employer_name") == name)

                _ = try county.complain("2026-05-12 10:00", employer: name, uscc: County.laborFirm)
                try county.run("2026-05-12")
                let four = try county.flags("R6")
                #expect(four.map(\.severity) == [.orange])

                _ = try county.complain("2026-05-14 10:00", employer: name, uscc: County.laborFirm)
                try county.run("2026-05-14")
                let red = try county.flags("R6")
                #expect(red.count == 1)
                #expect(red.first?.id == orange.id)
                #expect(red.first?.severity == .red)
                #expect(evidenceInt(red.first, "complaints") == 5)
                if case .array(let numbers)? = red.first?.evidence["complaint_numbers"] {
                    #expect(numbers.count == 5)
                    #expect(numbers.first == .string("TS-20260504-0001"))
                } else {
                    Issue.record("complaint_numbers is not an array")
                }
            }
        }

        @Test("R6 counts the last 90 days including the as-of day: a complaint 90 days back drops out")
        func r6Window() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                let name = "河南路桥建设集团有限公司"
                for received in ["2026-02-01 09:00", "2026-03-15 09:00", "2026-05-01 09:00"] {
                    _ = try county.complain(received, employer: name, uscc: County.contractor)
                }
                try county.run("2026-05-01")
                let inWindow = try county.flags("R6")
                #expect(inWindow.count == 1)
                try county.run("2026-05-02")
                let after = try county.flags("R6")
                // Still the one flag of 05-01, now with its condition ended; nothing new for 2026-05.
                #expect(after.count == 1)
                #expect(after.first?.conditionCleared == true)
            }
        }

        @Test("R7 is red when one worker is owed ¥8,000 for 3 months on an open case, not a day earlier, not at ¥7,999.99")
        func r7OneWorker() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", signed: "2025-06-01", started: "2025-07-01")
                let worker = try ResidentID(parsing: "11010519491231002X", today: .testToday)
                let complaint = try county.complain("2026-02-02 10:00", employer: "河南路桥建设集团有限公司", uscc: County.contractor,
                                                    project: "ZZ-G107", workers: 1, amount: "8000", owedSince: "2026-01-15")
                let accepted = try ComplaintDesk().decide(.number(complaint.number), .accept, today: County.day("2026-02-03"), on: db)
                let caseID = try #require(accepted.caseID)
                _ = try CaseDesk().claim(caseID, worker: worker, name: "王某", owedFen: 800_000, on: db)

                let near = try county.complain("2026-02-02 11:00", employer: "深圳宏达建筑劳务有限公司", uscc: County.laborFirm,
                                               workers: 1, amount: "7999.99", owedSince: "2025-10-01")
                let nearCase = try #require(try ComplaintDesk().decide(.number(near.number), .accept, today: County.day("2026-02-03"), on: db).caseID)
                _ = try CaseDesk().claim(nearCase, worker: worker, name: "王某", owedFen: 799_999, on: db)

                try county.run("2026-04-14")
                let early = try county.flags("R7")
                #expect(early.isEmpty)

                try county.run("2026-04-15")
                let flags = try county.flags("R7")
                #expect(flags.count == 1)
                let flag = try #require(flags.first)
                #expect(flag.rule == "arrears_outstanding")
                #expect(flag.severity == .red)
                #expect(flag.period == "case:\(caseID)")
                #expect(flag.subjectKind == "employer")
                #expect(flag.projectCode == "ZZ-G107")
                #expect(flag.contractorUSCC == County.contractor)
                #expect(flag.department == .transport)
                #expect(evidenceString(flag, "case_id") == caseID.description)
                #expect(evidenceInt(flag, "outstanding_fen") == 800_000)
                #expect(evidenceInt(flag, "workers_over_threshold") == 1)

                // One fen recovered takes the worker below the threshold: the condition ends.
                _ = try CaseDesk().recover(caseID, worker: worker, amountFen: 1, source: .employer, on: County.day("2026-04-20"),
                                           key: nil, on: db)
                try county.run("2026-04-20")
                let cleared = try county.flags("R7")
                #expect(cleared.first?.conditionCleared == true)
                #expect(cleared.first?.status == .open)
            }
        }

        @Test("R7 is red when 10 workers are owed ¥40,000 together; 9 workers, or one fen recovered, are below it")
        func r7TenWorkers() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                let desk = ComplaintDesk()
                let ten = try county.complain("2026-03-02 10:00", employer: "深圳宏达建筑劳务有限公司", uscc: County.laborFirm,
                                              workers: 10, amount: "40000")
                let tenCase = try #require(try desk.decide(.number(ten.number), .accept, today: County.day("2026-03-03"), on: db).caseID)
                let nine = try county.complain("2026-03-02 11:00", employer: "郑州锦绣服装来料加工点", uscc: County.enterprise,
                                               workers: 9, amount: "90000")
                _ = try desk.decide(.number(nine.number), .accept, today: County.day("2026-03-03"), on: db)
                let paid = try county.complain("2026-03-02 12:00", employer: "河南路桥建设集团有限公司", uscc: County.contractor,
                                               workers: 10, amount: "40000")
                let paidCase = try #require(try desk.decide(.number(paid.number), .accept, today: County.day("2026-03-03"), on: db).caseID)
                _ = try CaseDesk().recover(paidCase, worker: try ResidentID(parsing: "11010519491231002X", today: .testToday), amountFen: 1,
                                           source: .generalContractor, on: County.day("2026-03-03"), key: nil, on: db)

                try county.run("2026-03-02")
                let beforeAcceptance = try county.flags("R7")
                #expect(beforeAcceptance.isEmpty)

                try county.run("2026-03-03")
                let flags = try county.flags("R7")
                #expect(flags.count == 1)
                let flag = try #require(flags.first)
                #expect(flag.period == "case:\(tenCase)")
                #expect(flag.contractorUSCC == County.laborFirm)
                #expect(flag.projectCode == nil)
                #expect(flag.department == .labor)
                #expect(evidenceInt(flag, "workers") == 10)
                #expect(evidenceInt(flag, "outstanding_fen") == 4_000_000)
            }
        }

        @Test("R8 is orange when the wage-account balance is below the payroll due, silent when it covers it exactly")
        func r8Shortfall() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                for code in ["ZZ-G107", "ZZ-G310"] {
                    try county.project(code, started: "2026-03-01")
                    try county.openWage(code, on: "2026-02-20")
                    try county.fund(code, 10_000_000, on: "2026-02-25")
                    try county.allocate(code, 1_000_000, on: "2026-04-01")
                }
                let a = try county.worker(1, on: "ZZ-G107")
                let b = try county.worker(3, on: "ZZ-G107")
                try county.payroll(a, on: "ZZ-G107", month: "2026-03", dueFen: 600_000, paidFen: 0, paidOn: nil)
                try county.payroll(b, on: "ZZ-G107", month: "2026-03", dueFen: 400_001, paidFen: 0, paidOn: nil)
                let c = try county.worker(5, on: "ZZ-G310")
                let d = try county.worker(7, on: "ZZ-G310")
                try county.payroll(c, on: "ZZ-G310", month: "2026-03", dueFen: 600_000, paidFen: 0, paidOn: nil)
                try county.payroll(d, on: "ZZ-G310", month: "2026-03", dueFen: 400_000, paidFen: 0, paidOn: nil)

                try county.run("2026-04-05")
                let flags = try county.flags("R8")
                #expect(flags.map(\.projectCode) == ["ZZ-G107"])
                let flag = try #require(flags.first)
                #expect(flag.rule == "account_shortfall")
                #expect(flag.severity == .orange)
                #expect(flag.period == "2026-04")
                #expect(flag.department == .transport)
                #expect(flag.contractorUSCC == County.contractor)
                #expect(evidenceInt(flag, "balance_fen") == 1_000_000)
                #expect(evidenceInt(flag, "payroll_due_fen") == 1_000_001)
            }
        }

        @Test("R8 as of a past date counts wages paid after it as still due, so repeating last week's run gives the same flag")
        func r8AsOfIgnoresLaterPayments() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", started: "2026-03-01")
                try county.openWage("ZZ-G107", on: "2026-02-20")
                try county.fund("ZZ-G107", 10_000_000, on: "2026-02-25")
                try county.allocate("ZZ-G107", 1_000_000, on: "2026-04-01")
                let a = try county.worker(1, on: "ZZ-G107")
                try county.payroll(a, on: "ZZ-G107", month: "2026-03", dueFen: 1_200_000, paidFen: 0, paidOn: nil)
                try county.run("2026-04-05")
                let first = try county.flags("R8")
                #expect(first.count == 1)

                // Topped up and paid on 04-20; the payroll line records it.
                try county.allocate("ZZ-G107", 200_000, on: "2026-04-20")
                try county.pay(a, from: "ZZ-G107", 1_200_000, on: "2026-04-20")
                try db.query("UPDATE payroll SET wage_paid_fen = wage_due_fen, paid_on = '2026-04-20'")
                try county.run("2026-04-25")
                let paid = try county.flags("R8")
                #expect(paid.first?.conditionCleared == true)

                try county.run("2026-04-05")
                let again = try county.flags("R8")
                #expect(again.map(\.id) == first.map(\.id))
                #expect(again.first?.conditionCleared == false)
            }
        }
    }
}

extension RuleTests {
    @Suite("Risk rules R9–R12: diversion, stalls, deposits, sanctions")
    struct ProjectsAndSanctions {
        @Test("R9 is red for money out of a government fund to a stranger; the wage account, a registered party or a social project are not flagged")
        func r9Diversion() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", started: "2026-03-01")
                try county.openWage("ZZ-G107", on: "2026-02-20")
                try county.fund("ZZ-G107", 100_000_000, on: "2026-02-25")
                try county.allocate("ZZ-G107", 4_800_000, on: "2026-03-01")
                try county.transfer(.fund(project: "ZZ-G107"), .external(name: County.contractor), 20_000_000, on: "2026-03-01")
                let diverted = try county.transfer(.fund(project: "ZZ-G107"), .external(name: "外地某公司"), 10_000_000, on: "2026-03-02")
                #expect(diverted.diversion)
                try county.project("LP-001", type: "real_estate", funding: "social", started: "2026-03-01")
                try county.fund("LP-001", 100_000_000, on: "2026-02-25")
                let social = try county.transfer(.fund(project: "LP-001"), .external(name: "外地某公司"), 10_000_000, on: "2026-03-02")
                #expect(!social.diversion)

                try county.run("2026-03-01")
                let before = try county.flags("R9")
                #expect(before.isEmpty)

                try county.run("2026-03-02")
                let flags = try county.flags("R9")
                #expect(flags.count == 1)
                let flag = try #require(flags.first)
                #expect(flag.rule == "fund_diversion")
                #expect(flag.severity == .red)
                #expect(flag.period == "transfer:\(diverted.id)")
                #expect(flag.projectCode == "ZZ-G107")
                #expect(flag.department == .transport)
                #expect(flag.contractorUSCC == County.contractor)
                #expect(evidenceString(flag, "transfer_id") == diverted.id.description)
                #expect(evidenceInt(flag, "amount_fen") == 10_000_000)
                #expect(evidenceString(flag, "to") == "external:外地某公司")
            }
        }

        @Test("R10 is orange for an unfinished project idle for more than 2 months; a finished or recently paid project is not")
        func r10Stalled() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", started: "2026-03-01")
                try county.attend(try county.worker(1, on: "ZZ-G107"), on: "ZZ-G107", days: ["2026-03-02", "2026-03-31"])
                try county.project("ZZ-G310", started: "2026-03-01", finished: "2026-05-15")
                try county.attend(try county.worker(3, on: "ZZ-G310"), on: "ZZ-G310", days: ["2026-03-31"])
                try county.project("ZZ-S316", started: "2026-03-01")
                let paid = try county.worker(5, on: "ZZ-S316")
                try county.attend(paid, on: "ZZ-S316", days: ["2026-03-31"])
                try county.payroll(paid, on: "ZZ-S316", month: "2026-04", dueFen: 500_000, paidFen: 500_000, paidOn: "2026-05-10")

                try county.run("2026-05-31")
                let twoMonths = try county.flags("R10")
                #expect(twoMonths.isEmpty)

                try county.run("2026-06-01")
                let flags = try county.flags("R10")
                #expect(flags.map(\.projectCode) == ["ZZ-G107"])
                let flag = try #require(flags.first)
                #expect(flag.rule == "stalled_project")
                #expect(flag.severity == .orange)
                #expect(flag.period == "since:2026-03-31")
                #expect(flag.department == .transport)
                #expect(flag.contractorUSCC == County.contractor)
                #expect(evidenceString(flag, "last_activity") == "2026-03-31")
                #expect(evidenceInt(flag, "days_idle") == 62)
            }
        }

        @Test("R11 is orange for a started, non-exempt project with a deposit one fen short; full, exempt or unstarted projects are not")
        func r11NoDeposit() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                // ¥10,000,000 at the default 2 %: ¥200,000 = 20,000,000 fen.
                for code in ["ZZ-G107", "ZZ-G310"] {
                    try county.project(code, valueFen: 1_000_000_000, depositExempt: false, started: "2026-03-01")
                    try county.openDeposit(code, on: "2026-02-20")
                }
                try county.transfer(.external(name: County.contractor), .deposit(project: "ZZ-G107"), 19_999_999, on: "2026-02-25")
                try county.transfer(.external(name: County.contractor), .deposit(project: "ZZ-G310"), 20_000_000, on: "2026-02-25")
                try county.project("ZZ-S316", valueFen: 200_000_000, depositExempt: true, started: "2026-03-01")
                try county.project("ZZ-S317", valueFen: 1_000_000_000, depositExempt: false)

                try county.run("2026-02-28")
                let beforeStart = try county.flags("R11")
                #expect(beforeStart.isEmpty)

                try county.run("2026-03-01")
                let flags = try county.flags("R11")
                #expect(flags.map(\.projectCode) == ["ZZ-G107"])
                let flag = try #require(flags.first)
                #expect(flag.rule == "no_deposit")
                #expect(flag.severity == .orange)
                #expect(flag.period == "once")
                #expect(flag.department == .transport)
                #expect(flag.contractorUSCC == County.contractor)
                #expect(evidenceInt(flag, "required_fen") == 20_000_000)
                #expect(evidenceInt(flag, "deposited_fen") == 19_999_999)
            }
        }

        @Test("R12 is yellow when a blacklisted contractor signs or starts a project while sanctioned, not before it starts or after a lift")
        func r12Sanctioned() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try db.query("""
                    INSERT INTO sanctions (region_code, employer_id, measure, basis, department, valid_from)
                    VALUES (\(County.region), \(try county.employerID(County.contractor)), 'blacklist',
                            '《保障农民工工资支付条例》第四十八条', 'labor', '2026-01-01')
                    """)
                try db.query("""
                    INSERT INTO sanctions (region_code, employer_id, measure, basis, department, valid_from, lifted_on, lift_reason)
                    VALUES (\(County.region), \(try county.employerID(County.laborFirm)), 'restrict_bidding',
                            '限制参与政府投资项目招投标', 'labor', '2025-06-01', '2026-01-15', '已全额支付')
                    """)
                let sanctionID: Int64 = try db.query("SELECT min(id) AS id FROM sanctions").one().decode("id")
                try county.project("ZZ-NEW", signed: "2026-02-01")
                try county.project("ZZ-OLD", signed: "2025-10-01")
                try county.project("ZZ-STA", signed: "2025-10-01", started: "2026-03-01")
                try county.project("LW-001", contractor: County.laborFirm, signed: "2026-02-01")
                try county.project("LW-000", contractor: County.laborFirm, signed: "2025-12-01")

                try county.run("2026-02-28")
                let beforeStart = try county.flags("R12")
                #expect(Set(beforeStart.compactMap(\.projectCode)) == ["ZZ-NEW", "LW-000"])

                try county.run("2026-03-01")
                let flags = try county.flags("R12")
                #expect(Set(flags.compactMap(\.projectCode)) == ["ZZ-NEW", "ZZ-STA", "LW-000"])
                let flag = try #require(flags.first { $0.projectCode == "ZZ-NEW" })
                #expect(flag.rule == "sanctioned_contractor")
                #expect(flag.severity == .yellow)
                #expect(flag.period == "once")
                #expect(flag.department == .transport)
                #expect(flag.contractorUSCC == County.contractor)
                #expect(evidenceString(flag, "measure") == "blacklist")
                #expect(evidenceString(flag, "sanction_id") == String(sanctionID))
                #expect(evidenceString(flag, "contract_signed") == "2026-02-01")
                let started = try #require(flags.first { $0.projectCode == "ZZ-STA" })
                #expect(evidenceString(started, "actual_start") == "2026-03-01")
            }
        }
    }
}

// MARK: - Runs: idempotence, as-of, conditions that end

extension RuleTests {
    @Suite("Rule runs: once per (rule, subject, period), as of a date, conditions that end")
    struct Runs {
        /// An unopened wage account (R1), a stranger paid from the fund (R9) and three complaints (R6).
        private func busyCounty(_ db: Connection) throws -> County {
            let county = try County(db)
            try county.project("ZZ-G107", signed: "2026-01-10")
            try county.project("SW-001", type: "gov_water", signed: "2026-01-10")
            try county.openWage("SW-001", on: "2026-01-20")
            try county.fund("SW-001", 100_000_000, on: "2026-01-25")
            try county.transfer(.fund(project: "SW-001"), .external(name: "外地某公司"), 1_000_000, on: "2026-02-01")
            for received in ["2026-02-02 09:00", "2026-02-03 09:00", "2026-02-04 09:00"] {
                _ = try county.complain(received, employer: "深圳宏达建筑劳务有限公司", uscc: County.laborFirm)
            }
            return county
        }

        @Test("running the rules twice as of the same day raises nothing new and leaves the flags as they were")
        func idempotent() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try busyCounty(db)
                let first = try county.run("2026-02-20")
                #expect(first.ran)
                #expect(first.outcomes.map(\.rule) == (1...13).map { "R\($0)" })
                let raised = first.outcomes.filter { $0.raised > 0 }.map(\.rule)
                #expect(raised == ["R1", "R6", "R9"])
                let before = try county.flags()
                #expect(before.count == 3)

                let second = try county.run("2026-02-20")
                #expect(second.outcomes.allSatisfy { $0.raised == 0 && $0.cleared == 0 })
                #expect(second.outcomes.first { $0.rule == "R1" }?.findings == 1)
                let after = try county.flags()
                #expect(after == before)
                let runs: Int64 = try db.query("SELECT count(*) AS n FROM rule_runs WHERE status = 'done'").one().decode("n")
                #expect(runs == 2)
                let total: Int64 = try db.query("SELECT count(*) AS n FROM flags").one().decode("n")
                #expect(total == 3)
            }
        }

        @Test("a run as of a past date ignores later data, and repeating it gives the same flags")
        func asOfPastDate() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try busyCounty(db)
                // Later data: G107's account opened on 03-01, allocations due from then on.
                try county.openWage("ZZ-G107", on: "2026-03-01")
                try db.query("UPDATE projects SET allocation_amount_fen = 4800000 WHERE code = 'ZZ-G107'")
                let first = try county.run("2026-01-31")
                #expect(first.outcomes.allSatisfy { $0.raised == 0 })
                let earlyFlags = try county.flags()
                #expect(earlyFlags.isEmpty)

                try county.run("2026-02-20")
                let february = try county.flags().filter { !$0.conditionCleared }
                #expect(Set(february.map(\.rule)) == ["no_wage_account", "complaint_cluster", "fund_diversion"])

                try county.run("2026-03-05")
                let march = try county.flags()
                #expect(march.first { $0.rule == "no_wage_account" }?.conditionCleared == true)
                #expect(march.contains { $0.rule == "allocation_overdue" && !$0.conditionCleared })

                let again = try county.run("2026-02-20")
                #expect(again.outcomes.allSatisfy { $0.raised == 0 })
                let repeated = try county.flags().filter { !$0.conditionCleared }
                #expect(Set(repeated.map(\.id)) == Set(february.map(\.id)))
            }
        }

        @Test("when the condition ends, the flag is marked condition_cleared and keeps its review status")
        func conditionEnds() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.user("li_jiaotong", department: "transport")
                try county.project("ZZ-G107", signed: "2026-01-10")
                try county.run("2026-02-15")
                let flag = try #require(try county.flags("R1").first)
                _ = try FlagDesk().review(flag.id, .acknowledge, reviewer: "li_jiaotong", on: db)

                try county.openWage("ZZ-G107", on: "2026-02-18")
                let report = try county.run("2026-02-20")
                #expect(report.outcomes.first { $0.rule == "R1" }?.cleared == 1)
                let after = try FlagDesk().find(flag.id, on: db)
                #expect(after.conditionCleared)
                #expect(after.status == .acknowledged)
                #expect(after.severity == .red)
            }
        }

        @Test("a run of one rule leaves the other rules' flags alone; an unknown rule is invalid input")
        func onlyOneRule() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try busyCounty(db)
                try county.run("2026-02-20")
                let report = try county.run("2026-03-05", only: "R9")
                #expect(report.outcomes.map(\.rule) == ["R9"])
                let r1 = try county.flags("R1")
                #expect(r1.first?.conditionCleared == false)
                let error = #expect(throws: WagewatchError.self) { try county.run("2026-03-05", only: "R99") }
                #expect(error?.kind == .invalidInput)
            }
        }
    }
}

// MARK: - Routing (P1) and review

extension RuleTests {
    @Suite("Flags are routed to the lead department and reviewed there")
    struct Routing {
        @Test("gov_water goes to water; small_enterprise to commerce with the township; an employer flag to its latest project's department, else labor")
        func routing() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.project("ZZ-G107", type: "gov_transport", signed: "2025-06-01")
                try county.openWage("ZZ-G107", on: "2025-06-10")
                try county.project("SW-001", type: "gov_water", signed: "2026-01-10")
                try county.project("JG-001", type: "small_enterprise", funding: "social", contractor: County.enterprise,
                                   signed: "2026-01-05", started: "2026-03-01")
                try county.attend(try county.worker(1, on: "JG-001", employer: County.enterprise), on: "JG-001", days: ["2026-03-02"])
                for (employer, uscc) in [("河南路桥建设集团有限公司", County.contractor), ("深圳宏达建筑劳务有限公司", County.laborFirm)] {
                    for day in ["2026-04-20", "2026-04-22", "2026-04-24"] {
                        _ = try county.complain("\(day) 10:00", employer: employer, uscc: uscc)
                    }
                }
                try county.run("2026-05-01")

                let water = try #require(try county.flags("R1", project: "SW-001").first)
                #expect(water.department == .water)
                #expect(water.coDepartment == nil)
                let workshop = try #require(try county.flags("R3", project: "JG-001").first)
                #expect(workshop.department == .commerce)
                #expect(workshop.coDepartment == .township)
                #expect(workshop.contractorUSCC == County.enterprise)
                let clusters = try county.flags("R6")
                // The contractor's latest project (signed 2026-01-10) is a water project.
                #expect(clusters.first { $0.contractorUSCC == County.contractor }?.department == .water)
                #expect(clusters.first { $0.contractorUSCC == County.laborFirm }?.department == .labor)

                var township = FlagFilter()
                township.department = "township"
                let forTownship = try FlagDesk().list(township, on: db)
                #expect(forTownship.contains { $0.id == workshop.id })
                #expect(forTownship.allSatisfy { $0.projectCode == "JG-001" })
                var transport = FlagFilter()
                transport.department = "transport"
                let forTransport = try FlagDesk().list(transport, on: db)
                #expect(forTransport.isEmpty)
            }
        }
    }
}

extension RuleTests {
    @Suite("Flag review in the lead department")
    struct Review {
        private func auditCount(_ db: Connection, flag id: FlagID) throws -> Int64 {
            try db.query("""
                SELECT count(*) AS n FROM audit_log WHERE table_name = 'flags' AND action = 'update' AND row_key = \(id.description)
                """).one().decode("n")
        }

        @Test("only the lead department reviews: another department is denied, the right one acknowledges then confirms direct_pay")
        func permissions() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.user("li_jiaotong", department: "transport")
                try county.user("wang_shuiwu", department: "water")
                try county.project("ZZ-G107", signed: "2026-01-10")
                try county.run("2026-02-20")
                let flag = try #require(try county.flags("R1").first)
                let desk = FlagDesk()

                let denied = #expect(throws: WagewatchError.self) {
                    try desk.review(flag.id, .acknowledge, reviewer: "wang_shuiwu", on: db)
                }
                #expect(denied?.kind == .permissionDenied)
                let stranger = #expect(throws: WagewatchError.self) {
                    try desk.review(flag.id, .acknowledge, reviewer: "nobody", on: db)
                }
                #expect(stranger?.kind == .permissionDenied)
                let untouched = try desk.find(flag.id, on: db)
                #expect(untouched.status == .open)
                let auditedBefore = try auditCount(db, flag: flag.id)
                #expect(auditedBefore == 0)

                let acked = try desk.review(flag.id, .acknowledge, reviewer: "li_jiaotong", on: db)
                #expect(acked.status == .acknowledged)
                #expect(acked.reviewedBy == "li_jiaotong")
                let badAction = #expect(throws: WagewatchError.self) {
                    try desk.review(flag.id, .confirm(action: "shrug"), reviewer: "li_jiaotong", on: db)
                }
                #expect(badAction?.kind == .invalidInput)
                let confirmed = try desk.review(flag.id, .confirm(action: "direct_pay"), reviewer: "li_jiaotong", on: db)
                #expect(confirmed.status == .confirmed)
                #expect(confirmed.reviewAction == .directPay)
                let twice = #expect(throws: WagewatchError.self) {
                    try desk.review(flag.id, .acknowledge, reviewer: "li_jiaotong", on: db)
                }
                #expect(twice?.kind == .conflict)

                let audited = try auditCount(db, flag: flag.id)
                #expect(audited == 2)
                let reviews = try db.query("""
                    SELECT action, confirm_action, reviewer, department FROM flag_reviews WHERE flag_id = \(flag.id) ORDER BY id
                    """)
                let actions = try reviews.map { try $0.decode("action", as: String.self) }
                let confirmActions = try reviews.map { try $0.decode("confirm_action", as: String?.self) }
                let departments = try reviews.map { try $0.decode("department", as: String.self) }
                let reviewers = try reviews.map { try $0.decode("reviewer", as: String.self) }
                #expect(actions == ["ack", "confirm"])
                #expect(confirmActions == [nil, "direct_pay"])
                #expect(departments == ["transport", "transport"])
                #expect(reviewers == ["li_jiaotong", "li_jiaotong"])
            }
        }

        @Test("dismissing needs a reason; a dismissed flag cannot be reviewed again; every review is audited")
        func dismiss() async throws {
            try await TestDatabase.withFresh { db, _ in
                let county = try County(db)
                try county.user("zhao_xiangzhen", department: "township")
                try county.project("JG-001", type: "small_enterprise", funding: "social", contractor: County.enterprise,
                                   signed: "2026-01-05", started: "2026-03-01")
                try county.attend(try county.worker(1, on: "JG-001", employer: County.enterprise), on: "JG-001", days: ["2026-03-02"])
                try county.run("2026-05-01")
                let flag = try #require(try county.flags("R3").first)
                let desk = FlagDesk()

                let noReason = #expect(throws: WagewatchError.self) {
                    try desk.review(flag.id, .dismiss(reason: "  "), reviewer: "zhao_xiangzhen", on: db)
                }
                #expect(noReason?.kind == .invalidInput)
                // The township shares small enterprises with commerce, so it may review.
                let dismissed = try desk.review(flag.id, .dismiss(reason: "工资已现金发放，有签字工资表"), reviewer: "zhao_xiangzhen", on: db)
                #expect(dismissed.status == .dismissed)
                #expect(dismissed.reviewReason == "工资已现金发放，有签字工资表")
                for review in [FlagReview.acknowledge, .confirm(action: "rectify"), .dismiss(reason: "again")] {
                    let again = #expect(throws: WagewatchError.self) {
                        try desk.review(flag.id, review, reviewer: "zhao_xiangzhen", on: db)
                    }
                    #expect(again?.kind == .conflict)
                }
                let audited = try db.query("""
                    SELECT before->>'status' AS before, after->>'status' AS after FROM audit_log
                    WHERE table_name = 'flags' AND action = 'update' AND row_key = \(flag.id.description)
                    """)
                #expect(audited.count == 1)
                let statusBefore = try audited.first?.decode("before", as: String.self)
                let statusAfter = try audited.first?.decode("after", as: String.self)
                #expect(statusBefore == "open")
                #expect(statusAfter == "dismissed")
                let reviews: Int64 = try db.query("""
                    SELECT count(*) AS n FROM flag_reviews WHERE flag_id = \(flag.id) AND action = 'dismiss'
                      AND reason = '工资已现金发放，有签字工资表' AND reviewer = 'zhao_xiangzhen'
                    """).one().decode("n")
                #expect(reviews == 1)
            }
        }
    }
}
