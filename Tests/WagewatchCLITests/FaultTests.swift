import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
#if canImport(Glibc)
import Glibc
#endif

// Faults a bureau's server meets: a command killed with SIGKILL halfway (OOM killer, a reboot, an
// operator's kill -9) and PostgreSQL restarted under a running session. A killed command must
// leave nothing half-written, and the next run must finish the job exactly once.

/// `./scripts/test --long` sets WAGEWATCH_LONG_TESTS=1: bigger files and more rounds.
private let longRun = ProcessInfo.processInfo.environment["WAGEWATCH_LONG_TESTS"] == "1"

// MARK: - Killing a command

/// What a command's server session (found by its application_name) was doing.
private struct Session: CustomStringConvertible {
    let state: String
    let inTransaction: Bool
    let wrote: Bool
    let query: String

    var description: String {
        "\(state)\(inTransaction ? " in a transaction" : "")\(wrote ? " that wrote" : ""): \(query.prefix(80))"
    }

    static func of(_ app: String, on db: Connection) throws -> Session? {
        try db.query("""
            SELECT coalesce(state, '') AS state, xact_start IS NOT NULL AS in_tx, backend_xid IS NOT NULL AS wrote,
                   regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g') AS query
            FROM pg_stat_activity WHERE application_name = \(app)
            """).first.map {
            Session(state: try $0.decode("state"), inTransaction: try $0.decode("in_tx"), wrote: try $0.decode("wrote"),
                    query: try $0.decode("query"))
        }
    }
}

/// When to kill: once the server shows the command's session as `condition` says, and then
/// `extra` milliseconds later (a seeded random point inside its writing).
private struct KillWhen: CustomStringConvertible {
    let marker: String
    let condition: @Sendable (Session) -> Bool
    var extra = 0

    var description: String { extra > 0 ? "\(extra) ms after \(marker)" : "when \(marker)" }

    /// A transaction of the command's session has written (the server gave it a transaction id).
    static func writing(extra: Int) -> KillWhen {
        KillWhen(marker: "its transaction began writing", condition: { $0.wrote }, extra: extra)
    }
}

/// Where a kill landed.
private struct KillPoint: CustomStringConvertible {
    let when: KillWhen
    /// 137 when SIGKILL ended the command; its own exit status when it finished first.
    let status: Int32
    /// What the server showed of the command's session once the command was frozen (SIGSTOP),
    /// just before the SIGKILL: the command could send nothing more after this was read.
    let frozen: Session?
    /// How long the server session outlived the killed client: it notices only when the
    /// statement it is running ends.
    let lingered: Int

    var killed: Bool { status == 128 + SIGKILL }

    /// Killed by SIGKILL while a transaction of its that had written was still open and not
    /// committing: the kill landed mid-write (the scenario also checks that it did not commit).
    var midWrite: Bool {
        guard killed, let frozen else { return false }
        return frozen.inTransaction && frozen.wrote && !frozen.query.uppercased().hasPrefix("COMMIT")
    }

    var description: String {
        killed ? "killed \(when) (server: \(frozen.map(String.init(describing:)) ?? "no session"); "
            + "its session ended \(lingered) ms later)"
            : "finished (exit \(status)) before the kill \(when)"
    }
}

/// Starts `wagewatch arguments…`, waits until the server shows its session as `when` says,
/// freezes it (SIGSTOP), reads what the server shows, kills it with SIGKILL and returns once its
/// server session is gone too: the server rolls an open transaction back only when it notices the
/// client went away, which is after the statement it is running ends.
private func runAndKill(
    _ arguments: [String], database conninfo: String, environment: [String: String], when: KillWhen, observer db: Connection
) throws -> KillPoint {
    let app = "ww-fault-\(UUID().uuidString.prefix(8).lowercased())"
    var environment = environment
    environment["PGAPPNAME"] = app
    let process = try CLI.start(arguments, database: conninfo, environment: environment)
    // A safety net only: the marker normally shows within a second or two.
    let shown = try poll(timeout: 600, interval: 0.002) {
        try process.status != nil || Session.of(app, on: db).map(when.condition) == true
    }
    #expect(shown && process.status == nil, "wagewatch \(arguments.joined(separator: " ")) ended before \(when.marker): \(process.stderr)")
    if when.extra > 0 { usleep(useconds_t(when.extra * 1000)) }
    process.kill(SIGSTOP)
    let frozen = try Session.of(app, on: db)
    process.kill(SIGKILL)
    let status = process.wait()
    #expect(status == 128 + SIGKILL, "wagewatch \(arguments.joined(separator: " ")) was not killed: exit \(status): \(process.stderr)")
    let killed = Date()
    let gone = try poll(timeout: 900, interval: 0.02) { try Session.of(app, on: db) == nil }
    guard gone else { throw WagewatchError.failure("the killed command's server session did not end") }
    return KillPoint(when: when, status: status, frozen: frozen, lingered: milliseconds(since: killed))
}

/// An uninterrupted run, watched from the server: how long it took, and for how many
/// milliseconds the server showed a transaction of its that had written.
private func runWatched(
    _ arguments: [String], database conninfo: String, environment: [String: String], observer db: Connection
) throws -> (result: CLIResult, took: Int, writing: Int) {
    let app = "ww-fault-\(UUID().uuidString.prefix(8).lowercased())"
    var environment = environment
    environment["PGAPPNAME"] = app
    let started = Date()
    let process = try CLI.start(arguments, database: conninfo, environment: environment)
    var firstWrite: Date?
    var lastWrite: Date?
    _ = try poll(timeout: 900, interval: 0.002) {
        if try Session.of(app, on: db)?.wrote == true {
            firstWrite = firstWrite ?? Date()
            lastWrite = Date()
        }
        return process.status != nil
    }
    let status = process.wait()
    let took = milliseconds(since: started)
    let writing = firstWrite.map { Int(lastWrite!.timeIntervalSince($0) * 1000) } ?? 0
    return (CLIResult(status: status, stdout: process.stdout, stderr: process.stderr), took, writing)
}

