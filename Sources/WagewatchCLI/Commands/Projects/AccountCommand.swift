import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch account …`: the wage-fund ledger.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Open wage accounts (农民工工资专用账户) and record money moving through the append-only ledger.",
        discussion: """
            Accounts: fund:CODE (the project's money), wage:CODE (its dedicated wage account), deposit:CODE
            (its wage guarantee deposit), worker:ID_NUMBER, emergency, external:NAME. Every transfer carries a
            key: repeating it changes nothing; a wage account can never go below zero; a correction is a new
            reversing transfer.

            Example:
              wagewatch account open wage:ZZ-G107 --bank 中国农业银行郑州分行 --number 16010101040012345 --opened 2026-02-20
              wagewatch account transfer --key ZZ-G107-2026-03 --from fund:ZZ-G107 --to wage:ZZ-G107 --amount 48万 --date 2026-03-01
            """,
        subcommands: [Open.self, Transfer.self, Balance.self, LedgerCommand.self, Show.self])

    struct Open: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the opening of a project's wage account or wage guarantee deposit account.",
            discussion: """
                A construction project needs its wage account open before it starts (P2).

                Example: wagewatch account open wage:ZZ-G107 --bank 中国农业银行郑州中原支行 --number 16010101040012345 --opened 2026-07-20
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "wage:CODE (工资专户) or deposit:CODE (工资保证金), CODE being the project code.") var account: String
        @Option(help: "Bank and branch.") var bank: String
        @Option(help: "Account number at the bank.") var number: String
        @Option(help: "Date opened (YYYY-MM-DD).") var opened: String

        func run(_ session: Session) throws -> CommandResult {
            let ref = try AccountRef(parsing: account, field: "account", today: session.today)
            let day = try DateInput.date(opened, field: "opened")
            let name = try session.ledger.open(ref, bank: bank, number: number, openedOn: day, on: session.connection)
            return CommandResult(json: ["account": ref.description, "name": name], text: "opened \(ref): \(name)")
        }
    }

    struct Transfer: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record money moving between two accounts: an allocation, a wage payment, a deposit, a correction.",
            discussion: """
                A wage account never goes below zero (exit 5). Money out of a government project's fund to anyone
                but its wage account or a registered party is flagged as a possible diversion (R9).

                Example: wagewatch account transfer --key ZZ-G107-2026-08 --from fund:ZZ-G107 --to wage:ZZ-G107 --amount 48万 --date 2026-08-01 --memo 8月人工费
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Idempotency key, e.g. the bank's voucher number: the same key and payload again changes nothing.") var key: String
        @Option(help: "Account paying: fund:CODE, wage:CODE, deposit:CODE, worker:ID_NUMBER, emergency or external:NAME.") var from: String
        @Option(help: "Account receiving (same forms as --from).") var to: String
        @Option(help: "Amount in yuan (480000, 480000.50 or 48万).") var amount: String
        @Option(help: "Date (YYYY-MM-DD) or time (YYYY-MM-DD HH:MM, Asia/Shanghai) it happened.") var date: String
        @Option(help: "What it is for.") var memo: String?
        @Option(help: "The id of the transfer this one reverses (a correction).") var reverses: Int64?

        func run(_ session: Session) throws -> CommandResult {
            let fromRef = try AccountRef(parsing: from, field: "from", today: session.today)
            let toRef = try AccountRef(parsing: to, field: "to", today: session.today)
            let fen = try Money.parseYuan(amount, field: "amount")
            let when = try DateInput.instant(date, field: "date")
            let result = try session.ledger.transfer(
                key: key, from: fromRef, to: toRef, amountFen: fen, occurredAt: when, memo: memo, reverses: reverses.map(TransferID.init),
                on: session.connection)
            if result.replayed {
                return CommandResult(json: result, text: "transfer \(result.id) was already posted with key \(key); nothing changed")
            } else {
                return CommandResult(json: result, text: "transfer \(result.id): ¥\(Money.yuanGrouped(fen)) \(fromRef) → \(toRef)\(result.diversion ? "  (flagged: payment out of a government project's fund to an unregistered party)" : "")")
            }
        }
    }

    struct Balance: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "An account's balance, now or at the end of a past day.",
            discussion: "Example: wagewatch account balance wage:ZZ-G107 --as-of 2026-10-31 --json")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account: fund:CODE, wage:CODE, deposit:CODE, worker:ID_NUMBER, emergency or external:NAME.") var account: String
        @Option(help: "Balance at the end of this day (YYYY-MM-DD, Asia/Shanghai).") var asOf: String?

        func run(_ session: Session) throws -> CommandResult {
            let ref = try AccountRef(parsing: account, field: "account", today: session.today)
            let day = try asOf.map { try DateInput.date($0, field: "as-of") }
            let balance = try session.ledger.balance(ref, asOf: day, on: session.connection)
            return CommandResult(json: balance, text: "\(balance.account): ¥\(Money.yuanGrouped(balance.balanceFen))\(day.map { " at the end of \($0)" } ?? "")")
        }
    }

    struct Show: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "An account: its bank, balance and, for a wage account, the last reconciled bank statement.",
            discussion: """
                The statement part (SPEC §10 R13) is what `import bank` loaded: its last day, the bank's closing \
                balance and the ledger's that day, and the lines and transfers unmatched more than 2 working days.
                Example: wagewatch account show wage:ZZ-G107 --json
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account: wage:CODE, deposit:CODE, fund:CODE …") var account: String

        func run(_ session: Session) throws -> CommandResult {
            let ref = try AccountRef(parsing: account, field: "account", today: session.today)
            let s = try session.ledger.show(ref, today: session.today, on: session.connection)
            var lines = ["\(s.account)  \(s.bank ?? "")  \(s.number ?? "")\(s.openedOn.map { "  opened \($0)" } ?? "")",
                         "balance ¥\(Money.yuanGrouped(s.balanceFen))"]
            if let r = s.statement {
                lines.append("last reconciled statement: to \(r.lastDay), \(r.lines) line(s); bank ¥\(Money.yuanGrouped(r.bankBalanceFen)), "
                    + "ledger ¥\(Money.yuanGrouped(r.ledgerBalanceFen)) that day; "
                    + (r.agrees ? "agrees (对账一致)"
                        : "\(r.bankBalanceFen == r.ledgerBalanceFen ? "balances agree" : "balances differ"), "
                          + "\(r.unmatchedLines) unmatched line(s), \(r.unmatchedTransfers) unmatched transfer(s) (对账不符)"))
            } else if case .wage = ref {
                lines.append("no bank statement imported (wagewatch import bank FILE --account \(s.account))")
            }
            return CommandResult(json: s, text: lines)
        }
    }

    struct LedgerCommand: SessionCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger", abstract: "Every transfer into and out of an account, with the running balance.",
            discussion: "Example: wagewatch account ledger wage:ZZ-G107")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account: fund:CODE, wage:CODE, deposit:CODE, worker:ID_NUMBER, emergency or external:NAME.") var account: String

        func run(_ session: Session) throws -> CommandResult {
            let ref = try AccountRef(parsing: account, field: "account", today: session.today)
            let entries = try session.ledger.entries(ref, on: session.connection)
            return CommandResult(json: entries, text: entries.map { e in
                "\(DateInput.shanghaiMinute(of: e.occurredAt))  \(e.amountFen >= 0 ? "+" : "-")¥\(Money.yuanGrouped(abs(e.amountFen)))  \(e.counterparty)  balance ¥\(Money.yuanGrouped(e.balanceFen))  \(e.key)\(e.memo.map { "  \($0)" } ?? "")"
            })
        }
    }
}
