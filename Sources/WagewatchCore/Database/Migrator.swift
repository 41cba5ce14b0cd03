import Foundation
import PostgresClient

/// One schema change: a file `sql/NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The file's stem, as people name it: `0001_reference`.
    public var id: String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }

    /// Reads every `NNNN_name.sql` in a folder, in version order.
    public static func load(from directory: URL) throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw WagewatchError.failure("cannot read migrations folder \(directory.path): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw WagewatchError.failure("migration file \(file) is not named NNNN_name.sql")
            }
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: text))
        }
        let versions = migrations.map(\.version)
        if Set(versions).count != versions.count {
            throw WagewatchError.failure("two migration files in \(directory.path) share a version number")
        }
        return migrations
    }
}

/// A migration recorded as applied.
public struct AppliedMigration: Sendable, Codable, Hashable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: Date
}

/// Applies migrations in order, each in its own transaction, recording a SHA-256 checksum of
/// each file. Re-running applies nothing; a file edited after it was applied is refused.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies what is pending and returns the migrations it applied.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [Migration] {
        // One migrator at a time per database.
        try connection.query("SELECT pg_advisory_lock(hashtext('wagewatch.migrate'))")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(hashtext('wagewatch.migrate'))") }
        try ensureTable(connection)
        let pending = try check(connection)
        for migration in pending {
            try connection.transaction { tx in
                try tx.executeScript(unsafeSQL: migration.sql)
                try tx.query("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                    """)
            }
        }
        return pending
    }

    /// The migrations not yet applied; throws if an applied one was edited or is unknown.
    public func check(_ connection: Connection) throws -> [Migration] {
        let applied = try self.applied(connection)
        let byVersion = Dictionary(uniqueKeysWithValues: applied.map { ($0.version, $0) })
        let known = Set(migrations.map(\.version))
        if let unknown = applied.first(where: { !known.contains($0.version) }) {
            throw WagewatchError.failure(
                "the database has migration \(unknown.version) (\(unknown.name)), which this program does not know: is it older than the database?")
        }
        // Every command checks the schema, so all checksums come back in one round trip.
        let appliedOnDisk = migrations.filter { byVersion[$0.version] != nil }
        let sums = try connection.query("""
            SELECT v.version, encode(sha256(convert_to(v.sql, 'UTF8')), 'hex') AS sum
            FROM unnest(\(appliedOnDisk.map { Int64($0.version) }), \(appliedOnDisk.map(\.sql))) AS v(version, sql)
            """)
        var onDisk: [Int: String] = [:]
        for row in sums { onDisk[Int(try row.decode("version", as: Int64.self))] = try row.decode("sum") }
        for migration in appliedOnDisk {
            let record = byVersion[migration.version]!
            let checksum = onDisk[migration.version] ?? ""
            if checksum != record.checksum {
                throw WagewatchError.failure(
                    "migration \(migration.id) was edited after it was applied (checksum \(record.checksum.prefix(12)) in the database, \(checksum.prefix(12)) on disk); add a new migration instead of changing an applied one")
            }
        }
        let pending = migrations.filter { byVersion[$0.version] == nil }
        return pending
    }

    /// What the database records as applied, oldest first.
    public func applied(_ connection: Connection) throws -> [AppliedMigration] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
            .one().decode("present", as: Bool.self)
        guard exists else { return [] }
        return try connection.query(
            "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version"
        ).map { row in
            AppliedMigration(
                version: try row.decode("version"), name: try row.decode("name"),
                checksum: try row.decode("checksum"), appliedAt: try row.decode("applied_at"))
        }
    }

    private func ensureTable(_ connection: Connection) throws {
        try connection.executeScript(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }
}
