// Benchmark driver for scripts/bench. Each mode prints one line `name: N ops in S s = R ops/s`
// that scripts/bench puts beside the pgbench or COPY baseline it measures in the same run.
import Foundation
import PostgresClient
import WagewatchCore

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("wagewatch-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments.dropFirst()
guard let mode = arguments.first else {
    fail("usage: wagewatch-bench insert|intake|ledger N  |  wagewatch-bench generate-complaints N FILE  |  wagewatch-bench explain-rules AS_OF [RULE ...]  |  wagewatch-bench explain-web USER CASE AFTER [SEARCH ...]")
}
let url = ProcessInfo.processInfo.environment["DATABASE_URL"]

func report(_ name: String, _ count: Int, _ elapsed: Duration) {
    // Integer arithmetic throughout: microseconds, then operations per second.
    let micros = Int64(elapsed.components.seconds) * 1_000_000 + Int64(elapsed.components.attoseconds / 1_000_000_000_000)
    let rate = micros > 0 ? Int64(count) * 1_000_000 / micros : 0
    print("\(name): \(count) ops in \(micros / 1_000_000).\(String(format: "%03d", Int(micros % 1_000_000 / 1000))) s = \(rate) ops/s")
}

switch mode {
case "insert":
    // Single-row INSERTs through the client, prepared, one connection: the client's own overhead.
    let count = Int(arguments.dropFirst().first ?? "20000") ?? 20000
    let db = try Connection(url)
    try db.executeScript(unsafeSQL: "DROP TABLE IF EXISTS bench_rows; CREATE TABLE bench_rows (n bigint, name text)")
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
        for n in 0..<count {
            try db.queryPrepared("INSERT INTO bench_rows (n, name) VALUES (\(Int64(n)), \("工人"))")
        }
    }
    report("client insert", count, elapsed)
case "intake":
    // Complaints through the full intake path (validation, employer, numbering, merge check, audit).
    let count = Int(arguments.dropFirst().first ?? "5000") ?? 5000
    let db = try Connection(url)
    let intake = ComplaintIntake()
    var random = SeededRandom(state: 42)
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
        for n in 0..<count {
            let day = 1 + n % 28
            let fields: [String: String] = [
                "received_at": "2026-03-\(day < 10 ? "0" : "")\(day) 09:\(String(format: "%02d", n % 60))",
                "region_code": "410102", "channel": "12333",
                "employer_name": "郑州第\(random.below(2000))建筑劳务有限公司",
                "workers_involved": String(1 + random.below(30)), "amount_owed": String(1000 + random.below(200_000)),
            ]
            let input = try ComplaintInput.parse { fields[$0] }.get()
            _ = try intake.add(input, on: db)
        }
    }
    report("intake", count, elapsed)
case "ledger":
    // Transfers through Ledger.transfer on one connection, alternating between two opened wage
    // accounts that were funded first: account lookups, the locks in id order, the idempotency
    // check, the insert and both balance updates, one transaction each.
    let count = Int(arguments.dropFirst().first ?? "10000") ?? 10000
    let db = try Connection(url)
    let run = "\(getpid())-\(Int(Date().timeIntervalSince1970))"
    let codes = ["BENCH-\(run)-A", "BENCH-\(run)-B"]
    try db.query("""
        INSERT INTO employers (region_code, name, name_key) VALUES ('410102', \("郑州压测建筑有限公司" + run), \("郑州压测建筑" + run))
        """)
    for code in codes {
        try db.query("""
            INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                                  contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen)
            SELECT '410102', \(code), \("压测项目" + code), 'gov_transport', 'government', id, id, 2980000000,
                   '2026-01-05', '2026-02-01', '2026-12-31', 30, 10000000
            FROM employers WHERE region_code = '410102' AND name_key = \("郑州压测建筑" + run)
            """)
    }
    let ledger = Ledger(defaultRegion: "410102")
    let wages = codes.map { AccountRef.wage(project: $0) }
    let opened = LocalDate(year: 2026, month: 2, day: 1)!
    for (n, code) in codes.enumerated() {
        _ = try ledger.open(wages[n], bank: "中国建设银行郑州分行", number: "4100150011005000\(n)", openedOn: opened, on: db)
        _ = try ledger.transfer(key: "bench-\(run)-fund-\(n)", from: .fund(project: code), to: wages[n],
                                amountFen: 1_000_000_000, occurredAt: Date(), memo: "压测拨付", on: db)
    }
    var random = SeededRandom(state: 11)
    let clock = ContinuousClock()
    let elapsed = try clock.measure {
        for n in 0..<count {
            _ = try ledger.transfer(key: "bench-\(run)-\(n)", from: wages[n % 2], to: wages[1 - n % 2],
                                    amountFen: Int64(1 + random.below(100)), occurredAt: Date(), memo: nil, on: db)
        }
    }
    report("ledger", count, elapsed)
