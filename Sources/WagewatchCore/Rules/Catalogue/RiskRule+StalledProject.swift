import PostgresClient

/// R10 `stalled_project`: see SPEC §3.
extension RiskRule {
    static let stalledProject = RiskRule(id: "R10", name: "stalled_project",
             summary: "an unfinished project with no attendance or payroll for 2 months (停产、半停产)") { run, asOf, t, scope in
        into + """
            SELECT \(run), s.region_code, 'stalled_project', 'orange', 'project', s.id, s.id, s.contractor_id,
                   'since:' || s.last_activity,
                   jsonb_build_object('project_code', s.code, 'last_activity', s.last_activity,
                                      'days_idle', \(asOf) - s.last_activity)
            FROM (
                SELECT p.region_code, p.id, p.code, p.contractor_id,
                       greatest(p.actual_start,
                                (SELECT max(a.day) FROM attendance a WHERE a.region_code = p.region_code
                                   AND a.project_id = p.id AND a.day <= \(asOf)),
                                (SELECT max(pr.period) FROM payroll pr WHERE pr.region_code = p.region_code
                                   AND pr.project_id = p.id AND pr.period <= \(asOf))) AS last_activity
                FROM projects p
                WHERE p.actual_start IS NOT NULL AND p.actual_start <= \(asOf)
                  AND (p.actual_end IS NULL OR p.actual_end > \(asOf)) AND \(scope.projects("p.id"))
            ) s
            WHERE s.last_activity < (\(asOf) - make_interval(months => \(t.stalledMonths)))::date
            """
    }
}
