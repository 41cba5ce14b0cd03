import PostgresClient

/// R8 `account_shortfall`: see SPEC §3.
extension RiskRule {
    static let accountShortfall = RiskRule(id: "R8", name: "account_shortfall",
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
    }
}
