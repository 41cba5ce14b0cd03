import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch rules …`: the monitoring jobs.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Run the risk rules (R1–R12) that flag risky contractors and projects.",
        discussion: """
            Each run evaluates every rule over the whole case store as of a date, raises each flag once per
            (rule, subject, period), routes it to the department that leads the project, and records what it
            did. Safe from cron: a second run while one is going exits 0 saying so.

            Example: wagewatch rules run --as-of 2026-11-20
            """,
        subcommands: [List.self, Run.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the risk rules R1–R12 with what each one flags.",
            discussion: "Example: wagewatch rules list --json")
        @OptionGroup var global: GlobalOptions

        struct Entry: Encodable { let id: String; let name: String; let summary: String }

        func run() throws {
            let entries = RiskRule.all.map { Entry(id: $0.id, name: $0.name, summary: $0.summary) }
            if global.json { return try Output(json: true).emit(entries) }
            for e in entries { print("\(e.id.padding(toLength: 4, withPad: " ", startingAt: 0)) \(e.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(e.summary)") }
        }
    }

    /// The run report with the escalation catch-up beside it, in one flat object.
    struct RunWithEscalations: Encodable {
        let rules: RuleRunReport
        let escalations: CatchUpReport

        enum CodingKeys: String, CodingKey { case runID = "run_id", asOf = "as_of", outcomes, ran, incremental, escalations }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rules.runID, forKey: .runID)
            try c.encode(rules.asOf, forKey: .asOf)
            try c.encode(rules.outcomes, forKey: .outcomes)
            try c.encode(rules.ran, forKey: .ran)
            try c.encode(rules.incremental, forKey: .incremental)
            try c.encode(escalations, forKey: .escalations)
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the rules now (or as of a past date, to repeat last Friday's run), then raise overdue escalations.",
            discussion: """
                Meant for cron or a systemd timer every few minutes: only what changed since the last run that
                day is re-evaluated; the first run of a day, or --full, evaluates everything.

                Examples:
                  wagewatch rules run
                  wagewatch rules run --as-of 2026-11-20 --rule R6
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Run only this rule, by id or name (R6 or complaint_cluster).") var rule: String?
        @Option(help: "Evaluate the data as of the end of this day (YYYY-MM-DD; default: today in Asia/Shanghai).") var asOf: String?
        @Flag(help: "Re-evaluate every subject, not only those changed since the last run on the same date.") var full = false

        func run() throws {
            let context = try global.context()
            let day = try asOf.map { try DateInput.date($0, field: "as-of") } ?? context.today
            let output = context.output
            let report = try RuleEngine(thresholds: RuleThresholds(configuration: context.configuration)).run(
                asOf: day, only: rule, full: full, on: context.connection,
                progress: { line in FileHandle.standardError.write(Data("  \(line)\n".utf8)) })
            guard report.ran else {
                output.say("a rule run is already in progress; nothing done")
                return
            }
            // E2/E3: everything overdue as of now is escalated once; unacknowledged ones move up.
            let catchUp = try EscalationDesk().catchUp(now: context.now, on: context.connection)
            if context.json { return try output.emit(RunWithEscalations(rules: report, escalations: catchUp)) }
            if catchUp.raised + catchUp.promoted + catchUp.reminded > 0 {
                print("escalations: \(catchUp.raised) raised, \(catchUp.promoted) moved up a level, \(catchUp.reminded) reminder(s)")
            }
            let raised = report.outcomes.reduce(0) { $0 + $1.raised }
            let cleared = report.outcomes.reduce(0) { $0 + $1.cleared }
            print("rule run \(report.runID) as of \(day)\(report.incremental ? " (incremental)" : ""): \(raised) new flag(s), \(cleared) condition(s) cleared")
            for o in report.outcomes where o.findings > 0 || o.cleared > 0 {
                print("  \(o.rule) \(o.name): \(o.findings) holding, \(o.raised) new, \(o.cleared) cleared")
            }
        }
    }
}

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

    struct List: ParsableCommand {
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

        func run() throws {
            let context = try global.context()
            var filter = FlagFilter()
            filter.department = department; filter.status = status; filter.severity = severity
            filter.rule = rule; filter.projectCode = project; filter.contractorUSCC = contractor
            let flags = try FlagDesk().list(filter, on: context.connection)
            if context.json { return try context.output.emit(flags) }
            for f in flags {
                print("\(f.id)  \(f.severity)  \(f.rule)  \(f.status)\(f.conditionCleared ? " (cleared)" : "")  \(f.projectCode ?? "—")  \(f.contractorName)  → \(f.department)  \(f.period)")
            }
            context.output.note("\(flags.count) flag(s)")
        }
    }

    struct Review: ParsableCommand {
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

        func run() throws {
            let context = try global.context()
            let review: FlagReview
            if ack {
                review = .acknowledge
            } else if let confirm {
                review = .confirm(action: confirm)
            } else {
                review = .dismiss(reason: reason ?? "")
            }
            let flag = try FlagDesk().review(id, review, reviewer: context.actor, on: context.connection)
            if context.json { return try context.output.emit(flag) }
            print("flag \(flag.id): \(flag.status)\(flag.reviewAction.map { " (\($0))" } ?? "")")
        }
    }
}
