import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch account …`: the wage-fund ledger.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Open wage accounts and move money through the double-entry, append-only ledger.",
        discussion: """
            Accounts: fund:CODE (the project's money), wage:CODE (its dedicated wage account), deposit:CODE
            (its wage guarantee deposit), worker:ID_NUMBER, emergency, external:NAME. Every transfer carries a
            key: repeating it changes nothing; a wage account can never go below zero; a correction is a new
            reversing transfer.

            Example:
              wagewatch account open wage:ZZ-G107 --bank 中国农业银行郑州分行 --number 16010101040012345 --opened 2026-02-20
              wagewatch account transfer --key ZZ-G107-2026-03 --from fund:ZZ-G107 --to wage:ZZ-G107 --amount 48万 --date 2026-03-01
            """,
        subcommands: [Open.self, Transfer.self, Balance.self, LedgerCommand.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a project's wage account or deposit account.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "wage:CODE or deposit:CODE.") var account: String
        @Option(help: "Bank and branch.") var bank: String
        @Option(help: "Account number.") var number: String
        @Option(help: "Date opened.") var opened: String

        func run() throws {
            let context = try global.context()
            let ref = try AccountRef(parsing: account, field: "account")
            let day = try DateInput.date(opened, field: "opened")
            let name = try Ledger().open(ref, bank: bank, number: number, openedOn: day, on: context.connection)
            if context.json { return try context.output.emit(["account": ref.description, "name": name]) }
            print("opened \(ref): \(name)")
        }
    }

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Post a transfer between two accounts.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Idempotency key: the same key and payload again changes nothing.") var key: String
        @Option(help: "Account paying.") var from: String
        @Option(help: "Account receiving.") var to: String
        @Option(help: "Amount in yuan.") var amount: String
        @Option(help: "Date (YYYY-MM-DD) or time it happened.") var date: String
        @Option(help: "What it is for.") var memo: String?
        @Option(help: "The transfer this one reverses (a correction).") var reverses: Int64?

        func run() throws {
            let context = try global.context()
            let fromRef = try AccountRef(parsing: from, field: "from")
            let toRef = try AccountRef(parsing: to, field: "to")
            let fen = try Money.parseYuan(amount, field: "amount")
            let when = try DateInput.instant(date, field: "date")
            let result = try Ledger().transfer(
                key: key, from: fromRef, to: toRef, amountFen: fen, occurredAt: when, memo: memo, reverses: reverses,
                on: context.connection)
            if context.json { return try context.output.emit(result) }
            if result.replayed {
                print("transfer \(result.id) was already posted with key \(key); nothing changed")
            } else {
                print("transfer \(result.id): ¥\(Money.yuanGrouped(fen)) \(fromRef) → \(toRef)\(result.diversion ? "  (flagged: payment out of a government project's fund to an unregistered party)" : "")")
            }
        }
    }

    struct Balance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's balance, now or at the end of a past day.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var account: String
        @Option(help: "Balance at the end of this day (Asia/Shanghai).") var asOf: String?

        func run() throws {
            let context = try global.context()
            let ref = try AccountRef(parsing: account, field: "account")
            let day = try asOf.map { try DateInput.date($0, field: "as-of") }
            let balance = try Ledger().balance(ref, asOf: day, on: context.connection)
            if context.json { return try context.output.emit(balance) }
            print("\(balance.account): ¥\(Money.yuanGrouped(balance.balanceFen))\(day.map { " at the end of \($0)" } ?? "")")
        }
    }

    struct LedgerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Every transfer into and out of an account.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var account: String

        func run() throws {
            let context = try global.context()
            let ref = try AccountRef(parsing: account, field: "account")
            let entries = try Ledger().entries(ref, on: context.connection)
            if context.json { return try context.output.emit(entries) }
            for e in entries {
                print("\(DateInput.shanghaiMinute(of: e.occurredAt))  \(e.amountFen >= 0 ? "+" : "-")¥\(Money.yuanGrouped(abs(e.amountFen)))  \(e.counterparty)  balance ¥\(Money.yuanGrouped(e.balanceFen))  \(e.key)\(e.memo.map { "  \($0)" } ?? "")")
            }
        }
    }
}
