import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Two employers and two projects in 410102 (a government road and a private housing estate),
/// the road's wage account opened; helpers to write CSV files and read back what was stored.
private enum Seed {
    static let region = CountyFixture.region
    /// This suite's contractor and owner hold each other's USCC in the other suites.
    static let contractorUSCC = CountyFixture.ownerUSCC
    static let ownerUSCC = CountyFixture.contractorUSCC
    /// Valid, but registered nowhere.
    static let strangerUSCC = CountyFixture.enterpriseUSCC
    static let road = "XM-1"
    static let estate = "XM-2"

    /// A valid resident ID number, different for each `n`.
    static func worker(_ n: Int) -> String {
        CountyFixture.residentID(birth: LocalDate(year: 1985, month: 6, day: 12)!.adding(days: n / 1_000), sequence: n % 1_000)
    }

    /// The road's contractor and the owner, under the names this suite's files use.
    static let employers = [
        CountyFixture.Employer(uscc: contractorUSCC, name: "河南宏达路桥建设有限公司", nameKey: "河南宏达路桥建设",
                               kind: "general_contractor"),
        CountyFixture.Employer(uscc: ownerUSCC, name: "郑州市交通运输局", kind: "owner"),
    ]

    /// The road (government) and the estate (socially funded), signed on 2026-01-05.
    static let projects = [
        CountyFixture.Project(code: road, name: "郑州东三环快速路改造工程", owner: ownerUSCC, contractor: contractorUSCC,
                              contractValueFen: 2_980_000_000, signed: "2026-01-05", plannedStart: "2026-02-01",
                              allocationFen: 10_000_000),
        CountyFixture.Project(code: estate, name: "郑东新区某住宅小区", type: "real_estate", funding: "social",
                              owner: ownerUSCC, contractor: contractorUSCC, contractValueFen: 2_980_000_000,
                              signed: "2026-01-05", plannedStart: "2026-02-01", allocationFen: 10_000_000),
    ]

    static func seed(_ db: Connection) throws {
        try CountyFixture.register(employers, on: db)
        try CountyFixture.register(projects, on: db)
        _ = try Ledger(defaultRegion: region).open(
            .wage(project: road), bank: "中国建设银行郑州分行", number: "6222020200112233",
            openedOn: LocalDate(year: 2026, month: 2, day: 1)!, on: db)
    }

    /// Registers workers 1…n on the road project through the import.
    static func registerWorkers(_ n: Int, _ db: Connection) throws {
        var text = "id_number,name,employer_uscc,project_code,joined\n"
        for i in 1...n { text += "\(worker(i)),工人\(i),\(contractorUSCC),\(road),2026-02-01\n" }
        _ = try WorkerImport(today: .testToday).run(path: try csv(text), dryRun: false, on: db)
    }

    static func csv(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ww-import-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func projectID(_ code: String, _ db: Connection) throws -> Int64 {
        try db.query("SELECT id FROM projects WHERE code = \(code)").one().decode("id")
    }

    static func employerID(_ uscc: String, _ db: Connection) throws -> Int64 {
        try db.query("SELECT id FROM employers WHERE uscc = \(uscc)").one().decode("id")
    }

    static func count(_ table: String, _ db: Connection) throws -> Int {
        try db.query("SELECT count(*) AS n FROM \(identifier: table)").one().decode("n")
    }

    /// The problems an import reported, as printed; nil when it did not fail with a problem list.
    static func problems(_ body: () throws -> ImportSummary) -> [String]? {
        do {
            _ = try body()
            return nil
        } catch let problems as ImportProblems {
            return problems.errors.map(\.description)
        } catch {
            return ["unexpected error: \(error)"]
        }
    }

    static func balance(_ account: AccountRef, _ db: Connection) throws -> Int64 {
        try Ledger(defaultRegion: region).balance(account, asOf: nil, on: db).balanceFen
    }
}

@Suite("Worker register import (SPEC §5 workers)")
struct WorkerImportTests {
    @Test("a good workers file stores each worker on their project and employer, in the project's region")
    func goodFile() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                \u{FEFF}project_code,id_number,name,phone,bank,bank_account,employer_uscc,joined,left
                XM-1,\(Seed.worker(1)),张建国,138 1234 1234,中国农业银行,6228 4800 1234 5678 9,\(Seed.contractorUSCC),2026-02-01,
                XM-2,\(Seed.worker(2)),李秀英,,,,\(Seed.ownerUSCC),2026-02-10,2026-06-30

