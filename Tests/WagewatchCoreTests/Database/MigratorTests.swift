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

    private func folderTree(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ww-sql-\(UUID().uuidString)")
        for (name, text) in files {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test("the shipped migrations apply in order and a second run applies nothing")
    func shippedMigrationsIdempotent() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let migrator = Migrator.bundled
            let first = try migrator.migrate(db)
            #expect(first.count == migrator.migrations.count)
            #expect(first.map(\.version) == first.map(\.version).sorted())
            #expect(try migrator.migrate(db).isEmpty)
            #expect(try migrator.applied(db).count == migrator.migrations.count)
            #expect(try migrator.state(db).isCurrent)
        }
    }

    @Test("the bundled SQL is the repository's sql/ folder, byte for byte")
    func bundleMatchesFolder() throws {
        let folder = try SQLBundle.load(from: TestDatabase.migrationsFolder)
        let bundled = SQLBundle.bundled
        #expect(bundled.migrations.map(\.id) == folder.migrations.map(\.id))
        #expect(bundled.migrations == folder.migrations)
        #expect(bundled.functions.map(\.path) == folder.functions.map(\.path))
        #expect(bundled.functions == folder.functions)
        #expect(bundled.migrations.map(\.version) == Array(1...bundled.migrations.count), "no gap in numbering")
        #expect(!bundled.functions.isEmpty)
    }

    /// Migrations that may define functions, and why: an index stores a function's results, so that
    /// function must never be replaced in place (re-applying sql/functions does that on every
    /// migrate); it is made once, by the migration that makes the index.
    static let functionsAnIndexStores: [String: String] = [
        "0007_complaint_search": "ww_name_grams and ww_grams_contain, stored by complaints_employer_grams",
    ]

    @Test("no numbered migration defines a function, view or trigger: they live in sql/functions")
    func migrationsHoldNoFunctions() throws {
        for migration in SQLBundle.bundled.migrations {
            var text = migration.sql.uppercased()
            if Self.functionsAnIndexStores[migration.id] != nil {
                // Only the functions an index stores: no view, trigger or other function.
                #expect(text.components(separatedBy: "CREATE FUNCTION").count - 1 == 2, "\(migration.id)")
                text = text.replacingOccurrences(of: "CREATE FUNCTION WW_NAME_GRAMS(", with: "")
                    .replacingOccurrences(of: "CREATE FUNCTION WW_GRAMS_CONTAIN(", with: "")
            }
            for word in ["CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", "CREATE VIEW", "CREATE OR REPLACE VIEW",
                         "CREATE TRIGGER", "CREATE OR REPLACE TRIGGER", "CREATE AGGREGATE"] {
                #expect(!text.contains(word), "\(migration.id) has \(word)")
            }
        }
    }

    @Test("every migrate re-applies the functions, so a function changed in the database is put back")
    func functionsReapplied() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let migrator = Migrator.bundled
            try migrator.migrate(db)
            let expected: String = try db.query("SELECT ww_yuan(860000) AS y").one().decode("y")
            try db.executeScript(unsafeSQL: "CREATE OR REPLACE FUNCTION ww_yuan(fen bigint) RETURNS text LANGUAGE sql AS $$ SELECT 'stale' $$")
            try db.executeScript(unsafeSQL: "DROP TRIGGER transfers_append_only ON transfers")
            #expect(try migrator.migrate(db).isEmpty)
            #expect(try db.query("SELECT ww_yuan(860000) AS y").one().decode("y", as: String.self) == expected)
            #expect(try db.query("SELECT count(*) AS n FROM pg_trigger WHERE tgname = 'transfers_append_only'").one().decode("n", as: Int64.self) == 1)
        }
    }

    @Test("a database whose functions are older than the program's is told to run db migrate")
    func staleFunctionsDetected() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let migrator = Migrator.bundled
            try migrator.migrate(db)
            try migrator.requireCurrent(db)
            try db.executeScript(unsafeSQL: "UPDATE schema_functions SET checksum = 'from an older program'")
            #expect(try !migrator.functionsAreCurrent(db))
            #expect(try migrator.check(db).isEmpty, "no migration is pending: only the functions are stale")
            #expect {
                try migrator.requireCurrent(db)
            } throws: { error in
                String(describing: error).contains("run: wagewatch db migrate")
            }
            #expect(try migrator.migrateIfNeeded(db).isEmpty)
            try migrator.requireCurrent(db)
            // A function file that changes is stale too.
            let changed = Migrator(migrations: migrator.migrations,
                                   functions: migrator.functions + [SQLScript(path: "functions/zz.sql", sql: "SELECT 1;")])
            #expect(try !changed.state(db).isCurrent)
        }
    }

    @Test("function files apply before the migrations, views and triggers after them, in one transaction")
    func phases() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let tree = try folderTree([
                "0001_first.sql": "CREATE TABLE a (x int NOT NULL DEFAULT f_default(), y int);",
                "functions/a.sql": """
                    CREATE OR REPLACE FUNCTION f_default() RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int + 7 FROM a $$;
                    CREATE OR REPLACE FUNCTION f_touch() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN NEW.y := NEW.x * 2; RETURN NEW; END $$;
                    """,
                "functions/a.views.sql": "CREATE OR REPLACE VIEW a_view AS SELECT x, y FROM a;",
                "functions/a.triggers.sql": "CREATE OR REPLACE TRIGGER a_touch BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f_touch();",
            ])
            let migrator = Migrator(try SQLBundle.load(from: tree))
            #expect(try migrator.migrate(db).map(\.id) == ["0001_first"])
            try db.executeScript(unsafeSQL: "INSERT INTO a DEFAULT VALUES")
            let row = try db.query("SELECT x, y FROM a_view").one()
            #expect(try row.decode("x", as: Int32.self) == 7)
            #expect(try row.decode("y", as: Int32.self) == 14)
            #expect(try migrator.migrate(db).isEmpty)
            #expect(try migrator.state(db).isCurrent)
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

    @Test("a failing migration leaves no trace: the whole run is one transaction, nothing recorded")
    func failingMigrationRollsBack() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let broken = try folder([
                "0001_ok.sql": "CREATE TABLE ok (x int);",
                "0002_broken.sql": "CREATE TABLE half (x int); SELECT no_such_function();",
            ])
            #expect(throws: PostgresError.self) { try Migrator(migrations: try Migration.load(from: broken)).migrate(db) }
            let applied = try Migrator(migrations: []).applied(db)
            #expect(applied.map(\.version) == [])
            #expect(try db.query("SELECT to_regclass('half') IS NULL AS absent").one().decode("absent", as: Bool.self))
            #expect(try db.query("SELECT to_regclass('ok') IS NULL AS absent").one().decode("absent", as: Bool.self))
        }
    }

    @Test("files not named NNNN_name.sql are refused")
    func badFileName() throws {
        let bad = try folder(["first.sql": "SELECT 1;"])
        #expect(throws: WagewatchError.self) { try Migration.load(from: bad) }
    }
}
