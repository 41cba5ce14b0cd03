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
