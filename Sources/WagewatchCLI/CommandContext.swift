import Foundation
import PostgresClient
import WagewatchCore

/// What every command runs with: the open connection, the acting user, the clock and how to
/// print. Built once per invocation by ``GlobalOptions/context()``.
final class CommandContext {
    let connection: Connection
    let actor: String
    let json: Bool
    let now: Date
    let output: Output
    let configuration: Configuration

    /// Today in Asia/Shanghai, the date every deadline is counted in.
    var today: LocalDate { DateInput.shanghaiDate(of: now) }

    init(connection: Connection, actor: String, json: Bool, now: Date, output: Output, configuration: Configuration) {
        self.configuration = configuration
        self.connection = connection
        self.actor = actor
        self.json = json
        self.now = now
        self.output = output
    }
}

extension GlobalOptions {
    /// The database URL the user asked for, or nil for the embedded cluster.
    var explicitURL: String? {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["DATABASE_URL"], !env.isEmpty { return env }
        return nil
    }

    /// The user asked for with `--as`, else `WAGEWATCH_USER`.
    var requestedUser: String? {
        if let actor, !actor.isEmpty { return actor }
        if let env = ProcessInfo.processInfo.environment["WAGEWATCH_USER"], !env.isEmpty { return env }
        return nil
    }

    /// Opens the database (starting and migrating the embedded cluster when no URL is given),
    /// checks the schema is current and becomes the acting user: `--as NAME` is `SET ROLE NAME`,
    /// which PostgreSQL refuses unless the signed-in login may act as NAME (exit 6). From then
    /// on the database decides what the session may read and change.
    func context() throws -> CommandContext {
        let output = Output(json: json)
        // A bad configuration is reported before anything is started.
        let configuration = try Configuration.resolve(
            explicitPath: config, workingDirectory: FileManager.default.currentDirectoryPath)
        let connection = try openDatabase(output: output)
        let users = UserDirectory()
        let acting = try requestedUser.map { try users.act(as: $0, on: connection) } ?? users.current(on: connection)
        // A registered user acts under their own name; the service account (a superuser login
        // with no --as, as cron runs rule jobs) is recorded as "system".
        let actor: String
        if let acting {
            actor = acting.name
        } else if let requested = requestedUser {
            actor = requested
        } else {
            actor = "system"
        }
        try connection.query("SELECT set_config('wagewatch.actor', \(actor), false)")
        try configuration.applySessionSettings(on: connection)
        return CommandContext(
            connection: connection, actor: actor, json: json, now: try clock(), output: output,
            configuration: configuration)
    }

    /// The current time, or `WAGEWATCH_NOW` (an ISO 8601 instant) for reproducible runs and tests.
    func clock() throws -> Date {
        guard let fixed = ProcessInfo.processInfo.environment["WAGEWATCH_NOW"], !fixed.isEmpty else { return Date() }
        guard let date = PostgresTimestamp.parse(fixed) else {
            throw WagewatchError.invalid("WAGEWATCH_NOW: \"\(fixed)\" is not an ISO 8601 instant")
        }
        return date
    }

    /// Opens the database without checking migrations (for `db` commands).
    func openDatabase(output: Output, checkSchema: Bool = true) throws -> Connection {
        let migrator = Migrator.bundled
        if let url = explicitURL {
            let connection = try Connection(url)
            if checkSchema { try migrator.requireCurrent(connection) } else { _ = try migrator.check(connection) }
            return connection
        }
        let cluster = LocalCluster()
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
