import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch exposure export`: the public exposure list (S3).
struct ExposureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exposure",
        abstract: "Publish the list of blacklisted and exposed contractors (失信联合惩戒对象名单).",
        discussion: """
            The list names each contractor under a blacklisting or public-exposure measure today, with its USCC,
            the arrears outstanding (or involved, once paid), the number of workers and the decision date. It never
            carries a worker's name, ID number, phone or bank account, so it can go on the bureau's website as is.

            Example:
              wagewatch exposure export --out 失信名单.html --format html
            """,
        subcommands: [Export.self]
    )

    struct Export: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the public exposure list as CSV, Markdown or a self-contained HTML page.",
            discussion: "Example: wagewatch exposure export --out exposure.csv --format csv")
        @OptionGroup var global: GlobalOptions
        @Option(help: "File to write (e.g. 失信名单.html).") var out: String
        @Option(help: "csv, md or html (default: from the file's extension, else csv).") var format: String?

        func run(_ session: Session) throws -> CommandResult {
            let chosen: ExposureFormat
            if let format {
                guard let parsed = ExposureFormat(rawValue: format.lowercased()) else {
                    throw WagewatchError.invalid(
                        "format: \"\(format)\" is not one of \(ExposureFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                chosen = parsed
            } else {
                let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
                chosen = ext == "markdown" ? .md : ExposureFormat(rawValue: ext) ?? .csv
            }
            let rows = try session.sanctions.exposure(asOf: session.today, on: session.connection)
            let text = ExposureList(rows: rows, asOf: session.today).render(chosen)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw WagewatchError.failure("out: cannot write \"\(out)\": \(error.localizedDescription)")
            }
            struct Written: Encodable { let out: String; let format: String; let contractors: Int }
            return CommandResult(json: Written(out: out, format: chosen.rawValue, contractors: rows.count),
                                 text: "wrote \(rows.count) contractor(s) to \(out)")
        }
    }
}