/// Kill points inside an uninterrupted run's writing: `count` seeded random delays after `start`
/// (by default: the writing began), one in each equal slice of the first third of the writing's
/// length (so a slower or faster round still lands well before the commit), and `marker`, a
/// statement of the writing every round of the scenario also reaches.
private func killPoints(
    _ count: Int, writing milliseconds: Int, seed: UInt64, after start: KillWhen = .writing(extra: 0), _ marker: KillWhen
) -> [KillWhen] {
    var random = SeededRandom(state: seed)
    let slice = max(1, milliseconds / 3 / count)
    return (0..<count).map {
        KillWhen(marker: start.marker, condition: start.condition, extra: $0 * slice + random.below(slice))
    } + [marker]
}

/// Counts the rounds whose kill was proven to land mid-write; a scenario fails unless all were.
private final class KillCount {
    private(set) var rounds = 0
    private(set) var midWrite = 0

    /// `uncommitted`: the scenario's own evidence that the killed transaction did not commit.
    func record(_ point: KillPoint, uncommitted: Bool) {
        rounds += 1
        let proven = point.midWrite && uncommitted
        if proven { midWrite += 1 }
        #expect(proven, "\(point): the kill must land mid-write, in a transaction that wrote and did not commit")
    }

    func expectAll(_ scenario: String) {
        say("\(scenario): \(midWrite) of \(rounds) rounds killed mid-write")
        #expect(rounds > 0 && midWrite == rounds, "\(scenario): only \(midWrite) of \(rounds) rounds were killed mid-write")
    }
}

private func milliseconds(since start: Date) -> Int { Int(Date().timeIntervalSince(start) * 1000) }

/// A migrated database brought once into the state a scenario starts from, then cloned (a file
/// copy, much faster than preparing again) for the uninterrupted run and for every kill round,
/// so all start from the same bytes. Every database is dropped afterwards.
private final class PreparedDatabase {
    private let admin: Connection
    private let name = "ww_fault_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
    private var clones = 0

    init(_ prepare: (Connection) throws -> Void) throws {
        admin = try Connection(try TestDatabase.adminURL())
        try admin.query("CREATE DATABASE \(identifier: name) TEMPLATE template0")
        do {
            let db = try Connection(admin.conninfo(database: name))
            defer { db.close() }
            try Migrator.bundled.migrate(db)
            // The numbers the database's functions read (sql/0002_settings.sql), as `db migrate` writes them.
            try Configuration.defaults.storeSettings(on: db)
            try prepare(db)
        } catch {
            drop()
            throw error
        }
    }

    /// Runs `body` on a new copy of the prepared database (a connection and its conninfo).
    func withCopy<T>(_ body: (Connection, String) throws -> T) throws -> T {
        clones += 1
        let copy = "\(name)_\(clones)"
        try admin.query("CREATE DATABASE \(identifier: copy) TEMPLATE \(identifier: name)")
        defer { _ = try? admin.query("DROP DATABASE IF EXISTS \(identifier: copy) WITH (FORCE)") }
        let conninfo = admin.conninfo(database: copy)
        let db = try Connection(conninfo)
        defer { db.close() }
        return try body(db, conninfo)
    }

    func drop() {
        _ = try? admin.query("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        admin.close()
    }
}

/// A line of the kill log on stdout, at once (stdout is a pipe under `swift test`).
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data("fault: \(line)\n".utf8))
}

private func logRound(_ scenario: String, _ round: Int, _ point: KillPoint, _ found: String) {
    say("\(scenario) round \(round): \(point) -> \(found)")
}

private func temporaryFile(_ stem: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("ww-fault-\(stem)-\(UUID().uuidString).csv").path
}

/// Writes a CSV in 1 MiB pieces, so a million lines never sit in memory.
private func writeCSV(_ path: String, header: String, _ rows: (inout String, (inout String) -> Void) -> Void) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
        throw WagewatchError.failure("cannot write \(path)")
    }
    defer { try? out.close() }
    var buffer = header + "\n"
    rows(&buffer) { buffer in
        if buffer.utf8.count > 1 << 20 {
            out.write(Data(buffer.utf8))
            buffer = ""
        }
    }
    out.write(Data(buffer.utf8))
}

/// A valid ID number, a different one for every n below 18 million.
private func worker(_ n: Int) -> String {
    ResidentID.make(region: try! RegionCode(parsing: "410102"),
                    birth: LocalDate(year: 1950, month: 1, day: 1)!.adding(days: n % 20_000), sequence: 100 + n / 20_000).value
}

/// Every account whose stored balance differs from what its transfers add up to.
private func inconsistentBalances(_ db: Connection) throws -> [String] {
    try db.query("""
        SELECT a.kind || ':' || a.ref AS account
        FROM ledger_accounts a
        WHERE a.balance_fen <> coalesce((SELECT sum(t.amount_fen) FROM transfers t
                                         WHERE t.region_code = a.region_code AND t.to_account = a.id), 0)
                             - coalesce((SELECT sum(t.amount_fen) FROM transfers t
                                         WHERE t.region_code = a.region_code AND t.from_account = a.id), 0)
        ORDER BY 1
        """).map { try $0.decode("account") }
}

// MARK: - Complaints

private enum ComplaintsFile {
    static let header = "received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,project_code,"
        + "workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text"

    /// `lines` hotline complaints over 30 days in three districts; every text starts with `marker`.
    static func write(lines: Int, marker: String, seed: UInt64) throws -> String {
        let path = temporaryFile("complaints")
        var random = SeededRandom(state: seed)
        let regions = ["410102", "410103", "410105"]
        let first = LocalDate(year: 2026, month: 3, day: 2)!
        try writeCSV(path, header: header) { buffer, flush in
            for n in 0..<lines {
                let day = first.adding(days: random.below(30))
                let minute = random.below(600)
                buffer += "\(day) \(String(format: "%02d:%02d", 8 + minute / 60, minute % 60)),\(regions[random.below(3)]),12333,"
                // One in twenty is a mass incident (12 workers), which escalates at intake (E1).
                let workers = random.below(20) == 0 ? 12 : 1 + random.below(9)
                buffer += "工人\(n % 97),,,河南第\(random.below(800))建筑劳务有限公司,,\(workers),\(1000 + random.below(20_000)),"
                buffer += "\(day.adding(days: -90)),\(day.adding(days: -30)),false,\(marker)\(n) 拖欠工资\n"
                flush(&buffer)
            }
        }
        return path
    }

