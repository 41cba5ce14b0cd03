import PostgresClient

/// One kind of CSV file (employers, workers, complaints …) described for ``StagedImport``: its
/// columns, how a record is checked and staged, and the set-based SQL that resolves and applies
/// the staged rows. A new kind is one file declaring a type that conforms.
public protocol ImportKind: Sendable {
    /// The kind as the command line and the summary name it: `workers`, `payroll` …
    static var kind: String { get }
    /// The header the file must have (SPEC §5).
    static var schema: CSVSchema { get }
    /// The session's staging table the checked rows are copied into.
    static var staging: StagingTable { get }

    /// Called once before the transaction: settings the kind needs, checked (default: nothing).
    mutating func start() throws
    /// Creates (or finds) the staging table inside the import's transaction (default: ``StagingTable/prepare(on:)``).
    func prepare(on tx: Connection) throws
    /// Checks one record, recording every problem in `row`; the cells to stage, in the order of
    /// `staging.columns`, or nil when the record is bad.
    mutating func stage(_ row: inout RowCheck) -> [String?]?
    /// Set-based checks over the staged rows (unknown projects, workers …); throws ``ImportProblems``.
    func resolve(on tx: Connection, trace: ImportTrace) throws
    /// Writes the staged rows; the summary's counts.
    func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int]
    /// The error a refused file is reported as (default: the problems themselves).
    static func refusal(_ problems: ImportProblems) -> any Error
}

extension ImportKind {
    public mutating func start() throws {}
    public func prepare(on tx: Connection) throws { try Self.staging.prepare(on: tx) }
    public func resolve(on tx: Connection, trace: ImportTrace) throws {}
    public static func refusal(_ problems: ImportProblems) -> any Error { problems }

    /// Imports the file all or nothing (SPEC §5); a dry run checks and counts, then rolls back.
    public func run(
        path: String, dryRun: Bool, on connection: Connection, progress: ImportProgress? = nil,
        trace: ImportTrace? = nil
    ) throws -> ImportSummary {
        try StagedImport(self).run(path: path, dryRun: dryRun, on: connection, progress: progress, trace: trace)
    }
}

/// A session's temporary staging table: its name, its columns as COPY fills them, and its definition.
public struct StagingTable: Sendable {
    public let name: String
    /// The columns COPY fills, in the order ``ImportKind/stage(_:)`` returns cells.
    public let columns: [String]
    /// The column definitions of `CREATE TEMP TABLE`, or nil when the table is made elsewhere.
    public let definition: String?

    public init(_ name: String, columns: [String], definition: String?) {
        self.name = name
        self.columns = columns
        self.definition = definition
    }

    /// Creates the table for the session if needed and empties it: inside an outer transaction
    /// (a savepoint), rows of an earlier import may still be there. The table belongs to the role
    /// that made it and is granted to PUBLIC, as ww_create_intake_staging does: the kind's door
    /// (sql/functions/import_*.sql), which runs as its owner, reads it, and the next user of a
    /// pooled connection may use it; a temporary table is visible only in its own session.
    func prepare(on tx: Connection) throws {
        guard let definition else { return }
        try tx.executeScript(unsafeSQL: """
            DO $prepare$ BEGIN
                IF to_regclass('pg_temp.\(name)') IS NULL THEN
                    CREATE TEMP TABLE \(name) (\(definition)) ON COMMIT DELETE ROWS;
                    GRANT SELECT, INSERT, DELETE ON pg_temp.\(name) TO PUBLIC;
                END IF;
            END $prepare$;
            DELETE FROM \(name)
            """)
    }

    var copy: SQL { "COPY \(unsafeRaw: name) (\(unsafeRaw: columns.joined(separator: ", "))) FROM STDIN" }
}

/// Phase timings of an import (`WAGEWATCH_TRACE`), written by the caller, who owns the clock.
public typealias ImportTrace = @Sendable (_ what: String) -> Void
