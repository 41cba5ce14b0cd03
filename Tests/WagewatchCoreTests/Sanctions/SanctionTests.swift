import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// A contractor, its owner and its cases, for the sanction tests (region 410102).
private struct Sanctioned {
    static let region = "410102"
    static let owner = "91350100M000100Y43"       // 郑州市交通运输局建设处
    static let contractor = "91110000100010433L"  // 河南路桥建设集团有限公司
    static let name = "河南路桥建设集团有限公司"
    static let laborFirm = "91440300708461136T"   // 深圳宏达建筑劳务有限公司

    let db: Connection
    let desk = SanctionDesk()

    init(_ db: Connection) throws {
        self.db = db
        for (uscc, name, kind) in [
            (Self.owner, "郑州市交通运输局建设处", "owner"),
            (Self.contractor, Self.name, "general_contractor"),
            (Self.laborFirm, "深圳宏达建筑劳务有限公司", "subcontractor"),
        ] {
            try db.query("""
                INSERT INTO employers (region_code, uscc, name, name_key, kind, legal_rep, phone)
                VALUES (\(Self.region), \(uscc), \(name), \(name), \(kind), '张某', '13812345678')
                """)
        }
    }

    static func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    static func uscc(_ text: String = Sanctioned.contractor) -> USCC { try! USCC(parsing: text) }

    /// An accepted complaint against the contractor: the open case's id.
    @discardableResult
    func openCase(workers: Int, amount: String, uscc: String = Sanctioned.contractor, employer: String = Sanctioned.name)
        throws -> CaseID
    {
        var input = try complaint(received: "2026-02-13 10:00", employer: employer, uscc: uscc, workers: workers, amount: amount)
        input.callerName = "王五"
        input.callerPhone = "13912345678"
        // Owed since October: by March a worker's arrears have lasted the 3 months the criminal
        // threshold (R7, which S2's gate uses) requires of one worker.
        input.owedSince = Self.day("2025-10-01")
        let intake = try ComplaintIntake().add(input, on: db)
        let decided = try ComplaintDesk().decide(.number(intake.number), .accept, today: Self.day("2026-02-16"), on: db)
        return try #require(decided.caseID)
    }

    func worker(_ sequence: Int) -> ResidentID {
        ResidentID.make(region: try! RegionCode(parsing: "410102"), birth: Self.day("1990-03-07"), sequence: sequence)
    }

    func order(deadline: String, uscc: String = Sanctioned.contractor, amountFen: Int64 = 900_000) throws {
        _ = try desk.order(contractor: Self.uscc(uscc), amountFen: amountFen, issuedOn: Self.day("2026-02-20"),
                           deadline: Self.day(deadline), basis: "劳动保障监察限期整改指令书〔2026〕3号", on: db)
    }

    func blacklist(from: String, uscc: String = Sanctioned.contractor) throws -> SanctionRecord {
        try desk.add(contractor: Self.uscc(uscc), measure: .blacklist, basis: "《保障农民工工资支付条例》第四十八条",
                     department: "labor", from: Self.day(from), until: nil, on: db)
    }

    func project(_ code: String, signed: String, contractor: String = Sanctioned.contractor) throws {
        try db.query("""
            INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen, deposit_exempt, status)
            VALUES (\(Self.region), \(code), \(code + "工程"), 'gov_transport', 'government',
                (SELECT id FROM employers WHERE uscc = \(Self.owner)), (SELECT id FROM employers WHERE uscc = \(contractor)),
                1000000000, \(Self.day(signed)), \(Self.day(signed).adding(days: 30)), '2026-12-31', 30, 0, true, 'planned')
            """)
    }
}

/// Throws the error the body throws, as a WagewatchError, or fails the test if none is thrown.
private func refusal(_ body: () throws -> Void) -> WagewatchError? {
    do {
        try body()
        Issue.record("expected a refusal")
        return nil
    } catch {
        return WagewatchError.from(error)
    }
}