    /// What must come out the same however often an import was interrupted: the rows of the
    /// file, every complaint's number and outcome (ids aside: a rolled-back transaction still
    /// uses up sequence values), and the cases and escalations the intake opened.
    struct State: Equatable, CustomStringConvertible {
        let fromFile: Int
        let total: Int
        let digest: String
        let cases: Int
        let escalations: Int
        let outbox: Int

        var description: String {
            "\(fromFile) from the file, \(total) in all, \(cases) cases, \(escalations) escalations, \(outbox) outbox events"
        }

        static func read(_ db: Connection, marker: String) throws -> State {
            let row = try db.query("""
                SELECT count(*) FILTER (WHERE c.text LIKE \(marker + "%")) AS from_file, count(*) AS total,
                       coalesce(sum(('x' || left(md5(concat_ws('|', c.region_code, c.number, c.received_at, c.employer_name,
                           c.workers_involved, c.amount_owed_fen, c.status, c.outcome, c.reason, c.case_id IS NULL,
                           c.decision_due, c.text)), 15))::bit(60)::bigint), 0)::text AS digest,
                       (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM escalations) AS escalations,
                       (SELECT count(*) FROM escalation_outbox) AS outbox
                FROM complaints c
                """).one()
            return State(fromFile: try row.decode("from_file"), total: try row.decode("total"), digest: try row.decode("digest"),
                         cases: try row.decode("cases"), escalations: try row.decode("escalations"), outbox: try row.decode("outbox"))
        }
    }

    /// (region, day)s whose numbers are not exactly TS-YYYYMMDD-0001 … N, each once, with the
    /// counter at N.
    static func numberingProblems(_ db: Connection) throws -> [String] {
        try db.query("""
            WITH days AS (
                SELECT region_code, received_on, count(*) AS n, count(DISTINCT number) AS distinct_numbers,
                       bool_and(number ~ ('^TS-' || to_char(received_on, 'YYYYMMDD') || '-[0-9]{4,}$')) AS formed,
                       min(split_part(number, '-', 3)::int) AS lo, max(split_part(number, '-', 3)::int) AS hi
                FROM complaints GROUP BY 1, 2)
            SELECT coalesce(d.region_code, k.region_code) || ' ' || coalesce(d.received_on, k.day)
                   || ': ' || coalesce(d.n, 0) || ' complaints, numbers ' || coalesce(d.lo, 0) || '..' || coalesce(d.hi, 0)
                   || ', counter ' || coalesce(k.last, 0) AS problem
            FROM days d FULL JOIN complaint_counters k ON k.region_code = d.region_code AND k.day = d.received_on
            WHERE d.n IS NULL OR k.last IS NULL
               OR NOT (d.formed AND d.distinct_numbers = d.n AND d.lo = 1 AND d.hi = d.n AND k.last = d.n)
            ORDER BY 1
            """).map { try $0.decode("problem") }
    }
}

// MARK: - Transfers

private enum TransfersFile {
    static let projects = longRun ? 20 : 6
    static let months = longRun ? 10 : 4
    static let workers = longRun ? 60 : 50

    /// Government projects KF-01 … with their wage accounts opened, and nothing posted yet.
    static func seed(_ db: Connection) throws {
        try CountyFixture.register([CountyFixture.owner.named("交通局建设处"), CountyFixture.contractor], on: db)
        try CountyFixture.register((1...projects).map { CountyFixture.g107.coded(code($0), name: "快速路\($0)标段") }, on: db)
        for p in 1...projects {
            try CountyFixture.openWageAccount(code(p), number: "1601010104\(String(format: "%07d", p))", on: db)
        }
    }

    static func code(_ p: Int) -> String { "KF-" + String(format: "%02d", p) }

    /// Money in from the treasury, a monthly allocation into each wage account and wages out of
    /// it to every worker, in the order they happened: a wage account never goes below zero.
    /// Returns the file, its line count and every account's balance once it is posted.
    static func write() throws -> (path: String, lines: Int, balances: [String: Int64]) {
        let path = temporaryFile("transfers")
        var balances: [String: Int64] = [:]
        var lines = 0
        func post(_ buffer: inout String, _ key: String, _ at: String, _ from: String, _ to: String, _ fen: Int64) {
            buffer += "\(key),\(at),\(from),\(to),\(Money.yuan(fen)),\n"
            balances[from, default: 0] -= fen
            balances[to, default: 0] += fen
            lines += 1
        }
        try writeCSV(path, header: "key,occurred_at,from_account,to_account,amount,memo") { buffer, flush in
            for p in 1...projects {
                let code = code(p)
                post(&buffer, "in-\(code)", "2026-02-25", "external:财政", "fund:\(code)", 900_000_000)
                for month in 0..<months {
                    let period = String(format: "2026-%02d", 3 + month)
                    let wages = (1...workers).map { Int64(200_000 + ($0 * 7 + p + month) % 9 * 10_000) }
                    post(&buffer, "alloc-\(code)-\(period)", "\(period)-01", "fund:\(code)", "wage:\(code)", wages.reduce(0, +))
                    for (w, fen) in wages.enumerated() {
                        post(&buffer, "wage-\(code)-\(period)-\(w)", "\(period)-15 10:00", "wage:\(code)",
                             "worker:\(worker(p * 1000 + w))", fen)
                    }
                    flush(&buffer)
                }
            }
        }
        return (path, lines, balances)
    }

    static func balances(_ db: Connection) throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for row in try db.query("SELECT kind || ':' || ref AS account, balance_fen FROM ledger_accounts") {
            result[try row.decode("account")] = try row.decode("balance_fen")
        }
        return result
    }
}

// MARK: - A county for the rules

