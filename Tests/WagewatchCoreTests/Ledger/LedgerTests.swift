import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

// The wage-fund ledger (P5–P7), tested the way pgledger and TigerBeetle test theirs: two
// concurrent streams of opposite transfers, a write-skew race on one wage account, and an
// auditor that replays a seeded random sequence against an in-memory model.

/// Two employers, two government projects (and optionally a socially funded one) in 410102.
private enum LedgerFixture {
    static let region = CountyFixture.region
    /// This suite's contractor and owner hold each other's USCC in the other suites.
    static let contractorUSCC = CountyFixture.ownerUSCC
    static let ownerUSCC = CountyFixture.contractorUSCC
    static let projectA = "XM-GOV-A"
    static let projectB = "XM-GOV-B"
    static let socialProject = "XM-SOC-C"
    static let workerA = "11010519491231002X"
    static let workerB = "410102198506120036"
    static let ledger = Ledger(defaultRegion: region)

    /// 2026-03-01 00:00 in Asia/Shanghai.
    static let day0 = PostgresTimestamp.parse("2026-02-28T16:00:00Z")!

    /// An instant `second` seconds into Shanghai day `day` (day 0 is 2026-03-01).
    static func at(day: Int, second: Int = 36_000) -> Date {
        day0.addingTimeInterval(TimeInterval(day * 86_400 + second))
    }

    /// Shanghai day `day` as a date (day 0 is 2026-03-01).
    static func date(_ day: Int) -> LocalDate { LocalDate(year: 2026, month: 3, day: 1)!.adding(days: day) }

    /// Seeds employers and projects with plain SQL and opens the wage accounts in `open`.
    static func seed(_ db: Connection, open: [String] = [projectA, projectB]) throws {
        try CountyFixture.register([
            CountyFixture.Employer(uscc: contractorUSCC, name: "河南宏达路桥建设有限公司", nameKey: "河南宏达路桥建设", kind: nil),
            CountyFixture.Employer(uscc: ownerUSCC, name: "郑州市交通运输局", kind: nil),
        ], on: db)
        let road = CountyFixture.Project(code: projectA, name: "郑州东三环快速路改造工程", owner: ownerUSCC,
                                         contractor: contractorUSCC, contractValueFen: 2_980_000_000, signed: "2026-01-05",
                                         plannedStart: "2026-02-01", allocationFen: 10_000_000)
        try CountyFixture.register([
            road, road.coded(projectB, name: "中牟县乡村公路提质工程"),
            road.coded(socialProject, name: "郑东新区某住宅小区").typed("real_estate", funding: "social"),
        ], on: db)
        for (n, code) in open.enumerated() {
            _ = try ledger.open(.wage(project: code), bank: "中国建设银行郑州分行", number: "4100150011005000\(n)",
                                openedOn: LocalDate(year: 2026, month: 2, day: 1)!, on: db)
        }
    }

    static func balance(_ account: AccountRef, asOf: LocalDate? = nil, _ db: Connection) throws -> Int64 {
        try ledger.balance(account, asOf: asOf, on: db).balanceFen
    }

    static func transferCount(_ db: Connection) throws -> Int64 {
        try db.query("SELECT count(*)::bigint AS n FROM transfers").one().decode("n")
    }

    /// Accounts whose kept balance differs from the one rebuilt from transfers, and how many
    /// accounts there are.
    static func rebuildMismatches(_ db: Connection) throws -> (mismatches: [String], accounts: Int) {
        let rows = try db.query("""
            SELECT a.kind, a.ref, a.balance_fen,
                   coalesce(sum(CASE WHEN t.to_account = a.id THEN t.amount_fen ELSE -t.amount_fen END), 0)::bigint AS rebuilt
            FROM ledger_accounts a
            LEFT JOIN transfers t ON t.region_code = a.region_code AND (t.to_account = a.id OR t.from_account = a.id)
            GROUP BY a.region_code, a.id, a.kind, a.ref, a.balance_fen
            """)
        var mismatches: [String] = []
        for row in rows {
            let kept: Int64 = try row.decode("balance_fen")
            let rebuilt: Int64 = try row.decode("rebuilt")
            if kept != rebuilt {
                mismatches.append("\(try row.decode("kind", as: String.self)):\(try row.decode("ref", as: String.self)) kept \(kept), rebuilt \(rebuilt)")
            }
        }
        return (mismatches, rows.count)
    }