@Suite("Sanctions and the arrears blacklist (S1–S3)")
struct SanctionTests {
    @Test("blacklisting is refused without a recorded payment order, and the message names it")
    func blacklistNeedsOrder() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            try county.openCase(workers: 1, amount: "9000")
            let error = refusal { _ = try county.blacklist(from: "2026-03-06") }
            #expect(error?.kind == .conflict)
            #expect(error?.message.contains("责令限期支付") == true)
            #expect(error?.message.contains("no recorded order") == true)
            let count: Int64 = try db.query("SELECT count(*) AS n FROM sanctions").one().decode("n")
            #expect(count == 0)
        }
    }

    @Test("blacklisting is refused while the payment order's deadline has not passed on the start day")
    func blacklistNeedsMissedDeadline() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            try county.openCase(workers: 1, amount: "9000")
            try county.order(deadline: "2026-03-05")
            let onDeadline = refusal { _ = try county.blacklist(from: "2026-03-05") }
            #expect(onDeadline?.kind == .conflict)
            #expect(onDeadline?.message.contains("has not passed") == true)
            let record = try county.blacklist(from: "2026-03-06")
            #expect(record.measure == "blacklist")
        }
    }

    @Test("blacklisting is refused below the criminal threshold without a mass incident")
    func blacklistNeedsThresholdOrMassIncident() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            try county.openCase(workers: 3, amount: "8600")
            try county.order(deadline: "2026-03-05")
            let error = refusal { _ = try county.blacklist(from: "2026-03-06") }
            #expect(error?.kind == .conflict)
            #expect(error?.message.contains("criminal threshold") == true)
            #expect(error?.message.contains("mass-incident") == true)
        }
    }

    @Test("a mass-incident escalation about the contractor stands in for the criminal threshold")
    func massIncidentSuffices() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            try county.openCase(workers: 3, amount: "8600")
            try county.order(deadline: "2026-03-05")
            try db.query("""
                INSERT INTO escalations (region_code, reason, mass_incident, level, dedupe_key, employer_id)
                VALUES ('410102', 'protest_keywords', true, 'county', 'test:protest',
                        (SELECT id FROM employers WHERE uscc = \(Sanctioned.contractor)))
                """)
            let record = try county.blacklist(from: "2026-03-06")
            #expect(record.measure == "blacklist")
        }
    }

    @Test("blacklisting with every condition met is recorded and lasts 36 months by default")
    func blacklistAccepted() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            try county.openCase(workers: 12, amount: "50000")
            try county.order(deadline: "2026-03-05")
            let record = try county.blacklist(from: "2026-03-06")
            #expect(record.contractorUSCC == Sanctioned.contractor)
            #expect(record.validFrom == Sanctioned.day("2026-03-06"))
            #expect(record.validUntil == Sanctioned.day("2029-03-05"))
            let again = refusal { _ = try county.blacklist(from: "2026-04-01") }
            #expect(again?.kind == .conflict)
            let listed = try county.desk.list(on: db)
            #expect(listed.map(\.id) == [record.id])
        }
    }

    @Test("a one-worker arrear of ¥8,000 reaches the threshold; ¥7,999.99 does not")
    func oneWorkerThreshold() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            try county.openCase(workers: 1, amount: "7999.99")
            try county.order(deadline: "2026-03-05")
            let below = refusal { _ = try county.blacklist(from: "2026-03-06") }
            #expect(below?.kind == .conflict)
            try county.openCase(workers: 1, amount: "8000", uscc: Sanctioned.laborFirm, employer: "深圳宏达建筑劳务有限公司")
            try county.order(deadline: "2026-03-05", uscc: Sanctioned.laborFirm)
            let record = try county.blacklist(from: "2026-03-06", uscc: Sanctioned.laborFirm)
            #expect(record.contractorUSCC == Sanctioned.laborFirm)
        }
    }

    @Test("lifting a blacklisting is refused until 6 months after full payment, and accepted from then")
    func liftAfterSixMonths() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            let caseID = try county.openCase(workers: 1, amount: "9000")
            try county.order(deadline: "2026-03-05")
            let record = try county.blacklist(from: "2026-03-06")

            let unpaid = refusal { _ = try county.desk.lift(record.id, reason: "已支付", today: Sanctioned.day("2027-01-01"), on: db) }
            #expect(unpaid?.kind == .conflict)
            #expect(unpaid?.message.contains("still owes") == true)

            _ = try CaseDesk().recover(caseID, worker: county.worker(1), amountFen: 500_000, source: .employer,
                                       on: Sanctioned.day("2026-04-01"), key: nil, on: db)
            _ = try CaseDesk().recover(caseID, worker: county.worker(1), amountFen: 400_000, source: .employer,
                                       on: Sanctioned.day("2026-04-10"), key: nil, on: db)
            let early = refusal { _ = try county.desk.lift(record.id, reason: "已全额支付", today: Sanctioned.day("2026-10-09"), on: db) }
            #expect(early?.kind == .conflict)
            #expect(early?.message.contains("2026-10-10") == true)

            let lifted = try county.desk.lift(record.id, reason: "已全额支付满6个月", today: Sanctioned.day("2026-10-10"), on: db)
            #expect(lifted.liftedOn == Sanctioned.day("2026-10-10"))
            #expect(lifted.liftReason == "已全额支付满6个月")
            let twice = refusal { _ = try county.desk.lift(record.id, reason: "again", today: Sanctioned.day("2026-10-11"), on: db) }
            #expect(twice?.kind == .conflict)
        }
    }

    @Test("restrict_bidding needs no payment order, and R12 then flags the contractor's new project")
    func restrictBiddingAndR12() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            let record = try county.desk.add(
                contractor: Sanctioned.uscc(), measure: .restrictBidding, basis: "限制参与政府投资项目招投标",
                department: "construction", from: Sanctioned.day("2026-03-01"), until: Sanctioned.day("2027-02-28"), on: db)
            #expect(record.validUntil == Sanctioned.day("2027-02-28"))
            try county.project("ZZ-NEW", signed: "2026-04-01")
            try county.project("ZZ-OLD", signed: "2026-01-10")
            _ = try RuleEngine().run(asOf: Sanctioned.day("2026-04-02"), only: "R12", on: db)
            let flags = try FlagDesk().list({ var f = FlagFilter(); f.rule = "R12"; return f }(), on: db)
            #expect(flags.compactMap(\.projectCode) == ["ZZ-NEW"])
            #expect(flags.first?.contractorUSCC == Sanctioned.contractor)
        }
    }

    @Test("a department that does not exist is invalid input")
    func unknownDepartment() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            let error = refusal {
                _ = try county.desk.add(contractor: Sanctioned.uscc(), measure: .other, basis: "x", department: "police",
                                        from: Sanctioned.day("2026-03-01"), until: nil, on: db)
            }
            #expect(error?.kind == .invalidInput)
            #expect(error?.message.contains("department") == true)
        }
    }

    @Test("the exposure list in every format names the contractor and its USCC and carries no worker's ID, phone or account")
    func exposureCarriesNoPersonalData() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            let caseID = try county.openCase(workers: 12, amount: "50000")
            _ = try CaseDesk().claim(caseID, worker: county.worker(7), name: "李四", owedFen: 900_000, on: db)
            try county.project("ZZ-G107", signed: "2026-01-10")
            try db.query("""
                INSERT INTO workers (region_code, id_number, name, phone, bank, bank_account, employer_id, project_id, joined)
                SELECT '410102', \(county.worker(7).value), '李四', '13700001111', '农行', '6228480402564890018', e.id, p.id,
                       '2026-01-15'
                FROM employers e, projects p WHERE e.uscc = \(Sanctioned.contractor) AND p.code = 'ZZ-G107'
                """)
            // The order to pay names ¥12,500 (what the inspector told the contractor to pay); the
            // one claim on the case is ¥9,000, all of it still owed. The list shows the arrears.
            try county.order(deadline: "2026-03-05", amountFen: 1_250_000)
            _ = try county.blacklist(from: "2026-03-06")
            _ = try county.desk.add(contractor: Sanctioned.uscc(Sanctioned.laborFirm), measure: .restrictBidding, basis: "限制招投标",
                                    department: "labor", from: Sanctioned.day("2026-03-06"), until: nil, on: db)

            let rows = try county.desk.exposure(asOf: Sanctioned.day("2026-03-10"), on: db)
            #expect(rows == [ExposureRow(contractorName: Sanctioned.name, uscc: Sanctioned.contractor, amountFen: 900_000,
                                         workers: 12, decisionDate: Sanctioned.day("2026-03-06"))])
            let list = ExposureList(rows: rows, asOf: Sanctioned.day("2026-03-10"))
            #expect(list.csv() == "contractor_name,uscc,amount_yuan,workers,decision_date\n河南路桥建设集团有限公司,91110000100010433L,9000.00,12,2026-03-06\n")
            for format in ExposureFormat.allCases {
                let text = list.render(format)
                #expect(text.contains(Sanctioned.name), "\(format)")
                #expect(text.contains(Sanctioned.contractor), "\(format)")
                let scrubbed = text.replacingOccurrences(of: Sanctioned.contractor, with: "")
                for pattern in ["[0-9]{17}[0-9X]", "1[3-9][0-9]{9}", "[0-9]{12,}"] {
                    #expect(scrubbed.range(of: pattern, options: .regularExpression) == nil, "\(format): \(pattern)")
                }
                #expect(!text.contains("李四"), "\(format)")
                #expect(!text.contains("王五"), "\(format)")
            }
            #expect(list.markdown().hasPrefix("# 拖欠农民工工资失信联合惩戒对象名单"))
            #expect(list.html().contains("<html lang=\"zh-CN\">"))
            #expect(list.html().contains("<style>"))
            #expect(!list.html().contains("<link"))
            #expect(!list.html().contains("<script"))
        }
    }
}