/// A seeded county with projects of every type, wage accounts, allocations, attendance, payroll
/// with gaps, complaints and diversions (like the incremental rule tests', larger), and a change
/// to it that raises, upgrades and clears flags.
private enum RuleCounty {
    static let region = "410102"
    static let asOf = "2026-09-20"
    static let projects = longRun ? 400 : 120

    static func seed(_ db: Connection) throws {
        try db.query("SELECT setseed(0.42)")
        let owner = try USCC.make(department: "1", type: "1", region: region, organisation: "00000001").value
        var contractors: [String] = []
        for n in 0..<8 {
            contractors.append(try USCC.make(region: region, organisation: String(format: "%08d", 300 + n)).value)
        }
        try db.query("""
            INSERT INTO employers (region_code, uscc, name, name_key, kind)
            SELECT \(region), u, '单位' || ord, '单位' || ord, CASE WHEN ord = 1 THEN 'owner' ELSE 'general_contractor' END
            FROM unnest(\([owner] + contractors)) WITH ORDINALITY AS t(u, ord)
            """)
        try db.executeScript(unsafeSQL: """
            INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                                  contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen,
                                  status, actual_start)
            SELECT '410102', 'RC-' || g, '项目' || g,
                   (ARRAY['gov_transport','gov_land','gov_water','gov_other','real_estate','factory_build','small_enterprise'])[1 + g % 7],
                   CASE WHEN random() < 0.5 THEN 'government' ELSE 'social' END,
                   (SELECT id FROM employers WHERE kind = 'owner'),
                   (SELECT id FROM employers WHERE kind = 'general_contractor' ORDER BY id OFFSET g % 8 LIMIT 1),
                   (1000000 + floor(random() * 900000000))::bigint,
                   DATE '2026-01-01' + (random() * 60)::int, DATE '2026-03-01', DATE '2026-12-31', 30, 1000000,
                   CASE WHEN r < 0.8 THEN 'started' ELSE 'planned' END,
                   CASE WHEN r < 0.8 THEN DATE '2026-03-01' + g % 20 END
            FROM (SELECT g, random() AS r FROM generate_series(1, \(projects)) g) s;
            INSERT INTO ledger_accounts (region_code, kind, ref, name, project_id, bank, number, opened_on)
            SELECT region_code, 'wage', code, name || '工资专户', id, '农行', '6228480000000001', DATE '2026-02-20'
            FROM projects WHERE random() < 0.6 ORDER BY id;
            INSERT INTO workers (region_code, id_number, name, employer_id, project_id, joined)
            SELECT p.region_code, '41010219900101' || lpad((p.id * 20 + w)::text, 4, '0'), '工人' || p.id || '-' || w,
                   p.contractor_id, p.id, DATE '2026-03-01'
            FROM projects p CROSS JOIN generate_series(1, 12) w ORDER BY p.id, w;
            INSERT INTO attendance (region_code, project_id, day, worker_id)
            SELECT w.region_code, w.project_id, d::date, w.id
            FROM workers w CROSS JOIN generate_series(DATE '2026-03-02', DATE '2026-08-31', interval '2 days') d
            WHERE random() < 0.7;
            INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, paid_on, signed)
            SELECT w.region_code, w.project_id, m::date, w.id, 20, 600000,
                   CASE WHEN random() < 0.85 THEN 600000 ELSE 0 END,
                   (m + interval '1 month 10 days')::date, true
            FROM workers w CROSS JOIN generate_series(DATE '2026-03-01', DATE '2026-07-01', interval '1 month') m;
            UPDATE payroll SET paid_on = NULL WHERE wage_paid_fen = 0;
            """)
        let ledger = Ledger(defaultRegion: region)
        let projects = try db.query("SELECT code, funding, id FROM projects ORDER BY id").map {
            (try $0.decode("code", as: String.self), try $0.decode("funding", as: String.self))
        }
        let wage = Set(try db.query("SELECT ref FROM ledger_accounts WHERE kind = 'wage'").map { try $0.decode("ref", as: String.self) })
        for (index, (code, funding)) in projects.enumerated() {
            _ = try ledger.transfer(key: "in-\(code)", from: .external(name: "财政"), to: .fund(project: code),
                                    amountFen: 50_000_000, occurredAt: day("2026-02-25"), memo: nil, on: db)
            if wage.contains(code) {
                for month in 0..<(index % 5) {
                    _ = try ledger.transfer(key: "alloc-\(code)-\(month)", from: .fund(project: code), to: .wage(project: code),
                                            amountFen: 1_000_000, occurredAt: day("2026-03-01").addingTimeInterval(TimeInterval(month * 30 * 86_400)),
                                            memo: nil, on: db)
                }
            }
            if funding == "government" && index % 4 == 0 {
                _ = try ledger.transfer(key: "out-\(code)", from: .fund(project: code), to: .external(name: "外地某公司"),
                                        amountFen: 200_000, occurredAt: day("2026-05-05"), memo: nil, on: db)
            }
        }
        try complaints(db, count: 40, month: 8, employers: contractors)
    }

    /// Data changes after the first run: accounts opened late, wages paid, new attendance,
    /// projects finished, more complaints.
    static func change(_ db: Connection) throws {
        try db.query("SELECT setseed(0.24)")
        let ledger = Ledger(defaultRegion: region)
        let unopened = try db.query("""
            SELECT code FROM projects p WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.kind = 'wage' AND a.ref = p.code)
            ORDER BY id LIMIT 10
            """).map { try $0.decode("code", as: String.self) }
        for code in unopened {
            _ = try ledger.open(.wage(project: code), bank: "农行", number: "6228480000000002",
                                openedOn: LocalDate(year: 2026, month: 2, day: 1)!, on: db)
            _ = try ledger.transfer(key: "late-\(code)", from: .fund(project: code), to: .wage(project: code),
                                    amountFen: 6_000_000, occurredAt: day("2026-08-01"), memo: nil, on: db)
        }
        try db.executeScript(unsafeSQL: """
            UPDATE payroll SET wage_paid_fen = wage_due_fen, paid_on = (period + interval '1 month 5 days')::date
            WHERE wage_paid_fen = 0 AND random() < 0.5;
            INSERT INTO attendance (region_code, project_id, day, worker_id)
            SELECT w.region_code, w.project_id, DATE '2026-09-15', w.id FROM workers w WHERE random() < 0.1
            ON CONFLICT DO NOTHING;
            UPDATE projects SET status = 'finished', actual_end = DATE '2026-09-01' WHERE status = 'started' AND random() < 0.1;
            """)
        let contractors = try db.query("SELECT uscc FROM employers WHERE kind = 'general_contractor' ORDER BY id")
            .map { try $0.decode("uscc", as: String.self) }
        try complaints(db, count: 12, month: 9, employers: contractors)
    }

