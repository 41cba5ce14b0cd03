import PostgresClient
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
    /// SPEC §3: the absconded employers of the year to date (to the week's Sunday), beside the week's.
    public let abscondedYearToDate: [AbscondedRow]
    public let departments: [DepartmentName]
    public let zeroReport: Bool

    enum CodingKeys: String, CodingKey {
        case week, weekStart = "week_start", weekEnd = "week_end", region, asOf = "as_of", totals
        case yearToDate = "year_to_date", trend, escalations, openEscalations = "open_escalations"
        case flagsByDepartment = "flags_by_department", deadlinesBreached = "deadlines_breached", scorecard
        case directPayFen = "direct_pay_fen", directPayments = "direct_payments", sanctions
        case abscondedEmployers = "absconded_employers", abscondedYearToDate = "absconded_employers_year_to_date"
        case departments, zeroReport = "zero_report"
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
        try c.encode(abscondedYearToDate, forKey: .abscondedYearToDate)
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


    /// Where `value` sits in a fixed order (unknown values last).
    static func order(_ list: [String], _ value: String) -> Int { list.firstIndex(of: value) ?? list.count }
}
