import Foundation
import PostgresClient

/// What posting a transfer did.
public struct TransferResult: Sendable, Encodable, Equatable {
    public let id: TransferID
    /// True when the key had been used before with the same payload: nothing new was posted.
    public let replayed: Bool
    /// P7: money left a government project's fund for an account that is neither its wage
    /// account nor a registered party; R9 flags it.
    public let diversion: Bool
}

/// One line of an account's statement.
public struct LedgerEntry: Sendable, Encodable, Equatable {
    public let transferID: TransferID
    public let key: String
    public let occurredAt: Date
    public let counterparty: String
    /// Positive into the account, negative out of it.
    public let amountFen: Int64
    public let balanceFen: Int64
    public let memo: String?

    enum CodingKeys: String, CodingKey {
        case transferID = "transfer_id", key, occurredAt = "occurred_at", counterparty, amountFen = "amount_fen"
        case balanceFen = "balance_fen", memo
    }
}

/// A balance at a moment (SPEC §5 `account balance --json`).
public struct AccountBalance: Sendable, Encodable, Equatable {
    public let account: String
    public let balanceFen: Int64
    public let asOf: LocalDate?

    enum CodingKeys: String, CodingKey { case account, balanceFen = "balance_fen", asOf = "as_of" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(account, forKey: .account)
        try c.encode(balanceFen, forKey: .balanceFen)
        try c.encode(asOf, forKey: .asOf)
    }
}

/// The double-entry, append-only wage-fund ledger (P5, P6, P7). Every movement is a transfer
/// between two accounts with an idempotency key; balances are kept per account and can be
/// rebuilt from transfers at any date.
public struct Ledger: Sendable {
    /// The region for accounts tied to no project or worker (`emergency`, `external:…`), when
    /// the other side of a transfer does not tell it.
    public let defaultRegion: String?

    public init(defaultRegion: String? = nil) {
        self.defaultRegion = defaultRegion
    }

    /// Opens a project's wage account or guarantee deposit account, at zero, through the door
    /// `ww_open_account` (sql/functions/accounts.sql), which names it as the regulation requires
    /// (the wage account 总包名称+项目名称+农民工工资专用账户) and returns the name.
    public func open(_ account: AccountRef, bank: String, number: String, openedOn: LocalDate, on connection: Connection)
        throws -> String
    {
        switch account {
        case .wage, .deposit:
            return try openProjectAccount(account, bank: bank, number: number, openedOn: openedOn, on: connection)
        default:
            throw WagewatchError.invalid(
                "account: \"\(account)\" cannot be opened by hand: only wage:CODE and deposit:CODE are")
        }
    }

    private func openProjectAccount(
        _ account: AccountRef, bank: String, number: String, openedOn: LocalDate, on connection: Connection
    ) throws -> String {
        guard !bank.trimmingCharacters(in: .whitespaces).isEmpty else { throw WagewatchError.invalid("bank: \"\" is required") }
        guard number.range(of: "^[0-9]{8,30}$", options: .regularExpression) != nil else {
            throw WagewatchError.invalid("number: \"\(number)\" is not a bank account number (8 to 30 digits)")
        }
        let code = account.projectCode!
        return try connection.transaction { tx in
            let key = try ProjectResolver(region: defaultRegion).resolve(code, field: "account", on: tx)
            return try WagewatchError.throughDoor {
                try tx.query("""
                    SELECT ww_open_account(\(key.regionCode), \(key.id), \(account.kind), \(bank), \(number), \(openedOn)) AS name
                    """).one().decode("name")
            }
        }
    }

    /// Posts a transfer. The same key with the same payload returns the first result; with a
    /// different payload it is a conflict. A wage account that would go below zero is refused
    /// (conflict), as is a transfer into a wage or deposit account that was never opened.
    public func transfer(
        key: String, from: AccountRef, to: AccountRef, amountFen: Int64, occurredAt: Date, memo: String?,
        reverses: TransferID? = nil, on connection: Connection
    ) throws -> TransferResult {
        guard amountFen > 0 else { throw WagewatchError.invalid("amount: \"\(Money.yuan(amountFen))\" must be positive") }
        guard from != to else { throw WagewatchError.invalid("to: \"\(to)\" is the same account as from") }
        guard !key.isEmpty, key.count <= 200 else { throw WagewatchError.invalid("key: \"\(key)\" must be 1 to 200 characters") }
        // Creating implicit accounts happens before the accounts are locked in id order, so two
        // opposite first transfers can deadlock; the whole transaction is then simply retried.
        let post = { (tx: Connection) throws -> TransferResult in
            let region = try self.region(for: from, to, on: tx)
            let fromID = try accountID(from, region: region, on: tx)
            let toID = try accountID(to, region: region, on: tx)
            let row = try tx.query("""
                SELECT o_id, o_replayed, o_diversion FROM ww_post_transfer(
                    \(region), \(key), \(fromID), \(toID), \(amountFen), \(occurredAt), \(memo), \(reverses))
                """).one()
            return TransferResult(
                id: try row.decode("o_id"), replayed: try row.decode("o_replayed"),
                diversion: try row.decode("o_diversion"))
        }
        if connection.transactionDepth == 0 {
            return try connection.withSerializationRetry(isolation: .readCommitted, post)
        }
        return try connection.transaction(post)
    }

