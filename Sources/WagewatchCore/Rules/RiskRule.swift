import PostgresClient

/// The numbers the rules use (SPEC §3 R1–R12), taken from the configuration.
public struct RuleThresholds: Sendable, Equatable {
    /// R1: days after contract signing by which the wage account must be open.
    public var wageAccountDays = 30
    /// R2: days overdue after which an allocation flag turns red.
    public var allocationRedAfterDays = 30
    /// R4: share (percent) of unpaid workers that makes a partial payroll red.
    public var partialPayrollRedPercent = 10
    /// R5: the most one worker may be paid in a month and in a year (fen).
    public var workerMonthlyCapFen: Int64 = 5_000_000
    public var workerYearlyCapFen: Int64 = 30_000_000
    /// R6: the look-back window and the counts that make a cluster orange and red.
    public var clusterWindowDays = 90
    public var clusterOrangeAt = 3
    public var clusterRedAt = 5
    /// R7: the provincial criminal threshold: one worker owed this much for this many months,
    /// or this many workers owed this much together (fen).
    public var criminalOneWorkerFen: Int64 = 800_000
    public var criminalOneWorkerMonths = 3
    public var criminalWorkers = 10
    public var criminalWorkersFen: Int64 = 4_000_000
    /// R10: months without attendance or payroll after which a project counts as stalled.
    public var stalledMonths = 2

    public init() {}
}

/// Which subjects a run re-evaluates: all of them, or those in the session's `rule_scope`
/// table (an incremental run).
public struct RuleScope: Sendable {
    let scoped: Bool

    public static let everything = RuleScope(scoped: false)
    public static let changed = RuleScope(scoped: true)

    /// A condition on a project id column.
    func projects(_ column: String) -> SQL {
        scoped ? SQL(unsafeSQL: "\(column) IN (SELECT subject_id FROM rule_scope WHERE kind = 'project')") : "true"
    }

    /// A condition on an employer id column.
    func employers(_ column: String) -> SQL {
        scoped ? SQL(unsafeSQL: "\(column) IN (SELECT subject_id FROM rule_scope WHERE kind = 'employer')") : "true"
    }
}

/// One risk rule (SPEC R1–R12): a set-based query that writes what it finds as of a date into
/// `rule_findings`, for `ww_merge_findings` to raise, upgrade or clear flags.
public struct RiskRule: Sendable {
    /// `R1` … `R12`.
    public let id: String
    /// The name flags carry, e.g. `no_wage_account`.
    public let name: String
    public let summary: String
    let query: @Sendable (_ run: Int64, _ asOf: LocalDate, _ t: RuleThresholds, _ scope: RuleScope) -> SQL

    /// The rule's query over every subject.
    func findings(_ run: Int64, _ asOf: LocalDate, _ t: RuleThresholds) -> SQL {
        query(run, asOf, t, .everything)
    }

    /// The columns every rule fills, in order.
    static let into: SQL = """
        INSERT INTO rule_findings (run_id, region_code, rule, severity, subject_kind, subject_id, project_id,
                                   employer_id, period, evidence)
        """
}

extension RiskRule {
    /// The wage account's balance at the end of `asOf`, rebuilt from transfers (an SQL expression
    /// over the alias `w`, a ledger account).
    static func balance(_ asOf: LocalDate) -> SQL {
        """
        (coalesce((SELECT sum(t.amount_fen) FROM transfers t WHERE t.region_code = w.region_code AND t.to_account = w.id
                     AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= \(asOf)), 0)
         - coalesce((SELECT sum(t.amount_fen) FROM transfers t WHERE t.region_code = w.region_code AND t.from_account = w.id
                     AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= \(asOf)), 0))
        """
    }

