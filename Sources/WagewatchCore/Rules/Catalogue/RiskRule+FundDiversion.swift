import PostgresClient

/// R9 `fund_diversion`: see SPEC §3.
extension RiskRule {
    static let fundDiversion = RiskRule(id: "R9", name: "fund_diversion",
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
    }
}
