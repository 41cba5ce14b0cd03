import PostgresClient

/// R2 `allocation_overdue`: see SPEC §3 P3 and R2. Due dates fall on the planned start and
/// every cycle after it up to the planned end; the earliest one whose cumulative amount the
/// project's allocations (fund → wage account, net of any returned) have not reached is overdue.
/// With an amount the cumulative amount due at the k-th due date is (k + 1) × the amount; with a
/// share it is that share of everything paid into `fund:CODE` up to that date (from anywhere but
/// its own wage account, less reversals of such payments), rounded down to the fen.
extension RiskRule {
    static let allocationOverdue = RiskRule(id: "R2", name: "allocation_overdue",
             summary: "labour-cost allocation overdue (red after 30 days)") { run, asOf, t, scope in
        into + """
            SELECT \(run), s.region_code, 'allocation_overdue',
                   CASE WHEN \(asOf) - s.due_on > \(t.allocationRedAfterDays) THEN 'red' ELSE 'orange' END,
                   'project', s.id, s.id, s.contractor_id, s.due_on::text,
                   jsonb_build_object('project_code', s.code, 'due_on', s.due_on, 'days_overdue', \(asOf) - s.due_on,
                                      'cumulative_due_fen', s.cumulative_due, 'allocated_fen', s.allocated)
            FROM (
                SELECT q.region_code, q.id, q.code, q.contractor_id, q.allocated,
                       q.planned_start + (q.allocated / q.allocation_amount_fen)::integer * q.allocation_cycle_days AS due_on,
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
                UNION ALL
                SELECT q.region_code, q.id, q.code, q.contractor_id, q.allocated, d.due_on, d.cumulative_due
                FROM (
                    SELECT p.region_code, p.id, p.code, p.contractor_id, p.planned_start, p.allocation_cycle_days,
                           p.allocation_share_bp, f.id AS fund_id, w.id AS wage_id,
                           (least(\(asOf), p.planned_end) - p.planned_start) / p.allocation_cycle_days + 1 AS dues_passed,
                           coalesce((SELECT sum(CASE WHEN t.to_account = w.id THEN t.amount_fen ELSE -t.amount_fen END)
                                     FROM transfers t
                                     WHERE t.region_code = w.region_code
                                       AND ((t.from_account = f.id AND t.to_account = w.id)
                                            OR (t.from_account = w.id AND t.to_account = f.id))
                                       AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= \(asOf)), 0)::bigint AS allocated
                    FROM projects p
                    JOIN ledger_accounts f ON f.region_code = p.region_code AND f.kind = 'fund' AND f.ref = p.code
                    LEFT JOIN ledger_accounts w ON w.region_code = p.region_code AND w.kind = 'wage' AND w.ref = p.code
                    WHERE p.allocation_share_bp IS NOT NULL AND p.planned_start <= \(asOf) AND \(scope.projects("p.id"))
                      AND (p.actual_end IS NULL OR p.actual_end > \(asOf))
                ) q
                CROSS JOIN LATERAL (
                    SELECT due.on_ AS due_on, paid.fen * q.allocation_share_bp / 10000 AS cumulative_due
                    FROM generate_series(0, q.dues_passed - 1) AS k(n)
                    CROSS JOIN LATERAL (SELECT q.planned_start + k.n * q.allocation_cycle_days AS on_) due
                    CROSS JOIN LATERAL (
                        SELECT coalesce(sum(CASE WHEN t.to_account = q.fund_id THEN t.amount_fen ELSE -t.amount_fen END), 0)::bigint AS fen
                        FROM transfers t
                        LEFT JOIN transfers o ON o.region_code = t.region_code AND o.id = t.reverses
                        WHERE t.region_code = q.region_code
                          AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= due.on_
                          AND ((t.to_account = q.fund_id AND t.from_account IS DISTINCT FROM q.wage_id AND t.reverses IS NULL)
                               OR (t.from_account = q.fund_id AND o.to_account = q.fund_id
                                   AND o.from_account IS DISTINCT FROM q.wage_id))
                    ) paid
                    WHERE paid.fen * q.allocation_share_bp / 10000 > q.allocated
                    ORDER BY due.on_
                    LIMIT 1
                ) d
            ) s
            """
    }
}
