import Foundation
import PostgresClient

/// Records restriction measures against contractors (S1), blacklisting only when S2's
/// conditions hold, lifts them, and produces the public exposure list (S3).
public struct SanctionDesk: Sendable {
    public let configuration: Configuration
    /// The region meant when a USCC is registered in several (the session's default region).
    public let preferredRegion: String?

    public init(configuration: Configuration = .defaults, preferredRegion: String? = nil) {
        self.configuration = configuration
        self.preferredRegion = preferredRegion
    }

    /// Finds the contractor by USCC, in `region` when given; a USCC registered in several
    /// regions needs the region named.
    func contractor(_ uscc: USCC, region: String?, on connection: Connection) throws -> (region: String, id: Int64, name: String) {
        var sql: SQL = "SELECT region_code, id, name FROM employers WHERE uscc = \(uscc.value)"
        if let region { sql.append(" AND region_code = \(region)") }
        sql.append(" ORDER BY region_code")
        let rows = try connection.query(sql)
        guard let first = rows.first else {
            throw WagewatchError.notFound(
                "no employer with USCC \(uscc.value)\(region.map { " in region \($0)" } ?? ""); import it first with: wagewatch import employers FILE.csv")
        }
        guard rows.count == 1 else {
            let regions = try rows.map { try $0.decode("region_code", as: String.self) }
            if let preferred = preferredRegion,
               let index = regions.firstIndex(of: preferred) {
                let row = rows[index]
                return (preferred, try row.decode("id"), try row.decode("name"))
            }
            throw WagewatchError.conflict(
                "contractor: \"\(uscc.value)\" is registered in regions \(regions.joined(separator: ", ")); set WAGEWATCH_REGION to choose one")
        }
        return (try first.decode("region_code"), try first.decode("id"), try first.decode("name"))
    }

    private func requireDepartment(_ department: String, on connection: Connection) throws {
        let known = try connection.query("SELECT code FROM departments ORDER BY code").map { try $0.decode("code", as: String.self) }
        guard known.contains(department) else {
            throw WagewatchError.invalid("department: \"\(department)\" is not one of \(known.joined(separator: ", "))")
        }
    }

