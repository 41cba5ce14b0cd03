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
