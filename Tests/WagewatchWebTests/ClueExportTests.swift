import Foundation
import PostgresClient
import SampleCounty
import Testing
import TestSupport
import WagewatchCore

/// `export clues` over the sample county (SPEC §10): it lives beside the web tests because their
/// target is the one that builds the sample county.
@Suite("Export upward: clues for the provincial platform, over the sample county")
struct ClueExportTests {
    @Test("every complaint of the range once, in received order, phones masked, no names; csv and json agree and repeat byte for byte")
    func sampleCounty() async throws {
        try await TestDatabase.withFresh { server, _ in
            // The sample county brings its own users: a database of its own, as the demo makes.
            let db = try Connection(try SampleCounty.recreateDatabase(named: "wagewatch_clues", on: server))
            defer { db.close() }
            _ = try Migrator.bundled.migrate(db)
            try Configuration.defaults.storeSettings(on: db)
            let today = LocalDate(year: 2026, month: 3, day: 4)!
            _ = try SampleCounty(today: today).load(on: db) { _ in }
            let from = LocalDate(year: 2025, month: 1, day: 1)!
            let export = ClueExport()
            let rows = try export.rows(from: from, to: today, on: db)
            let expected = try db.query("""
                SELECT count(*) AS n FROM complaints
                WHERE (received_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN \(from) AND \(today)
                """).one().decode("n", as: Int.self)
            #expect(rows.count == expected && expected > 100)
            #expect(Set(rows.map { "\($0.regionCode)/\($0.number)" }).count == rows.count)
            // Received order: the numbers carry the day, so they sort by day too.
            #expect(rows.map(\.receivedOn) == rows.map(\.receivedOn).sorted())
            let phones = try db.query("SELECT caller_phone FROM complaints WHERE caller_phone IS NOT NULL")
                .map { try $0.decode("caller_phone", as: String.self) }
            let names = try db.query("SELECT caller_name FROM complaints WHERE caller_name IS NOT NULL")
                .map { try $0.decode("caller_name", as: String.self) }
            #expect(!phones.isEmpty && !names.isEmpty)
            let csv = try export.csv(rows), json = try export.json(rows)
            for phone in Set(phones) { #expect(!csv.contains(phone) && !json.contains(phone), "\(phone) unmasked") }
            for name in Set(names) { #expect(!csv.contains(name) && !json.contains(name), "\(name) in the export") }
            #expect(rows.allSatisfy { $0.callerPhoneMasked.map { $0.range(of: #"^1[0-9]{2}\*{4}[0-9]{4}$"#, options: .regularExpression) != nil } ?? true })
            // Closed cases carry their disposition and what was recovered, as case_totals says.
            let closed = rows.filter { $0.caseStatus == "closed" }
            #expect(!closed.isEmpty)
            #expect(closed.allSatisfy { $0.disposition != nil && $0.closedOn != nil && ($0.recoveredFen ?? 0) > 0 })
            let recovered = try db.query("""
                SELECT coalesce(sum(t.recovered_fen), 0)::bigint AS n FROM complaints c
                JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.case_id
                """).one().decode("n", as: Int64.self)
            #expect(rows.compactMap(\.recoveredFen).reduce(0, +) == recovered)
            // The header is the documented columns; each line has as many cells; a second run is the same file.
            let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.first.map(String.init) == ClueExport.columns.joined(separator: ","))
            #expect(ClueExport.columns.first == "number" && ClueExport.columns.contains("disposition"))
            #expect(lines.count == rows.count + 1)
            #expect(try export.csv(try export.rows(from: from, to: today, on: db)) == csv)
            #expect(try export.json(try export.rows(from: from, to: today, on: db)) == json)
            let objects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
            #expect(objects.count == rows.count)
            #expect(objects.first.map { Set($0.keys) } == Set(ClueExport.columns))
            // The range's ends are included and nothing outside it comes.
            let oneDay = try export.rows(from: rows[0].receivedOn, to: rows[0].receivedOn, on: db)
            #expect(!oneDay.isEmpty && oneDay.allSatisfy { $0.receivedOn == rows[0].receivedOn })
            #expect(throws: WagewatchError.self) { try export.rows(from: today, to: from, on: db) }
        }
    }
}
