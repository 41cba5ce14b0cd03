import Foundation
import PostgresClient
import Testing
import TestSupport

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
            #expect(migrations.first?["name"] as? String == "reference")
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
