/// What an import stored (or, for a dry run, would store).
public struct ImportSummary: Sendable, Encodable, Equatable {
    public let kind: String
    public let rows: Int
    public let dryRun: Bool
    /// Counts by outcome or action, e.g. `pending`, `refused`, `merged` for complaints;
    /// `inserted`, `updated` for employers.
    public let counts: [String: Int]

    public init(kind: String, rows: Int, dryRun: Bool, counts: [String: Int]) {
        self.kind = kind
        self.rows = rows
        self.dryRun = dryRun
        self.counts = counts
    }

    enum CodingKeys: String, CodingKey { case kind, rows, dryRun = "dry_run", counts }
}

/// Reports how far an import has read, for a progress bar on stderr.
public typealias ImportProgress = @Sendable (_ bytesRead: Int, _ fileSize: Int) -> Void

/// Thrown inside an import's transaction to roll a dry run back while keeping its summary.
struct DryRunRollback: Error {
    let summary: ImportSummary
}

extension ImportProblems {
    /// Adds every error of a validation failure under this line.
    mutating func add(line: Int, _ problems: ValidationProblems) {
        for error in problems.errors { add(line: line, error) }
    }
}