                """)
            let summary = try WorkerImport(today: .testToday).run(path: path, dryRun: false, on: db)
            #expect(summary.kind == "workers")
            #expect(summary.rows == 2)
            #expect(summary.counts["inserted"] == 2)
            #expect(summary.counts["updated"] == 0)

            let road = try Seed.projectID(Seed.road, db)
            let estate = try Seed.projectID(Seed.estate, db)
            let contractor = try Seed.employerID(Seed.contractorUSCC, db)
            let owner = try Seed.employerID(Seed.ownerUSCC, db)
            let rows = try db.query("""
                SELECT region_code, id_number, name, phone, bank, bank_account, employer_id, project_id, joined, "left"
                FROM workers ORDER BY name
                """)
            #expect(rows.count == 2)
            let zhang = rows[0], li = rows[1]
            #expect(try zhang.decode("name", as: String.self) == "张建国")
            #expect(try zhang.decode("region_code", as: String.self) == "410102")
            #expect(try zhang.decode("id_number", as: String.self) == Seed.worker(1))
            #expect(try zhang.decode("phone", as: String?.self) == "13812341234")
            #expect(try zhang.decode("bank", as: String?.self) == "中国农业银行")
            #expect(try zhang.decode("bank_account", as: String?.self) == "62284800123456789")
            #expect(try zhang.decode("project_id", as: Int64.self) == road)
            #expect(try zhang.decode("employer_id", as: Int64.self) == contractor)
            #expect(try zhang.decode("joined", as: LocalDate.self) == LocalDate(year: 2026, month: 2, day: 1))
            #expect(try zhang.decode("left", as: LocalDate?.self) == nil)
            #expect(try li.decode("name", as: String.self) == "李秀英")
            #expect(try li.decode("phone", as: String?.self) == nil)
            #expect(try li.decode("project_id", as: Int64.self) == estate)
            #expect(try li.decode("employer_id", as: Int64.self) == owner)
            #expect(try li.decode("left", as: LocalDate?.self) == LocalDate(year: 2026, month: 6, day: 30))
        }
    }

    @Test("a worker moving to another project is updated in place; an unchanged one is counted as unchanged")
    func moveUpdates() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(2, db)
            let moved = try Seed.csv("""
                id_number,name,employer_uscc,project_code,joined
                \(Seed.worker(1)),工人1,\(Seed.contractorUSCC),XM-2,2026-04-01
                \(Seed.worker(2)),工人2,\(Seed.contractorUSCC),XM-1,2026-02-01

                """)
            let summary = try WorkerImport(today: .testToday).run(path: moved, dryRun: false, on: db)
            #expect(summary.counts["inserted"] == 0)
            #expect(summary.counts["updated"] == 1)
            #expect(summary.counts["unchanged"] == 1)
            let workerCount = try Seed.count("workers", db)
            #expect(workerCount == 2)
            let row = try db.query("SELECT project_id, joined FROM workers WHERE id_number = \(Seed.worker(1))").one()
            #expect(try row.decode("project_id", as: Int64.self) == Seed.projectID(Seed.estate, db))
            #expect(try row.decode("joined", as: LocalDate.self) == LocalDate(year: 2026, month: 4, day: 1))
        }
    }

    @Test("a workers file with several bad lines writes nothing and names each line and column")
    func badLines() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let good = Seed.worker(1)
            let badCheckDigit = String(Seed.worker(2).dropLast()) + (Seed.worker(2).hasSuffix("0") ? "1" : "0")
            let path = try Seed.csv("""
                id_number,name,phone,bank_account,employer_uscc,project_code,joined,left
                \(good),张建国,,,\(Seed.contractorUSCC),XM-1,2026-02-01,
                \(badCheckDigit),李四,,,\(Seed.contractorUSCC),XM-1,2026-02-01,
                \(Seed.worker(3)),王五,12345,12ab,\(Seed.contractorUSCC),XM-1,2026-02-01,
                \(Seed.worker(4)),赵六,,,\(Seed.contractorUSCC),XM-1,2026-03-01,2026-02-28
                \(good),张建国,,,\(Seed.contractorUSCC),XM-1,2026-02-01,
                \(Seed.worker(5)),,,,91350100M000100Y44,XM-1,2026-02-30,

