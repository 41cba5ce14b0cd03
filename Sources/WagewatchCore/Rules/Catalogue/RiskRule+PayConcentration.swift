import PostgresClient

/// R5 `pay_concentration`: see SPEC §3.
extension RiskRule {
    static let payConcentration = RiskRule(id: "R5", name: "pay_concentration",
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
    }
}
