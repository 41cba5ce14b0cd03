import PostgresClient

/// R3 `wages_unpaid`: see SPEC §3.
extension RiskRule {
    static let wagesUnpaid = RiskRule(id: "R3", name: "wages_unpaid",
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
    }
}
