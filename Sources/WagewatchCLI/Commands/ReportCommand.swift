import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch report …`: the reports officials read.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for county officials and bureau heads: the weekly escalation report (周报).",
        discussion: """
            Example: wagewatch report weekly --week 2026-W47 --format pdf --out 欠薪问题周报-2026-W47.pdf
            """,
        subcommands: [Weekly.self])

    struct Weekly: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "The weekly escalation report for an ISO week (Monday–Sunday, Asia/Shanghai).",
            discussion: """
                Totals in the officials' form (本周新受理欠薪投诉N起，涉及农民工N人，金额N万元), escalations by level,
                risk flags by department, deadlines breached, direct pay, sanctions, absconded employers and a
                department scorecard. A week with nothing in it gives a zero report (零报告).
                PDF needs headless Chromium and a CJK font: apt-get install chromium fonts-noto-cjk

                Example:
                  wagewatch report weekly --week 2026-W08 --out weekly.html
                  wagewatch report weekly --format md --lang en
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The ISO week (default: the current week in Asia/Shanghai).", valueName: "YYYY-Www"))
        var week: String?
        @Option(help: "html, md, csv, json or pdf (default html; --json means json).") var format: String?
        @Option(help: "zh or en (default zh).") var lang: String?
        @Option(help: "Only this region (6-digit region code, e.g. 410122; default all).") var region: String?
        @Option(help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file")) var out: String?

        func run(_ session: Session) throws -> CommandResult {
            // Input is checked before the database is touched.
            let requestedWeek = try week.map { text throws -> ISOWeek in
                do { return try ISOWeek(parsing: text, field: "week") } catch { throw WagewatchError.from(error) }
            }
            let format = (self.format ?? (global.json ? "json" : "html")).lowercased()
            guard ["html", "md", "markdown", "csv", "json", "pdf"].contains(format) else {
                throw WagewatchError.invalid("format: \"\(self.format ?? "")\" is not one of html, md, csv, json, pdf")
            }
            guard let language = ReportLanguage(rawValue: (lang ?? "zh").lowercased()) else {
                throw WagewatchError.invalid("lang: \"\(lang ?? "")\" is not one of zh, en")
            }
            if let region, !region.allSatisfy({ $0.isASCII && $0.isNumber }) || region.count != 6 {
                throw WagewatchError.invalid("region: \"\(region)\" is not a 6-digit region code")
            }
            // --json means nothing but JSON on stdout: a report in another format goes to a file.
            if global.json && out == nil && format != "json" {
                throw WagewatchError(.usage, "format: \"\(format)\" cannot be printed with --json; write it with --out FILE, or leave --format out for the JSON report")
            }
            let browser = format == "pdf" ? try ReportPDF.findBrowser() : nil

            let isoWeek = requestedWeek ?? ISOWeek.containing(session.today)
            let report = try WeeklyReport.build(week: isoWeek, region: region, now: session.now, on: session.connection)
            let renderer = ReportRenderer(
                report: report, version: WagewatchVersion.current, generatedAt: session.now, language: language)
            let data: Data
            switch format {
            case "md", "markdown": data = Data(renderer.markdown().utf8)
            case "csv": data = Data(renderer.csv().utf8)
            case "json": data = Data(try renderer.json().utf8)
            case "pdf": data = try ReportPDF.print(html: renderer.html(), browser: browser!)
            default: data = Data(renderer.html().utf8)
            }
            if let out {
                do {
                    try data.write(to: URL(fileURLWithPath: out))
                } catch {
                    throw WagewatchError.failure("out: cannot write \"\(out)\": \(error.localizedDescription)")
                }
                struct Written: Encodable { let out: String; let format: String; let week: String; let zero_report: Bool }
                return CommandResult(json: Written(out: out, format: format == "markdown" ? "md" : format, week: isoWeek.description,
                                                   zero_report: report.zeroReport),
                                     notes: ["weekly report \(isoWeek) written to \(out)\(report.zeroReport ? " (zero report)" : "")"])
            }
            FileHandle.standardOutput.write(data)
            return .none
        }
    }
}
