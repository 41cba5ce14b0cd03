import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// A seeded random county: projects of every type, some wage accounts, allocations, attendance,
/// payroll with gaps, complaints and a diversion, all built with set-based SQL from `setseed`.
private enum RandomCounty {
    static let region = "410102"

    static func seed(_ db: Connection, seed: Int) throws {
        try db.query(SQL(unsafeSQL: "SELECT setseed(\(seed) / 100.0)"))
        let owner = try USCC.make(department: "1", type: "1", region: region, organisation: "00000001").value
        var contractors: [String] = []
        for n in 0..<6 {
            contractors.append(try USCC.make(region: region, organisation: String(format: "%08d", 200 + n)).value)
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
            SELECT '410102', 'RP-' || g, '项目' || g,
                   (ARRAY['gov_transport','gov_land','gov_water','gov_other','real_estate','factory_build','small_enterprise'])[1 + g % 7],
                   CASE WHEN random() < 0.5 THEN 'government' ELSE 'social' END,
                   (SELECT id FROM employers WHERE kind = 'owner'),
                   (SELECT id FROM employers WHERE kind = 'general_contractor' ORDER BY id OFFSET g % 6 LIMIT 1),
                   (1000000 + floor(random() * 900000000))::bigint,
                   DATE '2026-01-01' + (random() * 60)::int, DATE '2026-03-01', DATE '2026-12-31', 30, 1000000,
                   CASE WHEN r < 0.8 THEN 'started' ELSE 'planned' END,
                   CASE WHEN r < 0.8 THEN DATE '2026-03-01' + g % 20 END
            FROM (SELECT g, random() AS r FROM generate_series(1, 30) g) s;
            INSERT INTO ledger_accounts (region_code, kind, ref, name, project_id, bank, number, opened_on)
            SELECT region_code, 'wage', code, name || '工资专户', id, '农行', '6228480000000001', DATE '2026-02-20'
            FROM projects WHERE random() < 0.6;
            INSERT INTO workers (region_code, id_number, name, employer_id, project_id, joined)
            SELECT p.region_code, '41010219900101' || lpad((p.id * 10 + w)::text, 4, '0'), '工人' || p.id || '-' || w,
                   p.contractor_id, p.id, DATE '2026-03-01'
            FROM projects p CROSS JOIN generate_series(1, 8) w;
            INSERT INTO attendance (region_code, project_id, day, worker_id)
            SELECT w.region_code, w.project_id, d::date, w.id
            FROM workers w CROSS JOIN generate_series(DATE '2026-03-02', DATE '2026-08-31', interval '3 days') d
            WHERE random() < 0.7;
            INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, paid_on, signed)
            SELECT w.region_code, w.project_id, m::date, w.id, 20, 600000,
                   CASE WHEN random() < 0.85 THEN 600000 ELSE 0 END,
                   (m + interval '1 month 10 days')::date, true
            FROM workers w CROSS JOIN generate_series(DATE '2026-03-01', DATE '2026-07-01', interval '1 month') m;
            UPDATE payroll SET paid_on = NULL WHERE wage_paid_fen = 0;
            """)
        // Money through the ledger's own door.
        let ledger = Ledger(defaultRegion: region)
        let projects = try db.query("SELECT code, funding FROM projects ORDER BY id").map {
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
        let intake = ComplaintIntake()
        for n in 0..<24 {
            let fields: [String: String] = [
                "received_at": "2026-08-\(String(format: "%02d", 1 + n)) 09:00", "region_code": region, "channel": "12333",
                "employer_name": "单位\(2 + n % 4)", "employer_uscc": contractors[n % 4], "workers_involved": "3",
                "amount_owed": "9000",
            ]
            _ = try intake.add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
        }
    }

    static func day(_ text: String) -> Date {
        PostgresTimestamp.parse(text + "T00:00:00+08:00")!
    }

    /// Random changes of every kind the rules read.
    static func change(_ db: Connection, seed: Int) throws {
        try db.query(SQL(unsafeSQL: "SELECT setseed(\(seed) / 100.0)"))
        let ledger = Ledger(defaultRegion: region)
        let unopened = try db.query("""
            SELECT code FROM projects p WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.kind = 'wage' AND a.ref = p.code)
            ORDER BY random() LIMIT 3
            """).map { try $0.decode("code", as: String.self) }
        for code in unopened {
            _ = try ledger.open(.wage(project: code), bank: "农行", number: "6228480000000002", openedOn: LocalDate(year: 2026, month: 2, day: 1)!, on: db)
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
        let intake = ComplaintIntake()
        for n in 0..<4 {
            let fields: [String: String] = [
                "received_at": "2026-09-\(String(format: "%02d", 1 + n)) 09:00", "region_code": region, "channel": "12333",
                "employer_name": "单位5", "workers_involved": "2", "amount_owed": "3000",
            ]
            _ = try intake.add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
        }
    }

    /// Every flag as (rule, subject, period, severity, cleared), sorted.
    static func flags(_ db: Connection) throws -> [String] {
        try db.query("""
            SELECT rule || '/' || subject_kind || ':' || subject_id || '/' || period || '/' || severity || '/' ||
                   (condition_cleared_at IS NOT NULL)::text AS f
            FROM flags ORDER BY 1
            """).map { try $0.decode("f", as: String.self) }
    }
}

@Suite("Incremental rule runs")
struct IncrementalRuleTests {
    let asOf = LocalDate(year: 2026, month: 9, day: 20)!

    @Test("after random changes, an incremental run leaves the flags exactly as a full run would", arguments: [11, 42, 77])
    func incrementalEqualsFull(seed: Int) async throws {
        try await TestDatabase.withFresh { db, _ in
            try RandomCounty.seed(db, seed: seed)
            let engine = RuleEngine()
            let first = try engine.run(asOf: asOf, full: true, on: db)
            #expect(first.incremental == false)
            #expect(first.outcomes.reduce(0) { $0 + $1.raised } > 0, "seed \(seed): the county must raise flags")
            try RandomCounty.change(db, seed: seed)
            let dirty = try db.query("SELECT count(*) AS n FROM rule_dirty").one().decode("n", as: Int.self)
            #expect(dirty > 0)
            let incremental = try engine.run(asOf: asOf, full: false, on: db)
            #expect(incremental.incremental, "seed \(seed)")
            let afterIncremental = try RandomCounty.flags(db)
            // A full run over everything now must find nothing to raise and nothing to clear.
            let full = try engine.run(asOf: asOf, full: true, on: db)
            #expect(full.outcomes.reduce(0) { $0 + $1.raised } == 0, "seed \(seed): \(full.outcomes)")
            #expect(full.outcomes.reduce(0) { $0 + $1.cleared } == 0, "seed \(seed): \(full.outcomes)")
            #expect(try RandomCounty.flags(db) == afterIncremental, "seed \(seed)")
        }
    }

    @Test("the incremental result equals a single full run over the same final data in a fresh database")
    func incrementalEqualsFreshFull() async throws {
        let seed = 50
        let incremental = try await TestDatabase.withFresh { db, _ in
            try RandomCounty.seed(db, seed: seed)
            _ = try RuleEngine().run(asOf: asOf, full: true, on: db)
            try RandomCounty.change(db, seed: seed)
            _ = try RuleEngine().run(asOf: asOf, full: false, on: db)
            return try db.query("""
                SELECT rule || '/' || subject_kind || ':' || period || '/' || severity AS f FROM flags
                WHERE condition_cleared_at IS NULL ORDER BY 1
                """).map { try $0.decode("f", as: String.self) }
        }
        let fresh = try await TestDatabase.withFresh { db, _ in
            try RandomCounty.seed(db, seed: seed)
            try RandomCounty.change(db, seed: seed)
            _ = try RuleEngine().run(asOf: asOf, full: true, on: db)
            return try db.query("""
                SELECT rule || '/' || subject_kind || ':' || period || '/' || severity AS f FROM flags ORDER BY 1
                """).map { try $0.decode("f", as: String.self) }
        }
        #expect(!fresh.isEmpty)
        #expect(incremental == fresh)
    }

    @Test("a run on a new date re-evaluates everything; one on the same date with nothing changed does nothing")
    func dateChangeForcesFull() async throws {
        try await TestDatabase.withFresh { db, _ in
            try RandomCounty.seed(db, seed: 30)
            _ = try RuleEngine().run(asOf: asOf, full: false, on: db)
            let same = try RuleEngine().run(asOf: asOf, full: false, on: db)
            #expect(same.incremental)
            #expect(same.outcomes.allSatisfy { $0.findings == 0 && $0.raised == 0 && $0.cleared == 0 })
            let next = try RuleEngine().run(asOf: asOf.adding(days: 1), full: false, on: db)
            #expect(next.incremental == false)
        }
    }
}
