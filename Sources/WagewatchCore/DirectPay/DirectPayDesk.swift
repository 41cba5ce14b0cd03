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

    /// D1: puts a project into direct-pay mode on an inspector's order or a confirmed red flag.
    public func order(project code: String, basis: String, flagID: FlagID?, on connection: Connection) throws {
        guard !basis.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw WagewatchError.invalid("basis: \"\" is required for a direct-pay order")
        }
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, forUpdate: true, on: tx)
            let row = try tx.query("SELECT direct_pay_mode FROM projects WHERE region_code = \(key.regionCode) AND id = \(key.id)").one()
            let (region, id) = (key.regionCode, key.id)
            guard try !row.decode("direct_pay_mode", as: Bool.self) else {
                throw WagewatchError.conflict("project \(code) is already in direct-pay mode")
            }
            try tx.query("INSERT INTO direct_pay_orders (region_code, project_id, basis, flag_id) VALUES (\(region), \(id), \(basis), \(flagID))")
            try tx.query("UPDATE projects SET direct_pay_mode = true WHERE region_code = \(region) AND id = \(id)")
        }
    }

    /// Ends direct-pay mode by a recorded decision.
    public func clear(project code: String, reason: String, on connection: Connection) throws {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw WagewatchError.invalid("reason: \"\" is required to end direct pay")
        }
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, forUpdate: true, on: tx)
            let row = try tx.query("SELECT direct_pay_mode FROM projects WHERE region_code = \(key.regionCode) AND id = \(key.id)").one()
            guard try row.decode("direct_pay_mode", as: Bool.self) else {
                throw WagewatchError.conflict("project \(code) is not in direct-pay mode")
            }
            let (region, id) = (key.regionCode, key.id)
            try tx.query("""
                UPDATE direct_pay_orders SET cleared_at = now(), cleared_by = ww_actor(), clear_reason = \(reason)
                WHERE region_code = \(region) AND project_id = \(id) AND cleared_at IS NULL
                """)
            try tx.query("UPDATE projects SET direct_pay_mode = false WHERE region_code = \(region) AND id = \(id)")
        }
    }

    /// D2: a batch for (project, month) from the signed payroll sheet: one line per worker owed
    /// anything (wage due − wage paid − paid by earlier batches); unsigned lines and workers with
    /// no bank account are exceptions. The total may not exceed the funds available.
    public func plan(project code: String, period: Month, planner: String, on connection: Connection) throws -> DirectPayPlan {
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, forUpdate: true, on: tx)
            let project = try tx.query("""
                SELECT region_code, id, direct_pay_mode FROM projects WHERE region_code = \(key.regionCode) AND id = \(key.id)
                """).one()
            guard try project.decode("direct_pay_mode", as: Bool.self) else {
                throw WagewatchError.conflict(
                    "project \(code) is not in direct-pay mode: confirm a red flag with direct_pay, or order it with `wagewatch directpay order \(code) --basis …`")
            }
            let region: String = try project.decode("region_code")
            let projectID: Int64 = try project.decode("id")
            let owed = try tx.query("""
                SELECT w.id AS worker_id, w.id_number, w.name, w.bank, w.bank_account, pr.signed,
                       w.id_number_masked, w.bank_account_masked,
                       (pr.wage_due_fen - pr.wage_paid_fen
                        - coalesce((SELECT sum(l.amount_fen) FROM direct_pay_lines l
                                    WHERE l.region_code = pr.region_code AND l.project_id = pr.project_id
                                      AND l.period = pr.period AND l.worker_id = pr.worker_id AND l.status <> 'returned'), 0))::bigint AS owed
                FROM payroll pr JOIN workers w ON w.region_code = pr.region_code AND w.id = pr.worker_id
                WHERE pr.region_code = \(region) AND pr.project_id = \(projectID) AND pr.period = \(period.firstDay)
                ORDER BY w.id_number
                """)
            var lines: [(workerID: Int64, line: DirectPayLine)] = []
            var exceptions: [DirectPayException] = []
            for row in owed {
                let amount: Int64 = try row.decode("owed")
                guard amount > 0 else { continue }
                let id: String = try row.decode("id_number")
                let idMasked: String = try row.decode("id_number_masked")
                let name: String = try row.decode("name")
                guard try row.decode("signed", as: Bool.self) else {
                    exceptions.append(DirectPayException(idNumber: id, workerName: name, amountFen: amount, reason: "payroll line not signed",
                                                         idNumberMasked: idMasked))
                    continue
                }
                guard let bank = try row.decode("bank", as: String?.self), let account = try row.decode("bank_account", as: String?.self),
                      let accountMasked = try row.decode("bank_account_masked", as: String?.self) else {
                    exceptions.append(DirectPayException(idNumber: id, workerName: name, amountFen: amount, reason: "no bank account registered",
                                                         idNumberMasked: idMasked))
                    continue
                }
                lines.append((try row.decode("worker_id"), DirectPayLine(
                    line: lines.count + 1, idNumber: id, workerName: name, bank: bank, bankAccount: account, amountFen: amount,
                    status: .pending, idNumberMasked: idMasked, bankAccountMasked: accountMasked)))
            }
            guard !lines.isEmpty else {
                throw WagewatchError.conflict("nothing to pay for \(code) in \(period): no signed payroll line is owed anything\(exceptions.isEmpty ? "" : " (\(exceptions.count) exception(s))")")
            }
            let total = lines.reduce(Int64(0)) { $0 + $1.line.amountFen }
            // Labour-cost funds: the wage account when it is open, else the project's fund.
            let wage = try tx.query("""
                SELECT balance_fen FROM ledger_accounts WHERE region_code = \(region) AND kind = 'wage' AND ref = \(code)
                """).first
            let source: DirectPaySource = wage == nil ? .fund : .wage
            let available: Int64 = try wage?.decode("balance_fen") ?? (tx.query("""
                SELECT balance_fen FROM ledger_accounts WHERE region_code = \(region) AND kind = 'fund' AND ref = \(code)
                """).first?.decode("balance_fen") ?? 0)
            guard total <= available else {
                throw WagewatchError.conflict(
                    "the batch needs ¥\(Money.yuanGrouped(total)) but the \(source == .wage ? "wage account" : "project fund") holds ¥\(Money.yuanGrouped(available))")
            }
            let batchID: BatchID = try tx.query("""
                INSERT INTO direct_pay_batches (region_code, project_id, period, source, total_fen, planned_by)
                VALUES (\(region), \(projectID), \(period.firstDay), \(source), \(total), \(planner)) RETURNING id
                """).one().decode("id")
            for (workerID, line) in lines {
                try tx.query("""
                    INSERT INTO direct_pay_lines (region_code, batch_id, line_no, project_id, period, worker_id, id_number,
                                                  worker_name, bank, bank_account, amount_fen)
                    VALUES (\(region), \(batchID), \(line.line), \(projectID), \(period.firstDay), \(workerID), \(line.idNumber),
                            \(line.workerName), \(line.bank), \(line.bankAccount), \(line.amountFen))
                    """)
            }
            return DirectPayPlan(batchID: batchID, projectCode: code, period: period.description, status: .planned,
                                 source: source, lines: lines.map(\.line), totalFen: total, exceptions: exceptions)
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
        let full: Bool = try inFull || connection.query("""
            SELECT has_column_privilege('direct_pay_lines', 'id_number', 'SELECT')
               AND has_column_privilege('direct_pay_lines', 'bank_account', 'SELECT') AS full
            """).first!.decode("full")
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

    /// D3: approval by someone other than the planner.
    public func approve(_ batch: BatchID, approver: String, on connection: Connection) throws -> DirectPayPlan {
        try connection.transaction { tx in
            guard let row = try tx.query("SELECT region_code, status, planned_by FROM direct_pay_batches WHERE id = \(batch) FOR UPDATE").first else {
                throw WagewatchError.notFound("no direct-pay batch \(batch)")
            }
            guard try row.decode("planned_by", as: String.self) != approver else {
                throw WagewatchError.denied("batch \(batch) was planned by \(approver); another user must approve it (maker-checker)")
            }
            guard try row.decode("status", as: DirectPayBatchStatus.self) == .planned else {
                throw WagewatchError.conflict("batch \(batch) is already \(try row.decode("status", as: String.self))")
            }
            try tx.query("UPDATE direct_pay_batches SET status = 'approved', approved_by = \(approver), approved_at = now() WHERE id = \(batch)")
            return try find(batch, on: tx)
        }
    }

    /// D3, D4, C6: posts every line in one transaction (keys derived from batch and line, so a
    /// retry pays nothing twice); a second execution is a no-op. Workers with open claims get
    /// the payment recorded as a recovery (source direct_pay) on their case.
    public func execute(_ batch: BatchID, at now: Date, on connection: Connection) throws -> (plan: DirectPayPlan, alreadyExecuted: Bool) {
        try connection.transaction { tx in
            guard let row = try tx.query("""
                SELECT b.region_code, b.status, b.source, b.period, p.code FROM direct_pay_batches b
                JOIN projects p ON p.region_code = b.region_code AND p.id = b.project_id
                WHERE b.id = \(batch) FOR UPDATE OF b
                """).first else {
                throw WagewatchError.notFound("no direct-pay batch \(batch)")
            }
            let status: DirectPayBatchStatus = try row.decode("status")
            if status == .executed { return (try find(batch, on: tx), true) }
            guard status == .approved else {
                throw WagewatchError.conflict("batch \(batch) is not approved yet (maker-checker)")
            }
            let code: String = try row.decode("code")
            let period: LocalDate = try row.decode("period")
            let source: AccountRef = try row.decode("source", as: DirectPaySource.self) == .wage ? .wage(project: code) : .fund(project: code)
            let ledger = Ledger(defaultRegion: try row.decode("region_code", as: String.self))
            let plan = try find(batch, on: tx)
            for line in plan.lines where line.status == .pending {
                let key = "directpay:\(batch):\(line.line)"
                let posted = try ledger.transfer(
                    key: key, from: source, to: .worker(idNumber: line.idNumber), amountFen: line.amountFen,
                    occurredAt: now, memo: "\(Month(containing: period))工资代付到人（批次\(batch)第\(line.line)行）", on: tx)
                try tx.query("""
                    UPDATE direct_pay_lines SET status = 'paid', transfer_id = \(posted.id)
                    WHERE batch_id = \(batch) AND line_no = \(line.line)
                    """)
                // C6: the payment counts against what the worker is owed on open cases (the
                // recovery's door, sql/functions/cases.sql, checks that the line was paid).
                try WagewatchError.throughDoor { try tx.query("SELECT ww_record_direct_pay_recovery(\(batch), \(Int32(clamping: line.line)))") }
            }
            try tx.query("UPDATE direct_pay_batches SET status = 'executed', executed_at = now() WHERE id = \(batch)")
            return (try find(batch, on: tx), false)
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

    /// D4: a payment the bank returned goes back to the wage account, held for the worker.
    public func returned(_ batch: BatchID, line: Int, reason: String, at now: Date, on connection: Connection) throws -> DirectPayPlan {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw WagewatchError.invalid("reason: \"\" is required")
        }
        return try connection.transaction { tx in
            guard let row = try tx.query("""
                SELECT l.status, l.id_number, l.id_number_masked, l.amount_fen, l.region_code, p.code FROM direct_pay_lines l
                JOIN projects p ON p.region_code = l.region_code AND p.id = l.project_id
                WHERE l.batch_id = \(batch) AND l.line_no = \(line) FOR UPDATE OF l
                """).first else {
                throw WagewatchError.notFound("no line \(line) in batch \(batch)")
            }
            guard try row.decode("status", as: String.self) == "paid" else {
                throw WagewatchError.conflict("line \(line) of batch \(batch) is \(try row.decode("status", as: String.self)), not paid")
            }
            let code: String = try row.decode("code")
            let idNumber: String = try row.decode("id_number")
            let ledger = Ledger(defaultRegion: try row.decode("region_code", as: String.self))
            let hasWage = try !tx.query("SELECT 1 FROM ledger_accounts WHERE kind = 'wage' AND ref = \(code)").isEmpty
            let posted = try ledger.transfer(
                key: "directpay-returned:\(batch):\(line)", from: .worker(idNumber: idNumber),
                to: hasWage ? .wage(project: code) : .fund(project: code), amountFen: try row.decode("amount_fen"),
                occurredAt: now, memo: "代付退回，为农民工\(try row.decode("id_number_masked", as: String.self))保留：\(reason)", on: tx)
            try tx.query("""
                UPDATE direct_pay_lines SET status = 'returned', returned_reason = \(reason), returned_transfer_id = \(posted.id)
                WHERE batch_id = \(batch) AND line_no = \(line)
                """)
            return try find(batch, on: tx)
        }
    }
}
