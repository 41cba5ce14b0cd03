import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch audit verify`: checks that the audit log was not altered (SPEC §6).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check that the audit log (操作日志) of every change is complete and unaltered.",
        discussion: """
            Every change to complaints, cases, recoveries, projects, the ledger, flags and sanctions is written \
            to the audit log: who did it, when, and the record before and after. The log is append-only for every \
            role the program uses, and each entry is chained to the one before it by a SHA-256 hash, so an entry \
            changed or removed afterwards, even by the database superuser, breaks the chain at that entry.

            Example (before an inspection of the bureau's records, or weekly from cron):
              wagewatch audit verify
              wagewatch audit verify --json
            """,
        subcommands: [Verify.self]
    )

    struct Verify: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the audit log's hash chain; exit 1 naming the first broken entry.",
            discussion: """
                Prints how many entries were checked and the hash of the last one; write that hash down elsewhere \
                (e.g. in the weekly report to the county office) to prove later that the log up to it was not rewritten.

                Example: wagewatch audit verify --json
                """)
        @OptionGroup var global: GlobalOptions

        func run(_ session: Session) throws -> CommandResult {
            let result = try session.audit.verify(on: session.connection)
            let rows = Money.thousands(result.rowsVerified)
            guard result.intact else {
                let problem = result.problem?.rawValue ?? "broken"
                var broken = CommandResult(json: result)
                broken.failure = WagewatchError.failure(
                    "audit log: chain broken at row \(result.firstBrokenID ?? "?") (\(problem)): \(result.detail ?? "")"
                        + "; \(rows) row\(result.rowsVerified == 1 ? "" : "s") before it verified")
                return broken
            }
            return CommandResult(json: result, text: "audit log: \(rows) rows verified, chain intact (last hash \(result.lastHash))")
        }

    }
}
