import Foundation
import PostgresClient

extension WeeklyReport {
    /// Builds the report for `week` (all regions when `region` is nil) as of the clock `now`.
    public static func build(week: ISOWeek, region: String?, now: Date, on connection: Connection) throws -> WeeklyReport {
        let start = week.monday, end = week.sunday
        let today = DateInput.shanghaiDate(of: now)
        let asOf = min(today, end)
        let yearStart = LocalDate(year: end.year, month: 1, day: 1)!
        let trendWeeks = week.trend
        func inRegion(_ alias: String) -> SQL {
            "(\(region)::text IS NULL OR \(unsafeRaw: alias).region_code = \(region)::text)"
        }
        let shanghai = "AT TIME ZONE 'Asia/Shanghai')::date"

        func totals(from: LocalDate, to: LocalDate) throws -> ReportTotals {
            let row = try connection.query("""
                SELECT c.n AS complaints, c.w AS workers, c.o AS owed,
                       (SELECT count(*) FROM cases k WHERE k.accepted_on BETWEEN \(from) AND \(to)
                           AND \(inRegion("k")))::bigint AS accepted,
                       (SELECT count(*) FROM cases k WHERE (k.closed_at \(unsafeRaw: shanghai) BETWEEN \(from) AND \(to)
                           AND \(inRegion("k")))::bigint AS closed,
                       (SELECT coalesce(sum(r.amount_fen), 0) FROM recoveries r
                        WHERE r.recovered_on BETWEEN \(from) AND \(to) AND \(inRegion("r")))::bigint AS recovered
                FROM (SELECT count(*)::bigint AS n, coalesce(sum(c.workers_involved), 0)::bigint AS w,
                             coalesce(sum(c.amount_owed_fen), 0)::bigint AS o
                      FROM complaints c WHERE c.received_on BETWEEN \(from) AND \(to) AND \(inRegion("c"))) c
                """).one()
            var t = ReportTotals()
            t.complaints = try row.decode("complaints", as: Int64.self)
            t.workersInvolved = try row.decode("workers", as: Int64.self)
            t.owedFen = try row.decode("owed", as: Int64.self)
            t.casesAccepted = try row.decode("accepted", as: Int64.self)
            t.casesClosed = try row.decode("closed", as: Int64.self)
            t.recoveredFen = try row.decode("recovered", as: Int64.self)
            return t
        }
        let weekTotals = try totals(from: start, to: end)
        let ytdTotals = try totals(from: yearStart, to: end)

        // The 12-week trend: complaints and amounts by the Monday of their week.
        var byMonday: [LocalDate: (Int64, Int64)] = [:]
        for row in try connection.query("""
            SELECT (c.received_on - (extract(isodow FROM c.received_on)::integer - 1))::date AS monday,
                   count(*)::bigint AS n, coalesce(sum(c.amount_owed_fen), 0)::bigint AS owed
            FROM complaints c
            WHERE c.received_on BETWEEN \(trendWeeks[0].monday) AND \(end) AND \(inRegion("c"))
            GROUP BY 1
            """) {
            byMonday[try row.decode("monday", as: LocalDate.self)] =
                (try row.decode("n", as: Int64.self), try row.decode("owed", as: Int64.self))
        }
        let trend = trendWeeks.map { w in
            TrendPoint(week: w.description, complaints: byMonday[w.monday]?.0 ?? 0, owedFen: byMonday[w.monday]?.1 ?? 0)
        }

        // Escalations by level, mass-incident risks first.
        var levels: [EscalationLevelRow] = []
        for row in try connection.query("""
            SELECT e.level, e.mass_incident,
                   count(*) FILTER (WHERE (e.raised_at \(unsafeRaw: shanghai) BETWEEN \(start) AND \(end))::bigint AS raised,
                   count(*) FILTER (WHERE (e.acknowledged_at \(unsafeRaw: shanghai) BETWEEN \(start) AND \(end))::bigint AS acknowledged,
                   count(*) FILTER (WHERE e.status = 'open' AND e.raised_at <= \(now))::bigint AS open,
                   max(floor(extract(epoch FROM (\(now)::timestamptz - e.raised_at)) / 3600))
                       FILTER (WHERE e.status = 'open' AND e.raised_at <= \(now))::bigint AS oldest
            FROM escalations e WHERE \(inRegion("e"))
            GROUP BY e.level, e.mass_incident
            """) {
            let r = EscalationLevelRow(
                level: try row.decode("level"), massIncident: try row.decode("mass_incident"),
                raised: try row.decode("raised"), acknowledged: try row.decode("acknowledged"),
                open: try row.decode("open"), oldestOpenHours: try row.decode("oldest"))
            if r.raised > 0 || r.acknowledged > 0 || r.open > 0 { levels.append(r) }
        }
        levels.sort { a, b in
            if a.massIncident != b.massIncident { return a.massIncident }
            return order(levelOrder, a.level) < order(levelOrder, b.level)
        }

        let openEscalations = try connection.query("""
            SELECT e.id::text AS id, e.level, e.reason, e.mass_incident, m.name AS employer_name, e.project_code,
                   e.workers_involved::bigint AS workers, e.amount_fen,
                   to_char(e.raised_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS raised_at,
                   floor(extract(epoch FROM (\(now)::timestamptz - e.raised_at)) / 3600)::bigint AS age_hours
            FROM escalations e LEFT JOIN employers m ON m.region_code = e.region_code AND m.id = e.employer_id
            WHERE e.status = 'open' AND e.raised_at <= \(now) AND \(inRegion("e"))
            ORDER BY e.mass_incident DESC, array_position(ARRAY['county', 'bureau', 'township'], e.level),
                     e.raised_at, e.region_code, e.id
            LIMIT 500
            """).map { row in
            OpenEscalation(
                id: try row.decode("id"), level: try row.decode("level"), reason: try row.decode("reason"),
                massIncident: try row.decode("mass_incident"), employerName: try row.decode("employer_name"),
                projectCode: try row.decode("project_code"), workersInvolved: try row.decode("workers"),
                amountFen: try row.decode("amount_fen"), raisedAt: try row.decode("raised_at"),
                ageHours: try row.decode("age_hours"))
        }

        // Flags by department and severity, with the review backlog and overdue reviews.
        var flags: [FlagRow] = []
        for row in try connection.query("""
            SELECT f.department, f.severity,
                   count(*) FILTER (WHERE (f.raised_at \(unsafeRaw: shanghai) BETWEEN \(start) AND \(end))::bigint AS raised,
                   count(*) FILTER (WHERE (f.reviewed_at \(unsafeRaw: shanghai) BETWEEN \(start) AND \(end))::bigint AS reviewed,
                   count(*) FILTER (WHERE f.status = 'open' AND (f.raised_at \(unsafeRaw: shanghai) <= \(asOf))::bigint AS backlog,
                   count(*) FILTER (WHERE CASE WHEN f.status = 'open' AND f.severity = 'red'
                                                    AND (f.raised_at \(unsafeRaw: shanghai) <= \(asOf)
                                               THEN ww_add_working_days((f.raised_at \(unsafeRaw: shanghai),
                                                        ww_setting_int('flag_review_days')::integer) < \(asOf)
                                               ELSE false END)::bigint AS overdue
            FROM flags f WHERE \(inRegion("f"))
            GROUP BY f.department, f.severity
            """) {
            let r = FlagRow(
                department: try row.decode("department"), severity: try row.decode("severity"),
                raised: try row.decode("raised"), reviewed: try row.decode("reviewed"),
                backlog: try row.decode("backlog"), overdueReviews: try row.decode("overdue"))
            if r.raised > 0 || r.reviewed > 0 || r.backlog > 0 { flags.append(r) }
        }
        flags.sort { a, b in
            (order(departmentOrder, a.department), order(severityOrder, a.severity))
                < (order(departmentOrder, b.department), order(severityOrder, b.severity))
        }

        // Deadlines breached (C2, C5, E3) by the department that leads the project (labor without one).
        var deadlines: [DeadlineRow] = []
        for row in try connection.query("""
            SELECT 'C2' AS rule, (ww_department_of_project(c.region_code, c.project_code))[1] AS department,
                   count(*) FILTER (WHERE c.decision_due BETWEEN \(start) AND \(end)
                       AND ((c.status = 'pending' AND c.decision_due < \(asOf))
                            OR (c.decided_at \(unsafeRaw: shanghai) > c.decision_due))::bigint AS breached,
                   count(*) FILTER (WHERE c.status = 'pending' AND c.decision_due < \(asOf))::bigint AS outstanding
            FROM complaints c WHERE c.decision_due <= \(end) AND \(inRegion("c"))
            GROUP BY 1, 2
            UNION ALL
            SELECT 'C5', (ww_department_of_project(k.region_code, k.project_code))[1],
                   count(*) FILTER (WHERE k.investigation_due BETWEEN \(start) AND \(end)
                       AND ((k.status = 'open' AND k.investigation_due < \(asOf))
                            OR (k.closed_at \(unsafeRaw: shanghai) > k.investigation_due))::bigint,
                   count(*) FILTER (WHERE k.status = 'open' AND k.investigation_due < \(asOf))::bigint
            FROM cases k WHERE k.investigation_due <= \(end) AND \(inRegion("k"))
            GROUP BY 1, 2
            UNION ALL
            SELECT 'E3', (ww_department_of_project(x.region_code, x.project_code))[1],
                   count(*) FILTER (WHERE (l.at \(unsafeRaw: shanghai) BETWEEN \(start) AND \(end))::bigint,
                   count(DISTINCT l.escalation_id) FILTER (WHERE x.status = 'open')::bigint
            FROM escalation_levels l
            JOIN escalations x ON x.region_code = l.region_code AND x.id = l.escalation_id
            WHERE l.from_level IS NOT NULL AND l.at <= \(now) AND \(inRegion("l"))
            GROUP BY 1, 2
            """) {
            let r = DeadlineRow(
                department: try row.decode("department"), rule: try row.decode("rule"),
                breached: try row.decode("breached"), outstanding: try row.decode("outstanding"))
            if r.breached > 0 || r.outstanding > 0 { deadlines.append(r) }
        }
        deadlines.sort { a, b in
            (order(departmentOrder, a.department), a.rule) < (order(departmentOrder, b.department), b.rule)
        }

        // The scorecard, year to date up to the report's date. An item counts on the day its
        // result is known: the day it was done (decided, closed, reviewed), if that was by its
        // deadline, else the deadline's own day; it is on time when done by the deadline. So a
        // complaint decided early counts at once, not only once its deadline has passed too.
        let scorecard = try connection.query("""
            WITH cpd AS (
                SELECT (ww_department_of_project(c.region_code, c.project_code))[1] AS department, c.decision_due AS due_on,
                       CASE WHEN c.status = 'decided' THEN (c.decided_at \(unsafeRaw: shanghai) END AS done_on
                FROM complaints c WHERE c.decision_due >= \(yearStart) AND \(inRegion("c"))),
            cp AS (
                SELECT department, count(*) AS due, count(*) FILTER (WHERE done_on <= due_on) AS on_time
                FROM cpd WHERE least(done_on, due_on) BETWEEN \(yearStart) AND \(asOf) GROUP BY 1),
            csd AS (
                SELECT (ww_department_of_project(k.region_code, k.project_code))[1] AS department, k.investigation_due AS due_on,
                       CASE WHEN k.status = 'closed' THEN (k.closed_at \(unsafeRaw: shanghai) END AS done_on
                FROM cases k WHERE k.investigation_due >= \(yearStart) AND \(inRegion("k"))),
            cs AS (
                SELECT department, count(*) AS due, count(*) FILTER (WHERE done_on <= due_on) AS on_time
                FROM csd WHERE least(done_on, due_on) BETWEEN \(yearStart) AND \(asOf) GROUP BY 1),
            fd AS (
                SELECT f.department, (f.reviewed_at \(unsafeRaw: shanghai) AS done_on,
                       ww_add_working_days((f.raised_at \(unsafeRaw: shanghai),
                                           ww_setting_int('flag_review_days')::integer) AS due_on
                FROM flags f
                WHERE (f.raised_at \(unsafeRaw: shanghai) BETWEEN \(yearStart.adding(days: -31)) AND \(asOf)
                  AND \(inRegion("f"))),
            fl AS (
                SELECT department, count(*) AS due, count(*) FILTER (WHERE done_on <= due_on) AS on_time
                FROM fd WHERE least(done_on, due_on) BETWEEN \(yearStart) AND \(asOf) GROUP BY 1),
            ar AS (
                SELECT (ww_department_of_project(k.region_code, k.project_code))[1] AS department,
                       sum(t.owed_fen) AS owed, sum(t.recovered_fen) AS recovered
                FROM cases k JOIN case_totals t ON t.region_code = k.region_code AND t.case_id = k.id
                WHERE k.accepted_on BETWEEN \(yearStart) AND \(asOf) AND \(inRegion("k"))
                GROUP BY 1),
            cl AS (
                SELECT (ww_department_of_project(k.region_code, k.project_code))[1] AS department, count(*) AS closed,
                       count(*) FILTER (WHERE ww_disposition_says_paid(k.disposition)) AS paid
                FROM cases k
                WHERE k.status = 'closed' AND (k.closed_at \(unsafeRaw: shanghai) BETWEEN \(yearStart) AND \(asOf) AND \(inRegion("k"))
                GROUP BY 1)
            SELECT d.code,
                   coalesce(cp.due, 0)::bigint AS cp_due, coalesce(cp.on_time, 0)::bigint AS cp_on_time,
                   coalesce(cs.due, 0)::bigint AS cs_due, coalesce(cs.on_time, 0)::bigint AS cs_on_time,
                   coalesce(fl.due, 0)::bigint AS fl_due, coalesce(fl.on_time, 0)::bigint AS fl_on_time,
                   coalesce(ar.owed, 0)::bigint AS owed, coalesce(ar.recovered, 0)::bigint AS recovered,
                   coalesce(cl.closed, 0)::bigint AS cl_closed, coalesce(cl.paid, 0)::bigint AS cl_paid
            FROM departments d
            LEFT JOIN cp ON cp.department = d.code LEFT JOIN cs ON cs.department = d.code
            LEFT JOIN fl ON fl.department = d.code LEFT JOIN ar ON ar.department = d.code
            LEFT JOIN cl ON cl.department = d.code
            """).map { row in
            ScorecardRow(
                department: try row.decode("code"), complaintsDue: try row.decode("cp_due"),
                complaintsOnTime: try row.decode("cp_on_time"), casesDue: try row.decode("cs_due"),
                casesOnTime: try row.decode("cs_on_time"), flagsDue: try row.decode("fl_due"),
                flagsOnTime: try row.decode("fl_on_time"), owedFen: try row.decode("owed"),
                recoveredFen: try row.decode("recovered"), casesClosed: try row.decode("cl_closed"),
                casesClosedPaid: try row.decode("cl_paid"))
        }.sorted { order(departmentOrder, $0.department) < order(departmentOrder, $1.department) }

        let pay = try connection.query("""
            SELECT coalesce(sum(r.amount_fen), 0)::bigint AS fen, count(*)::bigint AS n FROM recoveries r
            WHERE r.source = 'direct_pay' AND r.recovered_on BETWEEN \(start) AND \(end) AND \(inRegion("r"))
            """).one()

        let sanctions = try connection.query("""
            SELECT s.id::text AS id, m.name AS employer_name, s.measure, s.department,
                   s.valid_from::text AS valid_from, s.valid_until::text AS valid_until
            FROM sanctions s JOIN employers m ON m.region_code = s.region_code AND m.id = s.employer_id
            WHERE s.valid_from BETWEEN \(start) AND \(end) AND \(inRegion("s"))
            ORDER BY s.valid_from, m.name, s.measure, s.region_code, s.id
            """).map { row in
            SanctionRow(
                id: try row.decode("id"), employerName: try row.decode("employer_name"),
                measure: try row.decode("measure"), department: try row.decode("department"),
                validFrom: try row.decode("valid_from"), validUntil: try row.decode("valid_until"))
        }

        // Employers reported absconded in complaints received from `from` to `to`.
        func absconded(from: LocalDate, to: LocalDate) throws -> [AbscondedRow] {
            try connection.query("""
                SELECT m.name AS employer_name, count(*)::bigint AS n, sum(c.workers_involved)::bigint AS workers,
                       sum(c.amount_owed_fen)::bigint AS owed, min(c.received_on)::text AS first_on
                FROM complaints c JOIN employers m ON m.region_code = c.region_code AND m.id = c.employer_id
                WHERE c.employer_absconded AND c.received_on BETWEEN \(from) AND \(to) AND \(inRegion("c"))
                GROUP BY c.region_code, m.id, m.name
                ORDER BY sum(c.amount_owed_fen) DESC, m.name, c.region_code, m.id
                """).map { row in
                AbscondedRow(
                    employerName: try row.decode("employer_name"), complaints: try row.decode("n"),
                    workersInvolved: try row.decode("workers"), owedFen: try row.decode("owed"),
                    firstReportedOn: try row.decode("first_on"))
            }
        }
        let abscondedWeek = try absconded(from: start, to: end)
        let abscondedYear = try absconded(from: yearStart, to: end)

        let departments = try connection.query("SELECT code, name_zh, name_en FROM departments").map { row in
            DepartmentName(code: try row.decode("code"), nameZh: try row.decode("name_zh"), nameEn: try row.decode("name_en"))
        }.sorted { (order(departmentOrder, $0.code), $0.code) < (order(departmentOrder, $1.code), $1.code) }

        let directPayFen = try pay.decode("fen", as: Int64.self)
        let quiet = weekTotals.isZero && levels.allSatisfy { $0.raised == 0 && $0.acknowledged == 0 }
            && flags.allSatisfy { $0.raised == 0 && $0.reviewed == 0 } && deadlines.allSatisfy { $0.breached == 0 }
            && directPayFen == 0 && sanctions.isEmpty && abscondedWeek.isEmpty
        return WeeklyReport(
            week: week, region: region, asOf: asOf, totals: weekTotals, yearToDate: ytdTotals, trend: trend,
            escalations: levels, openEscalations: openEscalations, flagsByDepartment: flags,
            deadlinesBreached: deadlines, scorecard: scorecard, directPayFen: directPayFen,
            directPayments: try pay.decode("n", as: Int64.self), sanctions: sanctions, abscondedEmployers: abscondedWeek,
            abscondedYearToDate: abscondedYear, departments: departments, zeroReport: quiet)
    }
}
