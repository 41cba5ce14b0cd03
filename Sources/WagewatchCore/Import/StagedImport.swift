import PostgresClient

/// The one driver every ``ImportKind`` runs through: open the file, check every record while it
/// streams through COPY into the kind's staging table, report every bad line and write nothing
/// if there is one, resolve and apply set-based, empty the staging table, roll a dry run back.
public struct StagedImport<Kind: ImportKind>: Sendable {
    public let kind: Kind

    public init(_ kind: Kind) { self.kind = kind }

    public func run(
        path: String, dryRun: Bool, on connection: Connection, progress: ImportProgress? = nil,
        trace: ImportTrace? = nil
    ) throws -> ImportSummary {
        var kind = self.kind
        try kind.start()
        let trace = trace ?? { _ in }
        do {
            return try connection.transaction { tx in
                try kind.prepare(on: tx)
                let staging = Kind.staging
                var reader = try openCSV(path, Kind.schema)
                var problems = ImportProblems()
                var rows = 0
                var lastReport = 0
                try tx.copyIn(staging.copy) { writer in
                    while let record = reader.nextGood(collectingProblemsIn: &problems) {
                        if let progress, reader.bytesRead - lastReport > reader.fileSize / 100 {
                            lastReport = reader.bytesRead
                            progress(reader.bytesRead, reader.fileSize)
                        }
                        var row = RowCheck(record)
                        let cells = kind.stage(&row)
                        problems.add(row)
                        // A bad file sends nothing more but keeps checking, to report every bad line.
                        guard problems.isEmpty, let cells else { continue }
                        // A record the kind skips without a problem (a calendar line of empty cells) is not counted.
                        rows += 1
                        try writer.writeRow(cells)
                    }
                    if !problems.isEmpty { throw problems }
                }
                progress?(reader.fileSize, reader.fileSize)
                trace("staged \(rows) \(Kind.kind) rows")
                // Fresh statistics, so the planner sees a million staged rows as a million.
                try tx.executeScript(unsafeSQL: "ANALYZE \(staging.name)")
                try kind.resolve(on: tx, trace: trace)
                let counts = try kind.apply(on: tx, rows: rows, trace: trace)
                trace("applied \(Kind.kind)")
                try tx.executeScript(unsafeSQL: "DELETE FROM \(staging.name)")
                let summary = ImportSummary(kind: Kind.kind, rows: rows, dryRun: dryRun, counts: counts)
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        } catch let problems as ImportProblems {
            throw Kind.refusal(problems)
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
