import PostgresClient

/// R13 `bank_mismatch`: see SPEC §10. Per wage account with a bank statement (`import bank`), as
/// of the run's date: red when the bank's closing balance on the statement's last day differs from
/// the ledger's that day (period `balance:DAY`); orange when a statement line or a ledger transfer
/// is still unmatched more than 2 working days after its day (period `unmatched`). The evidence
/// (``ww_bank_reconciliation``): both balances, the last day, the unmatched lines and transfers.
extension RiskRule {
    static let bankMismatch = RiskRule(id: "R13", name: "bank_mismatch",
             summary: "a wage account's bank statement disagrees with the ledger") { run, asOf, _, scope in
        into + """
            SELECT \(run), p.region_code, 'bank_mismatch', f.severity, 'project', p.id, p.id, p.contractor_id, f.period,
                   jsonb_build_object('project_code', p.code, 'account', 'wage:' || p.code, 'statement_last_day', r.last_day,
                                      'bank_balance_fen', r.bank_balance_fen, 'ledger_balance_fen', r.ledger_balance_fen,
                                      'difference_fen', r.bank_balance_fen - r.ledger_balance_fen,
                                      'unmatched_lines', r.unmatched_lines, 'unmatched_transfers', r.unmatched_transfers)
            FROM projects p
            JOIN ledger_accounts w ON w.region_code = p.region_code AND w.kind = 'wage' AND w.ref = p.code
            CROSS JOIN LATERAL ww_bank_reconciliation(w.region_code, w.id, \(asOf)) r
            CROSS JOIN LATERAL (VALUES
                ('red', 'balance:' || r.last_day::text, r.bank_balance_fen <> r.ledger_balance_fen),
                ('orange', 'unmatched', jsonb_array_length(r.unmatched_lines) + jsonb_array_length(r.unmatched_transfers) > 0)
            ) AS f (severity, period, holds)
            WHERE f.holds AND EXISTS (SELECT 1 FROM bank_statement_lines b WHERE b.region_code = w.region_code AND b.account_id = w.id)
              AND \(scope.projects("p.id"))
            """
    }
}