    static func complaints(_ db: Connection, count: Int, month: Int, employers: [String]) throws {
        let intake = ComplaintIntake()
        for n in 0..<count {
            let fields: [String: String] = [
                "received_at": "2026-\(String(format: "%02d", month))-\(String(format: "%02d", 1 + n % 18)) 09:00",
                "region_code": region, "channel": "12333", "employer_name": "单位\(2 + n % 4)",
                "employer_uscc": employers[n % 4], "workers_involved": "3", "amount_owed": "9000",
            ]
            _ = try intake.add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
        }
    }

    static func day(_ text: String) -> Date { PostgresTimestamp.parse(text + "T00:00:00+08:00")! }

    /// Every flag as rule/subject/period/severity/status/cleared (ids aside), sorted.
    static func flags(_ db: Connection) throws -> [String] {
        try db.query("""
            SELECT rule || '/' || subject_kind || ':' || subject_id || '/' || period || '/' || severity || '/' || status || '/' ||
                   (condition_cleared_at IS NOT NULL)::text AS f
            FROM flags ORDER BY 1
            """).map { try $0.decode("f", as: String.self) }
    }

    static func escalations(_ db: Connection) throws -> [String] {
        try db.query("SELECT reason || '/' || level || '/' || status AS e FROM escalations ORDER BY 1")
            .map { try $0.decode("e", as: String.self) }
    }

    static func runs(_ db: Connection) throws -> [(id: Int64, status: String)] {
        try db.query("SELECT id, status FROM rule_runs ORDER BY id").map { (try $0.decode("id"), try $0.decode("status")) }
    }
}

// MARK: - Direct pay

private enum DirectPayCounty {
    static let code = "ZZ-G107"
    static let workers = longRun ? 1000 : 300
    static let funded: Int64 = 4_000_000_000

    /// A project in direct-pay mode with `workers` signed, unpaid October payroll lines, an open
    /// case where three of them claim, and a batch planned by zhang and approved by wang.
    static func seed(_ db: Connection) throws -> DirectPayPlan {
        try CountyFixture.directPayProject(treasuryFen: 10_000_000_000, allocatedFen: funded, on: db)
        let ids = (0..<workers).map(worker)
        try db.query("""
            INSERT INTO workers (region_code, id_number, name, bank, bank_account, employer_id, project_id, joined)
            SELECT '410102', id, '工人' || n, '中国农业银行', '62284800' || lpad(n::text, 8, '0'),
                   (SELECT id FROM employers WHERE kind = 'general_contractor'), (SELECT id FROM projects), '2026-03-01'
            FROM unnest(\(ids)) WITH ORDINALITY AS t(id, n)
            """)
        try db.query("""
            INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, paid_on, signed)
            SELECT '410102', project_id, '2026-10-01', id, 22, 500000 + (id % 7) * 30000, 0, NULL, true FROM workers
            """)
        let fields: [String: String] = [
            "received_at": "2026-11-12 10:00", "region_code": "410102", "channel": "12333",
            "employer_name": "河南路桥建设集团有限公司", "employer_uscc": "91110000100010433L", "project_code": code,
            "workers_involved": "3", "amount_owed": "15000",
        ]
        let intake = try ComplaintIntake().add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
        let caseID = try #require(try ComplaintDesk().decide(.number(intake.number), .accept, today: LocalDate(year: 2026, month: 11, day: 13)!, on: db).caseID)
        for n in 0..<3 {
            _ = try CaseDesk().claim(caseID, worker: try ResidentID(parsing: ids[n * 10], today: .testToday), name: "工人\(n * 10 + 1)", owedFen: 500_000, on: db)
        }
        let desk = DirectPayDesk()
        try desk.order(project: code, basis: "监察指令书〔2026〕18号", flagID: nil, on: db)
        let plan = try desk.plan(project: code, period: Month(year: 2026, month: 10)!, planner: "zhang", on: db)
        _ = try desk.approve(plan.batchID, approver: "wang", on: db)
        return plan
    }

    struct State: CustomStringConvertible {
        let batch: String
        let lines: [String: Int]
        let transfers: Int
        let wageBalance: Int64
        let recoveries: Int

        var description: String { "batch \(batch), lines \(lines), \(transfers) transfers, wage account \(wageBalance), \(recoveries) recoveries" }

        static func read(_ db: Connection, batch: BatchID) throws -> State {
            let row = try db.query("""
                SELECT (SELECT status FROM direct_pay_batches WHERE id = \(batch)) AS batch,
                       (SELECT count(*) FROM transfers WHERE idempotency_key LIKE \("directpay:\(batch):%")) AS transfers,
                       (SELECT balance_fen FROM ledger_accounts WHERE kind = 'wage' AND ref = \(code)) AS wage,
                       (SELECT count(*) FROM recoveries WHERE source = 'direct_pay') AS recoveries
                """).one()
            var lines: [String: Int] = [:]
            for line in try db.query("SELECT status, count(*) AS n FROM direct_pay_lines WHERE batch_id = \(batch) GROUP BY 1") {
                lines[try line.decode("status")] = try line.decode("n")
            }
            return State(batch: try row.decode("batch"), lines: lines, transfers: try row.decode("transfers"),
                         wageBalance: try row.decode("wage"), recoveries: try row.decode("recoveries"))
        }
    }
}

// MARK: - The tests

