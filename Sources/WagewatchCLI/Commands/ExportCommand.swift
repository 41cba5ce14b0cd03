import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch export clues` (SPEC §10): complaints for the provincial platform.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data upward (to the provincial platform).",
        discussion: """
            Example:
              wagewatch export clues --from 2026-01-01 --to 2026-03-31 --format csv --out clues.csv
            """,
        subcommands: [Clues.self]
    )

    struct Clues: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every complaint received in a date range with its outcome, case, disposition, recovered amount and dates.",
            discussion: """
                Columns (CSV header, JSON keys, in this order): \(ClueExport.columns.joined(separator: ", ")).
                Money in integer fen; dates YYYY-MM-DD (Asia/Shanghai); the caller's phone masked, no names or ID numbers;
                rows by received time, then number.
                Example: wagewatch export clues --from 2026-01-01 --to 2026-03-31 --format csv --out clues.csv
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "First day received (YYYY-MM-DD).") var from: String
        @Option(help: "Last day received (YYYY-MM-DD).") var to: String
        @Option(help: "csv or json (default: from the file's extension, else csv).") var format: String?
        @Option(help: "File to write.") var out: String

        func run(_ session: Session) throws -> CommandResult {
            let fromDay = try DateInput.date(from, field: "--from")
            let toDay = try DateInput.date(to, field: "--to")
            let chosen: String
            if let format {
                guard ["csv", "json"].contains(format.lowercased()) else {
                    throw WagewatchError.invalid("--format: \"\(format)\" is not one of csv, json")
                }
                chosen = format.lowercased()
            } else {
                chosen = URL(fileURLWithPath: out).pathExtension.lowercased() == "json" ? "json" : "csv"
            }
            let export = ClueExport()
            let rows = try export.rows(from: fromDay, to: toDay, on: session.connection)
            let text = chosen == "json" ? try export.json(rows) : try export.csv(rows)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw WagewatchError.failure("--out: cannot write \"\(out)\": \(error.localizedDescription)")
            }
            struct Written: Encodable { let out: String; let format: String; let complaints: Int }
            return CommandResult(json: Written(out: out, format: chosen, complaints: rows.count),
                                 text: "wrote \(rows.count) complaint(s) to \(out)")
        }
    }
}
