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
