import Foundation
import PostgresClient
import WagewatchCore

/// Databases for tests: each test gets its own, cloned from a template that was migrated once
/// per test process, and dropped afterwards. Needs `DATABASE_URL` (set by `./scripts/test`).
public enum TestDatabase {
    /// The repository's `sql/` folder: what the program's bundled SQL is built from (the program
    /// itself never reads it; tests compare the bundle with it).
    public static let migrationsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sql", isDirectory: true)

    /// The repository root (for running the built binary).
    public static let repositoryRoot = migrationsFolder.deletingLastPathComponent()

    /// The administrative URL the tests were given.
    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw PostgresError(kind: .usage, message: "DATABASE_URL is not set: run the tests with ./scripts/test")
        }
        return url
    }

    /// Runs `body` with a connection to a fresh, fully migrated database and that database's
    /// conninfo (for second connections or the CLI). The database is dropped afterwards.
    public static func withFresh<T>(
        _ body: (Connection, String) async throws -> T
    ) async throws -> T {
        let template = try await Template.shared.name()
        let admin = try Connection(try adminURL())
        defer { admin.close() }
        let name = "ww_test_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        try admin.query("CREATE DATABASE \(identifier: name) TEMPLATE \(identifier: template)")
        let conninfo = admin.conninfo(database: name)
        let result: T
        do {
            let connection = try Connection(conninfo)
            defer { connection.close() }
            result = try await body(connection, conninfo)
        } catch {
            _ = try? admin.query("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
            throw error
        }
        try admin.query("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        return result
    }

    /// Runs `body` with an empty (unmigrated) database, dropped afterwards.
    public static func withEmpty<T>(_ body: (Connection, String) async throws -> T) async throws -> T {
        let admin = try Connection(try adminURL())
        defer { admin.close() }
        let name = "ww_empty_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        try admin.query("CREATE DATABASE \(identifier: name) TEMPLATE template0")
        defer { _ = try? admin.query("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
        let conninfo = admin.conninfo(database: name)
        let connection = try Connection(conninfo)
        defer { connection.close() }
        return try await body(connection, conninfo)
    }

    /// Users every test database has: the names the CLI tests act as.
    public static let standardUsers: [(name: String, role: String, department: String)] = [
        ("hotline_li", "intake", "labor"),
        ("zhang_jiancha", "inspector", "labor"),
        ("wang_juzhang", "official", "labor"),
        ("juzhang_wang", "official", "county_office"),
    ]

    /// The migrated template, made once per test process.
    actor Template {
        static let shared = Template()
        private var made: String?

        func name() throws -> String {
            if let made { return made }
            let name = "ww_template_\(getpid())"
            let admin = try Connection(try TestDatabase.adminURL())
            defer { admin.close() }
            try admin.query("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
            try admin.query("CREATE DATABASE \(identifier: name) TEMPLATE template0")
            let connection = try Connection(admin.conninfo(database: name))
            try Migrator.bundled.migrate(connection)
            // The numbers the database's functions read (sql/0002_settings.sql), as `db migrate` writes them.
            try Configuration.defaults.storeSettings(on: connection)
            // The acting users of the CLI tests (`--as` is SET ROLE, so each must be a real user).
            for user in TestDatabase.standardUsers {
                _ = try UserDirectory().add(name: user.name, role: user.role, department: user.department,
                                            regionCode: nil, on: connection)
            }
            connection.close()
            made = name
            return name
        }
    }
}

/// Runs `count` blocking jobs on their own threads at once and waits for all of them, so that
/// jobs which wait on each other (locks, notifications) never starve Swift's small thread pool.
public func runOnThreads(_ count: Int, _ job: @escaping @Sendable (Int) throws -> Void) throws {
    let group = DispatchGroup()
    let errors = ErrorBox()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            defer { group.leave() }
            do { try job(index) } catch { errors.add(error) }
        }
        thread.start()
    }
    group.wait()
    if let first = errors.first { throw first }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [any Error] = []
    func add(_ error: any Error) { lock.withLock { errors.append(error) } }
    var first: (any Error)? { lock.withLock { errors.first } }
}
