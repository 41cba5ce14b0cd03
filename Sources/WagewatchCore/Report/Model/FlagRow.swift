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
