import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Issue 19 item 5: an existing server, least privilege. The schema's owner sees nothing (row
/// security is forced and no policy names it), so a command run as it must refuse instead of
/// finding nothing, and a rule run must not use up the changes it did not evaluate; the database
/// is closed to logins outside the wagewatch groups.
@Suite("Least privilege on an existing server, through the binary")
struct LeastPrivilegeTests {
    let env = ["WAGEWATCH_REGION": "410102", "WAGEWATCH_NOW": "2026-03-05T02:00:00Z"]

    /// A login that owns every table, view and sequence of the database, as the login that ran
    /// `db migrate` on a bureau's server does, with no users row and no wagewatch group.
    func makeOwner(_ db: Connection) throws -> String {
        let owner = "owner_\(UUID().uuidString.prefix(6).lowercased())"
        try db.query("CREATE ROLE \(identifier: owner) LOGIN")
        try db.query("""
            DO $$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'p') LOOP
                    EXECUTE format('ALTER %s %I OWNER TO \(unsafeRaw: owner)', CASE r.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, r.relname);
                END LOOP;
            END $$
            """)
        return owner
    }

    @Test("rules run as the schema owner refuses (exit 6), names the service login and leaves the changed subjects")
    func ownerRuleRun() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let owner = try makeOwner(db)
            defer { _ = try? db.query("DROP OWNED BY \(identifier: owner)"); _ = try? db.query("DROP ROLE \(identifier: owner)") }
            try db.query("INSERT INTO rule_dirty (region_code, kind, subject_id) VALUES ('410102', 'project', 1), ('410102', 'employer', 2)")
            let asOwner = conninfo + " user='\(owner)'"
            let run = try CLI.run(["rules", "run"], database: asOwner, environment: env)
            #expect(run.status == 6, "exit \(run.status): \(run.stdout) \(run.stderr)")
            #expect(run.stderr.contains("ww_service"), "\(run.stderr)")
            #expect(run.stderr.contains(owner), "\(run.stderr)")
            let dirty: Int = try db.query("SELECT count(*)::int AS n FROM rule_dirty").one().decode("n")
            #expect(dirty == 2, "the owner's rule run used up \(2 - dirty) changed subject(s)")
            let runs: Int = try db.query("SELECT count(*)::int AS n FROM rule_runs").one().decode("n")
            #expect(runs == 0, "the owner's refused run was recorded")

            // Any other command as the owner refuses too, instead of printing 0 rows.
            let list = try CLI.run(["complaint", "list"], database: asOwner, environment: env)
            #expect(list.status == 6, "complaint list as the owner: exit \(list.status): \(list.stdout) \(list.stderr)")
            // …while the schema's own commands still work for it.
            let status = try CLI.run(["db", "status"], database: asOwner, environment: env)
            #expect(status.status == 0, "db status as the owner: \(status.stderr)")

            // The service login of the units (an administrator, no CREATEROLE) runs the rules and
            // evaluates what changed.
            let added = try CLI.run(["user", "add", "svc_\(owner)", "--role", "admin", "--department", "county_office"],
                                    database: conninfo, environment: env)
            #expect(added.status == 0, "\(added.stderr)")
            defer { _ = try? db.query("DROP OWNED BY \(identifier: "svc_" + owner)") }
            let service = try CLI.run(["rules", "run"], database: conninfo + " user='svc_\(owner)'", environment: env)
            #expect(service.status == 0, "rules run as the service login: \(service.stderr)")
            let left: Int = try db.query("SELECT count(*)::int AS n FROM rule_dirty").one().decode("n")
            #expect(left == 0)
        }
    }

    @Test("db migrate closes the database to PUBLIC: a login outside the wagewatch groups cannot connect, a user can")
    func connectRevoked() async throws {
        try await TestDatabase.withEmpty { db, conninfo in
            let migrated = try CLI.run(["db", "migrate"], database: conninfo, environment: env)
            #expect(migrated.status == 0, "\(migrated.stderr)")
            let name = "outsider_\(UUID().uuidString.prefix(6).lowercased())"
            try db.query("CREATE ROLE \(identifier: name) LOGIN")
            defer { _ = try? db.query("DROP ROLE \(identifier: name)") }
            let refused = #expect(throws: PostgresError.self) { try Connection(conninfo + " user='\(name)'").close() }
            #expect(refused.map { String(describing: $0) }?.contains("permission denied for database") == true,
                    "\(refused.map { String(describing: $0) } ?? "connected")")
            // A user's login connects through its group's grant.
            let login = "hot_\(name)"
            let added = try CLI.run(["user", "add", login, "--role", "intake", "--department", "labor"],
                                    database: conninfo, environment: env)
            #expect(added.status == 0, "\(added.stderr)")
            try Connection(conninfo + " user='\(login)'").close()
            // The web desk's login (NOINHERIT: granted by name, not through a group).
            let desk = try Connection(conninfo + " user='wagewatch_authenticator'")
            desk.close()
        }
    }
}
