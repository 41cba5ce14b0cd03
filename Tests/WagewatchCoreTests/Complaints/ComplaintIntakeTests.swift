import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Builds a valid complaint input with the fields a test cares about.
func complaint(
    received: String = "2026-02-13 10:00", region: String = "410102", employer: String = "郑州宏达建筑劳务有限公司",
    uscc: String? = nil, project: String? = nil, workers: Int = 3, amount: String = "8600",
    owedUntil: String? = nil, absconded: Bool = false, text: String? = nil
) throws -> ComplaintInput {
    let fields: [String: String?] = [
        "received_at": received, "region_code": region, "channel": "12333", "employer_name": employer,
        "employer_uscc": uscc, "project_code": project, "workers_involved": String(workers), "amount_owed": amount,
        "owed_until": owedUntil, "employer_absconded": absconded ? "true" : nil, "text": text,
    ]
    return try ComplaintInput.parse { fields[$0].flatMap { $0 } }.get()
}

let shanghaiToday = LocalDate(year: 2026, month: 2, day: 16)!

@Suite("Complaint intake (C1–C4)")
struct ComplaintIntakeTests {
    let intake = ComplaintIntake()
    let desk = ComplaintDesk()

    @Test("a complaint gets a number for its region and day of receipt in Asia/Shanghai, and a C2 deadline")
    func numbering() async throws {
        try await TestDatabase.withFresh { db, _ in
            let first = try intake.add(try complaint(received: "2026-02-13 10:00"), on: db)
            let second = try intake.add(try complaint(received: "2026-02-13 23:59", employer: "另一家公司"), on: db)
            // 2026-02-13 16:30 UTC is already 2026-02-14 00:30 in Shanghai.
            let nextDay = try intake.add(try complaint(received: "2026-02-13T16:30:00Z", employer: "第三家公司"), on: db)
            let otherRegion = try intake.add(try complaint(received: "2026-02-13 09:00", region: "410103"), on: db)
            #expect(first.number == "TS-20260213-0001")
            #expect(second.number == "TS-20260213-0002")
            #expect(nextDay.number == "TS-20260214-0001")
            #expect(otherRegion.number == "TS-20260213-0001")
            #expect(first.outcome == nil)
            #expect(first.decisionDue == LocalDate(year: 2026, month: 2, day: 27))
        }
    }

    @Test("a violation that ended more than 2 years before receipt is refused at intake as time_barred")
    func timeBarred() async throws {
        try await TestDatabase.withFresh { db, _ in
            let barred = try intake.add(try complaint(received: "2026-02-13 10:00", owedUntil: "2024-02-12"), on: db)
            let inTime = try intake.add(try complaint(received: "2026-02-13 10:00", employer: "另一家", owedUntil: "2024-02-13"), on: db)
            #expect(barred.outcome == .refused)
            #expect(inTime.outcome == nil)
            let record = try desk.find(.number(barred.number), on: db)
            #expect(record.reason == "time_barred")
            #expect(record.status == .decided)
        }
    }

    @Test("a complaint about the same employer and project within 30 days of an open case joins it")
    func mergeIntoOpenCase() async throws {
        try await TestDatabase.withFresh { db, _ in
            let first = try intake.add(try complaint(received: "2026-02-13 10:00", project: "XM-001"), on: db)
            let accepted = try desk.decide(.number(first.number), .accept, today: shanghaiToday, on: db)
            let caseID = try #require(accepted.caseID)
            // Same employer written with the 有限责任公司 variant, full-width spaces and a different project.
            let sameName = try intake.add(try complaint(received: "2026-02-20 09:00", employer: " 郑州宏达建筑劳务有限责任公司　", project: "XM-001"), on: db)
            let otherProject = try intake.add(try complaint(received: "2026-02-20 09:30", project: "XM-002"), on: db)
            #expect(sameName.outcome == .merged)
            #expect(sameName.caseID == caseID)
            #expect(otherProject.outcome == nil)
            let detail = try CaseDesk().find(caseID, on: db)
            #expect(detail.complaintIDs.count == 2)
            #expect(detail.owedFen == 1_720_000)
        }
    }

    @Test("a complaint arriving 31 days after the case's last complaint does not join it")
    func mergeWindowNearMiss() async throws {
        try await TestDatabase.withFresh { db, _ in
            let first = try intake.add(try complaint(received: "2026-03-02 10:00", uscc: "91350100M000100Y43"), on: db)
            _ = try desk.decide(.number(first.number), .accept, today: shanghaiToday, on: db)
            let within = try intake.add(
                try complaint(received: "2026-04-01 09:59", employer: "名字不同但信用代码相同", uscc: "91350100M000100Y43"), on: db)
            // 30 days after the merged one (2026-04-01) still joins; 31 days after it does not.
            let chained = try intake.add(try complaint(received: "2026-05-01 09:00", uscc: "91350100M000100Y43"), on: db)
            let after = try intake.add(try complaint(received: "2026-06-02 09:00", uscc: "91350100M000100Y43"), on: db)
            #expect(within.outcome == .merged)
            #expect(chained.outcome == .merged)
            #expect(after.outcome == nil)
        }
    }

