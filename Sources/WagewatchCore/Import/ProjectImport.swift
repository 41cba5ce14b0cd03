import PostgresClient

/// Imports projects (SPEC §5 `projects`) all or nothing, streamed into the staging table that
/// `project add` also stores from, and checked and inserted by ``ProjectRegistry`` set-based.
public struct ProjectImport: ImportKind {
    public let configuration: Configuration

    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    public static let kind = "projects"
    public static let schema = ProjectRegistry.schema
    public static let staging = ProjectRegistry.staging

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        let record = row.record
        switch ProjectInput.parse(configuration: configuration, { record[$0] }) {
        case .success(let input):
            return ProjectRegistry.stagingRow(line: record.line, input)
        case .failure(let invalid):
            row.add(invalid)
            return nil
        }
    }

    /// Unknown owners and contractors, codes already registered or repeated in the file.
    public func resolve(on tx: Connection, trace: ImportTrace) throws {
        try ProjectRegistry(configuration: configuration).checkStaged(on: tx)
    }

    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        ["inserted": try ProjectRegistry(configuration: configuration).insertStaged(on: tx)]
    }
}
