import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch sanction …`: restriction measures and the arrears blacklist (S1, S2).
struct SanctionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sanction",
        abstract: "Record restriction measures against contractors and the arrears blacklist (失信联合惩戒).",
        discussion: """
            A department records a measure against a contractor (by USCC) with its legal basis and period:
            restrict_bidding, blacklist, restrict_credit, restrict_travel, public_exposure or other.
            Blacklisting needs a recorded order to pay by a deadline (责令限期支付, see `sanction order`) that
            the contractor missed, plus arrears at the criminal threshold or a mass incident; it lasts 3 years
            and may be lifted early 6 months after full payment.

            Example:
              wagewatch sanction order 91110000100010433L --amount 52000 --deadline 2026-03-15 --basis 劳动保障监察限期整改指令书〔2026〕3号
              wagewatch sanction add 91110000100010433L --measure blacklist --basis 《保障农民工工资支付条例》第四十八条 --department labor --from 2026-04-01
            """,
        subcommands: [Add.self, List.self, Lift.self, Order.self]
    )

    static func contractor(_ text: String) throws -> USCC {
        try USCC(parsing: text, field: "contractor")
    }

    struct Add: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a restriction measure against a contractor.",
            discussion: """
                Measures: \(SanctionMeasure.allCases.map(\.rawValue).joined(separator: ", ")). Without --until a blacklisting
                lasts 36 months; other measures run until lifted.
                Example: wagewatch sanction add 91110000100010433L --measure restrict_bidding --basis 限制参与政府投资项目招投标 --department construction --from 2026-04-01 --until 2027-03-31
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The contractor's USCC.") var contractor: String
        @Option(help: "The measure: restrict_bidding, blacklist, restrict_credit, restrict_travel, public_exposure or other.") var measure: String
        @Option(help: "The legal basis (文件依据).") var basis: String
        @Option(help: "The department deciding the measure: a department code (labor, transport, land, water, construction, commerce, township, county_office).")
        var department: String
        @Option(help: "First day in force (YYYY-MM-DD).") var from: String
        @Option(help: "Last day in force (YYYY-MM-DD).") var until: String?

        func run(_ session: Session) throws -> CommandResult {
            let uscc = try SanctionCommand.contractor(contractor)
            guard let measure = SanctionMeasure(rawValue: measure) else {
                throw WagewatchError.invalid(
                    "measure: \"\(self.measure)\" is not one of \(SanctionMeasure.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let start = try DateInput.date(from, field: "from")
            let end = try until.map { text throws(WagewatchCore.ValidationError) in try DateInput.date(text, field: "until") }
            let s = try session.sanctions.add(
                contractor: uscc, measure: measure, basis: basis, department: department, from: start, until: end,
                on: session.connection)
            return CommandResult(json: s, text: "sanction \(s.id): \(s.measure) against \(s.contractorName) from \(s.validFrom)\(s.validUntil.map { " until \($0)" } ?? "")")
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every measure recorded, with its period and whether it was lifted.",
            discussion: "Example: wagewatch sanction list --json")
        @OptionGroup var global: GlobalOptions

        func run(_ session: Session) throws -> CommandResult {
            let sanctions = try session.sanctions.list(on: session.connection)
            return CommandResult(json: sanctions, text: sanctions.map { s in
                let period = "\(s.validFrom)–\(s.validUntil.map(\.description) ?? "")"
                let lifted = s.liftedOn.map { "  lifted \($0): \(s.liftReason ?? "")" } ?? ""
                return "sanction \(s.id)  \(s.measure)  \(s.contractorName) \(s.contractorUSCC ?? "")  \(period)  \(s.department)\(lifted)"
            }, notes: ["\(sanctions.count) sanction(s)"])
        }
    }

    struct Lift: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift a measure today; a blacklisting only 6 months after full payment.",
            discussion: "Example: wagewatch sanction lift 4 --reason 已全额支付拖欠工资并满6个月")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Sanction id (see sanction list).") var id: String
        @Option(help: "Why it is lifted.") var reason: String

        func run(_ session: Session) throws -> CommandResult {
            let s = try session.sanctions
                .lift(SanctionID(parsing: id), reason: reason, today: session.today, on: session.connection)
            return CommandResult(json: s, text: "sanction \(s.id) (\(s.measure), \(s.contractorName)) lifted on \(s.liftedOn.map(\.description) ?? "")")
        }
    }

    struct Order: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an order to pay wages by a deadline (责令限期支付), which blacklisting needs.",
            discussion: "Example: wagewatch sanction order 91110000100010433L --amount 5.2万 --deadline 2026-03-15 --basis 劳动保障监察限期整改指令书〔2026〕3号 --case 12")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The contractor's USCC.") var contractor: String
        @Option(help: "Amount ordered paid, in yuan (52000, 52000.50 or 5.2万).") var amount: String
        @Option(help: "Deadline to pay (YYYY-MM-DD).") var deadline: String
        @Option(help: "The order's document and legal basis.") var basis: String
        @Option(name: .customLong("case"), help: "The case the order was issued on (case id).") var caseID: String?
        @Option(help: "Day the order was issued (YYYY-MM-DD; default today).") var issued: String?

        func run(_ session: Session) throws -> CommandResult {
            let uscc = try SanctionCommand.contractor(contractor)
            let amountFen = try Money.parseYuan(amount, field: "amount")
            let due = try DateInput.date(deadline, field: "deadline")
            let issuedOn = try issued.map { text throws(WagewatchCore.ValidationError) in try DateInput.date(text, field: "issued") } ?? session.today
            let o = try session.sanctions.order(
                contractor: uscc, amountFen: amountFen, issuedOn: issuedOn, deadline: due, basis: basis,
                caseID: try caseID.map { try CaseID(parsing: $0) },
                on: session.connection)
            return CommandResult(json: o, text: "payment order \(o.id): \(o.contractorName) to pay ¥\(Money.yuanGrouped(o.amountFen)) by \(o.deadline)")
        }
    }
}
