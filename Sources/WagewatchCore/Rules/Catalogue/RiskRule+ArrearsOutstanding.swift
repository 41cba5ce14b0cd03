import PostgresClient

/// R7 `arrears_outstanding`: see SPEC §3.
extension RiskRule {
    static let arrearsOutstanding = RiskRule(id: "R7", name: "arrears_outstanding",
             summary: "open arrears at or above the provincial criminal threshold") { run, asOf, t, scope in
        into + """
            SELECT \(run), c.region_code, 'arrears_outstanding', 'red', 'employer', c.employer_id,
                   (SELECT p.id FROM projects p WHERE p.region_code = c.region_code AND p.code = c.project_code),
                   c.employer_id, 'case:' || c.id,
                   jsonb_build_object('case_id', c.id::text, 'owed_fen', c.owed, 'recovered_fen', c.recovered,
                                      'outstanding_fen', c.owed - c.recovered, 'workers', c.workers,
                                      'workers_over_threshold', c.workers_over)
            FROM (
                SELECT cs.region_code, cs.id, cs.employer_id, cs.project_code, tot.owed_fen AS owed,
                       coalesce((SELECT sum(r.amount_fen) FROM recoveries r WHERE r.region_code = cs.region_code
                                 AND r.case_id = cs.id AND r.recovered_on <= \(asOf)), 0) AS recovered,
                       tot.workers_involved AS workers,
                       o.workers_over, o.max_one, th.t AS threshold,
                       coalesce((SELECT min(k.owed_since) FROM complaints k WHERE k.region_code = cs.region_code AND k.case_id = cs.id),
                                cs.accepted_on) AS owed_since
                FROM cases cs
                CROSS JOIN (SELECT ww_criminal_threshold_settings() AS t) th
                JOIN case_totals tot ON tot.region_code = cs.region_code AND tot.case_id = cs.id
                CROSS JOIN LATERAL (
                    SELECT count(*) FILTER (WHERE w.outstanding >= (th.t->>'one_worker_fen')::bigint) AS workers_over,
                           coalesce(max(w.outstanding), 0) AS max_one
                    FROM (SELECT cl.owed_fen - coalesce((SELECT sum(r.amount_fen) FROM recoveries r
                                                        WHERE r.region_code = cl.region_code AND r.case_id = cl.case_id
                                                          AND r.id_number = cl.id_number AND r.recovered_on <= \(asOf)), 0)
                                 AS outstanding
                          FROM claims cl WHERE cl.region_code = cs.region_code AND cl.case_id = cs.id) w
                ) o
                WHERE cs.accepted_on <= \(asOf) AND \(scope.employers("cs.employer_id")) AND (cs.closed_at IS NULL OR (cs.closed_at AT TIME ZONE 'Asia/Shanghai')::date > \(asOf))
            ) c
            WHERE ww_at_criminal_threshold(c.threshold, c.workers, c.owed - c.recovered, c.max_one, c.owed_since, \(asOf))
            """
    }
}