                """)
            let problems = try #require(Seed.problems { try WorkerImport(today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems.count == 8)
            #expect(problems[0].hasPrefix("line 3: id_number: \"\(badCheckDigit)\""))
            #expect(problems[0].contains("check digit"))
            #expect(problems[1].hasPrefix("line 4: phone: \"12345\""))
            #expect(problems[2] == "line 4: bank_account: \"12ab\" is not a bank account number (8 to 30 digits)")
            #expect(problems[3] == "line 5: left: \"2026-02-28\" is before joined 2026-03-01")
            #expect(problems[4] == "line 6: id_number: \"\(good)\" repeats line 2")
            #expect(problems[5] == "line 7: name: \"\" is required")
            #expect(problems[6].hasPrefix("line 7: employer_uscc: \"91350100M000100Y44\""))
            #expect(problems[7] == "line 7: joined: \"2026-02-30\" is not a real date")
            let workerCount = try Seed.count("workers", db)
            #expect(workerCount == 0)
        }
    }

    @Test("lines naming an unknown project, or an employer not registered in the project's region, are reported")
    func unknownProjectAndEmployer() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                id_number,name,employer_uscc,project_code,joined
                \(Seed.worker(1)),张建国,\(Seed.contractorUSCC),XM-1,2026-02-01
                \(Seed.worker(2)),李四,\(Seed.contractorUSCC),XM-404,2026-02-01
                \(Seed.worker(3)),王五,\(Seed.strangerUSCC),XM-2,2026-02-01

                """)
            let problems = try #require(Seed.problems { try WorkerImport(today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems == [
                "line 3: project_code: no project \"XM-404\"",
                "line 4: employer_uscc: no employer \"\(Seed.strangerUSCC)\" in region 410102",
            ])
            let workerCount = try Seed.count("workers", db)
            #expect(workerCount == 0)
        }
    }

    @Test("a dry run reports what it would insert and writes nothing")
    func dryRun() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                id_number,name,employer_uscc,project_code,joined
                \(Seed.worker(1)),张建国,\(Seed.contractorUSCC),XM-1,2026-02-01
                \(Seed.worker(2)),李四,\(Seed.contractorUSCC),XM-1,2026-02-01

                """)
            let summary = try WorkerImport(today: .testToday).run(path: path, dryRun: true, on: db)
            #expect(summary.dryRun)
            #expect(summary.counts["inserted"] == 2)
            let workerCount = try Seed.count("workers", db)
            #expect(workerCount == 0)
        }
    }
}

@Suite("Attendance import (SPEC §5 attendance)")
struct AttendanceImportTests {
    @Test("a good attendance file stores each worker-day once; a repeated day is a duplicate, not an error")
    func goodFile() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(2, db)
            let path = try Seed.csv("""
                date,id_number,project_code
                2026-03-02,\(Seed.worker(1)),XM-1
                2026-03-02,\(Seed.worker(2)),XM-1
                2026-03-03,\(Seed.worker(1)),XM-1
                2026-03-02,\(Seed.worker(1)),XM-1

                """)
            let summary = try AttendanceImport(today: .testToday).run(path: path, dryRun: false, on: db)
            #expect(summary.rows == 4)
            #expect(summary.counts["inserted"] == 3)
            #expect(summary.counts["duplicates"] == 1)
            let rows = try db.query("""
                SELECT a.region_code, a.project_id, a.day, w.id_number FROM attendance a
                JOIN workers w ON w.region_code = a.region_code AND w.id = a.worker_id
                ORDER BY a.day, w.id_number
                """)
            let stored = try rows.map { "\(try $0.decode("day", as: LocalDate.self)) \(try $0.decode("id_number", as: String.self))" }
            #expect(stored == [
                "2026-03-02 \(min(Seed.worker(1), Seed.worker(2)))", "2026-03-02 \(max(Seed.worker(1), Seed.worker(2)))",
                "2026-03-03 \(Seed.worker(1))",
            ])
            let road = try Seed.projectID(Seed.road, db)
            #expect(try rows.allSatisfy { try $0.decode("project_id", as: Int64.self) == road && $0.decode("region_code", as: String.self) == "410102" })

            let again = try AttendanceImport(today: .testToday).run(path: path, dryRun: false, on: db)
            #expect(again.counts["inserted"] == 0)
            #expect(again.counts["duplicates"] == 4)
            let attendanceCount = try Seed.count("attendance", db)
            #expect(attendanceCount == 3)
        }
    }

    @Test("an attendance file with several bad lines writes nothing and names each line and column")
    func badLines() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(1, db)
            let path = try Seed.csv("""
                project_code,date,id_number
                XM-1,2026-03-02,\(Seed.worker(1))
                XM-1,2026-02-30,\(Seed.worker(1))
                XM-1,2026-03-02,41010219850612
                ,03/02/2026,\(Seed.worker(1))

                """)
            let problems = try #require(Seed.problems { try AttendanceImport(today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems.count == 4)
            #expect(problems[0] == "line 3: date: \"2026-02-30\" is not a real date")
            #expect(problems[1].hasPrefix("line 4: id_number: \"41010219850612\" is not a valid resident ID number"))
            #expect(problems[2] == "line 5: project_code: \"\" is required")
            #expect(problems[3] == "line 5: date: \"03/02/2026\" is not a date (YYYY-MM-DD expected)")
            let attendanceCount = try Seed.count("attendance", db)
            #expect(attendanceCount == 0)
        }
    }

    @Test("lines naming an unknown project or a worker not registered in its region are reported")
    func unknownProjectAndWorker() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(1, db)
            let path = try Seed.csv("""
                project_code,date,id_number
                XM-1,2026-03-02,\(Seed.worker(1))
                XM-9,2026-03-02,\(Seed.worker(1))
                XM-1,2026-03-02,\(Seed.worker(7))

                """)
            let problems = try #require(Seed.problems { try AttendanceImport(today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems == [
                "line 3: project_code: no project \"XM-9\"",
                "line 4: id_number: no worker \"\(Seed.worker(7))\" registered in region 410102",
            ])
            let attendanceCount = try Seed.count("attendance", db)
            #expect(attendanceCount == 0)
        }
    }

    @Test("thousands of unknown workers are listed up to the limit and the rest counted")
    func manyUnknownWorkers() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            var text = "project_code,date,id_number\n"
            for i in 1...1_000 { text += "XM-1,2026-03-02,\(Seed.worker(i))\n" }
            var caught: ImportProblems?
            do {
                _ = try AttendanceImport(today: .testToday).run(path: try Seed.csv(text), dryRun: false, on: db)
            } catch let problems as ImportProblems {
                caught = problems
            }
            let problems = try #require(caught)
            #expect(problems.count == 1_000)
            #expect(problems.errors.count == problems.limit)
            #expect(problems.errors.first?.description == "line 2: id_number: no worker \"\(Seed.worker(1))\" registered in region 410102")
            #expect(problems.errors.last?.line == problems.limit + 1)
            #expect(problems.description.hasSuffix("… and \(1_000 - problems.limit) more"))
        }
    }

    @Test("a dry run counts the days it would insert and writes nothing")
    func dryRun() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(1, db)
            let path = try Seed.csv("project_code,date,id_number\nXM-1,2026-03-02,\(Seed.worker(1))\n")
            let summary = try AttendanceImport(today: .testToday).run(path: path, dryRun: true, on: db)
            #expect(summary.counts["inserted"] == 1)
            let attendanceCount = try Seed.count("attendance", db)
            #expect(attendanceCount == 0)
        }
    }
}

@Suite("Payroll import (SPEC §5 payroll)")
struct PayrollImportTests {
    @Test("a good payroll sheet stores each line in fen for the month; a corrected sheet replaces its lines")
    func goodFileThenCorrection() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(2, db)
            let sheet = try Seed.csv("""
                project_code,period,id_number,days_worked,wage_due,wage_paid,paid_on,signed
                XM-1,2026-03,\(Seed.worker(1)),26,8600,"8,600.50",2026-04-10,true
                XM-1,2026-03,\(Seed.worker(2)),22,0.72万,0,,

                """)
            let summary = try PayrollImport(today: .testToday).run(path: sheet, dryRun: false, on: db)
            #expect(summary.counts["inserted"] == 2)
            #expect(summary.counts["updated"] == 0)

            func line(_ worker: String) throws -> Row {
                try db.query("""
                    SELECT y.region_code, y.project_id, y.period, y.days_worked, y.wage_due_fen, y.wage_paid_fen, y.paid_on, y.signed
                    FROM payroll y JOIN workers w ON w.region_code = y.region_code AND w.id = y.worker_id
                    WHERE w.id_number = \(worker)
                    """).one()
            }
            let first = try line(Seed.worker(1))
            #expect(try first.decode("region_code", as: String.self) == "410102")
            #expect(try first.decode("project_id", as: Int64.self) == Seed.projectID(Seed.road, db))
            #expect(try first.decode("period", as: LocalDate.self) == LocalDate(year: 2026, month: 3, day: 1))
            #expect(try first.decode("days_worked", as: Int.self) == 26)
            #expect(try first.decode("wage_due_fen", as: Int64.self) == 860_000)
            #expect(try first.decode("wage_paid_fen", as: Int64.self) == 860_050)
            #expect(try first.decode("paid_on", as: LocalDate?.self) == LocalDate(year: 2026, month: 4, day: 10))
            #expect(try first.decode("signed", as: Bool.self) == true)
            let second = try line(Seed.worker(2))
            #expect(try second.decode("wage_due_fen", as: Int64.self) == 720_000)
            #expect(try second.decode("wage_paid_fen", as: Int64.self) == 0)
            #expect(try second.decode("paid_on", as: LocalDate?.self) == nil)
            #expect(try second.decode("signed", as: Bool.self) == false)

            let corrected = try Seed.csv("""
                project_code,period,id_number,days_worked,wage_due,wage_paid,paid_on,signed
                XM-1,2026-03,\(Seed.worker(1)),26,8600,"8,600.50",2026-04-10,true
                XM-1,2026-03,\(Seed.worker(2)),22,7200,7200,2026-04-15,true

                """)
            let again = try PayrollImport(today: .testToday).run(path: corrected, dryRun: false, on: db)
            #expect(again.counts["inserted"] == 0)
            #expect(again.counts["updated"] == 1)
            #expect(again.counts["unchanged"] == 1)
            let payrollCount = try Seed.count("payroll", db)
            #expect(payrollCount == 2)
            let fixed = try line(Seed.worker(2))
            #expect(try fixed.decode("wage_paid_fen", as: Int64.self) == 720_000)
            #expect(try fixed.decode("paid_on", as: LocalDate?.self) == LocalDate(year: 2026, month: 4, day: 15))
            #expect(try fixed.decode("signed", as: Bool.self) == true)
        }
    }

    @Test("a payroll sheet with several bad lines writes nothing and names each line and column")
    func badLines() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(1, db)
            let w = Seed.worker(1)
            let path = try Seed.csv("""
                project_code,period,id_number,days_worked,wage_due,wage_paid,paid_on,signed
                XM-1,2026-03,\(w),26,8600,8600,2026-04-10,true
                XM-1,2026-13,\(w),26,8600,8600,2026-04-10,true
                XM-1,2026-04,\(w),32,8600.123,0,,
                XM-1,2026-05,\(w),20,abc,5000,,yes
                XM-1,2026-06,\(w),20,5000,-1,,

                """)
            let problems = try #require(Seed.problems { try PayrollImport(today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems == [
                "line 3: period: \"2026-13\" is not a real month",
                "line 4: days_worked: \"32\" is not a whole number of days from 0 to 31",
                "line 4: wage_due: \"8600.123\" has more than 2 decimal places",
                "line 5: wage_due: \"abc\" is not an amount in yuan",
                "line 5: paid_on: \"\" is required when wage_paid is more than 0",
                "line 5: signed: \"yes\" is not true, false or empty",
                "line 6: wage_paid: \"-1\" is negative",
            ])
            let payrollCount = try Seed.count("payroll", db)
            #expect(payrollCount == 0)
        }
    }

    @Test("unknown projects and workers, and a worker listed twice for one month, are reported per line")
    func unresolvedLines() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(1, db)
            let w = Seed.worker(1)
            let path = try Seed.csv("""
                project_code,period,id_number,days_worked,wage_due,wage_paid
                XM-1,2026-03,\(w),26,8600,0
                XM-7,2026-03,\(w),26,8600,0
                XM-1,2026-03,\(Seed.worker(9)),26,8600,0
                XM-1,2026-03,\(w),20,6000,0

                """)
            let problems = try #require(Seed.problems { try PayrollImport(today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems == [
                "line 3: project_code: no project \"XM-7\"",
                "line 4: id_number: no worker \"\(Seed.worker(9))\" registered in region 410102",
                "line 5: id_number: \"\(w)\" repeats line 2 (same project and period)",
            ])
            let payrollCount = try Seed.count("payroll", db)
            #expect(payrollCount == 0)
        }
    }

    @Test("a dry run counts the lines it would insert and writes nothing")
    func dryRun() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(1, db)
            let path = try Seed.csv("""
                project_code,period,id_number,days_worked,wage_due,wage_paid
                XM-1,2026-03,\(Seed.worker(1)),26,8600,0

                """)
            let summary = try PayrollImport(today: .testToday).run(path: path, dryRun: true, on: db)
            #expect(summary.counts["inserted"] == 1)
            let payrollCount = try Seed.count("payroll", db)
            #expect(payrollCount == 0)
        }
    }
}

@Suite("Transfer import (SPEC §5 transfers, P6, P7)")
struct TransferImportTests {
    let importer = TransferImport(defaultRegion: Seed.region, today: .testToday)

    /// Funding on 03-01, a wage paid on 03-05 (listed first), the contractor paid, and money sent
    /// to an unregistered outsider.
    static func goodFile() throws -> String {
        try Seed.csv("""
            key,occurred_at,from_account,to_account,amount,memo
            PAY-1,2026-03-05 10:00,wage:XM-1,worker:\(Seed.worker(1)),8600,3月工资
            ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,10万,人工费用拨付
            GC-1,2026-03-02T09:00:00+08:00,fund:XM-1,external:\(Seed.contractorUSCC),50000,
            OUT-1,2026-03-03,fund:XM-1,external:某外地贸易公司,30000,

            """)
    }

    @Test("a good file posts every transfer in order of occurred_at, marks only the diversion, and keeps balances")
    func goodFile() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try Seed.registerWorkers(1, db)
            let summary = try importer.run(path: try Self.goodFile(), dryRun: false, on: db)
            #expect(summary.rows == 4)
            #expect(summary.counts == ["posted": 4, "replayed": 0, "diversions": 1])

            #expect(try Seed.balance(.wage(project: Seed.road), db) == 10_000_000 - 860_000)
            #expect(try Seed.balance(.worker(idNumber: Seed.worker(1)), db) == 860_000)
            #expect(try Seed.balance(.fund(project: Seed.road), db) == -(10_000_000 + 5_000_000 + 3_000_000))
            #expect(try Seed.balance(.external(name: "某外地贸易公司"), db) == 3_000_000)

            let rows = try db.query("""
                SELECT t.idempotency_key, t.amount_fen, t.occurred_at, t.memo, t.diversion, t.region_code,
                       f.kind || ':' || f.ref AS from_account, a.kind || ':' || a.ref AS to_account
                FROM transfers t
                JOIN ledger_accounts f ON f.region_code = t.region_code AND f.id = t.from_account
                JOIN ledger_accounts a ON a.region_code = t.region_code AND a.id = t.to_account
                ORDER BY t.id
                """)
            // Posted in order of occurred_at, not of the file.
            #expect(try rows.map { try $0.decode("idempotency_key", as: String.self) } == ["ALLOC-1", "GC-1", "OUT-1", "PAY-1"])
            let alloc = rows[0]
            #expect(try alloc.decode("from_account", as: String.self) == "fund:XM-1")
            #expect(try alloc.decode("to_account", as: String.self) == "wage:XM-1")
            #expect(try alloc.decode("amount_fen", as: Int64.self) == 10_000_000)
            #expect(try alloc.decode("occurred_at", as: Date.self) == PostgresTimestamp.parse("2026-02-28T16:00:00Z"))
            #expect(try alloc.decode("memo", as: String?.self) == "人工费用拨付")
            #expect(try alloc.decode("region_code", as: String.self) == "410102")
            #expect(try rows[1].decode("occurred_at", as: Date.self) == PostgresTimestamp.parse("2026-03-02T01:00:00Z"))
            #expect(try rows[1].decode("memo", as: String?.self) == nil)
            #expect(try rows[3].decode("occurred_at", as: Date.self) == PostgresTimestamp.parse("2026-03-05T02:00:00Z"))
            // P7: the fund paying its own wage account or its contractor is no diversion; an outsider is.
            #expect(try rows.map { try $0.decode("diversion", as: Bool.self) } == [false, false, true, false])

            let worker = try db.query("SELECT name FROM ledger_accounts WHERE kind = 'worker'").one()
            #expect(try worker.decode("name", as: String.self) == "农民工 " + Seed.worker(1).prefix(4) + "**********" + Seed.worker(1).suffix(4))
        }
    }

    @Test("importing the same file again replays every key and leaves balances unchanged")
    func idempotentReimport() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Self.goodFile()
            _ = try importer.run(path: path, dryRun: false, on: db)
            let wageBefore = try Seed.balance(.wage(project: Seed.road), db)
            let again = try importer.run(path: path, dryRun: false, on: db)
            #expect(again.counts == ["posted": 0, "replayed": 4, "diversions": 0])
            let transferCount = try Seed.count("transfers", db)
            #expect(transferCount == 4)
            #expect(try Seed.balance(.wage(project: Seed.road), db) == wageBefore)
            #expect(wageBefore == 9_140_000)
            #expect(try Seed.balance(.fund(project: Seed.road), db) == -18_000_000)
        }
    }

    @Test("a file that would take a wage account below zero fails whole, naming the line")
    func overdraft() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                key,occurred_at,from_account,to_account,amount
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,10000
                PAY-1,2026-03-05,wage:XM-1,worker:\(Seed.worker(1)),8000
                PAY-2,2026-03-06,wage:XM-1,worker:\(Seed.worker(2)),2000.01

                """)
            var failure: WagewatchError?
            do {
                _ = try importer.run(path: path, dryRun: false, on: db)
            } catch {
                failure = WagewatchError.from(error)
            }
            let error = try #require(failure)
            #expect(error.kind == .conflict)
            #expect(error.message.hasPrefix("line 4: "))
            #expect(error.message.contains("below zero"))
            let transferCount = try Seed.count("transfers", db)
            #expect(transferCount == 0)
            #expect(try Seed.balance(.wage(project: Seed.road), db) == 0)
            let accounts = try Seed.count("ledger_accounts", db)
            #expect(accounts == 1)
        }
    }

    @Test("a transfer into a wage account never opened fails the file as invalid input, naming the line")
    func unopenedWageAccount() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                key,occurred_at,from_account,to_account,amount
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,10000
                ALLOC-2,2026-03-01,fund:XM-2,wage:XM-2,10000

                """)
            let problems = try #require(Seed.problems { try importer.run(path: path, dryRun: false, on: db) })
            #expect(problems.count == 1)
            #expect(problems.first?.hasPrefix("line 3: to_account: \"wage:XM-2\" was never opened") == true)
            var exitCode: Int32?
            do { _ = try importer.run(path: path, dryRun: false, on: db) } catch { exitCode = WagewatchError.from(error).exitCode }
            #expect(exitCode == 3)
            let transferCount = try Seed.count("transfers", db)
            #expect(transferCount == 0)
        }
    }

    @Test("a transfers file with several bad lines writes nothing and names each line and column")
    func badLines() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                key,occurred_at,from_account,to_account,amount,memo
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,10000,
                ALLOC-2,2026-03-32,bank:XM-1,wage:XM-1,10000,
                ALLOC-3,2026-03-01,wage:XM-1,wage:XM-1,0,
                ,2026-03-01 25:00,worker:123,emergency,1e5,

                """)
            let problems = try #require(Seed.problems { try importer.run(path: path, dryRun: false, on: db) })
            #expect(problems.count == 8)
            #expect(problems[0] == "line 3: occurred_at: \"2026-03-32\" is not a real date")
            #expect(problems[1].hasPrefix("line 3: from_account: \"bank:XM-1\" has unknown account kind"))
            #expect(problems[2] == "line 4: to_account: \"wage:XM-1\" is the same account as from_account")
            #expect(problems[3] == "line 4: amount: \"0\" must be more than 0")
            #expect(problems[4] == "line 5: key: \"\" is required")
            #expect(problems[5] == "line 5: occurred_at: \"2026-03-01 25:00\" is not a real time of day")
            #expect(problems[6].hasPrefix("line 5: from_account: \"123\" is not a valid resident ID number"))
            #expect(problems[7] == "line 5: amount: \"1e5\" uses scientific notation")
            let transferCount = try Seed.count("transfers", db)
            #expect(transferCount == 0)
        }
    }

    @Test("a key repeated with another payload, and an unknown project, are reported with their lines")
    func unresolvedLines() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                key,occurred_at,from_account,to_account,amount
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,10000
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,10000
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,20000
                X-1,2026-03-01,emergency,fund:XM-404,100

                """)
            let problems = try #require(Seed.problems { try importer.run(path: path, dryRun: false, on: db) })
            #expect(problems == [
                "line 4: key: \"ALLOC-1\" repeats line 2 with a different transfer",
                "line 5: to_account: no project \"XM-404\"",
            ])
            let transferCount = try Seed.count("transfers", db)
            #expect(transferCount == 0)
        }
    }

    @Test("a key repeated in the file with the same payload is posted once and counted as replayed")
    func repeatedSamePayload() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("""
                key,occurred_at,from_account,to_account,amount
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,10000
                ALLOC-1,2026-03-01,fund:XM-1,wage:XM-1,1万元

                """)
            let summary = try importer.run(path: path, dryRun: false, on: db)
            #expect(summary.counts == ["posted": 1, "replayed": 1, "diversions": 0])
            #expect(try Seed.balance(.wage(project: Seed.road), db) == 1_000_000)
        }
    }

    @Test("transfers tied to no project or registered worker need WAGEWATCH_REGION")
    func regionlessTransfer() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let path = try Seed.csv("key,occurred_at,from_account,to_account,amount\nE-1,2026-03-01,emergency,external:某公司,100\n")
            let problems = try #require(Seed.problems { try TransferImport(defaultRegion: nil, today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems == [
                "line 2: from_account: neither account belongs to a project or a registered worker; set WAGEWATCH_REGION to the region code",
            ])
            let summary = try importer.run(path: path, dryRun: false, on: db)
            #expect(summary.counts["posted"] == 1)
            #expect(try Seed.balance(.external(name: "某公司"), db) == 10_000)
        }
    }

    @Test("a project code used in two regions is taken from WAGEWATCH_REGION, never guessed")
    func ambiguousProjectCode() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            try db.executeScript(unsafeSQL: """
                INSERT INTO employers (region_code, uscc, name, name_key) VALUES
                    ('410103', '\(Seed.contractorUSCC)', '河南宏达路桥建设有限公司', '河南宏达路桥建设');
                INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                                      contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen)
                SELECT '410103', 'XM-1', '二七区同名工程', 'gov_other', 'government', e.id, e.id, 100000000,
                       '2026-01-05', '2026-02-01', '2026-12-31', 30, 1000000
                FROM employers e WHERE e.region_code = '410103';
                """)
            let path = try Seed.csv("key,occurred_at,from_account,to_account,amount\nA-1,2026-03-01,fund:XM-1,wage:XM-1,100\n")
            let problems = try #require(Seed.problems { try TransferImport(defaultRegion: nil, today: .testToday).run(path: path, dryRun: false, on: db) })
            #expect(problems == [
                "line 2: from_account: project \"XM-1\" exists in several regions (410102, 410103); set WAGEWATCH_REGION to choose one",
            ])
            let summary = try importer.run(path: path, dryRun: false, on: db)
            #expect(summary.counts["posted"] == 1)
            let region: String = try db.query("SELECT region_code FROM transfers").one().decode("region_code")
            #expect(region == "410102")
            #expect(try Seed.balance(.wage(project: Seed.road), db) == 10_000)
        }
    }

    @Test("a dry run posts nothing and creates no account")
    func dryRun() async throws {
        try await TestDatabase.withFresh { db, _ in
            try Seed.seed(db)
            let summary = try importer.run(path: try Self.goodFile(), dryRun: true, on: db)
            #expect(summary.dryRun)
            #expect(summary.counts == ["posted": 4, "replayed": 0, "diversions": 1])
            let transferCount = try Seed.count("transfers", db)
            #expect(transferCount == 0)
            let accounts = try Seed.count("ledger_accounts", db)
            #expect(accounts == 1)
            #expect(try Seed.balance(.wage(project: Seed.road), db) == 0)
        }
    }
}