@Suite("Faults: kill -9 leaves nothing half-written")
struct KillTests {
    @Test("a complaints import killed with SIGKILL leaves none or all of its rows and gap-free numbers, and the re-run imports it exactly once")
    func complaintsImport() async throws {
        let lines = longRun ? 1_000_000 : 10_000
        let file = try ComplaintsFile.write(lines: lines, marker: "F#", seed: 11)
        let earlier = try ComplaintsFile.write(lines: 60, marker: "E#", seed: 5)
        defer {
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: earlier)
        }
        let environment = ["WAGEWATCH_NOW": "2026-04-01T02:00:00Z"]
        let arguments = ["import", "complaints", file]
        // Complaints already taken on the same days: the numbers must carry on from theirs.
        let prepared = try PreparedDatabase { db in _ = try ComplaintImport().run(path: earlier, dryRun: false, on: db) }
        defer { prepared.drop() }
        // The uninterrupted import: what every round must end with.
        let (reference, writing) = try prepared.withCopy { db, conninfo in
            let (result, took, writing) = try runWatched(arguments, database: conninfo, environment: environment, observer: db)
            try #require(result.status == 0, "\(result.stderr)")
            let state = try ComplaintsFile.State.read(db, marker: "F#")
            #expect(state.fromFile == lines)
            #expect(try ComplaintsFile.numberingProblems(db) == [])
            say("complaints: an uninterrupted import of \(lines) lines took \(took) ms, \(writing) ms of it writing: \(state)")
            return (state, writing)
        }
        let rounds = killPoints(longRun ? 3 : 4, writing: writing, seed: 0xC0_4D1A,
                                KillWhen(marker: "the intake numbers the staged rows") { $0.wrote && $0.query.contains("ww_intake_staged") })
        let kills = KillCount()
        for (round, when) in rounds.enumerated() {
            try prepared.withCopy { db, conninfo in
                let point = try runAndKill(arguments, database: conninfo, environment: environment, when: when, observer: db)
                let after = try ComplaintsFile.State.read(db, marker: "F#")
                #expect(after.fromFile == 0 || after.fromFile == lines, "\(point): \(after)")
                kills.record(point, uncommitted: after.fromFile == 0)
                #expect(try ComplaintsFile.numberingProblems(db) == [], "\(point)")
                var rerun = "no re-run needed"
                if after.fromFile == 0 {
                    #expect(after.total == 60, "\(point): the earlier complaints must stay as they were")
                    let started = Date()
                    let again = try CLI.run(arguments, database: conninfo, environment: environment)
                    #expect(again.status == 0, "\(point): \(again.stderr)")
                    rerun = "the re-run took \(milliseconds(since: started)) ms"
                }
                let final = try ComplaintsFile.State.read(db, marker: "F#")
                #expect(final == reference, "\(point): \(final) instead of \(reference)")
                #expect(try ComplaintsFile.numberingProblems(db) == [], "\(point)")
                logRound("complaints", round, point, "\(after.fromFile) rows stored; \(rerun); then \(final)")
            }
        }
        kills.expectAll("complaints")
    }

    @Test("a transfers import killed with SIGKILL posts all or nothing, balances always add up, and re-runs neither double nor fail")
    func transfersImport() async throws {
        let (file, lines, expected) = try TransfersFile.write()
        defer { try? FileManager.default.removeItem(atPath: file) }
        let arguments = ["import", "transfers", file, "--json"]
        let environment: [String: String] = [:]
        func counts(_ result: CLIResult) throws -> [String: Int] {
            try jsonObject(result.stdout)["counts"] as? [String: Int] ?? [:]
        }
        let prepared = try PreparedDatabase(TransfersFile.seed)
        defer { prepared.drop() }
        let writing = try prepared.withCopy { db, conninfo in
            let (result, took, writing) = try runWatched(arguments, database: conninfo, environment: environment, observer: db)
            try #require(result.status == 0, "\(result.stderr)")
            #expect(try counts(result)["posted"] == lines)
            #expect(try TransfersFile.balances(db) == expected)
            say("transfers: an uninterrupted import of \(lines) lines took \(took) ms, \(writing) ms of it writing")
            return writing
        }
        let rounds = killPoints(4, writing: writing, seed: 0x7A_5F3E,
                                KillWhen(marker: "the transfers are being posted") { $0.wrote && $0.query.contains("ww_post_staged_transfers") })
        let kills = KillCount()
        for (round, when) in rounds.enumerated() {
            try prepared.withCopy { db, conninfo in
                let point = try runAndKill(arguments, database: conninfo, environment: environment, when: when, observer: db)
                let posted = try db.query("SELECT count(*) AS n FROM transfers").one().decode("n", as: Int.self)
                #expect(posted == 0 || posted == lines, "\(point): \(posted) of \(lines) transfers")
                kills.record(point, uncommitted: posted == 0)
                #expect(try inconsistentBalances(db) == [], "\(point)")

                let again = try CLI.run(arguments, database: conninfo, environment: environment)
                #expect(again.status == 0, "\(point): \(again.stderr)")
                #expect(try counts(again) == ["posted": lines - posted, "replayed": posted, "diversions": 0], "\(point)")
                let third = try CLI.run(arguments, database: conninfo, environment: environment)
                #expect(third.status == 0, "\(point): \(third.stderr)")
                #expect(try counts(third) == ["posted": 0, "replayed": lines, "diversions": 0], "\(point)")
                #expect(try db.query("SELECT count(*) AS n FROM transfers").one().decode("n", as: Int.self) == lines)
                #expect(try TransfersFile.balances(db) == expected, "\(point)")
                #expect(try inconsistentBalances(db) == [], "\(point)")
                logRound("transfers", round, point, "\(posted) of \(lines) posted; the re-run posted \(lines - posted) and replayed \(posted)")
            }
        }
        kills.expectAll("transfers")
    }

    @Test("a rule run killed with SIGKILL leaves the old flags or the new ones, is not recorded as done unless it committed, and the next run gives what an uninterrupted run gives")
    func ruleRun() async throws {
        let environment = ["WAGEWATCH_NOW": "2026-09-20T04:00:00Z"]
        let arguments = ["rules", "run", "--full", "--as-of", RuleCounty.asOf]
        let asOf = LocalDate(iso: RuleCounty.asOf)!
        // A county with its flags raised by a complete run (old), then changed.
        var old: [String] = []
        let prepared = try PreparedDatabase { db in
            try RuleCounty.seed(db)
            _ = try RuleEngine().run(asOf: asOf, full: true, on: db)
            old = try RuleCounty.flags(db)
            try RuleCounty.change(db)
        }
        defer { prepared.drop() }
        // The flags (new) and escalations an uninterrupted run leaves.
        let (new, escalations, writing) = try prepared.withCopy { db, conninfo in
            let (result, took, writing) = try runWatched(arguments, database: conninfo, environment: environment, observer: db)
            try #require(result.status == 0, "\(result.stderr)")
            let new = try RuleCounty.flags(db)
            say("rules: an uninterrupted full run over \(RuleCounty.projects) projects took \(took) ms, \(writing) ms of it writing: "
                + "\(old.count) flags before, \(new.count) after")
            return (new, try RuleCounty.escalations(db), writing)
        }
        try #require(old != new, "the change must alter the flags, or a kill could not be told apart")
        // The run's own row is written on its own before the run's transaction: the random
        // kills count from the first finding a rule writes.
        let findings = KillWhen(marker: "the rules write their findings") { $0.wrote && !$0.query.contains("rule_runs") }
        let rounds = killPoints(longRun ? 6 : 4, writing: writing, seed: 0x52_554C, after: findings,
                                KillWhen(marker: "the findings are being merged into flags") { $0.wrote && $0.query.contains("ww_merge_findings") })
        let kills = KillCount()
        for (round, when) in rounds.enumerated() {
            try prepared.withCopy { db, conninfo in
                let before = try RuleCounty.runs(db)
                let point = try runAndKill(arguments, database: conninfo, environment: environment, when: when, observer: db)
                let killedRun = try RuleCounty.runs(db).last { $0.id > before.last!.id }
                let flags = try RuleCounty.flags(db)
                kills.record(point, uncommitted: killedRun?.status != "done" && flags == old)
                if killedRun?.status == "done" {
                    #expect(flags == new, "\(point): a run recorded as done must have left the new flags")
                } else {
                    #expect(flags == old, "\(point): a run not recorded as done must have left the old flags")
                }
                #expect(killedRun.map { ["running", "done"].contains($0.status) } ?? true, "\(point): \(String(describing: killedRun))")

                let again = try CLI.run(arguments, database: conninfo, environment: environment)
                #expect(again.status == 0, "\(point): \(again.stderr)")
                #expect(again.stdout.contains("rule run"), "\(point): \(again.stdout)")
                #expect(try RuleCounty.flags(db) == new, "\(point)")
                #expect(try RuleCounty.escalations(db) == escalations, "\(point)")
                let runs = try RuleCounty.runs(db)
                #expect(!runs.contains { $0.status == "running" }, "\(point): \(runs)")
                if let killedRun, killedRun.status == "running" {
                    #expect(runs.first { $0.id == killedRun.id }?.status == "failed", "\(point): the next run marks the dead one failed")
                }
                logRound("rules", round, point, "run \(killedRun.map { "\($0.id) \($0.status)" } ?? "never recorded"), "
                    + "\(flags == new ? "new" : flags == old ? "old" : "OTHER") flags; the re-run left the new flags")
            }
        }
        kills.expectAll("rules")
    }

    @Test("a direct-pay execution killed with SIGKILL pays every line or none, the wage account matches its transfers, and the re-run pays exactly once")
    func directPayExecution() async throws {
        let environment: [String: String] = [:]
        var planned: DirectPayPlan?
        let prepared = try PreparedDatabase { db in planned = try DirectPayCounty.seed(db) }
        defer { prepared.drop() }
        let plan = try #require(planned)
        let lines = plan.lines.count
        let total = plan.totalFen
        let writing = try prepared.withCopy { db, conninfo in
            let (result, took, writing) = try runWatched(["directpay", "execute", plan.batchID.description], database: conninfo,
                                                         environment: environment, observer: db)
            try #require(result.status == 0, "\(result.stderr)")
            let state = try DirectPayCounty.State.read(db, batch: plan.batchID)
            #expect(state.transfers == plan.lines.count)
            say("direct pay: an uninterrupted execution of \(lines) lines took \(took) ms, \(writing) ms of it writing")
            return writing
        }
        let rounds = killPoints(4, writing: writing, seed: 0xD1_2EC7,
                                KillWhen(marker: "lines are being paid") { $0.wrote && $0.query.contains("ww_execute_direct_pay") })
        let kills = KillCount()
        for (round, when) in rounds.enumerated() {
            try prepared.withCopy { db, conninfo in
                let execute = ["directpay", "execute", plan.batchID.description]
                let point = try runAndKill(execute, database: conninfo, environment: environment, when: when, observer: db)
                let after = try DirectPayCounty.State.read(db, batch: plan.batchID)
                let paid = after.batch == "executed"
                kills.record(point, uncommitted: !paid && after.transfers == 0)
                if paid {
                    #expect(after.lines == ["paid": lines] && after.transfers == lines && after.recoveries == 3, "\(point): \(after)")
                    #expect(after.wageBalance == DirectPayCounty.funded - total, "\(point): \(after)")
                } else {
                    #expect(after.batch == "approved", "\(point): \(after)")
                    #expect(after.lines == ["pending": lines] && after.transfers == 0 && after.recoveries == 0, "\(point): \(after)")
                    #expect(after.wageBalance == DirectPayCounty.funded, "\(point): \(after)")
                }
                #expect(try inconsistentBalances(db) == [], "\(point)")

                let again = try CLI.run(execute, database: conninfo, environment: environment)
                #expect(again.status == 0, "\(point): \(again.stderr)")
                #expect(again.stdout.contains(paid ? "already executed" : "paid \(lines) worker(s)"), "\(point): \(again.stdout)")
                let third = try CLI.run(execute, database: conninfo, environment: environment)
                #expect(third.status == 0 && third.stdout.contains("already executed"), "\(point): \(third.stdout)\(third.stderr)")
                let final = try DirectPayCounty.State.read(db, batch: plan.batchID)
                #expect(final.batch == "executed" && final.lines == ["paid": lines] && final.transfers == lines, "\(point): \(final)")
                #expect(final.wageBalance == DirectPayCounty.funded - total && final.recoveries == 3, "\(point): \(final)")
                let workersPaid = try db.query("""
                    SELECT count(*) AS n FROM direct_pay_lines l
                    JOIN ledger_accounts a ON a.kind = 'worker' AND a.ref = l.id_number
                    WHERE l.batch_id = \(plan.batchID) AND a.balance_fen = l.amount_fen
                    """).one().decode("n", as: Int.self)
                #expect(workersPaid == lines, "\(point): every worker is paid their line once")
                #expect(try inconsistentBalances(db) == [], "\(point)")
                logRound("direct pay", round, point, "\(paid ? "all \(lines) lines paid" : "no line paid"); the re-run left all paid once")
            }
        }
        kills.expectAll("direct pay")
    }
}

