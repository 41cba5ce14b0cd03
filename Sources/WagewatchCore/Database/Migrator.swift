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

    /// A migration from its file name, `NNNN_name.sql`.
    public init(fileName file: String, sql: String) throws {
        let stem = file.hasSuffix(".sql") ? file.dropLast(4) : Substring(file)
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), file.hasSuffix(".sql") else {
            throw WagewatchError.failure("migration file \(file) is not named NNNN_name.sql")
        }
        self.init(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql)
    }

    /// The file's stem, as people name it: `0001_baseline`.
    public var id: String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + name
    }

    /// Reads every `NNNN_name.sql` in a folder, in version order (for tests; the program migrates
    /// with `SQLBundle.bundled`).
    public static func load(from directory: URL) throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw WagewatchError.failure("cannot read migrations folder \(directory.path): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(try Migration(fileName: file, sql: text))
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

/// Brings a database to a bundle's schema, all or nothing in one transaction: the function files
/// (bodies unchecked, since tables' defaults, CHECKs and generated columns need them before the
/// tables exist), each pending migration, the views, the function files again (bodies checked
/// now), the triggers, then `ww_apply_grants()`. Each migration is recorded with the SHA-256 of
/// its text, and the function files with one SHA-256 over all of them. Re-running applies no
/// migration but re-applies every function; an applied migration that was edited is refused.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    public let functions: [SQLScript]

    public init(migrations: [Migration], functions: [SQLScript] = []) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.functions = functions.sorted { $0.path < $1.path }
    }

    public init(_ bundle: SQLBundle) {
        self.init(migrations: bundle.migrations, functions: bundle.functions)
    }

    /// The migrator of the SQL compiled into this program: what every command uses.
    public static var bundled: Migrator { Migrator(.bundled) }

    /// The text whose SHA-256 `schema_functions` records: every function file, named, in order.
    var functionsText: String {
        functions.map { "-- " + $0.path + "\n" + $0.sql + "\n" }.joined()
    }

    /// Applies what is pending and every function file; returns the migrations it applied.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [Migration] {
        // One migrator at a time per database.
        try connection.query("SELECT pg_advisory_lock(hashtext('wagewatch.migrate'))")
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(hashtext('wagewatch.migrate'))") }
        try ensureTables(connection)
        let pending = try check(connection)
        try connection.transaction { tx in
            try tx.executeScript(unsafeSQL: "SET LOCAL check_function_bodies = off")
            try apply(.functions, tx)
            try tx.executeScript(unsafeSQL: "SET LOCAL check_function_bodies = on")
            for migration in pending {
                try tx.executeScript(unsafeSQL: migration.sql)
                try tx.query("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                    """)
            }
            try apply(.views, tx)
            try apply(.functions, tx)
            try apply(.triggers, tx)
            try tx.executeScript(unsafeSQL: """
                DO $$ BEGIN
                    IF to_regprocedure('public.ww_apply_grants()') IS NOT NULL THEN PERFORM ww_apply_grants(); END IF;
                END $$
                """)
            try tx.query("""
                INSERT INTO schema_functions (only_row, checksum, applied_at)
                VALUES (true, encode(sha256(convert_to(\(functionsText), 'UTF8')), 'hex'), now())
                ON CONFLICT (only_row) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = EXCLUDED.applied_at
                """)
        }
        return pending
    }

    /// Migrates only when the schema is not current: for the embedded cluster, which every
    /// command brings up to date itself. Returns the migrations it applied.
    @discardableResult
    public func migrateIfNeeded(_ connection: Connection) throws -> [Migration] {
        if try state(connection).isCurrent { return [] }
        return try migrate(connection)
    }

    private func apply(_ phase: SQLScript.Phase, _ tx: Connection) throws {
        for script in functions where script.phase == phase {
            try tx.executeScript(unsafeSQL: script.sql)
        }
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
        let appliedHere = migrations.filter { byVersion[$0.version] != nil }
        let sums = try connection.query("""
            SELECT v.version, encode(sha256(convert_to(v.sql, 'UTF8')), 'hex') AS sum
            FROM unnest(\(appliedHere.map { Int64($0.version) }), \(appliedHere.map(\.sql))) AS v(version, sql)
            """)
        var bundled: [Int: String] = [:]
        for row in sums { bundled[Int(try row.decode("version", as: Int64.self))] = try row.decode("sum") }
        for migration in appliedHere {
            let record = byVersion[migration.version]!
            let checksum = bundled[migration.version] ?? ""
            if checksum != record.checksum {
                throw WagewatchError.failure(
                    "migration \(migration.id) was edited after it was applied (checksum \(record.checksum.prefix(12)) in the database, \(checksum.prefix(12)) in this program); add a new migration instead of changing an applied one")
            }
        }
        return migrations.filter { byVersion[$0.version] == nil }
    }

    /// Whether the database's functions, views and triggers are this program's: the SHA-256 that
    /// the last migrate recorded equals that of the bundled function files.
    public func functionsAreCurrent(_ connection: Connection) throws -> Bool {
        let row = try connection.query("""
            SELECT to_regclass('schema_functions') IS NOT NULL AS present,
                   encode(sha256(convert_to(\(functionsText), 'UTF8')), 'hex') AS bundled
            """).one()
        guard try row.decode("present", as: Bool.self) else { return functions.isEmpty }
        let bundled: String = try row.decode("bundled")
        let recorded = try connection.query("SELECT checksum FROM schema_functions")
            .map { try $0.decode("checksum", as: String.self) }
        return recorded == [bundled]
    }

    /// What `db migrate` would change: pending migrations and whether the functions are stale.
    public struct State: Sendable {
        public let pending: [Migration]
        public let functionsCurrent: Bool
        public var isCurrent: Bool { pending.isEmpty && functionsCurrent }
    }

    /// The database's schema state; throws if an applied migration was edited or is unknown.
    public func state(_ connection: Connection) throws -> State {
        State(pending: try check(connection), functionsCurrent: try functionsAreCurrent(connection))
    }

    /// Throws, saying to run `wagewatch db migrate`, unless the database has every migration and
    /// the current functions of this program. Every command but `db` calls this.
    public func requireCurrent(_ connection: Connection) throws {
        let state = try state(connection)
        if let first = state.pending.first {
            throw WagewatchError.failure(
                "the database needs \(state.pending.count) migration(s) (from \(first.id)); run: wagewatch db migrate")
        }
        if !state.functionsCurrent {
            throw WagewatchError.failure(
                "the database's functions, views and triggers are not this program's (sql/functions changed); run: wagewatch db migrate")
        }
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

    private func ensureTables(_ connection: Connection) throws {
        try connection.executeScript(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE IF NOT EXISTS schema_functions (
                only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }
}
