/// An employer reported as absconded (欠薪逃匿) in complaints received in a period (the week, or
/// the year to date): how many such complaints, workers and yuan, and the first day one came in.
public struct AbscondedRow: Sendable, Encodable, Equatable {
    public let employerName: String
    public let complaints: Int64
    public let workersInvolved: Int64
    public let owedFen: Int64
    public let firstReportedOn: String
    enum CodingKeys: String, CodingKey {
        case employerName = "employer_name", complaints, workersInvolved = "workers_involved", owedFen = "owed_fen"
        case firstReportedOn = "first_reported_on"
    }
}
