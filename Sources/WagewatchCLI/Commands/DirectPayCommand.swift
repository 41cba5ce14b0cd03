import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch directpay …`: paying migrant wages straight to each worker (代付到人).
struct DirectPayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directpay",
        abstract: "Pay migrant wages from project funds straight to each worker (代付到人).",
        discussion: """
            A project enters direct-pay mode when a red flag on a government-funded project is confirmed with
            direct_pay, or by an inspector's order. A batch for one month is planned from the signed payroll by
            one user, approved by another, executed once, and sent to the bank as a payment file.

            Example:
              wagewatch --as zhang_jiancha directpay plan ZM-QL03 --period 2026-10 --json
              wagewatch --as wang_kezhang directpay approve 1
              wagewatch directpay execute 1 && wagewatch directpay export 1 --out batch-1.csv
            """,
        subcommands: [Order.self, Clear.self, Plan.self, Approve.self, Execute.self, Export.self, Returned.self])

    struct Order: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a project into direct-pay mode on an inspector's order (D1).",
            discussion: "Example: wagewatch directpay order ZM-QL03 --basis 中人社监令〔2026〕17号：总包单位代发农民工工资")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var project: String
        @Option(help: "The order and its legal basis (document number).") var basis: String

        func run(_ session: Session) throws -> CommandResult {
            try session.directPay.order(project: project, basis: basis, flagID: nil, on: session.connection)
            return .text("project \(project) is now in direct-pay mode")
        }
    }

    struct Clear: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "End direct-pay mode by a recorded decision.",
            discussion: "Example: wagewatch directpay clear ZM-QL03 --reason 拖欠工资已全部清偿，恢复总包代发")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var project: String
        @Option(help: "The decision that ends it.") var reason: String

        func run(_ session: Session) throws -> CommandResult {
            try session.directPay.clear(project: project, reason: reason, on: session.connection)
            return .text("project \(project) left direct-pay mode")
        }
    }

    struct Plan: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan a batch for one month from the signed payroll: one line per worker still owed.",
            discussion: """
                Each line is the wage due less what was paid for that month; unsigned lines and workers with no
                bank account are listed as exceptions. The total may not exceed the money in the wage account
                (or the project fund when there is none). The planner is --as USER.

                Example: wagewatch --as zhang_jiancha directpay plan ZM-QL03 --period 2026-09 --json
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var project: String
        @Option(help: "The payroll month (YYYY-MM).") var period: String

        func run(_ session: Session) throws -> CommandResult {
            let month = try DateInput.month(period, field: "period")
            let plan = try session.directPay.plan(project: project, period: month, planner: session.actor, on: session.connection)
            let masked = plan.masked()
            return CommandResult(json: masked, text: [
                "batch \(plan.batchID): \(plan.lines.count) worker(s), ¥\(Money.yuanGrouped(plan.totalFen)) from the \(plan.source) account; \(plan.exceptions.count) exception(s)"
            ] + masked.exceptions.map { e in "  not paid: \(e.workerName) \(e.idNumber) ¥\(Money.yuanGrouped(e.amountFen)) — \(e.reason)" })
        }
    }

    struct Approve: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a batch: someone other than its planner (maker-checker, 制单与审核分离).",
            discussion: "Example: wagewatch --as wang_juzhang directpay approve 1")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String

        func run(_ session: Session) throws -> CommandResult {
            let plan = try session.directPay.approve(BatchID(parsing: batch), approver: session.actor, on: session.connection)
            return CommandResult(json: plan.masked(), text: "batch \(plan.batchID) approved by \(session.actor)")
        }
    }

    struct Execute: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pay every line of an approved batch to the worker's card, once; a second run pays nothing.",
            discussion: """
                Each payment is also recorded as a recovery (source direct_pay) on the worker's open case.

                Example: wagewatch directpay execute 1
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String

        func run(_ session: Session) throws -> CommandResult {
            let (plan, already) = try session.directPay.execute(BatchID(parsing: batch), at: session.now, on: session.connection)
            return CommandResult(json: plan.masked(), text: already ? "batch \(plan.batchID) was already executed; nothing paid"
                : "batch \(plan.batchID): paid \(plan.lines.count) worker(s) ¥\(Money.yuanGrouped(plan.totalFen))")
        }
    }

    struct Export: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the bank payment file of an approved or executed batch (CSV, amounts in yuan).",
            discussion: "Example: wagewatch directpay export 1 --out 代发批次1.csv")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String
        @Option(help: "Where to write the CSV file.") var out: String

        func run(_ session: Session) throws -> CommandResult {
            let csv = try session.directPay.bankFile(BatchID(parsing: batch), on: session.connection)
            do {
                try csv.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw WagewatchError.failure("out: cannot write \"\(out)\": \(error.localizedDescription)")
            }
            return .text("wrote \(out)")
        }
    }

    struct Returned: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a payment the bank returned; the money goes back to the wage account, held for the worker.",
            discussion: "Example: wagewatch directpay returned 1 --line 7 --reason 账户已销户")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String
        @Option(help: "Line number in the batch (the file's DP<batch>-<line> reference).") var line: Int
        @Option(help: "Why it came back, as the bank says.") var reason: String

        func run(_ session: Session) throws -> CommandResult {
            let plan = try session.directPay.returned(BatchID(parsing: batch), line: line, reason: reason, at: session.now, on: session.connection)
            return CommandResult(json: plan.masked(), text: "batch \(plan.batchID) line \(line) returned to the wage account and held for the worker")
        }
    }
}
