import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("The numbers the database's functions use come from its settings table, written from the configuration")
struct SettingsTests {
    static func stored(_ db: Connection) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try db.query("SELECT key, value FROM settings").map {
            (try $0.decode("key", as: String.self), try $0.decode("value", as: String.self))
        })
    }

    @Test("a migrated database holds exactly the configuration's settings; a change is written once and audited")
    func storedFromConfiguration() async throws {
        try await TestDatabase.withFresh { db, _ in
            #expect(try Self.stored(db) == Configuration.defaults.databaseSettings)
            #expect(try Configuration.defaults.settingsDrift(on: db) == [])
            #expect(try Configuration.defaults.storeSettings(on: db) == 0)

            var county = Configuration.defaults
            county.escalations.e1.workers = 20
            county.rules.r7.workersTotalFen = 5_000_000
            #expect(try county.settingsDrift(on: db) == ["criminal_workers_fen", "e1_workers"])
            let before: Int64 = try db.query("SELECT count(*) AS n FROM audit_log WHERE table_name = 'settings'").one().decode("n")
            #expect(try county.storeSettings(on: db) == 2)
            #expect(try Self.stored(db)["e1_workers"] == "20")
            #expect(try county.settingsDrift(on: db) == [])
            let after: Int64 = try db.query("SELECT count(*) AS n FROM audit_log WHERE table_name = 'settings'").one().decode("n")
            #expect(after == before + 2)
        }
    }

    @Test("a session setting changes nothing: the hotline cannot switch escalations off, nor write the settings")
    func notSettableBySession() async throws {
        try await TestDatabase.withFresh { db, _ in
            try db.query("SELECT set_config('role', 'hotline_li', false)")
            // What anyone could SET before the settings table: thresholds and keywords.
            try db.query("SELECT set_config('wagewatch.e1_workers', '1000', false), set_config('wagewatch.keywords', 'x', false)")
            let result = try ComplaintIntake().add(
                try complaint(employer: "八十人公司", workers: 80, amount: "30000", text: "工人们要去堵路"), on: db)
            let reasons = try db.query("SELECT reason FROM escalations WHERE complaint_id = \(result.id) ORDER BY reason")
                .map { try $0.decode("reason", as: String.self) }
            #expect(reasons == ["mass_incident_workers", "protest_keywords"])
            #expect {
                try db.query("UPDATE settings SET value = '1000' WHERE key = 'e1_workers'")
            } throws: { ($0 as? PostgresError)?.code == .insufficientPrivilege }
            var switchedOff = Configuration.defaults
            switchedOff.escalations.e1.workers = 1000
            #expect {
                try switchedOff.storeSettings(on: db)
            } throws: { ($0 as? PostgresError)?.code == .insufficientPrivilege }
            try db.query("RESET ROLE")
            #expect(try Self.stored(db)["e1_workers"] == "10")
        }
    }

    @Test("a setting missing from the database is an error naming it, never a default of the SQL's own")
    func missingSettingIsAnError() async throws {
        try await TestDatabase.withFresh { db, _ in
            try db.query("DELETE FROM settings WHERE key = 'e1_workers'")
            var caught: (any Error)?
            do {
                _ = try ComplaintIntake().add(try complaint(workers: 12), on: db)
            } catch {
                caught = error
            }
            let error = try #require(caught as? PostgresError)
            #expect(error.message.contains("e1_workers"), "\(error.message)")
            #expect(try db.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int64.self) == 0)
        }
    }
}
