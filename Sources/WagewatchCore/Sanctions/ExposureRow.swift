import PostgresClient

/// One row of the public exposure list (S3): the contractor and its arrears, never a worker.
public struct ExposureRow: Sendable, Encodable, Equatable {
    public let contractorName: String
    public let uscc: String?
    /// What is still outstanding on the contractor's cases, or what they involved once all is paid.
    public let amountFen: Int64
    public let workers: Int
    /// The day the blacklisting or exposure decision took effect.
    public let decisionDate: LocalDate

    enum CodingKeys: String, CodingKey {
        case contractorName = "contractor_name", uscc, amountFen = "amount_fen", workers, decisionDate = "decision_date"
    }

    public init(contractorName: String, uscc: String?, amountFen: Int64, workers: Int, decisionDate: LocalDate) {
        self.contractorName = contractorName
        self.uscc = uscc
        self.amountFen = amountFen
        self.workers = workers
        self.decisionDate = decisionDate
    }
}