    /// The region a transfer belongs in: the project's or the worker's, else the default.
    func region(for accounts: AccountRef..., on connection: Connection) throws -> String {
        for account in accounts {
            if let code = account.projectCode {
                // Codes are unique within a region: the default region's project, never a guess.
                return try ProjectResolver(region: defaultRegion).resolve(code, field: "account", on: connection).regionCode
            }
        }
        for account in accounts {
            if case .worker(let id) = account,
               let row = try connection.query("SELECT region_code FROM workers WHERE id_number = \(id) LIMIT 1").first {
                return try row.decode("region_code")
            }
        }
        guard let defaultRegion else {
            throw WagewatchError.invalid(
                "region: neither account belongs to a project or a registered worker; set WAGEWATCH_REGION to the region code")
        }
        return defaultRegion
    }

    /// The account's id, creating accounts that exist implicitly: a project's fund, a worker's
    /// account, the emergency fund and external parties. Wage and deposit accounts must be opened.
    func accountID(_ account: AccountRef, region: String, on tx: Connection) throws -> Int64 {
        if let id = try tx.query("SELECT ww_implicit_account(\(region), \(account.kind), \(account.ref)) AS id").one()
            .decode("id", as: Int64?.self) {
            return id
        }
        switch account {
        case .fund(let code):
            throw WagewatchError.notFound("no project \(code)")
        default:
            throw WagewatchError.conflict("\(account) was never opened; open it with: wagewatch account open \(account) --bank … --number … --opened …")
        }
    }

    func existingAccount(_ account: AccountRef, on connection: Connection) throws -> (region: String, id: Int64) {
        let rows = try connection.query("""
            SELECT region_code, id FROM ledger_accounts WHERE kind = \(account.kind) AND ref = \(account.ref)
            """)
        guard let row = rows.first else { throw WagewatchError.notFound("no account \(account)") }
        if rows.count > 1, let region = defaultRegion,
           let mine = try rows.first(where: { try $0.decode("region_code", as: String.self) == region }) {
            return (region, try mine.decode("id"))
        }
        return (try row.decode("region_code"), try row.decode("id"))
    }

    /// Whether the account was opened (a wage or deposit account of a project).
    public func isOpen(_ account: AccountRef, on connection: Connection) throws -> Bool {
        do {
            _ = try existingAccount(account, on: connection)
            return true
        } catch let error as WagewatchError where error.kind == .notFound {
            return false
        }
    }

    /// The balance now, or at the end of `asOf` (Asia/Shanghai) rebuilt from transfers.
    public func balance(_ account: AccountRef, asOf: LocalDate?, on connection: Connection) throws -> AccountBalance {
        let (region, id) = try existingAccount(account, on: connection)
        let fen: Int64
        if let asOf {
            fen = try connection.query("SELECT ww_balance_as_of(\(region), \(id), \(asOf)) AS b").one().decode("b")
        } else {
            fen = try connection.query("SELECT balance_fen FROM ledger_accounts WHERE region_code = \(region) AND id = \(id)")
                .one().decode("balance_fen")
        }
        return AccountBalance(account: account.description, balanceFen: fen, asOf: asOf)
    }

    /// Every transfer into or out of the account, oldest first, with the running balance.
    public func entries(_ account: AccountRef, on connection: Connection) throws -> [LedgerEntry] {
        let (region, id) = try existingAccount(account, on: connection)
        return try connection.query("""
            SELECT t.id, t.idempotency_key, t.occurred_at, t.memo,
                   CASE WHEN t.to_account = \(id) THEN t.amount_fen ELSE -t.amount_fen END AS signed,
                   sum(CASE WHEN t.to_account = \(id) THEN t.amount_fen ELSE -t.amount_fen END)
                       OVER (ORDER BY t.occurred_at, t.id)::bigint AS running,
                   a.kind AS counterparty_kind,
                   CASE WHEN a.kind = 'worker' THEN ww_mask_id(a.ref) ELSE a.ref END AS counterparty_ref
            FROM transfers t
            JOIN ledger_accounts a ON a.region_code = t.region_code
                 AND a.id = CASE WHEN t.to_account = \(id) THEN t.from_account ELSE t.to_account END
            WHERE t.region_code = \(region) AND (t.from_account = \(id) OR t.to_account = \(id))
            ORDER BY t.occurred_at, t.id
            """).map { row in
            LedgerEntry(
                transferID: try row.decode("id"), key: try row.decode("idempotency_key"),
                occurredAt: try row.decode("occurred_at"),
                counterparty: Self.display(kind: try row.decode("counterparty_kind"), ref: try row.decode("counterparty_ref")),
                amountFen: try row.decode("signed"), balanceFen: try row.decode("running"), memo: try row.decode("memo"))
        }
    }

    /// An account as lists show it (a worker's ID number arrives masked by the database, SPEC §6).
    static func display(kind: String, ref: String) -> String {
        kind == "emergency" ? "emergency" : kind + ":" + ref
    }
}
