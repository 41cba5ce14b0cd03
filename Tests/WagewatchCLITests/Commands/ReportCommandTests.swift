import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("wagewatch report weekly, through the binary")
struct ReportCommandTests {
    let env = ["WAGEWATCH_USER": "wang_juzhang", "WAGEWATCH_NOW": "2026-02-23T02:00:00Z"]

    /// The keys SPEC §5 fixes for `report weekly --format json`.
    static let specKeys: Set<String> = [
        "week", "region", "totals", "year_to_date", "escalations", "flags_by_department", "deadlines_breached",
        "scorecard", "direct_pay_fen", "sanctions", "zero_report",
    ]
    static let totalsKeys: Set<String> = [
        "complaints", "cases_accepted", "cases_closed", "workers_involved", "owed_fen", "recovered_fen",
    ]

    @Test("report weekly --format json has SPEC §5's keys, totals included")
    func jsonShape() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let complaints = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).csv")
            defer { try? FileManager.default.removeItem(at: complaints) }
            try Data("""
                received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,project_code,workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text
                2026-02-17 09:00,410102,12333,,,,郑州宏达建筑劳务有限公司,,12,298万,,,,
                2026-02-18 15:30,410102,12333,,,,新郑市顺利装饰工程队,,2,15000,,,true,

                """.utf8).write(to: complaints)
            let imported = try CLI.run(["import", "complaints", complaints.path], database: conninfo,
                                       environment: env.merging(["WAGEWATCH_USER": "hotline_li"]) { $1 })
            #expect(imported.status == 0, "\(imported.stderr)")
            let result = try CLI.run(["report", "weekly", "--format", "json", "--week", "2026-W08"],
                                     database: conninfo, environment: env)
            #expect(result.status == 0, "\(result.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(Self.specKeys.isSubset(of: Set(object.keys)), "missing \(Self.specKeys.subtracting(object.keys))")
            #expect(object["week"] as? String == "2026-W08")
            #expect(object["zero_report"] as? Bool == false)
            for key in ["totals", "year_to_date"] {
                let totals = try #require(object[key] as? [String: Any])
                #expect(Self.totalsKeys.isSubset(of: Set(totals.keys)))
            }
            let totals = try #require(object["totals"] as? [String: Any])
            #expect(totals["complaints"] as? Int == 2)
            #expect(totals["workers_involved"] as? Int == 14)
            #expect(totals["owed_fen"] as? Int == 299_500_000)
            let escalations = try #require(object["escalations"] as? [[String: Any]])
            #expect(escalations.first?["mass_incident"] as? Bool == true)

            // --json means the json format too.
            let global = try CLI.run(["report", "weekly", "--week", "2026-W08", "--json"], database: conninfo, environment: env)
            #expect(global.status == 0, "\(global.stderr)")
            #expect(global.stdout == result.stdout)
        }
    }

    @Test("an empty week in English Markdown says Zero report")
    func zeroReportInEnglish() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let result = try CLI.run(["report", "weekly", "--format", "md", "--lang", "en", "--week", "2026-W08"],
                                     database: conninfo, environment: env)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Zero report"))
            #expect(result.stdout.contains("2026-W08"))

            // The default week is the current one in Shanghai, and the default language Chinese.
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("weekly-\(UUID().uuidString).html")
            defer { try? FileManager.default.removeItem(at: out) }
            let html = try CLI.run(["report", "weekly", "--out", out.path], database: conninfo, environment: env)
            #expect(html.status == 0, "\(html.stderr)")
            let text = try String(contentsOf: out, encoding: .utf8)
            #expect(text.contains("lang=\"zh-CN\""))
            #expect(text.contains("2026-W09"))
            #expect(text.contains("零报告"))
        }
    }

    @Test("--json prints only JSON: the report itself, what --out wrote, or a usage error for another format on stdout")
    func jsonFlag() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("weekly-\(UUID().uuidString).md")
            defer { try? FileManager.default.removeItem(at: out) }
            let written = try CLI.run(["report", "weekly", "--week", "2026-W08", "--format", "md", "--out", out.path, "--json"],
                                      database: conninfo, environment: env)
            #expect(written.status == 0, "\(written.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(written.stdout.utf8)) as? [String: Any])
            #expect(summary["out"] as? String == out.path)
            #expect(summary["format"] as? String == "md")
            #expect(summary["week"] as? String == "2026-W08")
            #expect(summary["zero_report"] as? Bool == true)
            #expect(summary.count == 4)
            #expect(try String(contentsOf: out, encoding: .utf8).contains("零报告"))
            let markdown = try CLI.run(["report", "weekly", "--week", "2026-W08", "--format", "md", "--json"],
                                       database: conninfo, environment: env)
            #expect(markdown.status == 2, "\(markdown.stderr)")
            #expect(markdown.stdout.isEmpty)
            #expect(markdown.stderr.contains("format: \"md\""))
            let report = try CLI.run(["report", "weekly", "--week", "2026-W08", "--json"], database: conninfo, environment: env)
            #expect(report.status == 0, "\(report.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
            #expect(object["week"] as? String == "2026-W08")
        }
    }

    /// The text of a PDF as pdftotext reads it (poppler-utils; scripts/test installs it with Chromium).
    static func pdfText(_ file: URL) throws -> String {
        let tool = try #require(["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                "pdftotext is not installed: apt-get install poppler-utils (scripts/test does)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = [file.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    @Test("report weekly --format pdf writes a PDF that reads as the week's report, the absconded employers of the year in it")
    func pdf() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let complaints = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).csv")
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("weekly-\(UUID().uuidString).pdf")
            defer {
                try? FileManager.default.removeItem(at: complaints)
                try? FileManager.default.removeItem(at: out)
            }
            try Data("""
                received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,project_code,workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text
                2026-01-12 09:00,410102,12333,,,,中牟县鑫盛劳务队,,4,2.4万,,,true,
                2026-02-18 15:30,410102,12333,,,,新郑市顺利装饰工程队,,2,15000,,,true,

                """.utf8).write(to: complaints)
            let imported = try CLI.run(["import", "complaints", complaints.path], database: conninfo,
                                       environment: env.merging(["WAGEWATCH_USER": "hotline_li"]) { $1 })
            #expect(imported.status == 0, "\(imported.stderr)")
            let result = try CLI.run(["report", "weekly", "--week", "2026-W08", "--format", "pdf", "--lang", "en", "--out", out.path],
                                     database: conninfo, environment: env)
            #expect(result.status == 0, "\(result.stderr)")
            let data = try Data(contentsOf: out)
            #expect(data.starts(with: Data("%PDF-".utf8)), "not a PDF: \(data.prefix(16))")
            #expect(String(decoding: data.suffix(32), as: UTF8.self).contains("%%EOF"))
            let text = try Self.pdfText(out)
                .replacingOccurrences(of: "\n", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
            // (A date the page wraps at its hyphen comes back without it, so only the title's week.)
            #expect(text.hasPrefix("Weekly wage-arrears report 2026-W08 ("), "\(text.prefix(400))")
            #expect(text.contains("This year 2 employer(s) have absconded owing wages (1 this week)."), "\(text)")
        }
    }

    @Test("a week that does not exist exits 3 naming the value")
    func badWeek() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let result = try CLI.run(["report", "weekly", "--week", "2026-W99"], database: conninfo, environment: env)
            #expect(result.status == 3)
            #expect(result.stderr.contains("2026-W99"))
            let format = try CLI.run(["report", "weekly", "--format", "docx"], database: conninfo, environment: env)
            #expect(format.status == 3)
            #expect(format.stderr.contains("docx"))
        }
    }
}
