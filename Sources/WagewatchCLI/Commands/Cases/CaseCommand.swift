import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch case …`: the inspector's desk.
struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Investigate cases worker by worker until every arrear is recovered (有欠必追).",
        discussion: """
            A case is opened when a complaint is accepted; its investigation is due 60 working days later,
            extendable once by up to 30 working days with a named approver. Record what each worker is owed
            and every recovery; a case closes when everything is recovered or with a recorded reason.

            Example:
              wagewatch case recover 12 --worker 410102199003070061 --amount 6800 --source employer --date 2026-11-20
            """,
        subcommands: [List.self, Show.self, Assign.self, Extend.self, Claim.self, Recover.self, Close.self]
    )

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases with what is owed and recovered.",
            discussion: "Example: wagewatch case list --status open --overdue --json")
        @OptionGroup var global: GlobalOptions
        @Option(help: "open or closed.") var status: String?
        @Flag(help: "Only open cases whose investigation is overdue.") var overdue = false
        @Option(help: "Only cases assigned to this inspector.") var assignedTo: String?
        @Option(help: "Only cases against this employer (USCC).") var employer: String?
        @Option(name: .customLong("dept"), help: "Only cases about projects this department leads: a department code (labor, transport, land, water, construction, commerce, township, county_office; labor: no project named).")
        var department: String?

        func run(_ session: Session) throws -> CommandResult {
            var filter = CaseFilter()
            filter.status = status
            filter.overdueOn = overdue ? session.today : nil
            filter.assignedTo = assignedTo
            filter.employerUSCC = employer
            filter.department = department
            let cases = try session.cases.list(filter, on: session.connection)
            return CommandResult(json: cases, text: cases.map { c in
                "case \(c.id)  \(c.status)  \(c.employerName)  \(c.workersInvolved)人  owed ¥\(Money.yuanGrouped(c.owedFen))  recovered ¥\(Money.yuanGrouped(c.recoveredFen))  due \(c.investigationDue)"
            }, notes: ["\(cases.count) case(s)"])
        }
    }

    struct Show: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a case: its deadline, what each worker is owed and recovered, the extension.",
            discussion: "Example: wagewatch case show 12 --json")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id.") var id: String

        func run(_ session: Session) throws -> CommandResult {
            let detail = try session.cases.detail(CaseID(parsing: id), on: session.connection)
            let masked = detail.masked()
            let c = detail.case
            var lines = ["""
                case \(c.id) (\(c.status)) — \(c.employerName)\(c.employerUSCC.map { " \($0)" } ?? "")
                project: \(c.projectCode ?? "—")   complaints: \(c.complaintIDs.map(\.description).joined(separator: ", "))
                accepted \(c.acceptedOn), investigation due \(c.investigationDue)\(c.extendedDays > 0 ? " (extended \(c.extendedDays) working days)" : "")
                assigned to: \(c.assignedTo ?? "—")
                owed ¥\(Money.yuanGrouped(c.owedFen)), recovered ¥\(Money.yuanGrouped(c.recoveredFen)), outstanding ¥\(Money.yuanGrouped(c.owedFen - c.recoveredFen))
                """]
            for w in masked.workers {
                lines.append("  worker \(w.idNumber) \(w.workerName ?? "")  owed \(w.owedFen.map { "¥" + Money.yuanGrouped($0) } ?? "—")  recovered ¥\(Money.yuanGrouped(w.recoveredFen))")
            }
            for r in masked.recoveries {
                lines.append("  \(r.recoveredOn)  ¥\(Money.yuanGrouped(r.amountFen))  \(r.source)  worker \(r.idNumber)")
            }
            for r in masked.returnedPayments {
                lines.append("  returned by the bank: ¥\(Money.yuanGrouped(r.amountFen)) for worker \(r.idNumber) (batch \(r.batchID) line \(r.line)\(r.reason.map { ", \($0)" } ?? "")), held in the wage account")
            }
            if c.disposition != nil || c.closeReason != nil {
                lines.append("closed: " + [c.disposition.map { "\($0.rawValue) (\($0.label()))" }, c.closeReason].compactMap { $0 }.joined(separator: " — "))
            }
            return CommandResult(json: masked, text: lines)
        }
    }

    struct Assign: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a case to the inspector who investigates it (承办人).",
            discussion: "Example: wagewatch case assign 12 zhang_jiancha")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id.") var id: String
        @Argument(help: "Inspector's user name (see wagewatch user add).") var user: String

        func run(_ session: Session) throws -> CommandResult {
            let c = try session.cases.assign(CaseID(parsing: id), to: user, on: session.connection)
            return CommandResult(json: c, text: "case \(c.id) assigned to \(user)")
        }
    }

    struct Extend: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extend the investigation once, by up to 30 working days, with a named approver.",
            discussion: "Example: wagewatch case extend 12 --days 30 --approver zhang_juzhang --reason 涉及多级分包需核查")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id.") var id: String
        @Option(help: "Working days to add (1–30).") var days: Int
        @Option(help: "Who approved the extension (the bureau head's user name).") var approver: String
        @Option(help: "Why the investigation needs longer.") var reason: String

        func run(_ session: Session) throws -> CommandResult {
            let c = try session.cases
                .extend(CaseID(parsing: id), days: days, approver: approver, reason: reason, on: session.connection)
            return CommandResult(json: c, text: "case \(c.id): investigation now due \(c.investigationDue)")
        }
    }

    struct Claim: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record what one worker is owed on a case.",
            discussion: "Example: wagewatch case claim 12 --worker 410102199003070061 --name 李四 --amount 6800")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id.") var id: String
        @Option(help: "Worker's resident ID number (居民身份证号, 18 characters).") var worker: String
        @Option(help: "Worker's name.") var name: String?
        @Option(help: "Amount owed in yuan (6800, 6800.50 or 0.68万).") var amount: String

        func run(_ session: Session) throws -> CommandResult {
            let worker = try ResidentID(parsing: worker, field: "worker", today: session.today)
            let owed = try Money.parseYuan(amount, field: "amount")
            let c = try session.cases
                .claim(CaseID(parsing: id), worker: worker, name: name, owedFen: owed, on: session.connection)
            return CommandResult(json: c, text: "case \(c.id): worker \(worker.masked) owed ¥\(Money.yuanGrouped(owed)); case owes ¥\(Money.yuanGrouped(c.owedFen))")
        }
    }

    struct Recover: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record money recovered for one worker.",
            discussion: """
                Sources: employer, general_contractor, project_owner, guarantee_deposit, emergency_fund, direct_pay.
                Example: wagewatch case recover 12 --worker 410102199003070061 --amount 6800 --source employer --date 2026-11-20
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id.") var id: String
        @Option(help: "Worker's resident ID number (居民身份证号, 18 characters).") var worker: String
        @Option(help: "Amount recovered in yuan (6800, 6800.50 or 0.68万).") var amount: String
        @Option(help: "Where the money came from: employer, general_contractor, project_owner, guarantee_deposit, emergency_fund or direct_pay.")
        var source: String
        @Option(help: "Date recovered (YYYY-MM-DD).") var date: String
        @Option(help: "Idempotency key: retrying with the same key records nothing twice.") var key: String?

        func run(_ session: Session) throws -> CommandResult {
            let worker = try ResidentID(parsing: worker, field: "worker", today: session.today)
            let amountFen = try Money.parseYuan(amount, field: "amount")
            guard let source = RecoverySource(rawValue: source) else {
                throw WagewatchError.invalid(
                    "source: \"\(source)\" is not one of \(RecoverySource.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let day = try DateInput.date(date, field: "date")
            let c = try session.cases.recover(
                CaseID(parsing: id), worker: worker, amountFen: amountFen, source: source, on: day, key: key, on: session.connection)
            return CommandResult(json: c, text: "case \(c.id): recovered ¥\(Money.yuanGrouped(c.recoveredFen)) of ¥\(Money.yuanGrouped(c.owedFen))")
        }
    }

    struct Close: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a case with its disposition (SPEC §10 N3).",
            discussion: """
                Dispositions: \(CaseDisposition.codes.joined(separator: ", ")). One that says the workers were
                paid (paid_*, deposit_used, emergency_fund, direct_pay) is refused while anything is unrecovered.
                Example: wagewatch case close 12 --disposition referred_court --reason 已移送法院
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Case id.") var id: String
        @Option(help: "How the case ended: one of the dispositions below.") var disposition: String
        @Option(help: "A note beside the disposition (e.g. 已移送法院).") var reason: String?

        func run(_ session: Session) throws -> CommandResult {
            let code = try CaseDisposition(parsing: disposition, field: "--disposition")
            let c = try session.cases.close(CaseID(parsing: id), disposition: code, reason: reason, at: session.now, on: session.connection)
            return CommandResult(json: c, text: "case \(c.id) closed")
        }
    }
}
