import Foundation
import PostgresClient

/// An ISO 8601 week (Monday to Sunday), counted in Asia/Shanghai dates: `2026-W08`.
public struct ISOWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// A week that exists: 1…52, or 1…53 in a year with 53 ISO weeks.
    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www` (`2026-W08`); anything else is invalid input naming the value.
    public init(parsing text: String, field: String = "week") throws(ValidationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCII), let year = Int(parts[0]),
              parts[1].count == 3, parts[1].first == "W", let week = Int(parts[1].dropFirst()),
              parts[1].dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw ValidationError(field: field, value: text, problem: "is not an ISO week (YYYY-Www, e.g. 2026-W08)")
        }
        guard let valid = ISOWeek(year: year, week: week) else {
            throw ValidationError(
                field: field, value: text, problem: "is not a week of \(year) (it has \(ISOWeek.weeks(in: year)) ISO weeks)")
        }
        self = valid
    }

    /// The ISO week a date falls in (the week's Thursday decides its year).
    public static func containing(_ date: LocalDate) -> ISOWeek {
        let thursday = date.adding(days: 4 - date.isoWeekday)
        let jan1 = LocalDate(year: thursday.year, month: 1, day: 1)!
        let week = (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
        return ISOWeek(unchecked: thursday.year, week)
    }

    private init(unchecked year: Int, _ week: Int) {
        self.year = year
        self.week = week
    }

    /// How many ISO weeks a year has (52 or 53): the week of 28 December.
    public static func weeks(in year: Int) -> Int {
        guard let dec28 = LocalDate(year: year, month: 12, day: 28) else { return 0 }
        let thursday = dec28.adding(days: 4 - dec28.isoWeekday)
        let jan1 = LocalDate(year: thursday.year, month: 1, day: 1)!
        return (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
    }

    /// The week's Monday (Asia/Shanghai date).
    public var monday: LocalDate {
        let jan4 = LocalDate(year: year, month: 1, day: 4)!
        return jan4.adding(days: 1 - jan4.isoWeekday + (week - 1) * 7)
    }

    /// The week's Sunday (Asia/Shanghai date).
    public var sunday: LocalDate { monday.adding(days: 6) }

    /// The week `n` weeks later (earlier for negative `n`).
    public func adding(weeks n: Int) -> ISOWeek { ISOWeek.containing(monday.adding(days: 7 * n)) }

    /// This week and the 11 before it, oldest first: the report's 12-week trend.
    public var trend: [ISOWeek] { (0..<12).map { adding(weeks: $0 - 11) } }

    public func contains(_ date: LocalDate) -> Bool { date >= monday && date <= sunday }

    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }
}

/// Counts for one period (SPEC §3 weekly report): the officials' totals.
public struct ReportTotals: Sendable, Encodable, Equatable {
    public var complaints: Int64 = 0
    public var casesAccepted: Int64 = 0
    public var casesClosed: Int64 = 0
    public var workersInvolved: Int64 = 0
    public var owedFen: Int64 = 0
    public var recoveredFen: Int64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case complaints, casesAccepted = "cases_accepted", casesClosed = "cases_closed"
        case workersInvolved = "workers_involved", owedFen = "owed_fen", recoveredFen = "recovered_fen"
    }

    public var isZero: Bool { self == ReportTotals() }
}

/// One week of the 12-week trend.
public struct TrendPoint: Sendable, Encodable, Equatable {
    public let week: String
    public let complaints: Int64
    public let owedFen: Int64
    enum CodingKeys: String, CodingKey { case week, complaints, owedFen = "owed_fen" }
}

/// Escalations of one level (mass-incident risks in their own rows, listed first).
public struct EscalationLevelRow: Sendable, Encodable, Equatable {
    public let level: String
    public let massIncident: Bool
    public let raised: Int64
    public let acknowledged: Int64
    public let open: Int64
    /// Hours since the oldest open one was raised, as of the report's clock.
    public let oldestOpenHours: Int64?
    enum CodingKeys: String, CodingKey {
        case level, massIncident = "mass_incident", raised, acknowledged, open, oldestOpenHours = "oldest_open_hours"
    }
}

/// An escalation still open when the report was made.
public struct OpenEscalation: Sendable, Encodable, Equatable {
    public let id: String
    public let level: String
    public let reason: String
    public let massIncident: Bool
    public let employerName: String?
    public let projectCode: String?
    public let workersInvolved: Int64?
    public let amountFen: Int64?
    public let raisedAt: String
    public let ageHours: Int64
    enum CodingKeys: String, CodingKey {
        case id, level, reason, massIncident = "mass_incident", employerName = "employer_name"
        case projectCode = "project_code", workersInvolved = "workers_involved", amountFen = "amount_fen"
        case raisedAt = "raised_at", ageHours = "age_hours"
    }
}

/// Risk flags of one department and severity.
public struct FlagRow: Sendable, Encodable, Equatable {
    public let department: String
    public let severity: String
    public let raised: Int64
    public let reviewed: Int64
    /// Open (unreviewed) flags, whenever raised.
    public let backlog: Int64
    /// Red flags unreviewed after the review period (3 working days).
    public let overdueReviews: Int64
    enum CodingKeys: String, CodingKey {
        case department, severity, raised, reviewed, backlog, overdueReviews = "overdue_reviews"
    }
}

/// Missed deadlines of one rule (C2, C5, E3) in one department.
public struct DeadlineRow: Sendable, Encodable, Equatable {
    public let department: String
    public let rule: String
    /// Deadlines that fell in the week and were missed (E3: level moves in the week).
    public let breached: Int64
    /// Still overdue when the report was made (E3: open escalations that moved up).
    public let outstanding: Int64
}

/// A department's 绩效考核 for the year to date; shares are integer per-mille, null with nothing due.
public struct ScorecardRow: Sendable, Encodable, Equatable {
    public let department: String
    public let complaintsDue: Int64
    public let complaintsOnTime: Int64
    public let casesDue: Int64
    public let casesOnTime: Int64
    public let flagsDue: Int64
    public let flagsOnTime: Int64
    public let owedFen: Int64
    public let recoveredFen: Int64

    public var complaintsOnTimePermille: Int64? { Self.permille(complaintsOnTime, complaintsDue) }
    public var casesOnTimePermille: Int64? { Self.permille(casesOnTime, casesDue) }
    public var flagsOnTimePermille: Int64? { Self.permille(flagsOnTime, flagsDue) }
    public var recoveredPermille: Int64? { Self.permille(recoveredFen, owedFen) }

    /// part / whole in thousandths, rounded half up, in integers only.
    public static func permille(_ part: Int64, _ whole: Int64) -> Int64? {
        guard whole > 0 else { return nil }
        let (product, overflow) = part.multipliedReportingOverflow(by: 1000)
        if overflow { return part / (whole / 1000 == 0 ? 1 : whole / 1000) }
        return (product + whole / 2) / whole
    }

    public var isEmpty: Bool { complaintsDue == 0 && casesDue == 0 && flagsDue == 0 && owedFen == 0 }

    enum CodingKeys: String, CodingKey {
        case department, complaintsDue = "complaints_due", complaintsOnTime = "complaints_on_time"
        case complaintsOnTimePermille = "complaints_on_time_permille", casesDue = "cases_due"
        case casesOnTime = "cases_on_time", casesOnTimePermille = "cases_on_time_permille", flagsDue = "flags_due"
        case flagsOnTime = "flags_on_time", flagsOnTimePermille = "flags_on_time_permille", owedFen = "owed_fen"
        case recoveredFen = "recovered_fen", recoveredPermille = "recovered_permille"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(department, forKey: .department)
        try c.encode(complaintsDue, forKey: .complaintsDue); try c.encode(complaintsOnTime, forKey: .complaintsOnTime)
        try c.encode(complaintsOnTimePermille, forKey: .complaintsOnTimePermille)
        try c.encode(casesDue, forKey: .casesDue); try c.encode(casesOnTime, forKey: .casesOnTime)
        try c.encode(casesOnTimePermille, forKey: .casesOnTimePermille)
        try c.encode(flagsDue, forKey: .flagsDue); try c.encode(flagsOnTime, forKey: .flagsOnTime)
        try c.encode(flagsOnTimePermille, forKey: .flagsOnTimePermille)
        try c.encode(owedFen, forKey: .owedFen); try c.encode(recoveredFen, forKey: .recoveredFen)
        try c.encode(recoveredPermille, forKey: .recoveredPermille)
    }
}

/// A sanction that took effect in the week (employer by name only: no personal data).
public struct SanctionRow: Sendable, Encodable, Equatable {
    public let id: String
    public let employerName: String
    public let measure: String
    public let department: String
    public let validFrom: String
    public let validUntil: String?
    enum CodingKeys: String, CodingKey {
        case id, employerName = "employer_name", measure, department, validFrom = "valid_from", validUntil = "valid_until"
    }
}

/// An employer reported as absconded in complaints received in the week.
public struct AbscondedRow: Sendable, Encodable, Equatable {
    public let employerName: String
    public let complaints: Int64
    public let workersInvolved: Int64
    public let owedFen: Int64
    enum CodingKeys: String, CodingKey {
        case employerName = "employer_name", complaints, workersInvolved = "workers_involved", owedFen = "owed_fen"
    }
}

/// A department's names, so renderers can print either language.
public struct DepartmentName: Sendable, Encodable, Equatable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    enum CodingKeys: String, CodingKey { case code, nameZh = "name_zh", nameEn = "name_en" }
}

/// The weekly escalation report (SPEC §3, JSON shape §5). Built from a handful of set-based
/// queries; it holds counts, money in fen, employer names and ids — never a worker's ID number,
/// phone or bank account.
public struct WeeklyReport: Sendable, Encodable {
    public let week: ISOWeek
    public let region: String?
    /// The date the report counts "now" from: the earlier of today and the week's Sunday.
    public let asOf: LocalDate
    public let totals: ReportTotals
    public let yearToDate: ReportTotals
    public let trend: [TrendPoint]
    public let escalations: [EscalationLevelRow]
    public let openEscalations: [OpenEscalation]
    public let flagsByDepartment: [FlagRow]
    public let deadlinesBreached: [DeadlineRow]
    public let scorecard: [ScorecardRow]
    public let directPayFen: Int64
    public let directPayments: Int64
    public let sanctions: [SanctionRow]
    public let abscondedEmployers: [AbscondedRow]
    public let departments: [DepartmentName]
    public let zeroReport: Bool

    enum CodingKeys: String, CodingKey {
        case week, weekStart = "week_start", weekEnd = "week_end", region, asOf = "as_of", totals
        case yearToDate = "year_to_date", trend, escalations, openEscalations = "open_escalations"
        case flagsByDepartment = "flags_by_department", deadlinesBreached = "deadlines_breached", scorecard
        case directPayFen = "direct_pay_fen", directPayments = "direct_payments", sanctions
        case abscondedEmployers = "absconded_employers", departments, zeroReport = "zero_report"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(week.description, forKey: .week)
        try c.encode(week.monday.description, forKey: .weekStart)
        try c.encode(week.sunday.description, forKey: .weekEnd)
        try c.encode(region, forKey: .region)
        try c.encode(asOf.description, forKey: .asOf)
        try c.encode(totals, forKey: .totals)
        try c.encode(yearToDate, forKey: .yearToDate)
        try c.encode(trend, forKey: .trend)
        try c.encode(escalations, forKey: .escalations)
        try c.encode(openEscalations, forKey: .openEscalations)
        try c.encode(flagsByDepartment, forKey: .flagsByDepartment)
        try c.encode(deadlinesBreached, forKey: .deadlinesBreached)
        try c.encode(scorecard, forKey: .scorecard)
        try c.encode(directPayFen, forKey: .directPayFen)
        try c.encode(directPayments, forKey: .directPayments)
        try c.encode(sanctions, forKey: .sanctions)
        try c.encode(abscondedEmployers, forKey: .abscondedEmployers)
        try c.encode(departments, forKey: .departments)
        try c.encode(zeroReport, forKey: .zeroReport)
    }

    /// SPEC P0's order of departments, used wherever departments are listed.
    public static let departmentOrder = [
        "labor", "transport", "land", "water", "construction", "commerce", "township", "county_office",
    ]
    /// Highest level first.
    public static let levelOrder = ["county", "bureau", "township"]
    public static let severityOrder = ["red", "orange", "yellow"]

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
                                                        ww_setting_int('flag_review_days', 3)::integer) < \(asOf)
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

        // The scorecard, year to date up to the report's date.
        let scorecard = try connection.query("""
            WITH cp AS (
                SELECT (ww_department_of_project(c.region_code, c.project_code))[1] AS department, count(*) AS due,
                       count(*) FILTER (WHERE c.status = 'decided'
                                          AND (c.decided_at \(unsafeRaw: shanghai) <= c.decision_due) AS on_time
                FROM complaints c WHERE c.decision_due BETWEEN \(yearStart) AND \(asOf) AND \(inRegion("c"))
                GROUP BY 1),
            cs AS (
                SELECT (ww_department_of_project(k.region_code, k.project_code))[1] AS department, count(*) AS due,
                       count(*) FILTER (WHERE k.status = 'closed'
                                          AND (k.closed_at \(unsafeRaw: shanghai) <= k.investigation_due) AS on_time
                FROM cases k WHERE k.investigation_due BETWEEN \(yearStart) AND \(asOf) AND \(inRegion("k"))
                GROUP BY 1),
            fd AS (
                SELECT f.department, f.reviewed_at,
                       ww_add_working_days((f.raised_at \(unsafeRaw: shanghai),
                                           ww_setting_int('flag_review_days', 3)::integer) AS review_due
                FROM flags f
                WHERE (f.raised_at \(unsafeRaw: shanghai) BETWEEN \(yearStart.adding(days: -31)) AND \(asOf)
                  AND \(inRegion("f"))),
            fl AS (
                SELECT department, count(*) AS due,
                       count(*) FILTER (WHERE (reviewed_at \(unsafeRaw: shanghai) <= review_due) AS on_time
                FROM fd WHERE review_due BETWEEN \(yearStart) AND \(asOf) GROUP BY 1),
            ar AS (
                SELECT (ww_department_of_project(k.region_code, k.project_code))[1] AS department,
                       sum(t.owed_fen) AS owed, sum(t.recovered_fen) AS recovered
                FROM cases k JOIN case_totals t ON t.region_code = k.region_code AND t.case_id = k.id
                WHERE k.accepted_on BETWEEN \(yearStart) AND \(asOf) AND \(inRegion("k"))
                GROUP BY 1)
            SELECT d.code,
                   coalesce(cp.due, 0)::bigint AS cp_due, coalesce(cp.on_time, 0)::bigint AS cp_on_time,
                   coalesce(cs.due, 0)::bigint AS cs_due, coalesce(cs.on_time, 0)::bigint AS cs_on_time,
                   coalesce(fl.due, 0)::bigint AS fl_due, coalesce(fl.on_time, 0)::bigint AS fl_on_time,
                   coalesce(ar.owed, 0)::bigint AS owed, coalesce(ar.recovered, 0)::bigint AS recovered
            FROM departments d
            LEFT JOIN cp ON cp.department = d.code LEFT JOIN cs ON cs.department = d.code
            LEFT JOIN fl ON fl.department = d.code LEFT JOIN ar ON ar.department = d.code
            """).map { row in
            ScorecardRow(
                department: try row.decode("code"), complaintsDue: try row.decode("cp_due"),
                complaintsOnTime: try row.decode("cp_on_time"), casesDue: try row.decode("cs_due"),
                casesOnTime: try row.decode("cs_on_time"), flagsDue: try row.decode("fl_due"),
                flagsOnTime: try row.decode("fl_on_time"), owedFen: try row.decode("owed"),
                recoveredFen: try row.decode("recovered"))
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

        let absconded = try connection.query("""
            SELECT m.name AS employer_name, count(*)::bigint AS n, sum(c.workers_involved)::bigint AS workers,
                   sum(c.amount_owed_fen)::bigint AS owed
            FROM complaints c JOIN employers m ON m.region_code = c.region_code AND m.id = c.employer_id
            WHERE c.employer_absconded AND c.received_on BETWEEN \(start) AND \(end) AND \(inRegion("c"))
            GROUP BY c.region_code, m.id, m.name
            ORDER BY sum(c.amount_owed_fen) DESC, m.name, c.region_code, m.id
            """).map { row in
            AbscondedRow(
                employerName: try row.decode("employer_name"), complaints: try row.decode("n"),
                workersInvolved: try row.decode("workers"), owedFen: try row.decode("owed"))
        }

        let departments = try connection.query("SELECT code, name_zh, name_en FROM departments").map { row in
            DepartmentName(code: try row.decode("code"), nameZh: try row.decode("name_zh"), nameEn: try row.decode("name_en"))
        }.sorted { (order(departmentOrder, $0.code), $0.code) < (order(departmentOrder, $1.code), $1.code) }

        let directPayFen = try pay.decode("fen", as: Int64.self)
        let quiet = weekTotals.isZero && levels.allSatisfy { $0.raised == 0 && $0.acknowledged == 0 }
            && flags.allSatisfy { $0.raised == 0 && $0.reviewed == 0 } && deadlines.allSatisfy { $0.breached == 0 }
            && directPayFen == 0 && sanctions.isEmpty && absconded.isEmpty
        return WeeklyReport(
            week: week, region: region, asOf: asOf, totals: weekTotals, yearToDate: ytdTotals, trend: trend,
            escalations: levels, openEscalations: openEscalations, flagsByDepartment: flags,
            deadlinesBreached: deadlines, scorecard: scorecard, directPayFen: directPayFen,
            directPayments: try pay.decode("n", as: Int64.self), sanctions: sanctions, abscondedEmployers: absconded,
            departments: departments, zeroReport: quiet)
    }

    /// Where `value` sits in a fixed order (unknown values last).
    static func order(_ list: [String], _ value: String) -> Int { list.firstIndex(of: value) ?? list.count }
}
