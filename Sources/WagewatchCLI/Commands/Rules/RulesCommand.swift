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

    struct Run: SessionCommand {
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

        func run(_ session: Session) throws -> CommandResult {
            let day = try asOf.map { try DateInput.date($0, field: "as-of") } ?? session.today
            let report = try session.rules.run(
                asOf: day, only: rule, full: full, on: session.connection,
                progress: { line in FileHandle.standardError.write(Data("  \(line)\n".utf8)) })
            guard report.ran else { return .text("a rule run is already in progress; nothing done") }
            // E2/E3: everything overdue as of now is escalated once; unacknowledged ones move up.
            let catchUp = try session.escalations.catchUp(now: session.now, on: session.connection)
            var lines: [String] = []
            if catchUp.raised + catchUp.promoted + catchUp.reminded > 0 {
                lines.append("escalations: \(catchUp.raised) raised, \(catchUp.promoted) moved up a level, \(catchUp.reminded) reminder(s)")
            }
            let raised = report.outcomes.reduce(0) { $0 + $1.raised }
            let cleared = report.outcomes.reduce(0) { $0 + $1.cleared }
            lines.append("rule run \(report.runID) as of \(day)\(report.incremental ? " (incremental)" : ""): \(raised) new flag(s), \(cleared) condition(s) cleared")
            for o in report.outcomes where o.findings > 0 || o.cleared > 0 {
                lines.append("  \(o.rule) \(o.name): \(o.findings) holding, \(o.raised) new, \(o.cleared) cleared")
            }
            return CommandResult(json: RunWithEscalations(rules: report, escalations: catchUp), text: lines)
        }
    }
}