// MARK: - A restarted server

/// A PostgreSQL cluster of the test's own (`wagewatch db up --fast` in a short folder under
/// /tmp, so the socket path stays short): the suite's shared cluster is never restarted.
private final class OwnCluster {
    let home: String
    private(set) var url = ""

    init() throws {
        home = "/tmp/wwf-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        do {
            try up()
            let printed = try command(["db", "url"])
            url = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            tearDown()
            throw error
        }
    }

    /// Runs `wagewatch arguments…` on this cluster (WAGEWATCH_HOME is ours, never the suite's).
    @discardableResult
    func command(_ arguments: [String]) throws -> CLIResult {
        let result = try CLI.run(arguments, database: nil, environment: ["WAGEWATCH_HOME": home])
        guard result.status == 0 else {
            throw WagewatchError.failure("wagewatch \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result
    }

    func up() throws { try command(["db", "up", "--fast"]) }
    func down() throws { try command(["db", "down"]) }

    func tearDown() {
        _ = try? CLI.run(["db", "down"], database: nil, environment: ["WAGEWATCH_HOME": home])
        try? FileManager.default.removeItem(atPath: home)
    }

    /// Whether the session named `app` is listening (its last statement was LISTEN).
    func isListening(_ app: String) -> Bool {
        guard let db = try? Connection(url) else { return false }
        defer { db.close() }
        let n = try? db.query("""
            SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = \(app) AND query LIKE 'LISTEN%'
            """).one().decode("n", as: Int.self)
        return n == 1
    }
}

@Suite("Faults: PostgreSQL restarted mid-session")
struct RestartTests {
    @Test("after a restart the old session fails saying the connection was lost, new commands work, and escalations watch reconnects or exits 1")
    func serverRestart() async throws {
        let cluster = try OwnCluster()
        defer { cluster.tearDown() }
        let old = try Connection(cluster.url)
        defer { old.close() }
        #expect(try old.query("SELECT 1 AS one").one().decode("one", as: Int.self) == 1)
        let watch = try CLI.start(["escalations", "watch", "--json", "--count", "1", "--timeout", "120"],
                                  database: cluster.url, environment: ["PGAPPNAME": "ww-watch"])
        try #require(poll(timeout: 60, interval: 0.05) { cluster.isListening("ww-watch") }, "\(watch.stderr)")

        try cluster.down()
        try cluster.up()

        // The session that was open: a clear error, exit code 1, and the advice to run again.
        var caught: (any Error)?
        do { _ = try old.query("SELECT 1 AS one") } catch { caught = error }
        let lost = try #require(caught as? PostgresError, "\(String(describing: caught))")
        #expect(lost.isConnectionLost, "\(lost)")
        #expect(lost.message.hasPrefix("the connection to the database was lost"), "\(lost.message)")
        let shown = WagewatchError.from(lost)
        #expect(shown.exitCode == 1)
        #expect(shown.message.contains("Run the command again"), "\(shown.message)")

        // A new command simply works.
        let list = try CLI.run(["complaint", "list", "--json"], database: cluster.url)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(try jsonArray(list.stdout).isEmpty, "\(list.stdout)")

        // The watch reconnected and still sees what is raised.
        let back = poll(timeout: 90, interval: 0.05) { watch.status != nil || cluster.isListening("ww-watch") }
        try #require(back && watch.status == nil, "exit \(String(describing: watch.status)): \(watch.stderr)")
        let db = try Connection(cluster.url)
        defer { db.close() }
        let fields: [String: String] = [
            "received_at": "2026-02-13 10:00", "region_code": "410102", "channel": "12333",
            "employer_name": "郑州宏达建筑劳务有限公司", "workers_involved": "12", "amount_owed": "30000",
        ]
        _ = try ComplaintIntake().add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
        let status = watch.wait(timeout: 60)
        #expect(status == 0, "\(watch.stderr)")
        let events = watch.stdout.split(separator: "\n")
        #expect(events.count == 1 && events.first?.contains("\"mass_incident_workers\"") == true, "\(watch.stdout)")
        #expect(watch.stderr.contains("the connection to the database was lost"), "\(watch.stderr)")
        #expect(watch.stderr.contains("reconnected"), "\(watch.stderr)")

        // With no server to come back to, a watch with --timeout gives up with the same clear error.
        let doomed = try CLI.start(["escalations", "watch", "--timeout", "2"], database: cluster.url,
                                   environment: ["PGAPPNAME": "ww-doomed"])
        try #require(poll(timeout: 60, interval: 0.05) { cluster.isListening("ww-doomed") }, "\(doomed.stderr)")
        try cluster.down()
        #expect(doomed.wait(timeout: 60) == 1, "\(doomed.stderr)")
        #expect(doomed.stderr.contains("error: the connection to the database was lost"), "\(doomed.stderr)")
        #expect(doomed.stderr.contains("Run the command again"), "\(doomed.stderr)")
    }
}
