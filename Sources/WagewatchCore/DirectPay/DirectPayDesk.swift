import Foundation
import PostgresClient

/// Direct pay (代付到人, D1–D4): a project in direct-pay mode has the migrant-wage part of its
/// funds paid straight to each worker, in a batch planned by one user and approved by another,
/// executed once, with a bank payment file.
public struct DirectPayDesk: Sendable {
    /// The region a project code is looked up in (the Session's default region; nil: any, if unique).
    public let region: String?

    public init(region: String? = nil) {
        self.region = region
    }

    /// D1: puts a project into direct-pay mode on an inspector's order or a confirmed red flag
    /// (the door `ww_order_direct_pay` checks and records it).
    public func order(project code: String, basis: String, flagID: FlagID?, on connection: Connection) throws {
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, on: tx)
            try WagewatchError.throughDoor {
                try tx.query("SELECT ww_order_direct_pay(\(key.regionCode), \(key.id), \(basis), \(flagID))")
            }
        }
    }

    /// Ends direct-pay mode by a recorded decision (`ww_clear_direct_pay`).
    public func clear(project code: String, reason: String, on connection: Connection) throws {
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, on: tx)
            try WagewatchError.throughDoor {
                try tx.query("SELECT ww_clear_direct_pay(\(key.regionCode), \(key.id), \(reason))")
            }
        }
    }

    /// D2: a batch for (project, month) from the signed payroll sheet, planned by the door
    /// `ww_plan_direct_pay` (one line per worker owed anything, the total within the funds
    /// available). Unsigned lines and workers with no bank account are the plan's exceptions.
    /// `planner` is recorded only for the service account; anyone else plans as themselves.
    public func plan(project code: String, period: Month, planner: String? = nil, on connection: Connection) throws -> DirectPayPlan {
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, on: tx)
            let batch: BatchID = try WagewatchError.throughDoor {
                try tx.query("SELECT ww_plan_direct_pay(\(key.regionCode), \(key.id), \(period.firstDay), \(planner)) AS id").one().decode("id")
            }
            let exceptions = try tx.query("""
                SELECT id_number, id_number_masked, name, owed_fen, signed FROM ww_direct_pay_owed(\(key.regionCode), \(key.id), \(period.firstDay))
                WHERE NOT payable ORDER BY id_number
                """).map { row in
                DirectPayException(idNumber: try row.decode("id_number"), workerName: try row.decode("name"), amountFen: try row.decode("owed_fen"),
                                   reason: try row.decode("signed", as: Bool.self) ? "no bank account registered" : "payroll line not signed",
                                   idNumberMasked: try row.decode("id_number_masked"))
            }
            let plan = try find(batch, on: tx)
            return DirectPayPlan(batchID: batch, projectCode: plan.projectCode, period: plan.period, status: plan.status, source: plan.source,
                                 lines: plan.lines, totalFen: plan.totalFen, exceptions: exceptions)
        }
    }

    public func find(_ batch: BatchID, on connection: Connection) throws -> DirectPayPlan {
        try find(batch, inFull: false, on: connection)
    }

    /// `inFull`: the ID numbers and accounts as they are, or a permission error (the bank file);
    /// else masked for a reader whose grants do not read them.
    func find(_ batch: BatchID, inFull: Bool, on connection: Connection) throws -> DirectPayPlan {
        guard let row = try connection.query("""
            SELECT b.region_code, b.status, b.source, b.total_fen, b.period, p.code
            FROM direct_pay_batches b JOIN projects p ON p.region_code = b.region_code AND p.id = b.project_id
            WHERE b.id = \(batch)
            """).first else {
            throw WagewatchError.notFound("no direct-pay batch \(batch)")
        }
        // Officials read batches but not the ID numbers and accounts in full (pii_columns): for
        // them the masked columns stand in, as the case desk does for a case's workers.
        let full = try inFull || readsInFull(on: connection)
        let personal = full ? "id_number, bank_account" : "id_number_masked AS id_number, bank_account_masked AS bank_account"
        let lines = try connection.query("""
            SELECT line_no, \(unsafeRaw: personal), worker_name, bank, amount_fen, status, id_number_masked, bank_account_masked
            FROM direct_pay_lines
            WHERE batch_id = \(batch) ORDER BY line_no
            """).map { r in
            DirectPayLine(line: try r.decode("line_no"), idNumber: try r.decode("id_number"), workerName: try r.decode("worker_name"),
                          bank: try r.decode("bank"), bankAccount: try r.decode("bank_account"), amountFen: try r.decode("amount_fen"),
                          status: try r.decode("status"), idNumberMasked: try r.decode("id_number_masked"),
                          bankAccountMasked: try r.decode("bank_account_masked"))
        }
        let period: LocalDate = try row.decode("period")
        return DirectPayPlan(batchID: batch, projectCode: try row.decode("code"), period: Month(containing: period).description,
                             status: try row.decode("status"), source: try row.decode("source"), lines: lines,
                             totalFen: try row.decode("total_fen"), exceptions: [])
    }

    /// Whether the reader may read the lines' ID numbers and accounts whole, as the bank file
    /// needs them (officials read them masked, pii_columns).
    public func readsInFull(on connection: Connection) throws -> Bool {
        try connection.query("""
            SELECT has_column_privilege('direct_pay_lines', 'id_number', 'SELECT')
               AND has_column_privilege('direct_pay_lines', 'bank_account', 'SELECT') AS full
            """).one().decode("full")
    }

    /// D3: approval by someone other than the planner (`ww_approve_direct_pay`: an inspector, an
    /// administrator or a bureau head of the batch's region). `approver` is recorded only for the
    /// service account; anyone else approves as themselves.
    public func approve(_ batch: BatchID, approver: String? = nil, on connection: Connection) throws -> DirectPayPlan {
        try connection.transaction { tx in
            try WagewatchError.throughDoor { try tx.query("SELECT ww_approve_direct_pay(\(batch), \(approver))") }
            return try find(batch, on: tx)
        }
    }

    /// D3, D4, C6: `ww_execute_direct_pay` posts every line in one transaction (keys derived from
    /// batch and line, so a retry pays nothing twice) and records each payment as a recovery on
    /// the worker's open case; a second execution is a no-op.
    public func execute(_ batch: BatchID, at now: Date, on connection: Connection) throws -> (plan: DirectPayPlan, alreadyExecuted: Bool) {
        try connection.transaction { tx in
            let already: Bool = try WagewatchError.throughDoor {
                try tx.query("SELECT ww_execute_direct_pay(\(batch), \(now)) AS already").one().decode("already")
            }
            return (try find(batch, on: tx), already)
        }
    }

    /// D4: the bank payment file: one row per line and a totals row.
    public func bankFile(_ batch: BatchID, on connection: Connection) throws -> String {
        // The bank needs every ID number and account whole: a reader who may not read them gets none.
        let plan = try find(batch, inFull: true, on: connection)
        guard plan.status == .executed || plan.status == .approved else {
            throw WagewatchError.conflict("batch \(batch) is \(plan.status); only an approved or executed batch goes to the bank")
        }
        var csv = "worker_name,id_number,bank,account,amount_yuan,reference\n"
        for line in plan.lines {
            csv += [line.workerName, line.idNumber, line.bank, line.bankAccount, Money.yuan(line.amountFen),
                    "DP\(batch)-\(line.line)"].map(TextEscaping.csvField).joined(separator: ",") + "\n"
        }
        csv += "TOTAL,,,,\(Money.yuan(plan.totalFen)),DP\(batch) (\(plan.lines.count) lines)\n"
        return csv
    }

    /// D4: a payment the bank returned goes back to the wage account, held for the worker
    /// (`ww_return_direct_pay_line`).
    public func returned(_ batch: BatchID, line: Int, reason: String, at now: Date, on connection: Connection) throws -> DirectPayPlan {
        try connection.transaction { tx in
            try WagewatchError.throughDoor {
                try tx.query("SELECT ww_return_direct_pay_line(\(batch), \(Int32(clamping: line)), \(reason), \(now))")
            }
            return try find(batch, on: tx)
        }
    }
}