    /// A valid resident ID number (ISO 7064 MOD 11-2 check character) for worker `n`.
    static func workerID(_ n: Int) -> String {
        let body = "4101021990" + String(format: "%07d", n)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }
}

/// A deterministic pseudo-random sequence (SplitMix64).
private struct LedgerRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Makes threads start their racing step together.
private final class StartLine: @unchecked Sendable {
    private let condition = NSCondition()
    private var arrived = 0
    private let count: Int
    init(_ count: Int) { self.count = count }
    func wait() {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= count {
            condition.broadcast()
        } else {
            while arrived < count { condition.wait() }
        }
    }
}

/// What happened to one transfer, as seen by the caller.
private enum TransferOutcome: Equatable, Sendable, CustomStringConvertible {
    case posted(diversion: Bool)
    case replayed(id: String)
    case refused(WagewatchError.Kind)

    var description: String {
        switch self {
        case .posted(let diversion): "posted\(diversion ? " (diversion)" : "")"
        case .replayed(let id): "replayed #\(id)"
        case .refused(let kind): "refused (\(kind))"
        }
    }
}

private final class OutcomeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [TransferOutcome] = []
    func add(_ outcome: TransferOutcome) { lock.withLock { items.append(outcome) } }
    var all: [TransferOutcome] { lock.withLock { items } }
}

@Suite("Ledger: double entry, append-only, never below zero (P5–P7)")
struct LedgerTests {
    let ledger = LedgerFixture.ledger
    let a = LedgerFixture.projectA
    let b = LedgerFixture.projectB

