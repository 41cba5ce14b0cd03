import PostgresClient

/// R11 `no_deposit`: see SPEC §3.
extension RiskRule {
    static let noDeposit = RiskRule(id: "R11", name: "no_deposit",
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
    }
}
