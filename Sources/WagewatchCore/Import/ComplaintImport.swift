import Foundation
import PostgresClient

/// Imports a complaints CSV (SPEC §5) all or nothing: every row is validated in Swift while it
/// streams into the session's staging table through COPY, and if any row is bad nothing is
/// written and every bad line is reported. The good file then goes through the same set-based
/// intake as a single hotline call.
public struct ComplaintImport: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    public static let schema = CSVSchema(
        required: ComplaintInput.columns.filter { ComplaintInput.requiredColumns.contains($0) },
        optional: ComplaintInput.columns.filter { !ComplaintInput.requiredColumns.contains($0) })

    public func run(path: String, dryRun: Bool, on connection: Connection, progress: ImportProgress? = nil) throws
        -> ImportSummary
    {
        let intake = ComplaintIntake(configuration: configuration)
        do {
            return try connection.transaction { tx in
                try intake.prepareStaging(tx)
                var reader: CSVReader
                reader = try openCSV(path, Self.schema)
                var problems = ImportProblems()
                var rows = 0
                var lastReport = 0
                try tx.copyIn("""
                    COPY intake_staging (line, region_code, received_at, channel, caller_name, caller_phone,
                        employer_uscc, employer_name, name_key, project_code, workers_involved, amount_owed_fen,
                        owed_since, owed_until, employer_absconded, text) FROM STDIN
                    """) { writer in
                    while let record = reader.nextGood(collectingProblemsIn: &problems) {
                        rows += 1
                        if let progress, reader.bytesRead - lastReport > reader.fileSize / 100 {
                            lastReport = reader.bytesRead
                            progress(reader.bytesRead, reader.fileSize)
                        }
                        switch ComplaintInput.parse({ record[$0] }) {
                        case .failure(let invalid):
                            problems.add(line: record.line, invalid)
                        case .success(let input):
                            guard problems.isEmpty else { continue }  // the file fails: stop sending, keep checking
                            try writer.writeRow([
                                String(record.line), input.regionCode, PostgresTimestamp.format(input.receivedAt),
                                input.channel, input.callerName, input.callerPhone, input.employerUSCC,
                                input.employerName, input.employerNameKey, input.projectCode,
                                String(input.workersInvolved), String(input.amountOwedFen),
                                input.owedSince?.description, input.owedUntil?.description,
                                input.employerAbsconded ? "t" : "f", input.text,
                            ])
                        }
                    }
                    if !problems.isEmpty { throw problems }
                }
                progress?(reader.fileSize, reader.fileSize)
                trace("staged \(rows) rows")
                // Fresh statistics, so the planner sees a million staged rows as a million.
                try tx.executeScript(unsafeSQL: "ANALYZE intake_staging")
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
                let summary = ImportSummary(kind: "complaints", rows: rows, dryRun: dryRun, counts: counts)
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}

/// Opens a CSV file, turning a header or file error into the import's problem list.
func openCSV(_ path: String, _ schema: CSVSchema) throws -> CSVReader {
    do throws(CSVError) {
        return try CSVReader(path: path, schema: schema)
    } catch {
        var problems = ImportProblems()
        problems.add(error)
        throw problems
    }
}

extension CSVReader {
    /// The next good record; bad ones, and an error that ends the file, go to `problems`.
    mutating func nextGood(collectingProblemsIn problems: inout ImportProblems) -> CSVRecord? {
        while true {
            do throws(CSVError) {
                switch try next() {
                case nil: return nil
                case .success(let record)?: return record
                case .failure(let error)?: problems.add(error)
                }
            } catch {
                problems.add(error)
                return nil
            }
        }
    }
}

/// Phase timings on stderr when `WAGEWATCH_TRACE` is set, for profiling imports.
func trace(_ what: String) {
    guard ProcessInfo.processInfo.environment["WAGEWATCH_TRACE"] != nil else { return }
    FileHandle.standardError.write(Data("[\(PostgresTimestamp.format(Date()))] \(what)\n".utf8))
}
