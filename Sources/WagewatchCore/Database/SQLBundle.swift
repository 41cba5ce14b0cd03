import Foundation

/// One SQL file of the schema, named by its path under `sql/`: `0001_baseline.sql`,
/// `functions/ledger.sql`.
public struct SQLScript: Sendable, Hashable {
    public let path: String
    public let sql: String

    public init(path: String, sql: String) {
        self.path = path
        self.sql = sql
    }

    /// When `db migrate` applies a file of `sql/functions/`.
    public enum Phase: Int, Sendable, Comparable {
        /// `name.sql`: functions, before the numbered migrations (tables' defaults, CHECKs and
        /// generated columns call them) and again after the views, with their bodies checked.
        case functions
        /// `name.views.sql`: views, once the tables exist.
        case views
        /// `name.triggers.sql`: triggers, last.
        case triggers

        public static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    public var phase: Phase {
        if path.hasSuffix(".views.sql") { return .views }
        if path.hasSuffix(".triggers.sql") { return .triggers }
        return .functions
    }
}

/// The schema a program migrates to: the numbered migrations (tables and data, never edited once
/// released) and the files of `sql/functions/` (every function, view and trigger, one current
/// definition each, re-applied on every migrate).
public struct SQLBundle: Sendable {
    public let migrations: [Migration]
    public let functions: [SQLScript]

    public init(migrations: [Migration], functions: [SQLScript]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.functions = functions.sorted { $0.path < $1.path }
    }

    /// The `sql/` folder this program was built from, compiled in by the BundleSQL plugin: what
    /// every command migrates to and checks against. Nothing is read from disk.
    public static let bundled: SQLBundle = {
        var migrations: [Migration] = []
        var functions: [SQLScript] = []
        for file in bundledSQLFiles {
            if file.path.hasPrefix("functions/") {
                functions.append(file)
            } else if let migration = try? Migration(fileName: file.path, sql: file.sql) {
                migrations.append(migration)
            } else {
                preconditionFailure("the BundleSQL plugin let through \(file.path), which is not NNNN_name.sql")
            }
        }
        return SQLBundle(migrations: migrations, functions: functions)
    }()

    /// Reads a tree laid out like `sql/`: `NNNN_name.sql` files and, if present, `functions/*.sql`.
    /// For tests that migrate a schema of their own.
    public static func load(from directory: URL) throws -> SQLBundle {
        let migrations = try Migration.load(from: directory)
        let folder = directory.appendingPathComponent("functions", isDirectory: true)
        var functions: [SQLScript] = []
        if FileManager.default.fileExists(atPath: folder.path) {
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".sql") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                functions.append(SQLScript(path: "functions/" + file, sql: text))
            }
        }
        return SQLBundle(migrations: migrations, functions: functions)
    }
}