    @Test("two connections making 500 opposite transfers each leave both wage accounts exactly where the sequences say")
    func opposingStreams() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try LedgerFixture.seed(db)
            let ledger = self.ledger
            let wageA = AccountRef.wage(project: a), wageB = AccountRef.wage(project: b)
            let funding: Int64 = 100_000
            _ = try ledger.transfer(key: "fund-a", from: .fund(project: a), to: wageA, amountFen: funding,
                                    occurredAt: LedgerFixture.at(day: 0), memo: "首期拨付", on: db)
            _ = try ledger.transfer(key: "fund-b", from: .fund(project: b), to: wageB, amountFen: funding,
                                    occurredAt: LedgerFixture.at(day: 0), memo: "首期拨付", on: db)
            var random = LedgerRandom(state: 500)
            let streams: [[Int64]] = (0..<2).map { _ in (0..<500).map { _ in Int64(1 + random.below(100)) } }
            let start = StartLine(2)
            try runOnThreads(2) { index in
                let connection = try Connection(conninfo)
                defer { connection.close() }
                let (from, to) = index == 0 ? (wageA, wageB) : (wageB, wageA)
                start.wait()
                for (n, amount) in streams[index].enumerated() {
                    let result = try ledger.transfer(
                        key: "stream-\(index)-\(n)", from: from, to: to, amountFen: amount,
                        occurredAt: LedgerFixture.at(day: 1, second: n), memo: nil, on: connection)
                    guard !result.replayed else {
                        throw WagewatchError.failure("stream \(index) transfer \(n) was reported as a replay")
                    }
                }
            }
            let aToB = streams[0].reduce(0, +), bToA = streams[1].reduce(0, +)
            let balanceA = try LedgerFixture.balance(wageA, db)
            let balanceB = try LedgerFixture.balance(wageB, db)
            #expect(balanceA == funding - aToB + bToA)
            #expect(balanceB == funding - bToA + aToB)
            let count = try LedgerFixture.transferCount(db)
            #expect(count == 1000 + 2)
            let rebuilt = try LedgerFixture.rebuildMismatches(db)
            #expect(rebuilt.mismatches.isEmpty)
            #expect(rebuilt.accounts == 4)
            let fundA = try LedgerFixture.balance(.fund(project: a), db)
            #expect(fundA == -funding)
        }
    }

    @Test("of two simultaneous withdrawals of 80 fen from a wage account holding 100, exactly one succeeds")
    func writeSkew() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try LedgerFixture.seed(db)
            let ledger = self.ledger
            let wage = AccountRef.wage(project: a)
            for round in 0..<20 {
                let held = try round == 0 ? 0 : LedgerFixture.balance(wage, db)
                _ = try ledger.transfer(key: "topup-\(round)", from: .fund(project: a), to: wage, amountFen: 100 - held,
                                        occurredAt: LedgerFixture.at(day: 1, second: round), memo: nil, on: db)
                // A new worker each round, so both threads also race to create the worker's account.
                let worker = AccountRef.worker(idNumber: LedgerFixture.workerID(round))
                let log = OutcomeLog()
                let start = StartLine(2)
                try runOnThreads(2) { index in
                    let connection = try Connection(conninfo)
                    defer { connection.close() }
                    start.wait()
                    do {
                        let result = try ledger.transfer(
                            key: "pay-\(round)-\(index)", from: wage, to: worker, amountFen: 80,
                            occurredAt: LedgerFixture.at(day: 2, second: round), memo: "工资", on: connection)
                        log.add(.posted(diversion: result.diversion))
                    } catch {
                        log.add(.refused(WagewatchError.from(error).kind))
                    }
                }
                let outcomes = log.all
                #expect(outcomes.filter { $0 == .posted(diversion: false) }.count == 1, "round \(round): \(outcomes)")
                #expect(outcomes.filter { $0 == .refused(.conflict) }.count == 1, "round \(round): \(outcomes)")
                let left = try LedgerFixture.balance(wage, db)
                #expect(left == 20, "round \(round)")
                let paid = try LedgerFixture.balance(worker, db)
                #expect(paid == 80, "round \(round)")
            }
            let count = try LedgerFixture.transferCount(db)
            #expect(count == 40)
            let rebuilt = try LedgerFixture.rebuildMismatches(db)
            #expect(rebuilt.mismatches.isEmpty)
        }
    }

    @Test("the same key and payload posts once; the same key with another payload is a conflict")
    func idempotentReplay() async throws {
        try await TestDatabase.withFresh { db, _ in
            try LedgerFixture.seed(db)
            let when = LedgerFixture.at(day: 1)
            let first = try ledger.transfer(key: "alloc-2026-03", from: .fund(project: a), to: .wage(project: a),
                                            amountFen: 5_000_00, occurredAt: when, memo: "3月人工费", on: db)
            let second = try ledger.transfer(key: "alloc-2026-03", from: .fund(project: a), to: .wage(project: a),
                                             amountFen: 5_000_00, occurredAt: when, memo: "3月人工费", on: db)
            #expect(first.replayed == false)
            #expect(second.replayed == true)
            #expect(second.id == first.id)
            #expect(second.diversion == first.diversion)
            let afterReplay = try LedgerFixture.balance(.wage(project: a), db)
            #expect(afterReplay == 5_000_00)
            let fund = try LedgerFixture.balance(.fund(project: a), db)
            #expect(fund == -5_000_00)

            let variants: [(String, Int64, Date, String?, AccountRef)] = [
                ("another amount", 5_000_01, when, "3月人工费", .wage(project: a)),
                ("another memo", 5_000_00, when, "4月人工费", .wage(project: a)),
                ("no memo", 5_000_00, when, nil, .wage(project: a)),
                ("another time", 5_000_00, when.addingTimeInterval(1), "3月人工费", .wage(project: a)),
                ("another account", 5_000_00, when, "3月人工费", .wage(project: b)),
            ]
            for (what, amount, at, memo, to) in variants {
                #expect("same key, \(what)") {
                    try ledger.transfer(key: "alloc-2026-03", from: .fund(project: a), to: to,
                                        amountFen: amount, occurredAt: at, memo: memo, on: db)
                } throws: { error in
                    WagewatchError.from(error).kind == .conflict
                }
            }
            let count = try LedgerFixture.transferCount(db)
            #expect(count == 1)
            let after = try LedgerFixture.balance(.wage(project: a), db)
            #expect(after == 5_000_00)
            let other = try LedgerFixture.balance(.wage(project: b), db)
            #expect(other == 0)
        }
    }

    @Test("UPDATE, DELETE and TRUNCATE on transfers are refused and change nothing")
    func appendOnly() async throws {
        try await TestDatabase.withFresh { db, _ in
            try LedgerFixture.seed(db)
            _ = try ledger.transfer(key: "t1", from: .fund(project: a), to: .wage(project: a), amountFen: 30_000,
                                    occurredAt: LedgerFixture.at(day: 1), memo: nil, on: db)
            _ = try ledger.transfer(key: "t2", from: .wage(project: a), to: .worker(idNumber: LedgerFixture.workerA),
                                    amountFen: 12_345, occurredAt: LedgerFixture.at(day: 2), memo: "工资", on: db)
            let snapshot: SQL = """
                SELECT string_agg(concat_ws(',', id, idempotency_key, payload_hash, from_account, to_account, amount_fen,
                                            occurred_at, memo, reverses, diversion), ';' ORDER BY id) AS transfers,
                       (SELECT string_agg(id || '=' || balance_fen, ',' ORDER BY id) FROM ledger_accounts) AS balances
                FROM transfers
                """
            let before = try db.query(snapshot).one()
            for statement in ["UPDATE transfers SET amount_fen = 1", "DELETE FROM transfers",
                              "UPDATE transfers SET amount_fen = 1 WHERE idempotency_key = 't2'", "TRUNCATE transfers"] {
                #expect("\(statement)") {
                    try db.query(SQL(unsafeSQL: statement))
                } throws: { error in
                    WagewatchError.from(error).kind == .conflict
                }
            }
            let after = try db.query(snapshot).one()
            #expect(try after.decode("transfers", as: String.self) == before.decode("transfers", as: String.self))
            #expect(try after.decode("balances", as: String.self) == before.decode("balances", as: String.self))
            let wage = try LedgerFixture.balance(.wage(project: a), db)
            #expect(wage == 30_000 - 12_345)
        }
    }

    @Test("a transfer into or out of a wage account that was never opened is a conflict and writes nothing")
    func neverOpened() async throws {
        try await TestDatabase.withFresh { db, _ in
            try LedgerFixture.seed(db, open: [a])
            let accountsBefore: Int64 = try db.query("SELECT count(*)::bigint AS n FROM ledger_accounts").one().decode("n")
            let auditBefore: Int64 = try db.query("SELECT count(*)::bigint AS n FROM audit_log").one().decode("n")
            #expect {
                try ledger.transfer(key: "into-unopened", from: .fund(project: b), to: .wage(project: b), amountFen: 1_000,
                                    occurredAt: LedgerFixture.at(day: 1), memo: nil, on: db)
            } throws: { error in
                WagewatchError.from(error).kind == .conflict
            }
            #expect {
                try ledger.transfer(key: "out-of-unopened", from: .wage(project: b), to: .worker(idNumber: LedgerFixture.workerA),
                                    amountFen: 1_000, occurredAt: LedgerFixture.at(day: 1), memo: nil, on: db)
            } throws: { error in
                WagewatchError.from(error).kind == .conflict
            }
            let accountsAfter: Int64 = try db.query("SELECT count(*)::bigint AS n FROM ledger_accounts").one().decode("n")
            let auditAfter: Int64 = try db.query("SELECT count(*)::bigint AS n FROM audit_log").one().decode("n")
            let count = try LedgerFixture.transferCount(db)
            #expect(accountsAfter == accountsBefore, "the project's fund and the worker's account were not created")
            #expect(auditAfter == auditBefore)
            #expect(count == 0)
            #expect(db.transactionDepth == 0)
        }
    }

    @Test("a reversing transfer restores the balance, and a balance as of a Shanghai day excludes later transfers")
    func reversalAndAsOf() async throws {
        try await TestDatabase.withFresh { db, _ in
            try LedgerFixture.seed(db)
            let wage = AccountRef.wage(project: a), worker = AccountRef.worker(idNumber: LedgerFixture.workerA)
            // Day 1 (03-02) 10:00; day 2 (03-03) 23:30 Shanghai = 15:30 UTC; day 3 (03-04) 00:30 Shanghai = 03-03 16:30 UTC.
            _ = try ledger.transfer(key: "alloc", from: .fund(project: a), to: wage, amountFen: 10_000,
                                    occurredAt: LedgerFixture.at(day: 1), memo: nil, on: db)
            _ = try ledger.transfer(key: "late", from: .fund(project: a), to: wage, amountFen: 500,
                                    occurredAt: LedgerFixture.at(day: 2, second: 23 * 3600 + 1800), memo: nil, on: db)
            let paid = try ledger.transfer(key: "pay", from: wage, to: worker, amountFen: 3_000,
                                           occurredAt: LedgerFixture.at(day: 3, second: 1800), memo: "工资", on: db)
            let afterPay = try LedgerFixture.balance(wage, db)
            #expect(afterPay == 7_500)
            let reversal = try ledger.transfer(key: "pay-reversed", from: worker, to: wage, amountFen: 3_000,
                                               occurredAt: LedgerFixture.at(day: 5), memo: "错付冲正",
                                               reverses: paid.id, on: db)
            #expect(reversal.replayed == false)
            let now = try LedgerFixture.balance(wage, db)
            #expect(now == 10_500)
            let workerNow = try LedgerFixture.balance(worker, db)
            #expect(workerNow == 0)
            let stored: Int64? = try db.query("SELECT reverses FROM transfers WHERE id = \(reversal.id)").one().decode("reverses")
            #expect(stored == paid.id.value)

            let expected: [(Int, Int64)] = [(0, 0), (1, 10_000), (2, 10_500), (3, 7_500), (4, 7_500), (5, 10_500), (9, 10_500)]
            for (day, fen) in expected {
                let asOf = try LedgerFixture.balance(wage, asOf: LedgerFixture.date(day), db)
                #expect(asOf == fen, "wage as of \(LedgerFixture.date(day))")
            }
            let workerOnDay3 = try LedgerFixture.balance(worker, asOf: LedgerFixture.date(3), db)
            #expect(workerOnDay3 == 3_000)

            let entries = try ledger.entries(wage, on: db)
            #expect(entries.map(\.amountFen) == [10_000, 500, -3_000, 3_000])
            #expect(entries.map(\.balanceFen) == [10_000, 10_500, 7_500, 10_500])
            #expect(entries[2].counterparty == "worker:1101**********002X")
        }
    }

    @Test("P7: a government project's fund paying anyone but its wage account or a registered party is a diversion")
    func diversion() async throws {
        try await TestDatabase.withFresh { db, _ in
            try LedgerFixture.seed(db, open: [a, b, LedgerFixture.socialProject])
            try db.query("""
                INSERT INTO workers (region_code, id_number, name, employer_id, project_id, joined)
                SELECT '410102', \(LedgerFixture.workerA), '张建国', p.contractor_id, p.id, '2026-02-10'
                FROM projects p WHERE p.code = \(a)
                """)
            let fund = AccountRef.fund(project: a)
            let cases: [(String, AccountRef, AccountRef, Bool)] = [
                ("its own wage account", fund, .wage(project: a), false),
                ("a company elsewhere", fund, .external(name: "某外地公司"), true),
                ("its contractor by USCC", fund, .external(name: LedgerFixture.contractorUSCC), false),
                ("its owner by USCC", fund, .external(name: LedgerFixture.ownerUSCC), false),
                ("a worker registered on it", fund, .worker(idNumber: LedgerFixture.workerA), false),
                ("a worker not registered on it", fund, .worker(idNumber: LedgerFixture.workerB), true),
                ("another project's wage account", fund, .wage(project: b), true),
                ("a socially funded project's fund to a company elsewhere", .fund(project: LedgerFixture.socialProject),
                 .external(name: "某外地公司"), false),
                ("a wage account to a company elsewhere", .wage(project: a), .external(name: "某外地公司"), false),
            ]
            for (n, (what, from, to, flagged)) in cases.enumerated() {
                let result = try ledger.transfer(key: "p7-\(n)", from: from, to: to, amountFen: 1_000,
                                                 occurredAt: LedgerFixture.at(day: 1, second: n), memo: nil, on: db)
                #expect(result.diversion == flagged, "\(what)")
                let stored: Bool = try db.query("SELECT diversion FROM transfers WHERE id = \(result.id)").one().decode("diversion")
                #expect(stored == flagged, "\(what), as stored")
                let replay = try ledger.transfer(key: "p7-\(n)", from: from, to: to, amountFen: 1_000,
                                                 occurredAt: LedgerFixture.at(day: 1, second: n), memo: nil, on: db)
                #expect(replay.replayed && replay.diversion == flagged, "\(what), replayed")
            }
        }
    }

    @Test("a payload whose memo holds what another payload has in reverses is still a different payload")
    func payloadHashKeepsFieldsApart() async throws {
        try await TestDatabase.withFresh { db, _ in
            try LedgerFixture.seed(db)
            let original = try ledger.transfer(key: "original", from: .fund(project: a), to: .wage(project: a), amountFen: 100,
                                               occurredAt: LedgerFixture.at(day: 1), memo: nil, on: db)
            let reversal = original.id
            let first = try ledger.transfer(key: "hash", from: .wage(project: a), to: .fund(project: a), amountFen: 100,
                                            occurredAt: LedgerFixture.at(day: 1), memo: nil, reverses: reversal, on: db)
            #expect(first.replayed == false)
            // (memo NULL, reverses X) and (memo "X", reverses NULL) are different payloads under one key.
            #expect {
                try ledger.transfer(key: "hash", from: .wage(project: a), to: .fund(project: a), amountFen: 100,
                                    occurredAt: LedgerFixture.at(day: 1), memo: reversal.description, on: db)
            } throws: { error in
                WagewatchError.from(error).kind == .conflict
            }
        }
    }

    @Test("two connections retrying the same key and payload at once get one posting and one replay")
    func concurrentReplay() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try LedgerFixture.seed(db)
            let ledger = self.ledger
            let a = self.a
            var rounds: [[TransferOutcome]] = []
            for round in 0..<10 {
                let log = OutcomeLog()
                let start = StartLine(2)
                try runOnThreads(2) { _ in
                    let connection = try Connection(conninfo)
                    defer { connection.close() }
                    start.wait()
                    do {
                        let result = try ledger.transfer(
                            key: "retry-\(round)", from: .fund(project: a), to: .wage(project: a), amountFen: 10,
                            occurredAt: LedgerFixture.at(day: 1, second: round), memo: nil, on: connection)
                        log.add(result.replayed ? .replayed(id: "") : .posted(diversion: false))
                    } catch {
                        log.add(.refused(WagewatchError.from(error).kind))
                    }
                }
                rounds.append(log.all)
            }
            let count = try LedgerFixture.transferCount(db)
            #expect(count == 10)
            for (round, outcomes) in rounds.enumerated() {
                #expect(outcomes.filter { $0 == .posted(diversion: false) }.count == 1, "round \(round): \(outcomes)")
                #expect(outcomes.filter { $0 == .replayed(id: "") }.count == 1, "round \(round): \(outcomes)")
            }
        }
    }

    @Test("an auditor replays a seeded random sequence of 2,000 operations against a model and agrees on every reply")
    func auditor() async throws {
        let seed = ProcessInfo.processInfo.environment["WAGEWATCH_LEDGER_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max)
        try await TestDatabase.withFresh { db, _ in
            try LedgerFixture.seed(db)
            var random = LedgerRandom(state: seed)
            var model = LedgerModel(projects: [a, b])
            let accounts: [AccountRef] = [
                .fund(project: a), .fund(project: b), .wage(project: a), .wage(project: b),
                .worker(idNumber: LedgerFixture.workerA), .worker(idNumber: LedgerFixture.workerB),
                .external(name: "某外地公司"), .external(name: LedgerFixture.contractorUSCC),
            ]
            let memos: [String?] = [nil, "人工费", "工资", "冲正", ""]
            var attempted: [(key: String, payload: LedgerModel.Payload)] = []
            var counts: [String: Int] = [:]

            for n in 0..<2_000 {
                let key: String
                var payload: LedgerModel.Payload
                let roll = random.below(100)
                if roll < 10, !attempted.isEmpty {
                    // A retry of an earlier operation, exactly as sent.
                    (key, payload) = attempted[random.below(attempted.count)]
                } else if roll < 16, !attempted.isEmpty {
                    // An earlier key with something in the payload changed.
                    (key, payload) = attempted[random.below(attempted.count)]
                    switch random.below(4) {
                    case 0: payload.amountFen += Int64(1 + random.below(50))
                    case 1: payload.memo = payload.memo == "人工费" ? "工资" : "人工费"
                    case 2: payload.occurredAt = payload.occurredAt.addingTimeInterval(TimeInterval(1 + random.below(600)))
                    default:
                        let others = accounts.filter { $0 != payload.from && $0 != payload.to }
                        payload.to = others[random.below(others.count)]
                    }
                } else {
                    key = "op-\(n)"
                    // Funds are picked as the source more often than the rest, so wage accounts have money to lose.
                    let from = random.below(4) == 0 ? accounts[random.below(2)] : accounts[random.below(accounts.count)]
                    let others = accounts.filter { $0 != from }
                    let to = others[random.below(others.count)]
                    var amount = Int64(1 + random.below(random.below(3) == 0 ? 20_000 : 3_000))
                    if from.kind == "wage", random.below(4) == 0 {
                        amount = model.balance(from) + Int64(1 + random.below(500))   // must be refused
                    }
                    payload = LedgerModel.Payload(
                        from: from, to: to, amountFen: amount,
                        occurredAt: LedgerFixture.at(day: random.below(10), second: random.below(86_400)),
                        memo: memos[random.below(memos.count)])
                    attempted.append((key, payload))
                }

                let actual: TransferOutcome
                var actualID: String?
                do {
                    let result = try ledger.transfer(
                        key: key, from: payload.from, to: payload.to, amountFen: payload.amountFen,
                        occurredAt: payload.occurredAt, memo: payload.memo, on: db)
                    actual = result.replayed ? .replayed(id: result.id.description) : .posted(diversion: result.diversion)
                    actualID = result.id.description
                } catch {
                    actual = .refused(WagewatchError.from(error).kind)
                }
                let expected = model.apply(key: key, payload, postedID: actualID)
                counts["\(expected)".components(separatedBy: " ")[0], default: 0] += 1
                let agree = actual == expected
                #expect(agree, "seed \(seed), operation \(n): key \(key), \(payload): ledger \(actual), model \(expected)")
                if !agree { return }
            }

            // Every kind of operation happened, often enough to mean something.
            #expect(counts["posted", default: 0] > 500, "seed \(seed): \(counts)")
            #expect(counts["replayed", default: 0] > 50, "seed \(seed): \(counts)")
            #expect(counts["refused", default: 0] > 100, "seed \(seed): \(counts)")

            for account in accounts {
                let now = try LedgerFixture.balance(account, db)
                #expect(now == model.balance(account), "seed \(seed): \(account) now")
                for day in [-1, 0, 3, 6, 9] {
                    let asOf = try LedgerFixture.balance(account, asOf: LedgerFixture.date(day), db)
                    #expect(asOf == model.balance(account, throughDay: day), "seed \(seed): \(account) as of \(LedgerFixture.date(day))")
                }
                if account.kind == "wage" {
                    #expect(now >= 0, "seed \(seed): \(account)")
                }
            }
            let count = try LedgerFixture.transferCount(db)
            #expect(count == Int64(model.postedCount), "seed \(seed)")
            let rebuilt = try LedgerFixture.rebuildMismatches(db)
            #expect(rebuilt.mismatches.isEmpty, "seed \(seed)")
        }
    }
}

