import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch import KIND FILE.csv`: bulk loads, all or nothing.
struct ImportCommand: SessionCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load employers, projects, workers, complaints, payroll, attendance, transfers, calendar or bank CSV files.",
        discussion: """
            A file is loaded all or nothing: if any line is bad nothing is written and every bad line is listed
            as `line N: column: problem` (exit 3). --dry-run checks a file and reports what would be stored.
            Files are UTF-8 CSV (a BOM is accepted) with a header row naming these columns, in any order;
            dates are YYYY-MM-DD, months YYYY-MM, money in yuan (86000, 86000.50 or 8.6万):
              employers   uscc,name,kind,region_code,legal_rep,phone
              projects    code,name,type,funding,region_code,owner_uscc,contractor_uscc,contract_value,
                          contract_signed,planned_start,planned_end,allocation_cycle_days,allocation_amount
                          [,allocation_share]   (a percentage of each project payment instead of the amount)
              workers     id_number,name,phone,bank,bank_account,employer_uscc,project_code,joined,left
              complaints  received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,
                          project_code,workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text
              payroll     project_code,period,id_number,days_worked,wage_due,wage_paid,paid_on,signed
              attendance  project_code,date,id_number
              transfers   key,occurred_at,from_account,to_account,amount,memo
              calendar    date,kind   (holiday or workday; deadlines of open items are recomputed)
              bank        booked_on,amount,direction,counterparty_name,counterparty_account,reference,balance_after
                          (a wage account's bank statement, with --account wage:CODE; direction credit or
                          debit; each line is kept once and matched to a ledger transfer, SPEC §10 R13)

            Examples:
              wagewatch import complaints hotline-2026-11.csv --dry-run
              wagewatch import employers samples/employers.csv
              wagewatch import bank statement-2026-03.csv --account wage:ZZ-G107
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What the file holds: employers, projects, workers, complaints, payroll, attendance, transfers, calendar or bank.")
    var kind: String
    @Argument(help: "The CSV file (UTF-8 with a header row; a BOM is accepted).") var file: String
    @Flag(help: "Check every line and report what would be stored; store nothing.") var dryRun = false
    @Option(help: "For bank: the wage account the statement is of (wage:CODE).") var account: String?

    func validate() throws {
        if kind == BankStatementImport.kind, account == nil {
            throw ArgumentParser.ValidationError("import bank needs --account wage:CODE: the wage account the statement is of")
        }
        if kind != BankStatementImport.kind, account != nil {
            throw ArgumentParser.ValidationError("--account is only for import bank")
        }
    }

    func run(_ session: Session) throws -> CommandResult {
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw WagewatchError.notFound("file: \"\(file)\" cannot be read")
        }
        let progress = ProgressBar(label: "importing \(kind)")
        // Phase timings for profiling (WAGEWATCH_TRACE): the clock is the command's, not Core's.
        var trace: ImportTrace?
        if ProcessInfo.processInfo.environment["WAGEWATCH_TRACE"] != nil {
            trace = { what in FileHandle.standardError.write(Data("[\(PostgresTimestamp.format(Date()))] \(what)\n".utf8)) }
        }
        let importer: any ImportKind
        if kind == BankStatementImport.kind, let account {
            importer = try BankStatementImport(
                account: try AccountRef(parsing: account, field: "--account", today: session.today),
                defaultRegion: session.defaultRegion, now: session.now)
        } else {
            importer = try ImportKinds.named(kind, session)
        }
        let summary = try importer.run(path: file, dryRun: dryRun, on: session.connection, progress: progress.report, trace: trace)
        progress.finish()
        let counts = summary.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return CommandResult(json: summary, text: "\(dryRun ? "dry run: would import" : "imported") \(summary.rows) \(kind) row(s): \(counts)")
    }
}

/// A one-line progress bar on stderr, drawn only for large files and only on a terminal-sized scale.
final class ProgressBar: Sendable {
    let label: String
    private let drawn = Flag()

    init(label: String) { self.label = label }

    var report: ImportProgress {
        { [label, drawn] read, size in
            // About 10,000 lines of the smallest CSV kind.
            guard size > 1_000_000 else { return }
            let percent = size == 0 ? 100 : min(100, read * 100 / size)
            let filled = percent / 5
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(percent)%".utf8))
            drawn.set()
        }
    }

    func finish() {
        if drawn.isSet { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }
}