    @Test("200 complaints from 4 connections at once get 200 distinct, gap-free numbers")
    func concurrentNumbering() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try runOnThreads(4) { worker in
                let connection = try Connection(conninfo)
                defer { connection.close() }
                for n in 0..<50 {
                    _ = try ComplaintIntake().add(
                        try complaint(received: "2026-03-02 09:\(String(format: "%02d", n))", employer: "公司\(worker)-\(n)"),
                        on: connection)
                }
            }
            let numbers = try db.query("SELECT number FROM complaints ORDER BY number").map { try $0.decode("number", as: String.self) }
            #expect(numbers.count == 200)
            #expect(Set(numbers).count == 200)
            #expect(numbers == (1...200).map { "TS-20260302-" + String(format: "%04d", $0) })
        }
    }
}

@Suite("Decisions and cases (C1, C5, C6)")
struct CaseLifecycleTests {
    let intake = ComplaintIntake()
    let desk = ComplaintDesk()
    let cases = CaseDesk()

    @Test("a complaint is decided once: a second decision is a conflict")
    func decideOnce() async throws {
        try await TestDatabase.withFresh { db, _ in
            let c = try intake.add(try complaint(), on: db)
            let refused = try desk.decide(.number(c.number), .refuse(reason: "不属于本辖区"), today: shanghaiToday, on: db)
            #expect(refused.outcome == .refused)
            #expect(refused.reason == "不属于本辖区")
            #expect { try desk.decide(.number(c.number), .accept, today: shanghaiToday, on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .conflict
            }
        }
    }

    @Test("accepting opens a case due 60 working days later; one extension moves it")
    func investigationDeadline() async throws {
        try await TestDatabase.withFresh { db, _ in
            let c = try intake.add(try complaint(), on: db)
            let accepted = try desk.decide(.number(c.number), .accept, today: shanghaiToday, on: db)
            let caseID = try #require(accepted.caseID)
            let record = try cases.find(caseID, on: db)
            #expect(record.acceptedOn == shanghaiToday)
            // Worked by hand on the 2026 State Council calendar (SPEC appendix A), counting from the
            // day after acceptance (02-16). February: 17–23 are the Spring Festival holiday, then
            // 24, 25, 26, 27 and the 调休 Saturday 28th: 5. March: 22 weekdays, no holiday: 27.
            // April: 22 weekdays less Qingming Monday 04-06: 21, so 48. May: 1–5 off (Labour Day),
            // 6, 7, 8, the 调休 Saturday 9th (52), 11–15 (57), 18, 19, 20: the 60th is Wednesday 2026-05-20.
            #expect(record.investigationDue == LocalDate(year: 2026, month: 5, day: 20))
            let extended = try cases.extend(caseID, days: 30, approver: "局长", reason: "多级分包需核查", on: db)
            // The extension counts on from the same day: May's remaining weekdays 21, 22, 25–29 (67);
            // June: 22 weekdays less the Dragon Boat Friday 06-19: 21 (88); July 1 and 2: the 90th
            // is Thursday 2026-07-02.
            #expect(extended.investigationDue == LocalDate(year: 2026, month: 7, day: 2))
            #expect { try cases.extend(caseID, days: 5, approver: "局长", reason: "again", on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .conflict
            }
            #expect { try cases.extend(caseID, days: 31, approver: "局长", reason: "too long", on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .invalidInput
            }
        }
    }

    @Test("C5: an extension without a named approver or without a reason is refused as invalid input and changes nothing")
    func extensionNeedsApproverAndReason() async throws {
        try await TestDatabase.withFresh { db, _ in
            let c = try intake.add(try complaint(), on: db)
            let caseID = try #require(try desk.decide(.number(c.number), .accept, today: shanghaiToday, on: db).caseID)
            let due = try cases.find(caseID, on: db).investigationDue
            for (approver, reason) in [("", "多级分包需核查"), ("  ", "多级分包需核查"), ("局长", ""), ("局长", " \t ")] {
                #expect("\(approver.debugDescription) \(reason.debugDescription)") {
                    try cases.extend(caseID, days: 30, approver: approver, reason: reason, on: db)
                } throws: { ($0 as? WagewatchError)?.kind == .invalidInput }
            }
            #expect(try cases.find(caseID, on: db).investigationDue == due)
            #expect(try db.query("SELECT count(*) AS n FROM case_extensions").one().decode("n", as: Int.self) == 0)
            // The one extension is still there to take.
            let extended = try cases.extend(caseID, days: 30, approver: "局长", reason: "多级分包需核查", on: db)
            #expect(extended.investigationDue == LocalDate(year: 2026, month: 7, day: 2))
        }
    }

    @Test("recoveries per worker: more than owed is refused, and a case with money unrecovered closes only with a reason")
    func recoverAndClose() async throws {
        try await TestDatabase.withFresh { db, _ in
            let c = try intake.add(try complaint(workers: 2, amount: "10000"), on: db)
            let caseID = try #require(try desk.decide(.number(c.number), .accept, today: shanghaiToday, on: db).caseID)
            let li = try ResidentID(parsing: "11010519491231002X", today: .testToday)
            let wang = ResidentID.make(region: try RegionCode(parsing: "410102"), birth: LocalDate(year: 1990, month: 3, day: 7)!, sequence: 6)
            _ = try cases.claim(caseID, worker: li, name: "李四", owedFen: 600_000, on: db)
            _ = try cases.claim(caseID, worker: wang, name: "王五", owedFen: 400_000, on: db)
            let day = LocalDate(year: 2026, month: 3, day: 1)!
            _ = try cases.recover(caseID, worker: li, amountFen: 600_000, source: .employer, on: day, key: nil, on: db)
            #expect { try cases.recover(caseID, worker: li, amountFen: 1, source: .employer, on: day, key: nil, on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .conflict
            }
            // N3: a disposition that says the workers were paid is refused while ¥4,000 is unrecovered.
            #expect { try cases.close(caseID, disposition: .paidInFull, on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .conflict && "\($0)".contains("disposition: \"paid_in_full\"")
            }
            #expect { try cases.close(caseID, disposition: .directPay, on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .conflict
            }
            let partial = try cases.find(caseID, on: db)
            #expect(partial.owedFen == 1_000_000)
            #expect(partial.recoveredFen == 600_000)
            _ = try cases.recover(caseID, worker: wang, amountFen: 400_000, source: .generalContractor, on: day, key: "r-1", on: db)
            // The same key again records nothing more.
            _ = try cases.recover(caseID, worker: wang, amountFen: 400_000, source: .generalContractor, on: day, key: "r-1", on: db)
            let closed = try cases.close(caseID, disposition: .paidByContractor, on: db)
            #expect(closed.status == .closed)
            #expect(closed.disposition == .paidByContractor)
            #expect(closed.recoveredFen == 1_000_000)
            #expect { try cases.recover(caseID, worker: wang, amountFen: 1, source: .employer, on: day, key: nil, on: db) } throws: {
                ($0 as? WagewatchError)?.kind == .conflict
            }
        }
    }

    @Test("the audit log holds the actor and the before and after of a decision")
    func auditTrail() async throws {
        try await TestDatabase.withFresh { db, _ in
            try db.query("SELECT set_config('wagewatch.actor', 'hotline_li', false)")
            let c = try intake.add(try complaint(), on: db)
            try db.query("SELECT set_config('wagewatch.actor', 'inspector_wang', false)")
            _ = try desk.decide(.number(c.number), .refer(target: "劳动人事争议仲裁委员会"), today: shanghaiToday, on: db)
            let rows = try db.query("""
                SELECT actor, action, before->>'status' AS before_status, after->>'status' AS after_status,
                       after->>'outcome' AS outcome
                FROM audit_log WHERE table_name = 'complaints' AND row_key = \(c.id.description) ORDER BY id
                """)
            #expect(rows.count == 2)
            #expect(try rows[0].decode("actor", as: String.self) == "hotline_li")
            #expect(try rows[0].decode("action", as: String.self) == "insert")
            #expect(try rows[1].decode("actor", as: String.self) == "inspector_wang")
            #expect(try rows[1].decode("before_status", as: String?.self) == "pending")
            #expect(try rows[1].decode("after_status", as: String?.self) == "decided")
            #expect(try rows[1].decode("outcome", as: String?.self) == "referred")
        }
    }

    @Test("complaints, cases and recoveries cannot be deleted")
    func noDeletes() async throws {
        try await TestDatabase.withFresh { db, _ in
            // A row in every table the rule names (a row trigger refuses only rows that exist):
            // the complaint, its case, a worker's claim and recovery, an extension, their audit.
            let c = try intake.add(try complaint(), on: db)
            let caseID = try #require(try desk.decide(.number(c.number), .accept, today: shanghaiToday, on: db).caseID)
            let worker = try ResidentID(parsing: "11010519491231002X", today: .testToday)
            _ = try CaseDesk().claim(caseID, worker: worker, name: "李四", owedFen: 500_000, on: db)
            _ = try CaseDesk().recover(caseID, worker: worker, amountFen: 200_000, source: .employer,
                                       on: shanghaiToday, key: "no-deletes-1", on: db)
            _ = try CaseDesk().extend(caseID, days: 10, approver: "局长", reason: "多级分包需核查", on: db)
            let tables = ["complaints", "cases", "claims", "recoveries", "case_extensions", "audit_log"]
            func counts() throws -> [String: Int] {
                var counts: [String: Int] = [:]
                for table in tables {
                    counts[table] = try db.query("SELECT count(*) AS n FROM \(unsafeRaw: table)").one().decode("n", as: Int.self)
                }
                return counts
            }
            let before = try counts()
            for table in tables {
                #expect(before[table, default: 0] > 0, "\(table) has no row to refuse deleting")
                #expect { try db.query("DELETE FROM \(unsafeRaw: table)") } throws: { error in
                    WagewatchError.from(error).kind == .conflict
                }
                #expect { try db.query("TRUNCATE \(unsafeRaw: table) CASCADE") } throws: { error in
                    WagewatchError.from(error).kind == .conflict
                }
            }
            #expect(try counts() == before)
        }
    }
}