/// The ledger's rules in memory: balances per account, wage accounts never below zero, keys
/// remembered with their payload, P7 for the fixture's two government projects.
private struct LedgerModel {
    struct Payload: Equatable, CustomStringConvertible {
        var from: AccountRef
        var to: AccountRef
        var amountFen: Int64
        var occurredAt: Date
        var memo: String?

        var description: String {
            "\(from) → \(to) \(amountFen) fen at \(PostgresTimestamp.format(occurredAt)) memo \(memo.map { "\"\($0)\"" } ?? "nil")"
        }

        /// The Shanghai day of the fixture (0 is 2026-03-01).
        var day: Int { Int((occurredAt.timeIntervalSince(LedgerFixture.day0) / 86_400).rounded(.down)) }
    }

    let projects: [String]
    private var balances: [AccountRef: Int64] = [:]
    private var keys: [String: (payload: Payload, id: String, diversion: Bool)] = [:]
    private var posted: [Payload] = []

    init(projects: [String]) { self.projects = projects }

    var postedCount: Int { posted.count }

    func balance(_ account: AccountRef) -> Int64 { balances[account, default: 0] }

    func balance(_ account: AccountRef, throughDay day: Int) -> Int64 {
        posted.filter { $0.day <= day }.reduce(0) { sum, p in
            sum + (p.to == account ? p.amountFen : 0) - (p.from == account ? p.amountFen : 0)
        }
    }

    /// Money out of a government project's fund to anything but its wage account or one of its
    /// parties (owner, contractor; no workers are registered in the auditor's fixture).
    func isDiversion(_ p: Payload) -> Bool {
        guard case .fund(let code) = p.from, projects.contains(code) else { return false }
        switch p.to {
        case .wage(let other), .deposit(let other): return other != code
        case .external(let name): return name != LedgerFixture.contractorUSCC && name != LedgerFixture.ownerUSCC
        default: return true
        }
    }

    mutating func apply(key: String, _ p: Payload, postedID: String?) -> TransferOutcome {
        if let known = keys[key] {
            return known.payload == p ? .replayed(id: known.id) : .refused(.conflict)
        }
        if p.from.kind == "wage" || p.from.kind == "deposit", balance(p.from) < p.amountFen {
            return .refused(.conflict)
        }
        let diversion = isDiversion(p)
        keys[key] = (p, postedID ?? "?", diversion)
        balances[p.from, default: 0] -= p.amountFen
        balances[p.to, default: 0] += p.amountFen
        posted.append(p)
        return .posted(diversion: diversion)
    }
}

