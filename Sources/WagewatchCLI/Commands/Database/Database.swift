import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch db …`: the case store itself.
struct Database: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop, inspect and migrate the bureau's case store (PostgreSQL).",
        discussion: """
            With no --db or DATABASE_URL, wagewatch keeps its data in an embedded PostgreSQL cluster in
            ./.wagewatch (or WAGEWATCH_HOME), reachable only on a unix socket. On the bureau's own server,
            point --db or DATABASE_URL at it and run `db migrate` after each upgrade.

            Examples:
              wagewatch db up && wagewatch db status
              DATABASE_URL=postgresql://wagewatch@db.example.gov.cn/wagewatch wagewatch db migrate
            """,
        subcommands: [Up.self, Down.self, Status.self, Migrate.self, Backup.self, Restore.self, Psql.self, URLCommand.self]
    )

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create and start the embedded cluster, then apply migrations.",
            discussion: "Example: wagewatch db up")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "For throwaway test clusters: turn off fsync and synchronous commit.")
        var fast = false

        func run() throws {
            let output = Output(json: global.json)
            if global.explicitURL != nil {
                output.note("a database URL is set; db up manages only the embedded cluster")
            }
            let cluster = LocalCluster()
            for step in try cluster.up(fast: fast) { output.note(step) }
            let connection = try Connection(cluster.url())
            let migrator = try global.migrator()
            let applied = try migrator.migrate(connection)
            try global.configuration().storeSettings(on: connection)
            output.note("applied \(applied.count) migration(s)")
            output.say("embedded PostgreSQL is up: \(cluster.url())")
        }
    }

    struct Down: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the embedded cluster (the data stays in WAGEWATCH_HOME).",
            discussion: "Example: wagewatch db down")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let cluster = LocalCluster()
            let stopped = try cluster.down()
            Output(json: global.json).say(stopped ? "embedded PostgreSQL stopped" : "embedded PostgreSQL was not running")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the server version and the applied and pending migrations.",
            discussion: "Example: wagewatch db status --json")

        @OptionGroup var global: GlobalOptions

        struct Report: Encodable {
            let serverVersion: String
            let serverVersionNum: Int
            let database: String
            let location: String
            let embedded: Bool
            let migrations: [AppliedMigration]
            let pending: [String]
        }

        func run() throws {
            let output = Output(json: global.json)
            let connection = try global.openDatabase(output: output, checkSchema: false)
            let migrator = try global.migrator()
            let server = try ServerInfo.read(on: connection)
            let report = Report(
                serverVersion: server.version,
                serverVersionNum: server.versionNumber,
                database: server.database,
                location: server.location,
                embedded: global.explicitURL == nil,
                migrations: try migrator.applied(connection),
                pending: try migrator.check(connection).map(\.id))
            if global.json {
                try output.emit(report)
                return
            }
            print("PostgreSQL \(report.serverVersion), database \(report.database) on \(report.location)")
            print("applied migrations: \(report.migrations.count)")
            for m in report.migrations {
                print(String(format: "  %04d_%@  %@", m.version, m.name, String(m.checksum.prefix(12))))
            }
            print(report.pending.isEmpty ? "no pending migrations" : "pending: \(report.pending.joined(separator: ", "))")
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the pending migrations and the current functions, views and triggers, all in one transaction.",
            discussion: """
                Run once after installing or upgrading wagewatch on the bureau's server. The SQL is carried inside
                the program: each numbered migration is applied once and recorded with its SHA-256 (one that was
                edited after it was applied is refused), and every function, view and trigger is re-applied in its
                current definition. A failure leaves the database as it was.

                Example: wagewatch --db postgresql://wagewatch@db.example.gov.cn/wagewatch db migrate
                """)

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let output = Output(json: global.json)
            let connection = try global.openDatabase(output: output, checkSchema: false)
            let migrator = try global.migrator()
            let applied = try migrator.migrate(connection)
            let changed = try global.configuration().storeSettings(on: connection)
            if changed > 0 { output.note("settings: \(changed) value(s) written from the configuration") }
            if global.json {
                try output.emit(["applied": applied.map(\.id)])
            } else {
                output.say(applied.isEmpty ? "nothing to apply: the schema is current"
                    : "applied: " + applied.map(\.id).joined(separator: ", "))
            }
        }
    }

    struct Psql: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open psql on the same database, for ad-hoc queries by the administrator.",
            discussion: """
                Arguments wagewatch does not know itself (-c, -f, -A …) go to psql.

                Example: wagewatch db psql -c "SELECT count(*) FROM complaints WHERE status = 'pending'"
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(parsing: .allUnrecognized, help: "Arguments passed on to psql (e.g. -c \"SELECT …\").")
        var psqlArguments: [String] = []

        func run() throws {
            let output = Output(json: global.json)
            var url: String
            if let explicit = global.explicitURL {
                url = explicit
            } else {
                let cluster = LocalCluster()
                try cluster.requireExisting()
                try cluster.up()
                url = cluster.url()
            }
            // With --as the shell is that user's own login (issue 21, finding 10): not the
            // superuser's connection with a role set, which `RESET ROLE` undoes. On a server with
            // passwords psql asks for that user's. Without it, it is the signed-in login's own shell.
            if let user = global.requestedUser {
                guard user.range(of: "^[a-z_][a-z0-9_]*$", options: .regularExpression) != nil else {
                    throw WagewatchError.invalid("--as: \"\(user)\" is not a user name")
                }
                url = Self.conninfo(url, user: user)
                output.note("psql signs in as \(user)")
            }
            let arguments = ["psql", url] + psqlArguments
            let cArguments = arguments.map { strdup($0) } + [nil]
            execvp("psql", cArguments)
            output.note("cannot start psql: install postgresql-client")
            throw ExitCode(1)
        }

        /// `url` (a URI or key=value connection string) signing in as `user`, without the
        /// password of the login it named.
        static func conninfo(_ url: String, user: String) -> String {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), var components = URLComponents(string: url) else {
                return url + " user='\(user)' password=''"
            }
            components.user = nil
            components.password = nil
            components.queryItems = (components.queryItems ?? []).filter { !["user", "password"].contains($0.name) }
                + [URLQueryItem(name: "user", value: user)]
            return components.string ?? url
        }
    }

    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Back the whole database up into a new folder: a pg_dump archive and its manifest.",
            discussion: """
                Writes DIR/wagewatch.dump (pg_dump's custom format) and DIR/manifest.json: the time, the schema
                version, the rows of every table and the audit chain's last hash, all from the same snapshot as the
                archive. Run it as the server's superuser (or a BYPASSRLS login): row security would hide rows from
                any other login. `db restore` proves a copy against the manifest. For a server that must lose
                nothing between two backups, archive its WAL as well (README: "Backups").

                Example (a new folder each time, kept off the database's own disk):
                  wagewatch db backup --out backups/2026-12-07
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: "A new (or empty) folder for the archive and its manifest.")
        var out: String

        func run() throws {
            let output = Output(json: global.json)
            let url = try global.existingDatabaseURL()
            let folder = URL(fileURLWithPath: out, isDirectory: true)
            let manifest = try DatabaseBackup(url: url).backup(to: folder)
            if global.json {
                try output.emit(manifest)
            } else {
                let rows = manifest.tables.values.reduce(0, +)
                output.say("backed up \(manifest.database) to \(folder.path): schema \(manifest.schemaVersion), "
                    + "\(manifest.tables.count) tables, \(rows) rows, \(manifest.dumpBytes) bytes; "
                    + "audit chain at row \(manifest.audit.lastSeq), last hash \(manifest.audit.lastHash)")
            }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore a `db backup` folder into an empty database, and prove it against the manifest.",
            discussion: """
                Checks the archive's SHA-256, refuses a database that is not empty and a server that lacks the
                backup's roles, loads the archive in one transaction as the superuser (with the audit and guard
                triggers off, so the rows come back as they were, not as new writes), then counts every table and
                verifies the audit chain: each must equal the manifest, or the command fails naming what differs.

                Example (into a database just made with createdb, named by --db or DATABASE_URL):
                  wagewatch db restore backups/2026-12-07
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The folder `db backup --out` wrote.")
        var folder: String

        func run() throws {
            let output = Output(json: global.json)
            let url = try global.existingDatabaseURL()
            let restored = try DatabaseBackup(url: url).restore(from: URL(fileURLWithPath: folder, isDirectory: true))
            if global.json {
                try output.emit(restored)
            } else {
                output.say("restored \(restored.manifest.database) of \(restored.manifest.createdAt): "
                    + "\(restored.tablesChecked) tables with the backup's rows, audit chain intact "
                    + "(\(restored.audit.rowsVerified) rows, last hash \(restored.audit.lastHash), as the manifest says)")
            }
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Print the embedded cluster's connection URL (for scripts).",
            discussion: "Example: psql \"$(wagewatch db url)\"")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            print(LocalCluster().url())
        }
    }
}
