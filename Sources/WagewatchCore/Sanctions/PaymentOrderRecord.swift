import PostgresClient

/// An order to pay wages by a deadline (责令限期支付), which blacklisting needs (S2).
public struct PaymentOrderRecord: Sendable, Codable, Equatable {
    public let id: PaymentOrderID
    public let regionCode: String
    public let contractorUSCC: String?
    public let contractorName: String
    public let caseID: CaseID?
    public let amountFen: Int64
    public let issuedOn: LocalDate
    public let deadline: LocalDate
    public let basis: String
    public let issuedBy: String

    enum CodingKeys: String, CodingKey {
        case id, regionCode = "region_code", contractorUSCC = "contractor_uscc", contractorName = "contractor_name"
        case caseID = "case_id", amountFen = "amount_fen", issuedOn = "issued_on", deadline, basis
        case issuedBy = "issued_by"
    }

    init(row: Row) throws {
        self = try RowDecoder(row: row).decode()
    }
}
