import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("wagewatch token, through the binary")
struct TokenCommandTests {
    @Test("a token is printed once, kept only as its hash, listed without it, and revoked; a user manages only their own")
    func lifecycle() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let hotline = ["WAGEWATCH_USER": "hotline_li"]
            let add = try CLI.run(["token", "add", "callcentre-12333", "--expires", "2099-06-30"], database: conninfo, environment: hotline)
            #expect(add.status == 0, "\(add.stderr)")
            let token = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("ww_") && token.count == 46, "\(token)")
            #expect(add.stderr.contains("shown only now"))
            // Only the hash is stored; the token appears nowhere in the database, the audit log included.
            #expect(try db.query("SELECT count(*)::int AS n FROM api_tokens WHERE token_hash = sha256(convert_to(\(token), 'UTF8'))")
                .one().decode("n", as: Int.self) == 1)
            #expect(try db.query("SELECT count(*)::int AS n FROM audit_log WHERE after::text LIKE '%' || \(token) || '%'")
                .one().decode("n", as: Int.self) == 0)
            #expect(try db.query("SELECT expires_at = '2099-07-01 00:00+08' AS ok FROM api_tokens").one().decode("ok", as: Bool.self))

            let list = try CLI.run(["token", "list", "--json"], database: conninfo, environment: hotline)
            #expect(list.status == 0, "\(list.stderr)")
            let tokens = try jsonArray(list.stdout)
            #expect(tokens.count == 1)
            #expect(tokens.first?["name"] as? String == "callcentre-12333")
            #expect(tokens.first?["user"] as? String == "hotline_li")
            #expect(!list.stdout.contains(token))

            // Another user neither sees nor revokes it; a name twice is a conflict; no --as is a usage error.
            let inspector = ["WAGEWATCH_USER": "zhang_jiancha"]
            #expect(try jsonArray(CLI.run(["token", "list", "--json"], database: conninfo, environment: inspector).stdout).isEmpty)
            #expect(try CLI.run(["token", "revoke", "callcentre-12333"], database: conninfo, environment: inspector).status == 4)
            #expect(try CLI.run(["token", "add", "callcentre-12333"], database: conninfo, environment: hotline).status == 5)
            #expect(try CLI.run(["token", "add", "Bad Name"], database: conninfo, environment: hotline).status == 3)
            #expect(try CLI.run(["token", "add", "x", "--expires", "2020-01-01"], database: conninfo, environment: hotline).status == 3)
            #expect(try CLI.run(["token", "add", "nobody"], database: conninfo, environment: ["WAGEWATCH_USER": ""]).status == 2)

            let revoke = try CLI.run(["token", "revoke", "callcentre-12333"], database: conninfo, environment: hotline)
            #expect(revoke.status == 0, "\(revoke.stderr)")
            #expect(try db.query("SELECT count(*)::int AS n FROM api_tokens WHERE revoked_at IS NOT NULL AND revoked_by = 'hotline_li'")
                .one().decode("n", as: Int.self) == 1)
            // Revoked, the name may be given to a new token.
            #expect(try CLI.run(["token", "add", "callcentre-12333"], database: conninfo, environment: hotline).status == 0)
            // Nobody reads the token table directly, not even an administrator.
            #expect(throws: PostgresError.self) {
                try db.transaction { tx in
                    try tx.query("SET LOCAL ROLE hotline_li")
                    _ = try tx.query("SELECT count(*) FROM api_tokens")
                }
            }
        }
    }
}