    /// R1–R12, in SPEC order.
    public static let all: [RiskRule] = [
        RiskRule(id: "R1", name: "no_wage_account",
                 summary: "construction started, or the contract signed 30 days ago, with no wage account") { run, asOf, t, scope in
            into + """
                SELECT \(run), p.region_code, 'no_wage_account', 'red', 'project', p.id, p.id, p.contractor_id, 'once',
                       jsonb_build_object('project_code', p.code, 'contract_signed', p.contract_signed,
                                          'actual_start', p.actual_start, 'forced_start_reason', p.forced_start_reason,
                                          'days_since_contract', \(asOf) - p.contract_signed)
                FROM projects p JOIN project_types pt ON pt.type = p.type
                WHERE pt.construction AND \(scope.projects("p.id"))
                  AND ((p.actual_start IS NOT NULL AND p.actual_start <= \(asOf))
                       OR \(asOf) - p.contract_signed >= \(t.wageAccountDays))
                  AND NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.region_code = p.region_code AND a.kind = 'wage'
                                  AND a.ref = p.code AND a.opened_on <= \(asOf))
                """
        },
        RiskRule(id: "R2", name: "allocation_overdue",
                 summary: "labour-cost allocation overdue (red after 30 days)") { run, asOf, t, scope in
            into + """
                SELECT \(run), s.region_code, 'allocation_overdue',
                       CASE WHEN \(asOf) - s.due_on > \(t.allocationRedAfterDays) THEN 'red' ELSE 'orange' END,
                       'project', s.id, s.id, s.contractor_id, s.due_on::text,
                       jsonb_build_object('project_code', s.code, 'due_on', s.due_on, 'days_overdue', \(asOf) - s.due_on,
                                          'cumulative_due_fen', s.cumulative_due, 'allocated_fen', s.allocated)
                FROM (
                    SELECT q.*, q.planned_start + (q.allocated / q.allocation_amount_fen)::integer * q.allocation_cycle_days AS due_on,
                           (q.allocated / q.allocation_amount_fen + 1) * q.allocation_amount_fen AS cumulative_due
                    FROM (
                        SELECT p.region_code, p.id, p.code, p.contractor_id, p.planned_start, p.allocation_cycle_days,
                               p.allocation_amount_fen,
                               (least(\(asOf), p.planned_end) - p.planned_start) / p.allocation_cycle_days + 1 AS dues_passed,
                               coalesce((SELECT sum(CASE WHEN t.to_account = w.id THEN t.amount_fen ELSE -t.amount_fen END)
                                         FROM ledger_accounts w
                                         JOIN ledger_accounts f ON f.region_code = w.region_code AND f.kind = 'fund' AND f.ref = p.code
                                         JOIN transfers t ON t.region_code = w.region_code
                                              AND ((t.from_account = f.id AND t.to_account = w.id)
                                                   OR (t.from_account = w.id AND t.to_account = f.id))
                                         WHERE w.region_code = p.region_code AND w.kind = 'wage' AND w.ref = p.code
                                           AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= \(asOf)), 0)::bigint AS allocated
                        FROM projects p
                        WHERE p.allocation_amount_fen > 0 AND p.planned_start <= \(asOf) AND \(scope.projects("p.id"))
                          AND (p.actual_end IS NULL OR p.actual_end > \(asOf))
                    ) q
                    WHERE q.allocated / q.allocation_amount_fen < q.dues_passed
                ) s
                """
        },
        RiskRule(id: "R3", name: "wages_unpaid",
                 summary: "a month with attendance but no wages paid through the wage account by the end of the next month") { run, asOf, _, scope in
            into + """
                SELECT \(run), p.region_code, 'wages_unpaid', 'red', 'project', p.id, p.id, p.contractor_id,
                       to_char(m.month, 'YYYY-MM'),
                       jsonb_build_object('project_code', p.code, 'month', to_char(m.month, 'YYYY-MM'),
                                          'workers_on_attendance', m.workers, 'attendance_days', m.days,
                                          'due_by', (m.month + interval '2 months' - interval '1 day')::date)
                FROM (SELECT region_code, project_id, date_trunc('month', day)::date AS month,
                             count(DISTINCT worker_id) AS workers, count(*) AS days
                      FROM attendance WHERE day <= \(asOf) AND \(scope.projects("project_id")) GROUP BY 1, 2, 3) m
                JOIN projects p ON p.region_code = m.region_code AND p.id = m.project_id
                WHERE (m.month + interval '2 months' - interval '1 day')::date < \(asOf)
                  AND NOT EXISTS (
                      SELECT 1 FROM ledger_accounts w
                      JOIN transfers t ON t.region_code = w.region_code AND t.from_account = w.id
                      JOIN ledger_accounts k ON k.region_code = t.region_code AND k.id = t.to_account AND k.kind = 'worker'
                      WHERE w.region_code = p.region_code AND w.kind = 'wage' AND w.ref = p.code
                        AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date
                            BETWEEN m.month AND (m.month + interval '2 months' - interval '1 day')::date)
                """
        },
        RiskRule(id: "R4", name: "partial_payroll",
                 summary: "workers on attendance in a month whose wages are due and who were not paid (red at 10 %)") { run, asOf, t, scope in
            into + """
                SELECT \(run), p.region_code, 'partial_payroll',
                       CASE WHEN u.unpaid * 100 >= u.workers * \(t.partialPayrollRedPercent) THEN 'red' ELSE 'yellow' END,
                       'project', p.id, p.id, p.contractor_id, to_char(u.month, 'YYYY-MM'),
                       jsonb_build_object('project_code', p.code, 'month', to_char(u.month, 'YYYY-MM'),
                                          'workers_on_attendance', u.workers, 'unpaid_workers', u.unpaid,
                                          'unpaid_worker_ids', u.unpaid_ids)
                FROM (
                    SELECT a.region_code, a.project_id, a.month, count(*) AS workers,
                           count(*) FILTER (WHERE NOT a.paid) AS unpaid,
                           (array_agg(a.worker_id ORDER BY a.worker_id) FILTER (WHERE NOT a.paid))[1:50] AS unpaid_ids
                    FROM (
                        -- Reduce attendance to one row per (project, month, worker) first, then look
                        -- each up in payroll once: not once per attendance day.
                        SELECT m.region_code, m.project_id, m.month, m.worker_id,
                               EXISTS (SELECT 1 FROM payroll pr
                                       WHERE pr.region_code = m.region_code AND pr.project_id = m.project_id
                                         AND pr.period = m.month AND pr.worker_id = m.worker_id
                                         AND pr.wage_paid_fen >= pr.wage_due_fen AND pr.paid_on IS NOT NULL
                                         AND pr.paid_on <= (m.month + interval '2 months' - interval '1 day')::date
                                         AND pr.paid_on <= \(asOf)) AS paid
                        FROM (
                            SELECT DISTINCT at.region_code, at.project_id,
                                   (at.day - (extract(day FROM at.day)::integer - 1)) AS month, at.worker_id
                            FROM attendance at
                            WHERE at.day < (date_trunc('month', \(asOf)::timestamp) - interval '1 month')::date
                              AND \(scope.projects("at.project_id"))
                        ) m
                    ) a
                    GROUP BY 1, 2, 3
                ) u
                JOIN projects p ON p.region_code = u.region_code AND p.id = u.project_id
                WHERE u.unpaid > 0
                """
        },
        RiskRule(id: "R5", name: "pay_concentration",
                 summary: "one worker paid more than ¥50,000 in a month or ¥300,000 in a year (wages routed through a foreman)") { run, asOf, t, scope in
            into + """
                SELECT \(run), p.region_code, 'pay_concentration', 'red', 'project', p.id, p.id, p.contractor_id, c.period,
                       jsonb_build_object('project_code', p.code, 'period', c.period, 'workers', c.workers)
                FROM (
                    SELECT region_code, project_id, period, jsonb_agg(jsonb_build_object('worker_id', worker_id, 'paid_fen', paid)
                                                                  ORDER BY worker_id) AS workers
                    FROM (
                        SELECT region_code, project_id, worker_id, to_char(paid_on, 'YYYY-MM') AS period, sum(wage_paid_fen) AS paid
                        FROM payroll WHERE paid_on IS NOT NULL AND paid_on <= \(asOf) AND \(scope.projects("project_id"))
                        GROUP BY 1, 2, 3, 4 HAVING sum(wage_paid_fen) > \(t.workerMonthlyCapFen)
                        UNION ALL
                        SELECT region_code, project_id, worker_id, to_char(paid_on, 'YYYY'), sum(wage_paid_fen)
                        FROM payroll WHERE paid_on IS NOT NULL AND paid_on <= \(asOf) AND \(scope.projects("project_id"))
                        GROUP BY 1, 2, 3, 4 HAVING sum(wage_paid_fen) > \(t.workerYearlyCapFen)
                    ) over_cap
                    GROUP BY 1, 2, 3
                ) c
                JOIN projects p ON p.region_code = c.region_code AND p.id = c.project_id
                """
        },
        RiskRule(id: "R6", name: "complaint_cluster",
                 summary: "complaints against one employer in the last 90 days: orange at 3, red at 5") { run, asOf, t, scope in
            into + """
                SELECT \(run), k.region_code, 'complaint_cluster',
                       CASE WHEN k.n >= \(t.clusterRedAt) THEN 'red' ELSE 'orange' END,
                       'employer', k.employer_id, NULL, k.employer_id, to_char(\(asOf), 'YYYY-MM'),
                       jsonb_build_object('employer_name', e.name, 'complaints', k.n, 'complaint_numbers', k.numbers,
                                          'window_days', \(t.clusterWindowDays)::integer)
                FROM (SELECT region_code, employer_id, count(*) AS n, (array_agg(number ORDER BY received_at))[1:20] AS numbers
                      FROM complaints
                      WHERE received_on > \(asOf) - \(t.clusterWindowDays)::integer AND received_on <= \(asOf)
                        AND \(scope.employers("employer_id"))
                      GROUP BY 1, 2 HAVING count(*) >= \(t.clusterOrangeAt)) k
                JOIN employers e ON e.region_code = k.region_code AND e.id = k.employer_id
                """
        },
        RiskRule(id: "R7", name: "arrears_outstanding",
                 summary: "open arrears at or above the provincial criminal threshold") { run, asOf, t, scope in
            into + """
                SELECT \(run), c.region_code, 'arrears_outstanding', 'red', 'employer', c.employer_id,
                       (SELECT p.id FROM projects p WHERE p.region_code = c.region_code AND p.code = c.project_code),
                       c.employer_id, 'case:' || c.id,
                       jsonb_build_object('case_id', c.id::text, 'owed_fen', c.owed, 'recovered_fen', c.recovered,
                                          'outstanding_fen', c.owed - c.recovered, 'workers', c.workers,
                                          'workers_over_threshold', c.workers_over)
                FROM (
                    SELECT cs.region_code, cs.id, cs.employer_id, cs.project_code, tot.owed_fen AS owed,
                           coalesce((SELECT sum(r.amount_fen) FROM recoveries r WHERE r.region_code = cs.region_code
                                     AND r.case_id = cs.id AND r.recovered_on <= \(asOf)), 0) AS recovered,
                           tot.workers_involved AS workers,
                           (SELECT count(*) FROM claims cl
                            WHERE cl.region_code = cs.region_code AND cl.case_id = cs.id
                              AND cl.owed_fen - coalesce((SELECT sum(r.amount_fen) FROM recoveries r
                                                          WHERE r.region_code = cl.region_code AND r.case_id = cl.case_id
                                                            AND r.id_number = cl.id_number AND r.recovered_on <= \(asOf)), 0)
                                  >= \(t.criminalOneWorkerFen)) AS workers_over,
                           coalesce((SELECT min(k.owed_since) FROM complaints k WHERE k.region_code = cs.region_code AND k.case_id = cs.id),
                                    cs.accepted_on) AS owed_since
                    FROM cases cs
                    JOIN case_totals tot ON tot.region_code = cs.region_code AND tot.case_id = cs.id
                    WHERE cs.accepted_on <= \(asOf) AND \(scope.employers("cs.employer_id")) AND (cs.closed_at IS NULL OR (cs.closed_at AT TIME ZONE 'Asia/Shanghai')::date > \(asOf))
                ) c
                WHERE (c.workers_over > 0 AND c.owed_since <= (\(asOf) - make_interval(months => \(t.criminalOneWorkerMonths)))::date)
                   OR (c.workers >= \(t.criminalWorkers) AND c.owed - c.recovered >= \(t.criminalWorkersFen))
                """
        },
        RiskRule(id: "R8", name: "account_shortfall",
                 summary: "wage-account balance below the payroll due") { run, asOf, _, scope in
            into + """
                SELECT \(run), s.region_code, 'account_shortfall', 'orange', 'project', s.id, s.id, s.contractor_id,
                       to_char(\(asOf), 'YYYY-MM'),
                       jsonb_build_object('project_code', s.code, 'balance_fen', s.balance, 'payroll_due_fen', s.due)
                FROM (
                    SELECT p.region_code, p.id, p.code, p.contractor_id, \(balance(asOf)) AS balance,
                           (SELECT sum(pr.wage_due_fen - CASE WHEN pr.paid_on > \(asOf) THEN 0 ELSE pr.wage_paid_fen END)
                            FROM payroll pr
                            WHERE pr.region_code = p.region_code AND pr.project_id = p.id AND pr.period <= \(asOf)
                              AND pr.wage_due_fen > CASE WHEN pr.paid_on > \(asOf) THEN 0 ELSE pr.wage_paid_fen END) AS due
                    FROM projects p
                    JOIN ledger_accounts w ON w.region_code = p.region_code AND w.kind = 'wage' AND w.ref = p.code
                    WHERE (p.actual_end IS NULL OR p.actual_end > \(asOf)) AND \(scope.projects("p.id"))
                ) s
                WHERE s.due > 0 AND s.balance < s.due
                """
        },
        RiskRule(id: "R9", name: "fund_diversion",
                 summary: "money out of a government project's fund to an account that is neither its wage account nor a registered party") { run, asOf, _, scope in
            into + """
                SELECT \(run), t.region_code, 'fund_diversion', 'red', 'project', p.id, p.id, p.contractor_id, 'transfer:' || t.id,
                       jsonb_build_object('project_code', p.code, 'transfer_id', t.id::text, 'amount_fen', t.amount_fen,
                                          'to', CASE WHEN k.kind = 'emergency' THEN 'emergency' ELSE k.kind || ':' || k.ref END,
                                          'occurred_at', t.occurred_at, 'key', t.idempotency_key)
                FROM transfers t
                JOIN ledger_accounts f ON f.region_code = t.region_code AND f.id = t.from_account
                JOIN ledger_accounts k ON k.region_code = t.region_code AND k.id = t.to_account
                JOIN projects p ON p.region_code = f.region_code AND p.id = f.project_id
                WHERE t.diversion AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= \(asOf) AND \(scope.projects("p.id"))
                """
        },
        RiskRule(id: "R10", name: "stalled_project",
                 summary: "an unfinished project with no attendance or payroll for 2 months (停产、半停产)") { run, asOf, t, scope in
            into + """
                SELECT \(run), s.region_code, 'stalled_project', 'orange', 'project', s.id, s.id, s.contractor_id,
                       'since:' || s.last_activity,
                       jsonb_build_object('project_code', s.code, 'last_activity', s.last_activity,
                                          'days_idle', \(asOf) - s.last_activity)
                FROM (
                    SELECT p.region_code, p.id, p.code, p.contractor_id,
                           greatest(p.actual_start,
                                    (SELECT max(a.day) FROM attendance a WHERE a.region_code = p.region_code
                                       AND a.project_id = p.id AND a.day <= \(asOf)),
                                    (SELECT max(pr.period) FROM payroll pr WHERE pr.region_code = p.region_code
                                       AND pr.project_id = p.id AND pr.period <= \(asOf))) AS last_activity
                    FROM projects p
                    WHERE p.actual_start IS NOT NULL AND p.actual_start <= \(asOf)
                      AND (p.actual_end IS NULL OR p.actual_end > \(asOf)) AND \(scope.projects("p.id"))
                ) s
                WHERE s.last_activity < (\(asOf) - make_interval(months => \(t.stalledMonths)))::date
                """
        },
        RiskRule(id: "R11", name: "no_deposit",
                 summary: "a non-exempt project with no wage guarantee deposit") { run, asOf, _, scope in
            into + """
                SELECT \(run), s.region_code, 'no_deposit', 'orange', 'project', s.id, s.id, s.contractor_id, 'once',
                       jsonb_build_object('project_code', s.code, 'required_fen', s.required, 'deposited_fen', s.deposited)
                FROM (
                    SELECT p.region_code, p.id, p.code, p.contractor_id,
                           p.contract_value_fen * p.deposit_rate_bp / 10000 AS required,
                           coalesce((SELECT \(balance(asOf)) FROM ledger_accounts w
                                     WHERE w.region_code = p.region_code AND w.kind = 'deposit' AND w.ref = p.code), 0) AS deposited
                    FROM projects p
                    WHERE NOT p.deposit_exempt AND p.actual_start IS NOT NULL AND p.actual_start <= \(asOf)
                      AND \(scope.projects("p.id"))
                ) s
                WHERE s.required > 0 AND s.deposited < s.required
                """
        },
        RiskRule(id: "R12", name: "sanctioned_contractor",
                 summary: "a blacklisted or restricted contractor bids for or starts a new project") { run, asOf, _, scope in
            into + """
                SELECT \(run), p.region_code, 'sanctioned_contractor', 'yellow', 'project', p.id, p.id, p.contractor_id, 'once',
                       jsonb_build_object('project_code', p.code, 'sanction_id', s.id::text, 'measure', s.measure,
                                          'contract_signed', p.contract_signed, 'actual_start', p.actual_start)
                FROM projects p
                JOIN LATERAL (
                    SELECT sn.id, sn.measure FROM sanctions sn
                    WHERE sn.region_code = p.region_code AND sn.employer_id = p.contractor_id
                      AND sn.measure IN ('blacklist', 'restrict_bidding')
                      AND ((p.contract_signed >= sn.valid_from AND (sn.valid_until IS NULL OR p.contract_signed <= sn.valid_until)
                            AND (sn.lifted_on IS NULL OR p.contract_signed < sn.lifted_on))
                           OR (p.actual_start IS NOT NULL AND p.actual_start <= \(asOf) AND p.actual_start >= sn.valid_from
                               AND (sn.valid_until IS NULL OR p.actual_start <= sn.valid_until)
                               AND (sn.lifted_on IS NULL OR p.actual_start < sn.lifted_on)))
                    ORDER BY sn.valid_from LIMIT 1) s ON true
                WHERE p.contract_signed <= \(asOf) AND \(scope.projects("p.id"))
                """
        },
    ]
}

extension RuleThresholds {
    /// The thresholds the configuration sets.
    public init(configuration: Configuration) {
        self.init()
        let r = configuration.rules
        wageAccountDays = r.r1.daysAfterContract
        allocationRedAfterDays = r.r2.redAfterDays
        partialPayrollRedPercent = r.r4.redPercent
        workerMonthlyCapFen = r.r5.perMonthFen
        workerYearlyCapFen = r.r5.perYearFen
        clusterWindowDays = r.r6.windowDays
        clusterOrangeAt = r.r6.orangeAt
        clusterRedAt = r.r6.redAt
        criminalOneWorkerFen = r.r7.oneWorkerFen
        criminalOneWorkerMonths = r.r7.oneWorkerMonths
        criminalWorkers = r.r7.workers
        criminalWorkersFen = r.r7.workersTotalFen
        stalledMonths = r.r10.afterMonths
    }
}
