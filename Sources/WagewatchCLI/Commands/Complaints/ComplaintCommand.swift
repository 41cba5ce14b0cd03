import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch complaint …`: the 12333 hotline's desk.
struct ComplaintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaint",
        abstract: "Log, list and decide wage-arrears complaints (首问负责制: every report gets a record and an outcome).",
        discussion: """
            Every complaint gets a number TS-YYYYMMDD-NNNN and a decision deadline 5 working days out.
            A complaint about an employer with an open case joins it; a violation that ended more than
            2 years ago is refused as time-barred.

            Example:
              wagewatch complaint add --region 410102 --employer-name 郑州宏达建筑劳务有限公司 \\
                --workers 12 --amount 86000 --caller-phone 13812345678 --text "春节前工资未发"
              wagewatch complaint decide TS-20261124-0001 --accept
            """,
        subcommands: [Add.self, List.self, Show.self, Status.self, Decide.self]
    )

    struct Add: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log a complaint from the hotline, a walk-in or a letter.",
            discussion: "Example: wagewatch complaint add --region 410102 --employer-name 某建筑公司 --workers 3 --amount 2.4万")

        @OptionGroup var global: GlobalOptions
        @Option(help: "When it was received: YYYY-MM-DD HH:MM (Asia/Shanghai) or ISO 8601 (default: now).")
        var receivedAt: String?
        @Option(help: "6-digit region code (行政区划代码) of the bureau receiving it, e.g. 410102 (else WAGEWATCH_REGION).")
        var region: String?
        @Option(help: "How it arrived: 12333, walk_in, online, letter, referral …") var channel = "12333"
        @Option(help: "Caller's name.") var callerName: String?
        @Option(help: "Caller's phone: a mobile (13812345678) or a landline with area code (0371-67180000).")
        var callerPhone: String?
        @Option(help: "Employer's unified social credit code (USCC, 18 characters), when known.") var employerUscc: String?
        @Option(help: "Employer's name as the caller gives it.") var employerName: String
        @Option(help: "Project code (e.g. ZZ-G107), when known.") var project: String?
        @Option(help: "Number of workers involved (10 or more escalates to the county at once).") var workers: String
        @Option(help: "Amount owed in yuan (e.g. 86000, 86000.50, 8.6万).") var amount: String
        @Option(help: "First day of the unpaid period (YYYY-MM-DD).") var owedSince: String?
        @Option(help: "Last day of the unpaid period (YYYY-MM-DD).") var owedUntil: String?
        @Flag(help: "The employer has absconded (欠薪逃匿).") var absconded = false
        @Option(help: "What the caller said.") var text: String?

        func run(_ session: Session) throws -> CommandResult {
            let fields: [String: String?] = [
                "received_at": receivedAt ?? DateInput.shanghaiMinute(of: session.now),
                "region_code": region ?? session.defaultRegion, "channel": channel, "caller_name": callerName, "caller_phone": callerPhone,
                "employer_uscc": employerUscc, "employer_name": employerName, "project_code": project,
                "workers_involved": workers, "amount_owed": amount, "owed_since": owedSince, "owed_until": owedUntil,
                "employer_absconded": absconded ? "true" : "false", "text": text,
            ]
            let input = try ComplaintInput.parse { key in
                fields[key].flatMap { $0 }.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            }.get()
            let result = try session.intake.add(input, on: session.connection)
            let record = try session.complaints.find(result.id, on: session.connection)
            let line: String
            switch result.outcome {
            case .refused?:
                line = "\(result.number) recorded and refused: time-barred (owed until \(input.owedUntil?.description ?? "?"))"
            case .merged?:
                line = "\(result.number) recorded and merged into open case \(result.caseID.map(\.description) ?? "?")"
            default:
                line = "\(result.number) recorded; acceptance decision due \(result.decisionDue)"
            }
            return CommandResult(json: record.masked(), text: line)
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List complaints (phone numbers masked).",
            discussion: "Example: wagewatch complaint list --status pending --overdue")

        @OptionGroup var global: GlobalOptions
        @Option(help: "pending or decided.") var status: String?
        @Option(help: "accepted, merged, referred or refused.") var outcome: String?
        @Flag(help: "Only those whose acceptance decision is overdue.") var overdue = false
        @Option(help: "Only those against this employer (USCC).") var employer: String?
        @Option(name: .customLong("dept"), help: "Only those about projects this department leads: a department code (labor, transport, land, water, construction, commerce, township, county_office; labor: no project named).")
        var department: String?
        @Option(help: "At most this many.") var limit = 1000

        func run(_ session: Session) throws -> CommandResult {
            var filter = ComplaintFilter()
            filter.status = status
            filter.outcome = outcome
            filter.overdueOn = overdue ? session.today : nil
            filter.employerUSCC = employer
            filter.department = department
            filter.limit = limit
            let records = try session.complaints
                .list(filter, on: session.connection).map { $0.masked() }
            return CommandResult(json: records, text: records.map { r in
                let state = r.outcome?.rawValue ?? "pending, due \(r.decisionDue)"
                return "\(r.number)  \(r.employerName)  \(r.workersInvolved)人  ¥\(Money.yuanGrouped(r.amountFen))  \(state)"
            }, notes: ["\(records.count) complaint(s)"])
        }
    }

    struct Show: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one complaint by number or id: who called, about whom, its outcome and decision deadline.",
            discussion: "Example: wagewatch complaint show TS-20261124-0001")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Complaint number (TS-YYYYMMDD-NNNN) or id.") var id: String

        func run(_ session: Session) throws -> CommandResult {
            let r = try session.complaints.find(ComplaintReference(parsing: id), on: session.connection).masked()
            return CommandResult(json: r, text: """
                \(r.number) (id \(r.id)), received \(DateInput.shanghaiMinute(of: r.receivedAt)) via \(r.channel)
                employer: \(r.employerName)\(r.employerUSCC.map { " (\($0))" } ?? "")\(r.employerAbsconded ? " — absconded" : "")
                project: \(r.projectCode ?? "—")   workers: \(r.workersInvolved)   owed: ¥\(Money.yuanGrouped(r.amountFen))
                caller: \(r.callerName ?? "—") \(r.callerPhone ?? "")
                status: \(r.status)\(r.outcome.map { " — \($0)" } ?? "")\(r.reason.map { " (\($0))" } ?? "")\(r.referredTo.map { " to \($0)" } ?? "")\(r.caseID.map { ", case \($0)" } ?? "")
                decision due: \(r.decisionDue)
                \(r.text ?? "")
                """)
        }
    }

    struct Status: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the complainant may see of a complaint (SPEC §10 N2): stage, outcome and dates.",
            discussion: "Example: wagewatch complaint status TS-20261124-0001 --phone4 1234 --json")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Complaint number (TS-YYYYMMDD-NNNN).") var number: String
        @Option(help: "The last 4 digits of the caller's phone.") var phone4: String

        func run(_ session: Session) throws -> CommandResult {
            let s = try ComplaintPublicStatus.look(number: number, phone4: phone4, on: session.connection)
            return CommandResult(json: s, text: """
                \(s.number): \(s.stage)\(s.outcome.map { " — \($0)" } ?? "")
                received \(s.receivedOn)\(s.decidedOn.map { ", decided \($0)" } ?? "")\(s.closedOn.map { ", closed \($0)" } ?? "")
                """)
        }
    }

    struct Decide: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the acceptance decision: accept, refuse, refer or merge.",
            discussion: """
                Examples:
                  wagewatch complaint decide TS-20261124-0001 --accept
                  wagewatch complaint decide TS-20261124-0002 --refer 劳动人事争议仲裁委员会
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Complaint number or id.") var id: String
        @Flag(help: "Accept: opens a case, or joins the open case for the same employer and project.") var accept = false
        @Option(help: "Refuse, with the reason (e.g. 不属于劳动关系).") var refuse: String?
        @Option(help: "Refer to arbitration, a court or another jurisdiction, named (e.g. 劳动人事争议仲裁委员会).") var refer: String?
        @Option(help: "Merge into this open case (case id).") var merge: String?

        func validate() throws {
            let chosen = [accept, refuse != nil, refer != nil, merge != nil].filter { $0 }.count
            guard chosen == 1 else {
                throw ValidationError("choose exactly one of --accept, --refuse REASON, --refer TARGET, --merge CASE")
            }
        }

        func run(_ session: Session) throws -> CommandResult {
            let decision: ComplaintDecision
            if accept {
                decision = .accept
            } else if let refuse {
                decision = .refuse(reason: refuse)
            } else if let refer {
                decision = .refer(target: refer)
            } else {
                decision = .merge(caseID: try CaseID(parsing: merge ?? "", field: "merge"))
            }
            let r = try session.complaints
                .decide(ComplaintReference(parsing: id), decision, today: session.today, at: session.now, on: session.connection).masked()
            return CommandResult(json: r, text: "\(r.number): \(r.outcome?.rawValue ?? "?")\(r.caseID.map { ", case \($0)" } ?? "")")
        }
    }
}
