import PostgresClient

/// A recorded restriction measure against a contractor (S1).
public struct SanctionRecord: Sendable, Codable, Equatable {
    public let id: SanctionID
    public let regionCode: String
    public let contractorUSCC: String?
    public let contractorName: String
    public let measure: String
    public let basis: String
    public let department: String
    public let validFrom: LocalDate
    public let validUntil: LocalDate?
    public let liftedOn: LocalDate?
    public let liftReason: String?
    public let createdBy: String

    enum CodingKeys: String, CodingKey {
        case id, regionCode = "region_code", contractorUSCC = "contractor_uscc", contractorName = "contractor_name"
        case measure, basis, department, validFrom = "valid_from", validUntil = "valid_until"
        case liftedOn = "lifted_on", liftReason = "lift_reason", createdBy = "created_by"
    }

    static let selectColumns: SQL = """
        SELECT s.id, s.region_code, e.uscc AS contractor_uscc, e.name AS contractor_name, s.measure, s.basis,
               s.department, s.valid_from, s.valid_until, s.lifted_on, s.lift_reason, s.created_by
        FROM sanctions s JOIN employers e ON e.region_code = s.region_code AND e.id = s.employer_id
        """

    init(row: Row) throws {
        self = try RowDecoder(row: row).decode()
    }
}
