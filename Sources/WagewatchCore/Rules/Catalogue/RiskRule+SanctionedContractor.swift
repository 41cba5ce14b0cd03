import PostgresClient

/// R12 `sanctioned_contractor`: see SPEC §3.
extension RiskRule {
    static let sanctionedContractor = RiskRule(id: "R12", name: "sanctioned_contractor",
             summary: "a blacklisted or restricted contractor bids for or starts a new project") { run, asOf, _, scope in
        into + """
            SELECT \(run), p.region_code, 'sanctioned_contractor', 'yellow', 'project', p.id, p.id, p.contractor_id, 'once',
                   jsonb_build_object('project_code', p.code, 'sanction_id', s.id::text, 'measure', s.measure,
                                      'contract_signed', p.contract_signed, 'actual_start', p.actual_start)
            FROM projects p
            JOIN LATERAL (
                SELECT sn.id, sn.measure FROM sanctions sn
                WHERE sn.region_code = p.region_code AND sn.employer_id = p.contractor_id
                  AND sn.measure IN ('blacklist', 'restrict_bidding')
                  AND ((p.contract_signed >= sn.valid_from AND (sn.valid_until IS NULL OR p.contract_signed <= sn.valid_until)
                        AND (sn.lifted_on IS NULL OR p.contract_signed < sn.lifted_on))
                       OR (p.actual_start IS NOT NULL AND p.actual_start <= \(asOf) AND p.actual_start >= sn.valid_from
                           AND (sn.valid_until IS NULL OR p.actual_start <= sn.valid_until)
                           AND (sn.lifted_on IS NULL OR p.actual_start < sn.lifted_on)))
                ORDER BY sn.valid_from LIMIT 1) s ON true
            WHERE p.contract_signed <= \(asOf) AND \(scope.projects("p.id"))
            """
    }
}
