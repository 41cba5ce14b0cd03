import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch flags …`: the review desk of each sector department.
struct FlagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags",
        abstract: "List risk flags and review them in the department that leads the project.",
        discussion: """
            Example:
              wagewatch flags list --dept transport --status open
              wagewatch --as li_jiaotong flags review 17 --confirm direct_pay
            """,
        subcommands: [List.self, Review.self])

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List risk flags, red first: what each department has to review.",
            discussion: "Example: wagewatch flags list --dept transport --status open --severity red")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("dept"), help: "Only flags this department leads: a department code (labor, transport, land, water, construction, commerce, township, county_office).")
        var department: String?
        @Option(help: "open, acknowledged, confirmed or dismissed.") var status: String?
        @Option(help: "red, orange or yellow.") var severity: String?
        @Option(help: "Rule id or name (R2 or allocation_overdue).") var rule: String?
        @Option(help: "Project code.") var project: String?
        @Option(help: "Contractor's USCC.") var contractor: String?

        func run(_ session: Session) throws -> CommandResult {
            var filter = FlagFilter()
            filter.department = department; filter.status = status; filter.severity = severity
            filter.rule = rule; filter.projectCode = project; filter.contractorUSCC = contractor
            let flags = try session.flags.list(filter, on: session.connection)
            return CommandResult(json: flags, text: flags.map { f in
                "\(f.id)  \(f.severity)  \(f.rule)  \(f.status)\(f.conditionCleared ? " (cleared)" : "")  \(f.projectCode ?? "—")  \(f.contractorName)  → \(f.department)  \(f.period)"
            }, notes: ["\(flags.count) flag(s)"])
        }
    }

    struct Review: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge, confirm (with an action) or dismiss (with a reason) a flag your department leads.",
            discussion: """
                Actions: rectify (责令整改), stop_work (停工), direct_pay (代发工资: a confirmed red flag on a
                government-funded project puts it into direct-pay mode) and sanction. The reviewer is --as USER,
                who must work in the department that leads the flag's project.

                Examples:
                  wagewatch --as li_jiaotong flags review 17 --confirm direct_pay
                  wagewatch --as li_jiaotong flags review 18 --dismiss --reason 已核实，工资已于本月10日发放
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Flag id.") var id: String
        @Flag(help: "Acknowledge: seen, being looked at.") var ack = false
        @Option(help: "Confirm with an action: rectify, stop_work, direct_pay or sanction.") var confirm: String?
        @Flag(help: "Dismiss (needs --reason).") var dismiss = false
        @Option(help: "Why it is dismissed.") var reason: String?

        func validate() throws {
            guard [ack, confirm != nil, dismiss].filter({ $0 }).count == 1 else {
                throw ValidationError("choose exactly one of --ack, --confirm ACTION, --dismiss --reason TEXT")
            }
        }

        func run(_ session: Session) throws -> CommandResult {
            let review: FlagReview
            if ack {
                review = .acknowledge
            } else if let confirm {
                review = .confirm(action: confirm)
            } else {
                review = .dismiss(reason: reason ?? "")
            }
            let flag = try session.flags.review(FlagID(parsing: id), review, reviewer: session.actor, on: session.connection)
            return CommandResult(json: flag, text: "flag \(flag.id): \(flag.status)\(flag.reviewAction.map { " (\($0))" } ?? "")")
        }
    }
}