case "generate-ledger-files":
    // A county's real-name records for the payroll import benchmark, seeded: employers, projects,
    // WORKERS workers (default 20,000), 250 attendance days each in 2026 (5,000,000 rows) and
    // 25 months of payroll each (500,000 lines).
    guard let folder = arguments.dropFirst().first else { fail("generate-ledger-files DIR [WORKERS]") }
    let workerCount = Int(arguments.dropFirst(2).first ?? "20000") ?? 20000
    func write(_ name: String, _ header: String, _ rows: (inout String, (inout String) -> Void) throws -> Void) throws {
        let path = folder + "/" + name
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let out = FileHandle(forWritingAtPath: path) else { fail("cannot write \(path)") }
        var buffer = header + "\n"
        try rows(&buffer) { buffer in
            if buffer.utf8.count > 1 << 20 {
                out.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        out.write(Data(buffer.utf8))
        try out.close()
    }
    let region = try RegionCode(parsing: "410122")
    let owner = try USCC.make(department: "1", type: "1", region: "410122", organisation: "00000001")
    let contractors = try (0..<10).map { try USCC.make(region: "410122", organisation: String(format: "%08d", 100 + $0)) }
    try write("employers.csv", "uscc,name,kind,region_code,legal_rep,phone") { buffer, flush in
        buffer += "\(owner.value),中牟县交通运输局,owner,410122,,\n"
        for (i, c) in contractors.enumerated() { buffer += "\(c.value),河南第\(i)建筑劳务有限公司,general_contractor,410122,,\n" }
        flush(&buffer)
    }
    let projectCount = 100
    try write("projects.csv", "code,name,type,funding,region_code,owner_uscc,contractor_uscc,contract_value,contract_signed,planned_start,planned_end,allocation_cycle_days,allocation_amount") { buffer, flush in
        for p in 0..<projectCount {
            buffer += "ZM-\(p),中牟县第\(p)标段,gov_transport,government,410122,\(owner.value),\(contractors[p % 10].value),50000000,2024-12-01,2025-01-01,2027-12-31,30,200000\n"
        }
        flush(&buffer)
    }
    let ids = (0..<workerCount).map { n in
        ResidentID.make(region: region, birth: LocalDate(year: 1970 + n % 30, month: 1 + n % 12, day: 1 + n % 28)!, sequence: n % 999 + 1).value
    }
    // Birth date and sequence repeat together only every 139,860 workers.
    precondition(Set(ids).count == ids.count, "generated ID numbers collide")
    try write("workers.csv", "id_number,name,phone,bank,bank_account,employer_uscc,project_code,joined,left") { buffer, flush in
        for (n, id) in ids.enumerated() {
            let p = n % projectCount
            buffer += "\(id),工人\(n),,中国农业银行,62284800\(String(format: "%08d", n)),\(contractors[p % 10].value),ZM-\(p),2025-01-01,\n"
            flush(&buffer)
        }
    }
    let workdays = (0..<365).map { LocalDate(year: 2026, month: 1, day: 1)!.adding(days: $0) }.filter { !$0.isWeekend }.prefix(250)
    try write("attendance.csv", "project_code,date,id_number") { buffer, flush in
        for (n, id) in ids.enumerated() {
            for day in workdays {
                buffer += "ZM-\(n % projectCount),\(day),\(id)\n"
                flush(&buffer)
            }
        }
    }
    try write("payroll.csv", "project_code,period,id_number,days_worked,wage_due,wage_paid,paid_on,signed") { buffer, flush in
        for (n, id) in ids.enumerated() {
            var month = Month(year: 2025, month: 1)!
            for _ in 0..<25 {
                buffer += "ZM-\(n % projectCount),\(month),\(id),22,6600,6600,\(month.next.firstDay.adding(days: 9)),true\n"
                month = month.next
            }
            flush(&buffer)
        }
    }
case "generate-complaints":
    // A complaints CSV of N rows, seeded: a year of a busy province's hotline.
    guard arguments.count >= 3, let count = Int(arguments.dropFirst().first!) else { fail("generate-complaints N FILE") }
    let path = arguments.dropFirst(2).first!
    FileManager.default.createFile(atPath: path, contents: nil)
    guard let out = FileHandle(forWritingAtPath: path) else { fail("cannot write \(path)") }
    var random = SeededRandom(state: 7)
    var buffer = "received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,project_code,workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text\n"
    let regions = ["410102", "410103", "410104", "410105", "410122", "410181"]
    for n in 0..<count {
        let dayOfYear = random.below(365)
        let date = LocalDate(year: 2026, month: 1, day: 1)!.adding(days: dayOfYear)
        let minute = random.below(600)
        let employer = random.below(20_000)
        buffer += "\(date) \(String(format: "%02d:%02d", 8 + minute / 60, minute % 60)),\(regions[employer % regions.count]),12333,"
        buffer += "工人\(n % 997),138\(String(format: "%08d", random.below(100_000_000))),,"
        buffer += "河南第\(employer)建筑劳务有限公司,XM-\(employer % 5000),\(1 + random.below(40)),\(1000 + random.below(300_000)).\(String(format: "%02d", random.below(100))),"
        buffer += "\(date.adding(days: -90)),\(date.adding(days: -30)),\(random.below(50) == 0 ? "true" : "false"),\"拖欠工资，\(n)\"\n"
        if buffer.utf8.count > 1 << 20 {
            out.write(Data(buffer.utf8))
            buffer = ""
        }
    }
    out.write(Data(buffer.utf8))
    try out.close()
case "explain-rules":
    // EXPLAIN (ANALYZE, BUFFERS) of each rule's query as a full run executes it, with the
    // thresholds of the configuration: each inside a transaction that is rolled back, because
    // EXPLAIN ANALYZE of an INSERT really inserts (and rule_findings needs a rule_runs row).
    guard let text = arguments.dropFirst().first, let asOf = LocalDate(iso: text) else {
        fail("explain-rules AS_OF [RULE ...]  (AS_OF as YYYY-MM-DD; rules as R3 or wages_unpaid; default all)")
    }
    let wanted = Set(arguments.dropFirst(2).map { $0.lowercased() })
    let rules = RiskRule.all.filter { wanted.isEmpty || wanted.contains($0.id.lowercased()) || wanted.contains($0.name) }
    guard !rules.isEmpty else { fail("no rule matches \(wanted.sorted().joined(separator: " "))") }
    let configuration = try Configuration.resolve(explicitPath: nil, workingDirectory: FileManager.default.currentDirectoryPath)
    let thresholds = RuleThresholds(configuration: configuration)
    let session = try Session.open(Session.Request(connect: { try Connection(url) }, configuration: configuration),
                                   systemNow: Date())
    let db = session.connection
    for rule in rules {
        try db.executeScript(unsafeSQL: "BEGIN")
        do {
            let run: Int64 = try db.query("""
                INSERT INTO rule_runs (as_of, full_run, only_rule) VALUES (\(asOf), true, \(rule.name)) RETURNING id
                """).one().decode("id")
            let plan = try db.query("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + rule.findingsSQL(run: run, asOf: asOf, thresholds: thresholds))
            print("== \(rule.id) \(rule.name) as of \(text)")
            for row in plan { print(try row.decode(at: 0, as: String.self)) }
            print("")
        } catch {
            try? db.executeScript(unsafeSQL: "ROLLBACK")
            throw error
        }
        try db.executeScript(unsafeSQL: "ROLLBACK")
    }
case "explain-web":
    // EXPLAIN (ANALYZE, BUFFERS) of the statements behind the web desk's list pages, as USER (row
    // policies included), built by the desks themselves (ComplaintDesk.listQueries,
    // CaseDesk.listQuery) with the filters the pages set: 51 rows newest first, page 20 by
    // number and after the complaint AFTER, each SEARCH, the complaints of case CASE, the case list.
    let rest = Array(arguments.dropFirst())
    guard rest.count >= 3, let caseNumber = Int64(rest[1]), let after = Int64(rest[2]) else {
        fail("explain-web USER CASE AFTER [SEARCH ...]  (CASE a case id, AFTER a complaint id)")
    }
    let db = try Connection(url)
    try db.query("SET ROLE \(identifier: rest[0])")
    func page() -> ComplaintFilter {
        var filter = ComplaintFilter()
        filter.order = .newest
        filter.limit = 51
        return filter
    }
    var pages: [(String, [SQL])] = []
    func complaints(_ name: String, _ filter: ComplaintFilter) {
        let queries = ComplaintDesk().listQueries(filter)
        pages.append((name, [queries.recent, queries.all].compactMap { $0 }))
    }
    complaints("complaint list, page 1", page())
    var byNumber = page()
    byNumber.offset = 950
    complaints("complaint list, page 20 by number", byNumber)
    var byLink = page()
    byLink.after = ComplaintID(after)
    complaints("complaint list, page 20 after \(after)", byLink)
    for text in rest.dropFirst(3) {
        var search = page()
        search.search = text
        complaints("search \(text)", search)
    }
    let region: String = try db.query("SELECT region_code FROM cases WHERE id = \(caseNumber)").one().decode("region_code")
    var ofCase = ComplaintFilter()
    ofCase.caseID = CaseID(caseNumber)
    ofCase.regionCode = region
    complaints("case \(caseNumber)'s complaints (the case page)", ofCase)
    var cases = CaseFilter()
    cases.dueFirst = true
    cases.limit = 51
    pages.append(("case list, page 1", [CaseDesk().listQuery(cases).0]))
    for (name, statements) in pages {
        for (i, statement) in statements.enumerated() {
            print("== \(name)\(statements.count > 1 ? " (statement \(i + 1) of \(statements.count))" : "")")
            for row in try db.query("EXPLAIN (ANALYZE, BUFFERS) " + statement) { print(try row.decode(at: 0, as: String.self)) }
            print("")
        }
    }
default:
    fail("unknown mode \(mode)")
}
