/// One week of the 12-week trend.
public struct TrendPoint: Sendable, Encodable, Equatable {
    public let week: String
    public let complaints: Int64
    public let owedFen: Int64
    enum CodingKeys: String, CodingKey { case week, complaints, owedFen = "owed_fen" }
}
