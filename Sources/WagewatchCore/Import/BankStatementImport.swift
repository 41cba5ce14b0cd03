import Foundation
import PostgresClient

/// Imports one wage account's bank statement (SPEC §10 R13, `import bank FILE --account wage:CODE`)
/// all or nothing, through the shared import engine: every bad line is named, nothing is written
/// if there is one. The lines go through the door `ww_import_bank_lines` (sql/functions/bank.sql),
/// which keeps each line once (a re-import of the same statement adds nothing) and matches every
/// unmatched line to a ledger transfer of the account; rule R13 (`bank_mismatch`) then compares.
public struct BankStatementImport: ImportKind {
    /// The wage account the statement is of.
    public let account: AccountRef
    /// The region of an account whose project code several regions use (`WAGEWATCH_REGION`).
    public let defaultRegion: String?
    /// When the lines are recorded and matched (the command's clock).
    public let now: Date

    public init(account: AccountRef, defaultRegion: String? = nil, now: Date) throws {
        guard case .wage = account else {
            throw WagewatchError.invalid("--account: \"\(account)\" is not a wage account; a bank statement is of wage:CODE")
        }
        self.account = account
        self.defaultRegion = defaultRegion
        self.now = now
    }

    public static let kind = "bank"
    public static let schema = CSVSchema(required: [
        "booked_on", "amount", "direction", "counterparty_name", "counterparty_account", "reference", "balance_after",
    ])
    public static let staging = StagingTable(
        "bank_staging",
        columns: ["line", "booked_on", "amount_fen", "direction", "counterparty_name", "counterparty_account", "reference",
                  "balance_after_fen"],
        definition: """
            line integer NOT NULL, booked_on date NOT NULL, amount_fen bigint NOT NULL, direction text NOT NULL,
            counterparty_name text, counterparty_account text, reference text, balance_after_fen bigint NOT NULL
            """)

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        let bookedOn = row.parse("booked_on", required: true) { try DateInput.date($0, field: "booked_on") }
        let amount = row.parse("amount", required: true) { text throws(ValidationError) -> Int64 in
            let fen = try Money.parseYuan(text, field: "amount")
            guard fen > 0 else { throw ValidationError(field: "amount", value: text, problem: "must be more than 0") }
            return fen
        }
        let direction = row.parse("direction", required: true) { text throws(ValidationError) -> String in
            guard ["credit", "debit"].contains(text) else {
                throw ValidationError(field: "direction", value: text, problem: "must be credit (into the account) or debit (out of it)")
            }
            return text
        }
        let name = row.text("counterparty_name", maxLength: 200)
        let number = row.text("counterparty_account", maxLength: 64)
        let reference = row.text("reference", maxLength: 200)
        let balance = row.parse("balance_after", required: true) { try Money.parseYuan($0, field: "balance_after") }
        guard !row.isBad, let bookedOn, let amount, let direction, let balance else { return nil }
        return [String(row.record.line), bookedOn.description, String(amount), direction, name, number, reference, String(balance)]
    }

    /// The account, found once the lines are staged: an unopened one is not found (exit 4).
    private func accountRow(on tx: Connection) throws -> (region: String, id: Int64) {
        let rows = try tx.query("SELECT region_code, id FROM ledger_accounts WHERE kind = 'wage' AND ref = \(account.ref) ORDER BY region_code")
        guard let first = rows.first else {
            throw WagewatchError.notFound("--account: \(account) was never opened (wagewatch account open \(account) …)")
        }
        let row = try rows.first { try $0.decode("region_code", as: String.self) == defaultRegion } ?? first
        return (try row.decode("region_code"), try row.decode("id"))
    }

    public func resolve(on tx: Connection, trace: ImportTrace) throws {
        _ = try accountRow(on: tx)
    }

    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        let (region, id) = try accountRow(on: tx)
        let result = try tx.query("""
            SELECT o_inserted, o_duplicates, o_matched, o_unmatched
            FROM ww_import_bank_lines(\(region), \(id),
                (SELECT coalesce(jsonb_agg(to_jsonb(s) - 'line' ORDER BY s.line), '[]'::jsonb) FROM bank_staging s),
                \(now))
            """).one()
        return [
            "inserted": try result.decode("o_inserted"), "duplicates": try result.decode("o_duplicates"),
            "matched": try result.decode("o_matched"), "unmatched": try result.decode("o_unmatched"),
        ]
    }
}
