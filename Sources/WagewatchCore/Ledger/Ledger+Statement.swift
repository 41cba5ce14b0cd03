import Foundation
import PostgresClient

/// The last reconciled bank statement of a wage account (SPEC §10 R13), as `account show` prints it.
public struct StatementReconciliation: Sendable, Encodable, Equatable {
    /// The last day the imported statements reach.
    public let lastDay: LocalDate
    public let lines: Int
    /// The bank's balance after the last line of that day, and the ledger's at its end.
    public let bankBalanceFen: Int64
    public let ledgerBalanceFen: Int64
    /// Lines and transfers still unmatched more than 2 working days after their day (as of today).
    public let unmatchedLines: Int
    public let unmatchedTransfers: Int

    public var agrees: Bool { bankBalanceFen == ledgerBalanceFen && unmatchedLines == 0 && unmatchedTransfers == 0 }

    enum CodingKeys: String, CodingKey {
        case lastDay = "last_day", lines, bankBalanceFen = "bank_balance_fen", ledgerBalanceFen = "ledger_balance_fen"
        case unmatchedLines = "unmatched_lines", unmatchedTransfers = "unmatched_transfers", agrees
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lastDay, forKey: .lastDay)
        try c.encode(lines, forKey: .lines)
        try c.encode(bankBalanceFen, forKey: .bankBalanceFen)
        try c.encode(ledgerBalanceFen, forKey: .ledgerBalanceFen)
        try c.encode(unmatchedLines, forKey: .unmatchedLines)
        try c.encode(unmatchedTransfers, forKey: .unmatchedTransfers)
        try c.encode(agrees, forKey: .agrees)
    }
}

/// One account as `account show` prints it.
public struct AccountSummary: Sendable, Encodable, Equatable {
    public let account: String
    public let bank: String?
    /// Masked unless the role may read it (SPEC §6).
    public let number: String?
    public let openedOn: LocalDate?
    public let balanceFen: Int64
    /// Nil when no statement was imported.
    public let statement: StatementReconciliation?

    enum CodingKeys: String, CodingKey {
        case account, bank, number, openedOn = "opened_on", balanceFen = "balance_fen", statement
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(account, forKey: .account)
        try c.encode(bank, forKey: .bank)
        try c.encode(number, forKey: .number)
        try c.encode(openedOn, forKey: .openedOn)
        try c.encode(balanceFen, forKey: .balanceFen)
        try c.encode(statement, forKey: .statement)
    }
}

extension Ledger {
    /// The account, its balance and, for a wage account, its last reconciled statement as of `today`.
    public func show(_ account: AccountRef, today: LocalDate, on connection: Connection) throws -> AccountSummary {
        let (region, id) = try existingAccount(account, on: connection)
        let row = try connection.query("""
            SELECT bank, ww_mask_id(number) AS number, opened_on, balance_fen
            FROM ledger_accounts WHERE region_code = \(region) AND id = \(id)
            """).one()
        var statement: StatementReconciliation?
        if case .wage = account,
           let r = try connection.query("""
               SELECT last_day, lines, bank_balance_fen, ledger_balance_fen,
                      jsonb_array_length(unmatched_lines) AS ul, jsonb_array_length(unmatched_transfers) AS ut
               FROM ww_bank_reconciliation(\(region), \(id), \(today))
               """).first {
            statement = StatementReconciliation(
                lastDay: try r.decode("last_day"), lines: try r.decode("lines"),
                bankBalanceFen: try r.decode("bank_balance_fen"), ledgerBalanceFen: try r.decode("ledger_balance_fen"),
                unmatchedLines: try r.decode("ul"), unmatchedTransfers: try r.decode("ut"))
        }
        return AccountSummary(
            account: account.description, bank: try row.decode("bank"), number: try row.decode("number"),
            openedOn: try row.decode("opened_on"), balanceFen: try row.decode("balance_fen"), statement: statement)
    }
}
