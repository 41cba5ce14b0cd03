import PostgresClient

/// R1 `no_wage_account`: see SPEC §3.
extension RiskRule {
    static let noWageAccount = RiskRule(id: "R1", name: "no_wage_account",
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
    }
}