/// Issue 21, "writes only through doors", for sanctions (sql/functions/sanctions.sql): with their
/// own login and raw SQL, an inspector records a blacklisting only through S2's gate.
@Suite("Sanctions only through their doors (issue 21)")
struct SanctionDoorTests {
    @Test("a raw INSERT of a blacklisting or a payment order is refused; the doors hold S2 and stamp the writer; other regions and roles are refused")
    func doors() async throws {
        try await TestDatabase.withFresh { db, _ in
            let county = try Sanctioned(db)
            try county.openCase(workers: 1, amount: "9000")
            let employer: Int64 = try db.query("SELECT id FROM employers WHERE uscc = \(Sanctioned.contractor)").one().decode("id")
            _ = try UserDirectory().add(name: "sanction_410181", role: "inspector", department: "labor", regionCode: "410181", on: db)
            let inspector = try GuardTests.login("zhang_jiancha", db)
            let other = try GuardTests.login("sanction_410181", db)
            let hotline = try GuardTests.login("hotline_li", db)
            defer { [inspector, other, hotline].forEach { $0.close() } }
            let rawBlacklist = """
                INSERT INTO sanctions (region_code, employer_id, measure, basis, department, valid_from, valid_until)
                VALUES ('410102', \(employer), 'blacklist', '条例', 'labor', '2026-03-06', '2029-03-05')
                """
            #expect(CaseDoorTests.refusal(rawBlacklist, on: inspector)?.code == .insufficientPrivilege)
            #expect(CaseDoorTests.refusal("""
                INSERT INTO payment_orders (region_code, employer_id, amount_fen, issued_on, deadline, basis)
                VALUES ('410102', \(employer), 100, '2026-01-01', '2026-01-02', '令')
                """, on: inspector)?.code == .insufficientPrivilege)
            // The door, called raw, still holds S2: no payment order, no blacklisting.
            let blacklist = "SELECT ww_add_sanction('410102', \(employer), 'blacklist', '条例', 'labor', '2026-03-06', NULL)"
            let noOrder = CaseDoorTests.refusal(blacklist, on: inspector)
            #expect(noOrder?.hint == "conflict" && noOrder?.message.contains("no recorded order") == true, "\(String(describing: noOrder))")
            #expect(CaseDoorTests.refusal(blacklist, on: other)?.hint == "not_found")
            #expect(CaseDoorTests.refusal(blacklist, on: hotline)?.code == .insufficientPrivilege)
            let badDepartment = CaseDoorTests.refusal("SELECT ww_add_sanction('410102', \(employer), 'other', '条例', 'nowhere', '2026-03-06', NULL)", on: inspector)
            #expect(badDepartment?.hint == "invalid" && badDepartment?.message.hasPrefix("department: \"nowhere\"") == true)
            // An order whose deadline passed, and arrears at the threshold (one worker ¥9,000 owed since October).
            let order = "SELECT ww_order_payment('410102', \(employer), NULL, 900000, '2026-02-20', '2026-03-05', '限期整改指令书')"
            #expect(CaseDoorTests.refusal(order, on: other)?.hint == "not_found")
            try inspector.query(SQL(unsafeSQL: order))
            let id: Int64 = try inspector.query(SQL(unsafeSQL: blacklist.replacingOccurrences(of: "NULL)", with: "NULL) AS id"))).one().decode("id")
            let row = try db.query("""
                SELECT s.valid_until::text AS until, s.created_by, o.issued_by
                FROM sanctions s, payment_orders o WHERE s.id = \(id)
                """).one()
            // 36 months from 2026-03-06, the day before: 2029-03-05.
            #expect(try row.decode("until", as: String.self) == "2029-03-05")
            #expect(try row.decode("created_by", as: String.self) == "zhang_jiancha")
            #expect(try row.decode("issued_by", as: String.self) == "zhang_jiancha")
            // Lifting: not by another region, not with a day the caller picks (still owed: refused).
            #expect(CaseDoorTests.refusal("SELECT ww_lift_sanction(\(id), '已付清', '2030-01-01')", on: other)?.hint == "not_found")
            let early = CaseDoorTests.refusal("SELECT ww_lift_sanction(\(id), '已付清', '2030-01-01')", on: inspector)
            #expect(early?.hint == "conflict" && early?.message.contains("still owes") == true, "\(String(describing: early))")
            #expect(CaseDoorTests.refusal("UPDATE sanctions SET lifted_on = '2026-03-07', lift_reason = 'x'", on: inspector)?.code == .insufficientPrivilege)
        }
    }
}
