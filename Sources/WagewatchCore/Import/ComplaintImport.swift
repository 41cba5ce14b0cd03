import PostgresClient

/// Imports a complaints CSV (SPEC §5) all or nothing: every row is validated in Swift while it
/// streams into the session's staging table through COPY, and if any row is bad nothing is
/// written and every bad line is reported. The good file then goes through the same set-based
/// intake as a single hotline call.
public struct ComplaintImport: ImportKind {
    public let configuration: Configuration

    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    public static let kind = "complaints"
    public static let schema = CSVSchema(
        required: ComplaintInput.columns.filter { ComplaintInput.requiredColumns.contains($0) },
        optional: ComplaintInput.columns.filter { !ComplaintInput.requiredColumns.contains($0) })
    /// Made by `ww_create_intake_staging`, shared with the single intake, and emptied by `ww_intake_staged`.
    public static let staging = StagingTable(
        "intake_staging",
        columns: ["line", "region_code", "received_at", "channel", "caller_name", "caller_phone", "employer_uscc",
                  "employer_name", "name_key", "project_code", "workers_involved", "amount_owed_fen", "owed_since",
                  "owed_until", "employer_absconded", "text"],
        definition: nil)

    public func prepare(on tx: Connection) throws {
        try ComplaintIntake(configuration: configuration).prepareStaging(tx)
    }

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        let record = row.record
        switch ComplaintInput.parse({ record[$0] }) {
        case .failure(let invalid):
            row.add(invalid)
            return nil
        case .success(let input):
            return [
                String(record.line), input.regionCode, PostgresTimestamp.format(input.receivedAt),
                input.channel, input.callerName, input.callerPhone, input.employerUSCC,
                input.employerName, input.employerNameKey, input.projectCode,
                String(input.workersInvolved), String(input.amountOwedFen),
                input.owedSince?.description, input.owedUntil?.description,
                input.employerAbsconded ? "t" : "f", input.text,
            ]
        }
    }

    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        let c = configuration.complaints
        var counts: [String: Int] = [:]
        for row in try tx.query("""
            SELECT coalesce(o_outcome, 'pending') AS outcome, count(*) AS n
            FROM ww_intake_staged(\(Int32(c.decisionDays)), \(Int32(c.timeBarMonths)), \(Int32(c.mergeWindowDays)))
            GROUP BY 1
            """) {
            counts[try row.decode("outcome")] = try row.decode("n")
        }
        trace("intake done")
        return counts
    }
}
