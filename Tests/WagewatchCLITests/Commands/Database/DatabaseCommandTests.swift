import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("wagewatch db")
struct DatabaseCommandTests {
    @Test("db status --json prints the server version and the applied migrations")
    func statusJSON() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let result = try CLI.run(["db", "status", "--json"], database: conninfo)
            #expect(result.status == 0, "\(result.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect((object?["server_version"] as? String)?.hasPrefix("15") == true)
            let migrations = object?["migrations"] as? [[String: Any]] ?? []
            #expect(migrations.first?["name"] as? String == "baseline")
            #expect(migrations.first?["version"] as? Int == 1)
            #expect((object?["pending"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("db migrate on a current schema applies nothing")
    func migrateIdempotent() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let result = try CLI.run(["db", "migrate", "--json"], database: conninfo)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\"applied\" : ["))
            #expect(!result.stdout.contains("0001"))
        }
    }

    @Test("a copy of the binary in an empty folder, run from an empty folder, migrates a new empty database")
    func copiedBinaryMigrates() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-install-\(UUID().uuidString.prefix(8))")
        let installed = folder.appendingPathComponent("bin/wagewatch")
        let empty = folder.appendingPathComponent("cwd", isDirectory: true)
        try FileManager.default.createDirectory(at: installed.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Copied by cp, not in this process: a copy written here leaves its file open for writing
        // in every child another test forks meanwhile (the descriptor is inherited, and kept across
        // exec by a long-running child), so running it failed with ETXTBSY (exit 126) for as long
        // as such a child lived; no retry window is long enough under load. cp's descriptor is its own.
        let copied = try ChildProcess.run(["/bin/cp", CLI.binary.path, installed.path])
        try #require(copied.status == 0, "cp: \(copied.stderr)")
        // Nothing that could point at a source tree: no WAGEWATCH_SQL_DIR, a home of its own.
        var environment = ProcessInfo.processInfo.environment
        for key in ["DATABASE_URL", "WAGEWATCH_SQL_DIR"] { environment.removeValue(forKey: key) }
        environment["WAGEWATCH_HOME"] = folder.appendingPathComponent("home").path
        try await TestDatabase.withEmpty { db, conninfo in
            let run = { (arguments: [String]) in
                try ChildProcess.run([installed.path] + arguments + ["--db", conninfo], environment: environment,
                                     stdin: nil, workingDirectory: empty.path)
            }
            let migrate = try run(["db", "migrate"])
            #expect(migrate.status == 0, "\(migrate.stderr)")
            #expect(migrate.stdout.contains("applied: 0001_baseline"), "\(migrate.stdout)")
            let applied = try db.query("SELECT version, name FROM schema_migrations ORDER BY version").map {
                "\(try $0.decode("version", as: Int32.self)) \(try $0.decode("name", as: String.self))"
            }
            // Every migration the program carries, from the baseline on.
            #expect(applied.first == "1 baseline")
            #expect(applied == Migrator.bundled.migrations.map { "\($0.version) \($0.name)" })
            // The settings the database's functions read, written from the (default) configuration.
            let settings = try db.query("SELECT key, value FROM settings ORDER BY key").map {
                "\(try $0.decode("key", as: String.self))=\(try $0.decode("value", as: String.self))"
            }
            #expect(settings == Configuration.defaults.databaseSettings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            #expect(try db.query("SELECT count(*) AS n FROM schema_functions").one().decode("n", as: Int64.self) == 1)
            for table in ["complaints", "cases", "transfers", "audit_log", "audit_chain.head", "app_grants", "direct_pay_lines"] {
                #expect(try db.query("SELECT to_regclass(\(table)) IS NOT NULL AS present").one().decode("present", as: Bool.self), "\(table)")
            }
            for function in ["ww_post_transfer", "ww_intake_one", "ww_apply_grants", "ww_audit_verify_page", "ww_add_working_days"] {
                #expect(try db.query("SELECT count(*) AS n FROM pg_proc WHERE proname = \(function)").one()
                    .decode("n", as: Int64.self) == 1, "\(function)")
            }
            #expect(try db.query("SELECT to_regclass('case_totals') IS NOT NULL AS present").one().decode("present", as: Bool.self))
            #expect(try db.query("SELECT count(*) AS n FROM pg_trigger WHERE tgname = 'complaints_audit_insert'").one()
                .decode("n", as: Int64.self) == 1)
            #expect(try db.query("SELECT count(*) AS n FROM calendar_days").one().decode("n", as: Int64.self) > 0)
            let status = try run(["db", "status", "--json"])
            #expect(status.status == 0, "\(status.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
            #expect((object?["pending"] as? [Any])?.isEmpty == true, "\(status.stdout)")
            let again = try run(["db", "migrate"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains("nothing to apply"))
        }
    }

    @Test("a command against a database whose functions are older than the program says to run db migrate")
    func staleFunctionsRefused() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try db.executeScript(unsafeSQL: "UPDATE schema_functions SET checksum = 'older'")
            let result = try CLI.run(["audit", "verify"], database: conninfo)
            #expect(result.status != 0)
            #expect(result.stderr.contains("run: wagewatch db migrate"), "\(result.stderr)")
            let migrate = try CLI.run(["db", "migrate"], database: conninfo)
            #expect(migrate.status == 0, "\(migrate.stderr)")
            let again = try CLI.run(["audit", "verify"], database: conninfo)
            #expect(!again.stderr.contains("run: wagewatch db migrate"), "\(again.stderr)")
        }
    }

    @Test("an unknown subcommand is a usage error with exit code 2")
    func usageError() throws {
        let result = try CLI.run(["no-such-command"], database: nil)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no-such-command"))
    }

    @Test("an unreachable database fails with exit code 1 naming the socket")
    func unreachable() throws {
        let result = try CLI.run(["db", "status"], database: "host=/nonexistent/ww port=5999 dbname=x")
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/ww/.s.PGSQL.5999"))
    }

    @Test("the embedded cluster comes up in WAGEWATCH_HOME, answers db status and goes down")
    func embeddedCluster() throws {
        let home = URL(fileURLWithPath: "/tmp").appendingPathComponent("ww-embedded-\(getpid())-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["WAGEWATCH_HOME": home.path]
        let up = try CLI.run(["db", "up", "--fast"], database: nil, environment: env)
        #expect(up.status == 0, "\(up.stderr)")
        defer { _ = try? CLI.run(["db", "down"], database: nil, environment: env) }
        let status = try CLI.run(["db", "status", "--json"], database: nil, environment: env)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"embedded\" : true"))
        #expect(status.stderr.contains("using the embedded PostgreSQL cluster"))
        let down = try CLI.run(["db", "down"], database: nil, environment: env)
        #expect(down.status == 0)
        #expect(down.stdout.contains("stopped"))
    }

    @Test("without a database and without an embedded cluster, a command says how to get one (exit 1) and creates nothing",
          arguments: [["complaint", "list"], ["rules", "run"], ["db", "status"], ["db", "psql", "-c", "SELECT 1"]])
    func noClusterNoDatabase(arguments: [String]) throws {
        let home = URL(fileURLWithPath: "/tmp").appendingPathComponent("ww-none-\(getpid())-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try CLI.run(arguments, database: nil, environment: ["WAGEWATCH_HOME": home.path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("no database"), "\(result.stderr)")
        #expect(result.stderr.contains("wagewatch db up"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("pgdata").path),
                "\(arguments.joined(separator: " ")) created a cluster")
    }

    /// SPEC §11: no other local account reaches the embedded cluster. Run as root (as CI runs):
    /// `nobody` may enter the cluster's home, yet not the socket's folder, so psql as `nobody`
    /// is refused while the same command as root connects.
    @Test("the embedded cluster refuses every other local account (runuser -u nobody)",
          .enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")))
    func embeddedClusterClosed() throws {
        let home = URL(fileURLWithPath: "/tmp").appendingPathComponent("ww-closed-\(getpid())-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: home) }
        let env = ["WAGEWATCH_HOME": home.path]
        let up = try CLI.run(["db", "up", "--fast"], database: nil, environment: env)
        try #require(up.status == 0, "\(up.stderr)")
        defer { _ = try? CLI.run(["db", "down"], database: nil, environment: env) }
        let cluster = LocalCluster(environment: env)
        let psql = try LocalCluster.binary("psql")
        let socket = cluster.socketDirectory.path
        let connect = [psql, "-X", "-At", "-h", socket, "-p", String(cluster.port), "-U", "postgres", "-d", "postgres",
                       "-c", "SELECT 'connected'"]
        func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        // The refusal below is the socket folder's, not a closed parent: nobody can enter the home.
        #expect(try run(["/usr/sbin/runuser", "-u", "nobody", "--", "test", "-x", home.path]).status == 0)
        let mine = try run(connect)
        #expect(mine.status == 0 && mine.output.contains("connected"), "root could not connect: \(mine.output)")
        let theirs = try run(["/usr/sbin/runuser", "-u", "nobody", "--"] + connect)
        #expect(theirs.status != 0, "another local account reached the cluster: \(theirs.output)")
        #expect(theirs.output.contains("Permission denied"), "\(theirs.output)")
        let mode = try FileManager.default.attributesOfItem(atPath: socket)[.posixPermissions] as? Int
        #expect(mode == 0o700)
    }
}

@Suite("wagewatch --help")
struct HelpTests {
    @Test("help explains the program and each command in a bureau's terms, and exits 0", arguments: [
        (["--help"], "有报必接"), (["case", "recover", "--help"], "Example:"), (["directpay", "--help"], "代付到人"), ([], "USAGE"),
    ])
    func help(arguments: [String], expected: String) throws {
        let result = try CLI.run(arguments, database: nil)
        #expect(result.status == 0)
        #expect(result.stdout.contains(expected), "\(result.stdout.prefix(200))")
    }
}

@Suite("Global options")
struct GlobalOptionTests {
    @Test("--db, --as and --json work before the subcommand as well as after it")
    func beforeSubcommand() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let result = try CLI.run(["--db", conninfo, "--as", "hotline_li", "--json", "complaint", "add",
                                      "--region", "410102", "--employer-name", "某公司", "--workers", "2", "--amount", "800"],
                                     database: nil)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try jsonObject(result.stdout)["number"] as? String != nil)
            let actor = try db.query("SELECT created_by FROM complaints").one().decode("created_by", as: String.self)
            #expect(actor == "hotline_li")
        }
    }
}
