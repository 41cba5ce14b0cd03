import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("wagewatch.toml, through the binary")
struct ConfigurationCommandTests {
    let fixedNow = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_USER": "hotline_li"]

    /// A working directory holding `wagewatch.toml` with `toml`, removed afterwards.
    private func withWorkingDirectory<T>(_ toml: String, _ body: (URL) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ww-cli-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try toml.write(to: dir.appendingPathComponent("wagewatch.toml"), atomically: true, encoding: .utf8)
        return try await body(dir)
    }

    @Test("decision_days = 3 in wagewatch.toml gives a decision due 3 working days out; a bad key exits 3 naming it")
    func decisionDaysFromWorkingDirectory() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let due: LocalDate = try db.query("SELECT ww_add_working_days('2026-02-13', 3) AS due").one().decode("due")
            #expect(due.description == "2026-02-25")

            let add = [
                "complaint", "add", "--region", "410102", "--employer-name", "郑州宏达建筑劳务有限公司",
                "--workers", "2", "--amount", "1.2万", "--received-at", "2026-02-13 10:00",
            ]
            try await withWorkingDirectory("[complaints]\ndecision_days = 3\n") { dir in
                // The database works with its settings table (issue 21: nothing a login sets decides):
                // until an administrator migrates with the new file, the hotline still gets 5 days.
                let before = try CLI.run(add, database: conninfo, environment: fixedNow, workingDirectory: dir)
                #expect(before.status == 0, "\(before.stderr)")
                #expect(before.stdout.contains("2026-02-27"), "\(before.stdout)")
                #expect(before.stderr.contains("decision_days"), "the drift is noted: \(before.stderr)")
                let migrate = try CLI.run(["db", "migrate"], database: conninfo, environment: ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z"], workingDirectory: dir)
                #expect(migrate.status == 0, "\(migrate.stderr)")
                let result = try CLI.run(add, database: conninfo, environment: fixedNow, workingDirectory: dir)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("TS-20260213-0002"))
                #expect(result.stdout.contains("2026-02-25"), "\(result.stdout)")
                #expect(!result.stdout.contains("2026-02-27"))
            }

            try await withWorkingDirectory("[complaints]\ndecison_days = 3\n") { dir in
                let result = try CLI.run(add, database: conninfo, environment: fixedNow, workingDirectory: dir)
                #expect(result.status == 3)
                #expect(result.stderr.contains("unknown key \"complaints.decison_days\" in wagewatch.toml"), "\(result.stderr)")
            }

            let missing = try CLI.run(add + ["--config", "/nonexistent/county.toml"], database: conninfo, environment: fixedNow)
            #expect(missing.status == 4)
            #expect(missing.stderr.contains("/nonexistent/county.toml"))

            let count: Int = try db.query("SELECT count(*) AS n FROM complaints").one().decode("n")
            #expect(count == 2)
        }
    }
}
