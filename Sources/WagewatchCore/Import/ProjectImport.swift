import PostgresClient

/// Imports projects (SPEC §5 `projects`) all or nothing.
public struct ProjectImport: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    public func run(path: String, dryRun: Bool, on connection: Connection) throws -> ImportSummary {
        var reader = try openCSV(path, ProjectRegistry.schema)
        var problems = ImportProblems()
        var projects: [(line: Int, input: ProjectInput)] = []
        while let record = reader.nextGood(collectingProblemsIn: &problems) {
            switch ProjectInput.parse({ record[$0] }) {
            case .success(let input): projects.append((record.line, input))
            case .failure(let invalid): problems.add(line: record.line, invalid)
            }
        }
        if !problems.isEmpty { throw problems }
        do {
            return try connection.transaction { tx in
                let stored = try ProjectRegistry(configuration: configuration).store(projects, on: tx)
                let summary = ImportSummary(kind: "projects", rows: projects.count, dryRun: dryRun, counts: ["inserted": stored])
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}
