import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch escalations …`: what officials must hear about at once.
struct EscalationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalations",
        abstract: "Mass-incident risks and missed deadlines for officials, moving up township → bureau → county.",
        discussion: """
            A complaint involving 10 or more workers, an absconded employer, protest language (堵路, 上访, 跳楼 …)
            or arrears at the criminal threshold is escalated to the county at once. Missed decision and
            investigation deadlines and red flags left unreviewed are escalated by `rules run`. Anything nobody
            acknowledges moves up a level.

            Example:
              wagewatch escalations list --status open
              wagewatch --as wang_juzhang escalations ack 3
            """,
        subcommands: [List.self, Ack.self, Resolve.self, Deliver.self, Watch.self])

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List escalations, mass-incident risks first, with how long each has waited.",
            discussion: "Example: wagewatch escalations list --status open --level county")
        @OptionGroup var global: GlobalOptions
        @Option(help: "township, bureau or county (两办).") var level: String?
        @Option(help: "open, acknowledged or resolved.") var status: String?
        @Option(help: "Only those raised at least this many hours ago.") var olderThanHours: Int?

        func run(_ session: Session) throws -> CommandResult {
            var filter = EscalationFilter()
            filter.level = level
            filter.status = status
            filter.olderThanMinutes = olderThanHours.map { $0 * 60 }
            let records = try session.escalations.list(filter, now: session.now, on: session.connection)
            return CommandResult(json: records, text: records.map { e in
                let age = e.ageMinutes < 120 ? "\(e.ageMinutes) min" : "\(e.ageMinutes / 60) h"
                return "\(e.id)  \(e.level)  \(e.reason)\(e.massIncident ? " [群体性风险]" : "")  \(e.status)  \(e.employerName ?? "—")  \(e.workersInvolved.map { "\($0)人" } ?? "")  \(e.amountFen.map { "¥" + Money.yuanGrouped($0) } ?? "")  \(age)"
            }, notes: ["\(records.count) escalation(s)"])
        }
    }

    struct Ack: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Acknowledge an escalation (签收): it stops moving up a level.",
            discussion: """
                A mass-incident escalation not acknowledged within 1 hour, and any other within 1 working day,
                moves up a level. The one acknowledging is --as USER.

                Example: wagewatch --as wang_juzhang escalations ack 3
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Escalation id.") var id: String

        func run(_ session: Session) throws -> CommandResult {
            let e = try session.escalations.acknowledge(EscalationID(parsing: id), by: session.actor, now: session.now, on: session.connection)
            return CommandResult(json: e, text: "escalation \(e.id) acknowledged by \(session.actor)")
        }
    }

    struct Resolve: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close an escalation, saying how it was resolved (办结).",
            discussion: "Example: wagewatch escalations resolve 3 --reason 总包单位已垫付28名工人工资，工人已返岗")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Escalation id.") var id: String
        @Option(help: "How it was resolved.") var reason: String

        func run(_ session: Session) throws -> CommandResult {
            let e = try session.escalations.resolve(EscalationID(parsing: id), reason: reason, now: session.now, on: session.connection)
            return CommandResult(json: e, text: "escalation \(e.id) resolved")
        }
    }
}
