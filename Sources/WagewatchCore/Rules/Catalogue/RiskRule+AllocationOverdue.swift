import PostgresClient

/// R2 `allocation_overdue`: see SPEC §3.
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
    }
}