    func nonEmpty(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw WagewatchError.invalid("\(field): \"\(text)\" is required") }
        return trimmed
    }

    // MARK: - Measures

    /// Records a restriction measure (S1). Blacklisting (S2) needs a recorded payment order whose
    /// deadline passed before `from`, and either open arrears at the criminal threshold or a
    /// mass-incident escalation about the contractor; it lasts the configured 36 months when
    /// `until` is nil.
    public func add(
        contractor uscc: USCC, measure: SanctionMeasure, basis: String, department: String, from: LocalDate,
        until: LocalDate?, region: String? = nil, on connection: Connection
    ) throws -> SanctionRecord {
        let basis = try nonEmpty(basis, field: "basis")
        if let until, until < from {
            throw WagewatchError.invalid("until: \"\(until)\" is before the measure's start \(from)")
        }
        return try connection.transaction { tx in
            try requireDepartment(department, on: tx)
            let employer = try contractor(uscc, region: region, on: tx)
            // One measure of a kind at a time: serialise decisions about the same contractor (a
            // transaction lock of its own: nobody holds UPDATE on employers to lock its row, issue 21).
            try tx.query("SELECT pg_advisory_xact_lock(hashtext('sanction ' || \(employer.region) || ' ' || \(employer.id)::text))")
            var until = until
            if measure == .blacklist {
                try checkBlacklistConditions(employer, uscc: uscc, from: from, on: tx)
                if until == nil {
                    until = try tx.query("""
                        SELECT (\(from)::date + make_interval(months => \(configuration.sanctions.blacklistMonths)))::date - 1 AS until
                        """).one().decode("until")
                }
            }
            let overlapping = try tx.query("""
                SELECT id FROM sanctions
                WHERE region_code = \(employer.region) AND employer_id = \(employer.id) AND measure = \(measure.rawValue)
                  AND lifted_on IS NULL AND (valid_until IS NULL OR valid_until >= \(from))
                  AND (\(until)::date IS NULL OR valid_from <= \(until)::date)
                ORDER BY id LIMIT 1
                """)
            if let row = overlapping.first {
                throw WagewatchError.conflict(
                    "\(employer.name) (\(uscc.value)) is already under \(measure.rawValue) (sanction \(try row.decode("id", as: Int64.self))) for that period")
            }
            let id: SanctionID = try tx.query("""
                INSERT INTO sanctions (region_code, employer_id, measure, basis, department, valid_from, valid_until)
                VALUES (\(employer.region), \(employer.id), \(measure.rawValue), \(basis), \(department), \(from), \(until))
                RETURNING id
                """).one().decode("id")
            return try find(id, on: tx)
        }
    }

    /// S2: refuses with a conflict naming the first missing condition.
    private func checkBlacklistConditions(
        _ employer: (region: String, id: Int64, name: String), uscc: USCC, from: LocalDate, on tx: Connection
    ) throws {
        let who = "\(employer.name) (\(uscc.value))"
        let order = try tx.query("""
            SELECT max(deadline) FILTER (WHERE deadline < \(from)) AS missed, min(deadline) AS any_deadline
            FROM payment_orders WHERE region_code = \(employer.region) AND employer_id = \(employer.id)
            """).one()
        guard let anyDeadline = try order.decode("any_deadline", as: LocalDate?.self) else {
            throw WagewatchError.conflict(
                "blacklist refused: \(who) has no recorded order to pay by a deadline (责令限期支付); record one with: wagewatch sanction order \(uscc.value) --amount YUAN --deadline DATE --basis TEXT")
        }
        guard try order.decode("missed", as: LocalDate?.self) != nil else {
            throw WagewatchError.conflict(
                "blacklist refused: the deadline \(anyDeadline) of the payment order (责令限期支付) to \(who) has not passed on \(from)")
        }
        let t = configuration.rules.r7
        let arrears = try arrearsOnOpenCases(employer, on: tx)
        let atThreshold: Bool = try tx.query("""
            SELECT ww_at_criminal_threshold(ww_criminal_threshold_settings(), \(arrears.workers), \(arrears.outstandingFen),
                                            \(arrears.maxOneWorkerFen), \(arrears.owedSince), \(from)) AS reached
            """).one().decode("reached")
        if atThreshold { return }
        let massIncident = try tx.query("""
            SELECT 1 FROM escalations WHERE region_code = \(employer.region) AND employer_id = \(employer.id) AND mass_incident
            LIMIT 1
            """)
        guard !massIncident.isEmpty else {
            throw WagewatchError.conflict(
                "blacklist refused: \(who) has neither arrears at the criminal threshold (one worker ¥\(Money.yuanGrouped(t.oneWorkerFen)), or \(t.workers) workers ¥\(Money.yuanGrouped(t.workersTotalFen)) together; outstanding now ¥\(Money.yuanGrouped(arrears.outstandingFen)) to \(arrears.workers) worker(s)) nor a mass-incident escalation")
        }
    }

    struct Arrears {
        var outstandingFen: Int64
        var workers: Int64
        var maxOneWorkerFen: Int64
        /// Since when the oldest open arrears are owed (the complaints' owed_since, else the case's acceptance).
        var owedSince: LocalDate?
    }

    /// What the contractor still owes on its open cases: in total, to how many workers, and the
    /// most owed to one worker (per-worker claims, or a one-worker case without claims).
    func arrearsOnOpenCases(_ employer: (region: String, id: Int64, name: String), on connection: Connection) throws -> Arrears {
        let row = try connection.query("""
            WITH open_cases AS (
                SELECT t.case_id, t.owed_fen, t.recovered_fen, t.workers_involved,
                       EXISTS (SELECT 1 FROM claims cl WHERE cl.region_code = c.region_code AND cl.case_id = c.id) AS has_claims
                FROM cases c JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.id
                WHERE c.region_code = \(employer.region) AND c.employer_id = \(employer.id) AND c.status = 'open'
            ),
            per_worker AS (
                SELECT cl.owed_fen - coalesce((SELECT sum(r.amount_fen) FROM recoveries r
                                               WHERE r.region_code = cl.region_code AND r.case_id = cl.case_id
                                                 AND r.id_number = cl.id_number), 0) AS outstanding
                FROM claims cl JOIN open_cases o ON o.case_id = cl.case_id
                WHERE cl.region_code = \(employer.region)
            )
            SELECT (SELECT min(coalesce((SELECT min(k.owed_since) FROM complaints k
                                         WHERE k.region_code = c.region_code AND k.case_id = c.id), c.accepted_on))
                    FROM cases c JOIN open_cases oc ON oc.case_id = c.id
                    WHERE c.region_code = \(employer.region) AND oc.owed_fen > oc.recovered_fen) AS owed_since,
                   coalesce(sum(o.owed_fen - o.recovered_fen) FILTER (WHERE o.owed_fen > o.recovered_fen), 0)::bigint AS outstanding,
                   coalesce(sum(o.workers_involved) FILTER (WHERE o.owed_fen > o.recovered_fen), 0)::bigint AS workers,
                   greatest(coalesce((SELECT max(outstanding) FROM per_worker), 0),
                            coalesce(max(o.owed_fen - o.recovered_fen) FILTER (WHERE NOT o.has_claims AND o.workers_involved = 1), 0)
                   )::bigint AS max_one
            FROM open_cases o
            """).one()
        return Arrears(outstandingFen: try row.decode("outstanding"), workers: try row.decode("workers"),
                       maxOneWorkerFen: try row.decode("max_one"), owedSince: try row.decode("owed_since"))
    }

    public func find(_ id: SanctionID, on connection: Connection) throws -> SanctionRecord {
        guard let row = try connection.query(SanctionRecord.selectColumns + " WHERE s.id = \(id)").first else {
            throw WagewatchError.notFound("no sanction \(id)")
        }
        return try SanctionRecord(row: row)
    }

    /// Every recorded measure, oldest first.
    public func list(on connection: Connection) throws -> [SanctionRecord] {
        try connection.query(SanctionRecord.selectColumns + " ORDER BY s.valid_from, s.id").map(SanctionRecord.init(row:))
    }

    /// Lifts a measure as of `today`. A blacklisting may be lifted early only once the contractor
    /// has paid everything and 6 months (configurable) have passed since (S2).
    public func lift(_ id: SanctionID, reason: String, today: LocalDate, on connection: Connection) throws -> SanctionRecord {
        let reason = try nonEmpty(reason, field: "reason")
        return try connection.transaction { tx in
            let record = try find(id, on: tx)
            let row = try tx.query("""
                SELECT employer_id, lifted_on FROM sanctions WHERE region_code = \(record.regionCode) AND id = \(id) FOR UPDATE
                """).one()
            if let lifted = try row.decode("lifted_on", as: LocalDate?.self) {
                throw WagewatchError.conflict("sanction \(id) was already lifted on \(lifted)")
            }
            if let until = record.validUntil, until < today {
                throw WagewatchError.conflict("sanction \(id) already ended on \(until); there is nothing to lift")
            }
            if record.measure == SanctionMeasure.blacklist.rawValue {
                let employerID: Int64 = try row.decode("employer_id")
                let paid = try tx.query("""
                    SELECT coalesce(sum(greatest(t.owed_fen - t.recovered_fen, 0)), 0)::bigint AS outstanding,
                           (SELECT max(r.recovered_on) FROM recoveries r JOIN cases c2
                               ON c2.region_code = r.region_code AND c2.id = r.case_id
                            WHERE c2.region_code = \(record.regionCode) AND c2.employer_id = \(employerID)) AS last_paid
                    FROM cases c JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.id
                    WHERE c.region_code = \(record.regionCode) AND c.employer_id = \(employerID)
                    """).one()
                let outstanding: Int64 = try paid.decode("outstanding")
                guard outstanding == 0 else {
                    throw WagewatchError.conflict(
                        "blacklist \(id) cannot be lifted: \(record.contractorName) still owes ¥\(Money.yuanGrouped(outstanding)) on its cases; early lifting needs full payment and \(configuration.sanctions.earlyLiftAfterMonths) months since")
                }
                let paidOn = try paid.decode("last_paid", as: LocalDate?.self) ?? record.validFrom
                let earliest: LocalDate = try tx.query("""
                    SELECT (\(paidOn)::date + make_interval(months => \(configuration.sanctions.earlyLiftAfterMonths)))::date AS earliest
                    """).one().decode("earliest")
                guard today >= earliest else {
                    throw WagewatchError.conflict(
                        "blacklist \(id) cannot be lifted before \(earliest): \(record.contractorName) paid in full on \(paidOn), and early lifting needs \(configuration.sanctions.earlyLiftAfterMonths) months since full payment")
                }
            }
            try tx.query("""
                UPDATE sanctions SET lifted_on = \(today), lift_reason = \(reason)
                WHERE region_code = \(record.regionCode) AND id = \(id)
                """)
            return try find(id, on: tx)
        }
    }
}
