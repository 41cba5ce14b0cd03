import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("Migrations")
struct MigratorTests {
    private func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ww-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test("the shipped migrations apply in order and a second run applies nothing")
    func shippedMigrationsIdempotent() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let migrator = Migrator(migrations: try Migration.load(from: TestDatabase.migrationsFolder))
            let first = try migrator.migrate(db)
            #expect(first.count == migrator.migrations.count)
            #expect(first.map(\.version) == first.map(\.version).sorted())
            #expect(try migrator.migrate(db).isEmpty)
            #expect(try migrator.applied(db).count == migrator.migrations.count)
        }
    }

    @Test("an applied migration that was edited is refused, naming it")
    func editedMigrationRefused() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let original = try folder(["0001_first.sql": "CREATE TABLE a (x int);"])
            try Migrator(migrations: try Migration.load(from: original)).migrate(db)
            let edited = try folder([
                "0001_first.sql": "CREATE TABLE a (x bigint);",
                "0002_second.sql": "CREATE TABLE b (y int);",
            ])
            #expect {
                try Migrator(migrations: try Migration.load(from: edited)).migrate(db)
            } throws: { error in
                String(describing: error).contains("0001_first") && String(describing: error).contains("edited")
            }
            // Nothing after the refusal was applied.
            #expect(try db.query("SELECT to_regclass('b') IS NULL AS absent").one().decode("absent", as: Bool.self))
        }
    }

    @Test("a failing migration leaves no trace and is not recorded")
    func failingMigrationRollsBack() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let broken = try folder([
                "0001_ok.sql": "CREATE TABLE ok (x int);",
                "0002_broken.sql": "CREATE TABLE half (x int); SELECT no_such_function();",
            ])
            #expect(throws: PostgresError.self) { try Migrator(migrations: try Migration.load(from: broken)).migrate(db) }
            let applied = try Migrator(migrations: []).applied(db)
            #expect(applied.map(\.version) == [1])
            #expect(try db.query("SELECT to_regclass('half') IS NULL AS absent").one().decode("absent", as: Bool.self))
        }
    }

    @Test("files not named NNNN_name.sql are refused")
    func badFileName() throws {
        let bad = try folder(["first.sql": "SELECT 1;"])
        #expect(throws: WagewatchError.self) { try Migration.load(from: bad) }
    }
}
