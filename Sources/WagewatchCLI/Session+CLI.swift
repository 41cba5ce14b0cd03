import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// A command that works on the case store: it is handed the command's Session, built once by
/// the runner, and returns what to print. The runner prints it (JSON on stdout with `--json`,
/// else the text) and closes the session: commands neither open connections nor choose formats.
protocol SessionCommand: ParsableCommand {
    var global: GlobalOptions { get }
    func run(_ session: Session) throws -> CommandResult
}

extension SessionCommand {
    func run() throws {
        let output = Output(json: global.json)
        let session = try global.session(output: output)
        defer { session.close() }
        if !session.settingsDrift.isEmpty {
            output.note("note: the configuration differs from the settings the database works with ("
                + session.settingsDrift.joined(separator: ", ")
                + "); the database's apply until an administrator runs: wagewatch db migrate")
        }
        try run(session).print(to: output)
    }
}

/// What a command prints: lines for a person or a value for a program, a summary note for the
/// person (stderr, not with `--json`) and warnings (stderr, always).
struct CommandResult {
    var text: [String]
    var json: (any Encodable)?
    var notes: [String]
    var warnings: [String]
    /// Printed first, then thrown: a command whose result says it failed (exit code of its kind).
    var failure: (any Error)?

    /// A result a program reads as `json` and a person as `text`.
    init(json: (any Encodable)?, text: [String] = [], notes: [String] = [], warnings: [String] = []) {
        self.json = json
        self.text = text
        self.notes = notes
        self.warnings = warnings
    }

    init(json: (any Encodable)?, text: String, notes: [String] = [], warnings: [String] = []) {
        self.init(json: json, text: [text], notes: notes, warnings: warnings)
    }

    /// A result with no JSON form: with `--json` its text goes to stderr.
    static func text(_ lines: String..., notes: [String] = [], warnings: [String] = []) -> CommandResult {
        CommandResult(json: nil, text: lines, notes: notes, warnings: warnings)
    }

    /// Nothing more to print (the command streamed its own output).
    static var none: CommandResult { CommandResult(json: nil) }

    func print(to output: Output) throws {
        for warning in warnings { output.note(warning) }
        if output.json, let json {
            try output.emit(json)
        } else {
            for line in text { output.say(line) }
            for note in notes { output.note(note) }
        }
        if let failure { throw failure }
    }
}

extension GlobalOptions {
    /// The database URL the user asked for, or nil for the embedded cluster.
    var explicitURL: String? {
        if let db, !db.isEmpty { return db }
        return Self.environment("DATABASE_URL")
    }

    /// The user asked for with `--as`, else `WAGEWATCH_USER`.
    var requestedUser: String? {
        if let actor, !actor.isEmpty { return actor }
        return Self.environment("WAGEWATCH_USER")
    }

    /// The region asked for: `WAGEWATCH_REGION` (commands with their own `--region` prefer it).
    var requestedRegion: String? { Self.environment("WAGEWATCH_REGION") }

    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The configuration in force: `--config`, else `./wagewatch.toml`, else the defaults.
    func configuration() throws -> Configuration {
        try Configuration.resolve(explicitPath: config, workingDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The current time, or `WAGEWATCH_NOW` (an ISO 8601 instant) for reproducible runs and tests.
    func pinnedNow() throws -> Date? {
        guard let fixed = Self.environment("WAGEWATCH_NOW") else { return nil }
        guard let date = PostgresTimestamp.parse(fixed) else {
            throw WagewatchError.invalid("WAGEWATCH_NOW: \"\(fixed)\" is not an ISO 8601 instant")
        }
        return date
    }

    /// The instant the command counts as now.
    func clock() throws -> Date { try pinnedNow() ?? Date() }

    /// How this command's Session is opened (and opened again after a lost connection): the
    /// database is started and migrated first when it is the embedded cluster.
    func sessionRequest(output: Output) throws -> Session.Request {
        // A bad configuration is reported before anything is started.
        let configuration = try configuration()
        let pinned = try pinnedNow()
        let first = try openDatabase(output: output)
        // The embedded cluster is the user's own: its settings follow the configuration in force.
        if explicitURL == nil { try configuration.storeSettings(on: first) }
        let url = explicitURL ?? LocalCluster().url()
        // The first connection is handed over once; a reconnect opens a new one.
        let handOver = FirstConnection(first)
        return Session.Request(
            connect: { try handOver.take() ?? Connection(url) },
            actingAs: requestedUser, configuration: configuration, pinnedNow: pinned,
            region: requestedRegion)
    }

    /// Opens the command's Session: the database, then the acting user. A login that sees no
    /// rows is refused (exit 6): see Session.requireSeesRows.
    func session(output: Output) throws -> Session {
        let session = try Session.open(try sessionRequest(output: output), systemNow: Date())
        do {
            try session.requireSeesRows()
        } catch {
            session.close()
            throw error
        }
        return session
    }

    /// The migrations this program carries.
    func migrator() throws -> Migrator { Migrator.bundled }

    /// The database URL for a command that hands it to a PostgreSQL tool (`db backup`,
    /// `db restore`): the one given, or the embedded cluster's, started if it exists.
    func existingDatabaseURL() throws -> String {
        if let url = explicitURL { return url }
        let cluster = LocalCluster()
        try cluster.requireExisting()
        try cluster.up()
        return cluster.url()
    }

    /// Opens the database as the signed-in login (starting and migrating the embedded cluster
    /// when no URL is given); checks the schema is current unless told not to (`db` commands).
    /// Only `db up` and `demo` create the embedded cluster (`mayCreateCluster`); any other
    /// command given no database, where there is no cluster, says how to get one (exit 1)
    /// instead of quietly making a new empty one in the working folder.
    func openDatabase(output: Output, checkSchema: Bool = true, mayCreateCluster: Bool = false) throws -> Connection {
        let migrator = try migrator()
        if let url = explicitURL {
            let connection = try Connection(url)
            do {
                if checkSchema { try migrator.requireCurrent(connection) } else { _ = try migrator.check(connection) }
            } catch {
                connection.close()
                throw error
            }
            return connection
        }
        let cluster = LocalCluster()
        if !mayCreateCluster { try cluster.requireExisting() }
        let steps = try cluster.up()
        output.note("using the embedded PostgreSQL cluster in \(cluster.home.path)")
        for step in steps { output.note(step) }
        let connection = try Connection(cluster.url())
        if checkSchema {
            let applied = try migrator.migrateIfNeeded(connection)
            if !applied.isEmpty { output.note("applied \(applied.count) migration(s)") }
        }
        return connection
    }
}

/// The connection a command opened while checking the schema, used as its Session's first.
private final class FirstConnection: @unchecked Sendable {
    private let lock = NSLock()
    private var connection: Connection?

    init(_ connection: Connection) { self.connection = connection }

    func take() -> Connection? {
        lock.lock()
        defer { lock.unlock() }
        defer { connection = nil }
        return connection
    }
}
