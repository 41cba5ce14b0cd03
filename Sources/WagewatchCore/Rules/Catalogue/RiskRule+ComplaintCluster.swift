import PostgresClient

/// R6 `complaint_cluster`: see SPEC §3.
extension RiskRule {
    static let complaintCluster = RiskRule(id: "R6", name: "complaint_cluster",
             summary: "complaints against one employer in the last 90 days: orange at 3, red at 5") { run, asOf, t, scope in
        into + """
            SELECT \(run), k.region_code, 'complaint_cluster',
                   CASE WHEN k.n >= \(t.clusterRedAt) THEN 'red' ELSE 'orange' END,
                   'employer', k.employer_id, NULL, k.employer_id, to_char(\(asOf), 'YYYY-MM'),
                   jsonb_build_object('employer_name', e.name, 'complaints', k.n, 'complaint_numbers', k.numbers,
                                      'window_days', \(t.clusterWindowDays)::integer)
            FROM (SELECT region_code, employer_id, count(*) AS n, (array_agg(number ORDER BY received_at))[1:20] AS numbers
                  FROM complaints
                  WHERE received_on > \(asOf) - \(t.clusterWindowDays)::integer AND received_on <= \(asOf)
                    AND \(scope.employers("employer_id"))
                  GROUP BY 1, 2 HAVING count(*) >= \(t.clusterOrangeAt)) k
            JOIN employers e ON e.region_code = k.region_code AND e.id = k.employer_id
            """
    }
}
