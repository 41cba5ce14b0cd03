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

    struct Order: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a project into direct-pay mode on an inspector's order.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var project: String
        @Option(help: "The order and its legal basis.") var basis: String

        func run() throws {
            let context = try global.context()
            try DirectPayDesk().order(project: project, basis: basis, flagID: nil, on: context.connection)
            context.output.say("project \(project) is now in direct-pay mode")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End direct-pay mode by a recorded decision.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var project: String
        @Option(help: "The decision.") var reason: String

        func run() throws {
            let context = try global.context()
            try DirectPayDesk().clear(project: project, reason: reason, on: context.connection)
            context.output.say("project \(project) left direct-pay mode")
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Plan a batch for one month from the signed payroll.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var project: String
        @Option(help: "The payroll month, YYYY-MM.") var period: String

        func run() throws {
            let context = try global.context()
            let month = try DateInput.month(period, field: "period")
            let plan = try DirectPayDesk().plan(project: project, period: month, planner: context.actor, on: context.connection)
            if context.json { return try context.output.emit(plan.masked()) }
            print("batch \(plan.batchID): \(plan.lines.count) worker(s), ¥\(Money.yuanGrouped(plan.totalFen)) from the \(plan.source) account; \(plan.exceptions.count) exception(s)")
            for e in plan.masked().exceptions { print("  not paid: \(e.workerName) \(e.idNumber) ¥\(Money.yuanGrouped(e.amountFen)) — \(e.reason)") }
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a batch (another user than the planner).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String

        func run() throws {
            let context = try global.context()
            let plan = try DirectPayDesk().approve(batch, approver: context.actor, on: context.connection)
            if context.json { return try context.output.emit(plan.masked()) }
            print("batch \(plan.batchID) approved by \(context.actor)")
        }
    }

    struct Execute: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pay every line of an approved batch, once.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String

        func run() throws {
            let context = try global.context()
            let (plan, already) = try DirectPayDesk().execute(batch, on: context.connection)
            if context.json { return try context.output.emit(plan.masked()) }
            print(already ? "batch \(plan.batchID) was already executed; nothing paid"
                : "batch \(plan.batchID): paid \(plan.lines.count) worker(s) ¥\(Money.yuanGrouped(plan.totalFen))")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the bank payment file of a batch.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String
        @Option(help: "Where to write the CSV.") var out: String

        func run() throws {
            let context = try global.context()
            let csv = try DirectPayDesk().bankFile(batch, on: context.connection)
            do {
                try csv.write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                throw WagewatchError.failure("out: cannot write \"\(out)\": \(error.localizedDescription)")
            }
            context.output.say("wrote \(out)")
        }
    }

    struct Returned: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a payment the bank returned; the money is held for the worker.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Batch id.") var batch: String
        @Option(help: "Line number.") var line: Int
        @Option(help: "Why it came back.") var reason: String

        func run() throws {
            let context = try global.context()
            let plan = try DirectPayDesk().returned(batch, line: line, reason: reason, on: context.connection)
            if context.json { return try context.output.emit(plan.masked()) }
            print("batch \(plan.batchID) line \(line) returned to the wage account and held for the worker")
        }
    }
}
