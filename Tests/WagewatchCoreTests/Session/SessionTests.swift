import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("The Session: one way to the database")
struct SessionTests {
    /// A configuration that differs from the defaults, so a lost setting shows.
    static var configuration: Configuration {
        var c = Configuration.defaults
        c.escalations.e1.workers = 7
        return c
    }

    static func state(of session: Session) throws -> (role: String, actor: String, e1: Int) {
        let row = try session.connection.query("""
            SELECT current_user::text AS role, current_setting('wagewatch.actor') AS actor
            """).one()
        return (try row.decode("role"), try row.decode("actor"), session.configuration.escalations.e1.workers)
    }

    @Test("a session acts as its user with its configuration, and after its connection is killed a reopened one acts the same")
    func reopenedAfterKill() async throws {
        try await TestDatabase.withFresh { admin, conninfo in
            let pinned = Date(timeIntervalSince1970: 1_771_000_000)
            let request = Session.Request(
                connect: { try Connection(conninfo) }, actingAs: "zhang_jiancha", configuration: Self.configuration,
                pinnedNow: pinned, region: "410102")
            let session = try Session.open(request, systemNow: Date())
            let before = try Self.state(of: session)
            #expect(before.role == "zhang_jiancha" && before.actor == "zhang_jiancha" && before.e1 == 7)
            #expect(session.now == pinned && session.defaultRegion == "410102")
            // The database works with its own settings (the defaults here), and says where they differ.
            #expect(session.settingsDrift == ["e1_workers"])

            // Kill the session's backend from outside, as a DBA or a failover would.
            let pid: Int32 = try session.connection.query("SELECT pg_backend_pid() AS pid").one().decode("pid")
            try admin.query("SELECT pg_terminate_backend(\(pid))")
            #expect(throws: PostgresError.self) { try session.connection.query("SELECT 1") }

            let reopened = try session.reopened(systemNow: Date())
            defer { reopened.close() }
            let after = try Self.state(of: reopened)
            #expect(after.role == "zhang_jiancha", "reconnected as \(after.role), not the user")
            #expect(after.actor == "zhang_jiancha")
            #expect(after.e1 == 7, "the configuration's settings were lost on reconnect")
            #expect(reopened.settingsDrift == ["e1_workers"])
            #expect(reopened.now == pinned && reopened.defaultRegion == "410102" && reopened.user?.role == .inspector)
            let newPID: Int32 = try reopened.connection.query("SELECT pg_backend_pid() AS pid").one().decode("pid")
            #expect(newPID != pid)
        }
    }

    @Test("without a region asked for, the session's default region is the user's own; an unknown user is refused (6)")
    func regionAndUnknownUser() async throws {
        try await TestDatabase.withFresh { admin, conninfo in
            _ = try UserDirectory().add(name: "li_410122", role: "intake", department: "labor", regionCode: "410122", on: admin)
            let session = try Session.open(
                Session.Request(connect: { try Connection(conninfo) }, actingAs: "li_410122"), systemNow: Date())
            defer { session.close() }
            #expect(session.defaultRegion == "410122")
            #expect(session.actor == "li_410122")
            #expect {
                _ = try Session.open(Session.Request(connect: { try Connection(conninfo) }, actingAs: "nobody_here"),
                                     systemNow: Date())
            } throws: { ($0 as? WagewatchError)?.exitCode == 6 }
            // The service account (no --as) is recorded as system.
            let service = try Session.open(Session.Request(connect: { try Connection(conninfo) }), systemNow: Date())
            defer { service.close() }
            #expect(service.actor == "system" && service.user == nil && service.defaultRegion == nil)
        }
    }
}
