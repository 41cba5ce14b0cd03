import PostgresClient

/// R4 `partial_payroll`: see SPEC §3.
extension RiskRule {
    static let partialPayroll = RiskRule(id: "R4", name: "partial_payroll",
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
    }
}
