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
