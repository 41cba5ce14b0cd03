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
    /// Cases closed this year to date, and those of them closed with a disposition that says
    /// the workers were paid (SPEC §10 N3).
    public let casesClosed: Int64
    public let casesClosedPaid: Int64

    public var complaintsOnTimePermille: Int64? { Self.permille(complaintsOnTime, complaintsDue) }
    public var casesOnTimePermille: Int64? { Self.permille(casesOnTime, casesDue) }
    public var flagsOnTimePermille: Int64? { Self.permille(flagsOnTime, flagsDue) }
    public var recoveredPermille: Int64? { Self.permille(recoveredFen, owedFen) }
    public var closedPaidPermille: Int64? { Self.permille(casesClosedPaid, casesClosed) }

    /// part / whole in thousandths, rounded half up, in integers only.
    public static func permille(_ part: Int64, _ whole: Int64) -> Int64? {
        guard whole > 0 else { return nil }
        let (product, overflow) = part.multipliedReportingOverflow(by: 1000)
        if overflow { return part / (whole / 1000 == 0 ? 1 : whole / 1000) }
        return (product + whole / 2) / whole
    }

    /// An integer per-mille as a percentage with one decimal ("87.5%"); "—" when nothing was due.
    /// The report's renderers and the web desk's scorecard page both write shares through it.
    public static func percent(_ permille: Int64?) -> String {
        guard let p = permille else { return "—" }
        return "\(p / 10).\(p % 10)%"
    }

    public var isEmpty: Bool { complaintsDue == 0 && casesDue == 0 && flagsDue == 0 && owedFen == 0 }

    enum CodingKeys: String, CodingKey {
        case department, complaintsDue = "complaints_due", complaintsOnTime = "complaints_on_time"
        case complaintsOnTimePermille = "complaints_on_time_permille", casesDue = "cases_due"
        case casesOnTime = "cases_on_time", casesOnTimePermille = "cases_on_time_permille", flagsDue = "flags_due"
        case flagsOnTime = "flags_on_time", flagsOnTimePermille = "flags_on_time_permille", owedFen = "owed_fen"
        case recoveredFen = "recovered_fen", recoveredPermille = "recovered_permille"
        case casesClosed = "cases_closed", casesClosedPaid = "cases_closed_paid", closedPaidPermille = "cases_closed_paid_permille"
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
        try c.encode(casesClosed, forKey: .casesClosed); try c.encode(casesClosedPaid, forKey: .casesClosedPaid)
        try c.encode(closedPaidPermille, forKey: .closedPaidPermille)
    }
}
