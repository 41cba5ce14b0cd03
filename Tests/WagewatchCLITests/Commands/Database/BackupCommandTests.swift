import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// `wagewatch db backup` and `db restore` through the binary (SPEC §11, issue 19 item 2).
@Suite("wagewatch db backup and db restore")
struct BackupCommandTests {
    let env = ["WAGEWATCH_USER": "wang_juzhang", "WAGEWATCH_NOW": "2026-02-23T02:00:00Z"]

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func folder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ww-backup-\(name)-\(UUID().uuidString.prefix(8))")
    }

    @Test("a backup restored into an empty database has every row, an intact audit chain ending at the manifest's hash, and the same weekly report byte for byte")
    func roundTrip() async throws {
        let out = Self.folder("round")
        defer { try? FileManager.default.removeItem(at: out) }
        try await TestDatabase.withFresh { source, conninfo in
            let complaints = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: complaints) }
            try Data("""
                received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,project_code,workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text
                2026-02-17 09:00,410102,12333,,,,郑州宏达建筑劳务有限公司,,12,298万,,,,
                2026-02-18 15:30,410102,12333,王五,13912345678,,新郑市顺利装饰工程队,,2,15000,,,true,

                """.utf8).write(to: complaints)
            let imported = try CLI.run(["import", "complaints", complaints.path], database: conninfo,
                                       environment: env.merging(["WAGEWATCH_USER": "hotline_li"]) { $1 })
            try #require(imported.status == 0, "\(imported.stderr)")

            let backup = try CLI.run(["db", "backup", "--out", out.path, "--json"], database: conninfo)
            try #require(backup.status == 0, "\(backup.stderr)")
            let manifest = try Self.json(backup.stdout)
            let tables = try #require(manifest["tables"] as? [String: Int])
            #expect(tables["public.complaints"] == 2)
            #expect(tables["public.audit_log"] == (try source.query("SELECT count(*) AS n FROM audit_log").one().decode("n", as: Int.self)))
            let audit = try #require(manifest["audit"] as? [String: Any])
            let verified = try CLI.run(["audit", "verify", "--json"], database: conninfo, environment: env)
            try #require(verified.status == 0, "\(verified.stderr)")
            let sourceHash = try Self.json(verified.stdout)["last_hash"] as? String
            #expect(audit["last_hash"] as? String == sourceHash)
            #expect(manifest["schema_version"] as? Int == Migrator.bundled.migrations.last.map { Int($0.version) })
            // The manifest on disk is the one printed.
            let written = try Self.json(String(decoding: try Data(contentsOf: out.appendingPathComponent("manifest.json")), as: UTF8.self))
            #expect(written["dump_sha256"] as? String == manifest["dump_sha256"] as? String)

            let report = ["report", "weekly", "--week", "2026-W08", "--format"]
            let sourceJSON = try CLI.run(report + ["json"], database: conninfo, environment: env)
            let sourceMarkdown = try CLI.run(report + ["md"], database: conninfo, environment: env)
            try #require(sourceJSON.status == 0 && sourceMarkdown.status == 0, "\(sourceJSON.stderr)\(sourceMarkdown.stderr)")
            // A write after the backup is not in the copy.
            let later = try CLI.run(["complaint", "add", "--region", "410102", "--employer-name", "备份之后公司", "--workers", "2",
                                     "--amount", "800"], database: conninfo, environment: ["WAGEWATCH_USER": "hotline_li"])
            try #require(later.status == 0, "\(later.stderr)")

            try await TestDatabase.withEmpty { copy, copyInfo in
                let restored = try CLI.run(["db", "restore", out.path], database: copyInfo)
                try #require(restored.status == 0, "\(restored.stderr)")
                #expect(restored.stdout.contains("audit chain intact"), "\(restored.stdout)")
                #expect(try copy.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == 2)
                #expect(try copy.query("SELECT count(*) AS n FROM complaints WHERE employer_name = '备份之后公司'").one()
                    .decode("n", as: Int.self) == 0)
                let again = try CLI.run(["audit", "verify", "--json"], database: copyInfo, environment: env)
                #expect(again.status == 0, "\(again.stderr)")
                #expect(try Self.json(again.stdout)["last_hash"] as? String == sourceHash)
                let copyJSON = try CLI.run(report + ["json"], database: copyInfo, environment: env)
                let copyMarkdown = try CLI.run(report + ["md"], database: copyInfo, environment: env)
                #expect(copyJSON.status == 0, "\(copyJSON.stderr)")
                #expect(copyJSON.stdout == sourceJSON.stdout)
                #expect(copyMarkdown.stdout == sourceMarkdown.stdout)
                // The copy works: a new complaint goes in as its user, audited and chained.
                let added = try CLI.run(["complaint", "add", "--region", "410102", "--employer-name", "某公司", "--workers", "2",
                                         "--amount", "800"], database: copyInfo, environment: ["WAGEWATCH_USER": "hotline_li"])
                #expect(added.status == 0, "\(added.stderr)")
                #expect(try CLI.run(["audit", "verify"], database: copyInfo, environment: env).status == 0)

                // A second restore over it is refused: the database is not empty.
                let over = try CLI.run(["db", "restore", out.path], database: copyInfo)
                #expect(over.status == 5, "\(over.stderr)")
                #expect(over.stderr.contains("is not empty"), "\(over.stderr)")
                #expect(try copy.query("SELECT count(*) AS n FROM complaints").one().decode("n", as: Int.self) == 3)
            }
        }
    }

    @Test("a damaged archive, a non-empty --out folder and a login that row security filters are refused, and nothing is written")
    func refusals() async throws {
        let out = Self.folder("refused")
        defer { try? FileManager.default.removeItem(at: out) }
        try await TestDatabase.withFresh { _, conninfo in
            let backup = try CLI.run(["db", "backup", "--out", out.path], database: conninfo)
            try #require(backup.status == 0, "\(backup.stderr)")
            #expect(backup.stdout.contains("last hash"), "\(backup.stdout)")

            // The same folder again: refused, the first backup untouched.
            let twice = try CLI.run(["db", "backup", "--out", out.path], database: conninfo)
            #expect(twice.status == 3, "\(twice.stderr)")
            #expect(twice.stderr.contains("--out"), "\(twice.stderr)")

            // One byte of the archive changed.
            let dump = out.appendingPathComponent("wagewatch.dump")
            var bytes = try Data(contentsOf: dump)
            bytes[bytes.count / 2] ^= 0xff
            try bytes.write(to: dump)
            try await TestDatabase.withEmpty { copy, copyInfo in
                let damaged = try CLI.run(["db", "restore", out.path], database: copyInfo)
                #expect(damaged.status == 3, "\(damaged.stderr)")
                #expect(damaged.stderr.contains("SHA-256"), "\(damaged.stderr)")
                #expect(try copy.query("SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'")
                    .one().decode("n", as: Int.self) == 0)
            }

            // A user's own login sees only its rows: a backup as it would be partial.
            let admin = try Connection(try TestDatabase.adminURL())
            defer { admin.close() }
            let database = try Connection(conninfo)
            let name = try database.query("SELECT current_database() AS d").one().decode("d", as: String.self)
            database.close()
            let asUser = admin.conninfo(database: name, user: "hotline_li")
            let partial = Self.folder("partial")
            defer { try? FileManager.default.removeItem(at: partial) }
            let filtered = try CLI.run(["db", "backup", "--out", partial.path], database: asUser)
            #expect(filtered.status == 6, "\(filtered.stderr)")
            #expect(filtered.stderr.contains("row security"), "\(filtered.stderr)")
            #expect(!FileManager.default.fileExists(atPath: partial.appendingPathComponent("wagewatch.dump").path))
        }
    }
}
