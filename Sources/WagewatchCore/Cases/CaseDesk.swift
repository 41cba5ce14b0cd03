import Foundation
import PostgresClient

/// Filters for `case list`.
public struct CaseFilter: Sendable {
    public var status: String?
    public var overdueOn: LocalDate?
    public var assignedTo: String?
    public var employerUSCC: String?
    /// The department that leads the case's project (P1), or `labor` when it names none.
    public var department: String?
    public var limit = 1000
    /// Rows to skip, for pages of a list reached by number.
    public var offset = 0
    /// Keyset pages, as `ComplaintFilter.after`/`before`: only the cases after this one in the
    /// list's order, or only those before it (still returned in the list's order).
    public var after: CaseID?
    public var before: CaseID?
    /// Open cases by their investigation deadline, soonest first (an inspector's desk).
    public var dueFirst = false
    public init() {}
}

/// A case with everything an inspector needs on one screen.
public struct CaseDetail: Sendable, Encodable {
    public let `case`: CaseRecord
    public let workers: [WorkerBalance]
    public let recoveries: [RecoveryRecord]
    public let extension_: ExtensionRecord?
    /// Direct payments to this case's workers that the bank returned: held in the wage account.
    public let returnedPayments: [ReturnedPayment]

    enum CodingKeys: String, CodingKey { case `case`, workers, recoveries, extension_ = "extension", returnedPayments = "returned_payments" }

    public init(case record: CaseRecord, workers: [WorkerBalance], recoveries: [RecoveryRecord], extension_: ExtensionRecord?,
                returnedPayments: [ReturnedPayment] = []) {
        self.case = record
        self.workers = workers
        self.recoveries = recoveries
        self.extension_ = extension_
        self.returnedPayments = returnedPayments
    }

    /// The same detail with personal data masked (SPEC §6).
    public func masked() -> CaseDetail {
        CaseDetail(case: `case`, workers: workers.map { $0.masked() }, recoveries: recoveries.map { $0.masked() },
                   extension_: extension_,
                   returnedPayments: returnedPayments.map {
                       ReturnedPayment(idNumber: $0.idNumberMasked, batchID: $0.batchID, line: $0.line,
                                       amountFen: $0.amountFen, reason: $0.reason, idNumberMasked: $0.idNumberMasked)
                   })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(`case`, forKey: .case)
        try c.encode(workers, forKey: .workers)
        try c.encode(recoveries, forKey: .recoveries)
        try c.encode(extension_, forKey: .extension_)
        try c.encode(returnedPayments, forKey: .returnedPayments)
    }
}

/// A direct payment the bank returned, held in the wage account for the worker (D4).
public struct ReturnedPayment: Sendable, Encodable, Equatable {
    public let idNumber: String
    public let batchID: BatchID
    public let line: Int
    public let amountFen: Int64
    public let reason: String?
    /// The ID number as the database masks it.
    let idNumberMasked: String

    enum CodingKeys: String, CodingKey { case idNumber = "id_number", batchID = "batch_id", line, amountFen = "amount_fen", reason }
}

/// The one extension a case may have (C5).
public struct ExtensionRecord: Sendable, Encodable, Equatable {
    public let days: Int
    public let approver: String
    public let reason: String
}

/// Investigates cases: assignment, the one extension, per-worker claims and recoveries, closing.
public struct CaseDesk: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    public func find(_ id: CaseID, on connection: Connection) throws -> CaseRecord {
        guard let row = try connection.query(CaseRecord.selectColumns + " WHERE c.id = \(id)").first else {
            throw WagewatchError.notFound(Messages.en("no_case", id.description))
        }
        return try CaseRecord(row: row)
    }

    /// The cases of `filter`, a page at a time: the page of cases is chosen first (by deadline or
    /// id) and only its cases' totals are added up (at province scale, adding them up for every
    /// case before the sort took seconds).
    public func list(_ filter: CaseFilter, on connection: Connection) throws -> [CaseRecord] {
        let (query, backwards) = listQuery(filter)
        let rows = try connection.query(query).map(CaseRecord.init(row:))
        return backwards ? rows.reversed() : rows
    }

    /// The statement `list` runs for a filter: the page of cases first, then the totals of those
    /// alone; read backwards for a page before a row. `wagewatch-bench explain-web` shows its plan.
    public func listQuery(_ filter: CaseFilter) -> (SQL, backwards: Bool) {
        var page: SQL = "(SELECT c.* FROM cases c WHERE true"
        if let status = filter.status { page.append(" AND c.status = \(status)") }
        if let day = filter.overdueOn { page.append(" AND c.status = 'open' AND c.investigation_due < \(day)") }
        if let user = filter.assignedTo { page.append(" AND c.assigned_to = \(user)") }
        if let uscc = filter.employerUSCC {
            page.append(" AND EXISTS (SELECT 1 FROM employers e WHERE e.region_code = c.region_code AND e.id = c.employer_id AND e.uscc = \(uscc))")
        }
        if let department = filter.department {
            page.append(" AND ww_department_of_project(c.region_code, c.project_code) @> ARRAY[\(department)]")
        }
        let columns = filter.dueFirst ? ["investigation_due", "id"] : ["id"]
        let key = SQL(unsafeSQL: columns.map { "c." + $0 }.joined(separator: ", "))
        let own = SQL(unsafeSQL: columns.map { "k." + $0 }.joined(separator: ", "))
        if let after = filter.after { page.append(" AND (\(key)) > (SELECT \(own) FROM cases k WHERE k.id = \(after))") }
        if let before = filter.before { page.append(" AND (\(key)) < (SELECT \(own) FROM cases k WHERE k.id = \(before))") }
        let backwards = filter.before != nil && filter.after == nil
        func order(_ descending: Bool) -> SQL {
            " ORDER BY " + SQL(unsafeSQL: columns.map { "c." + $0 + (descending ? " DESC" : "") }.joined(separator: ", "))
        }
        page.append(order(backwards))
        page.append(" LIMIT \(filter.limit) OFFSET \(filter.offset))")
        return (CaseRecord.select(from: page) + order(backwards), backwards)
    }

    public func detail(_ id: CaseID, on connection: Connection) throws -> CaseDetail {
        let record = try find(id, on: connection)
        // Whether this session may read ID numbers in full (inspectors and administrators); for
        // everyone else the database joins on them and hands back masked values (sql/functions/roles.sql).
        let full: Bool = try connection.query(
            "SELECT has_column_privilege('claims', 'id_number', 'SELECT') AS full").first!.decode("full")
        let workerQuery: SQL = full ? """
            WITH w AS (
                SELECT id_number FROM claims WHERE region_code = \(record.regionCode) AND case_id = \(id)
                UNION SELECT id_number FROM recoveries WHERE region_code = \(record.regionCode) AND case_id = \(id))
            SELECT w.id_number, ww_mask_id(w.id_number) AS id_number_masked, cl.worker_name, cl.owed_fen,
                   coalesce((SELECT sum(amount_fen) FROM recoveries r WHERE r.region_code = \(record.regionCode)
                             AND r.case_id = \(id) AND r.id_number = w.id_number), 0)::bigint AS recovered_fen
            FROM w LEFT JOIN claims cl ON cl.region_code = \(record.regionCode) AND cl.case_id = \(id)
                                       AND cl.id_number = w.id_number
            ORDER BY w.id_number
            """ : "SELECT *, id_number AS id_number_masked FROM ww_case_workers_masked(\(record.regionCode), \(id))"
        let workers = try connection.query(workerQuery).map { row in
            WorkerBalance(idNumber: try row.decode("id_number"), workerName: try row.decode("worker_name"),
                          owedFen: try row.decode("owed_fen"), recoveredFen: try row.decode("recovered_fen"),
                          idNumberMasked: try row.decode("id_number_masked"))
        }
        let recoveries = try connection.query("""
            SELECT id, \(unsafeRaw: full ? "id_number" : "id_number_masked AS id_number"), id_number_masked, recovered_on, amount_fen,
                   source, created_by FROM recoveries
            WHERE region_code = \(record.regionCode) AND case_id = \(id) ORDER BY recovered_on, id
            """).map { row in
            RecoveryRecord(id: try row.decode("id"), idNumber: try row.decode("id_number"),
                           recoveredOn: try row.decode("recovered_on"), amountFen: try row.decode("amount_fen"),
                           source: try row.decode("source"), createdBy: try row.decode("created_by"),
                           idNumberMasked: try row.decode("id_number_masked"))
        }
        let ext = try connection.query("""
            SELECT days, approver, reason FROM case_extensions WHERE region_code = \(record.regionCode) AND case_id = \(id)
            """).first.map { row in
            ExtensionRecord(days: try row.decode("days"), approver: try row.decode("approver"), reason: try row.decode("reason"))
        }
        let returned = try connection.query(full ? """
            SELECT l.id_number, l.id_number_masked, l.batch_id, l.line_no, l.amount_fen, l.returned_reason
            FROM direct_pay_lines l
            WHERE l.status = 'returned' AND l.id_number IN (
                SELECT id_number FROM claims WHERE region_code = \(record.regionCode) AND case_id = \(id)
                UNION SELECT id_number FROM recoveries WHERE region_code = \(record.regionCode) AND case_id = \(id))
            ORDER BY l.batch_id, l.line_no
            """ : "SELECT *, id_number AS id_number_masked FROM ww_case_returned_masked(\(record.regionCode), \(id))"
            ).map { row in
            ReturnedPayment(idNumber: try row.decode("id_number"), batchID: try row.decode("batch_id"),
                            line: try row.decode("line_no"), amountFen: try row.decode("amount_fen"),
                            reason: try row.decode("returned_reason"), idNumberMasked: try row.decode("id_number_masked"))
        }
        return CaseDetail(case: record, workers: workers, recoveries: recoveries, extension_: ext, returnedPayments: returned)
    }

    // Every change below is one door of sql/functions/cases.sql (issue 21): the database checks
    // who may, the case is open and theirs, and the rule; these functions only shape the call.
    // Each door returns the case's region.

    public func assign(_ id: CaseID, to user: String, on connection: Connection) throws -> CaseRecord {
        try connection.transaction { tx in
            try WagewatchError.throughDoor { try tx.query("SELECT ww_assign_case(\(id), \(user))") }
            return try find(id, on: tx)
        }
    }

    /// C5: one extension of up to the configured maximum, with a named approver and a reason.
    public func extend(_ id: CaseID, days: Int, approver: String, reason: String, on connection: Connection) throws
        -> CaseRecord
    {
        try connection.transaction { tx in
            try WagewatchError.throughDoor { try tx.query("SELECT ww_extend_case(\(id), \(Int32(clamping: days)), \(approver), \(reason))") }
            return try find(id, on: tx)
        }
    }

    /// Records what a worker is owed on a case (C6); a second claim for the same worker is a conflict.
    public func claim(_ id: CaseID, worker: ResidentID, name: String?, owedFen: Int64, on connection: Connection)
        throws -> CaseRecord
    {
        try connection.transaction { tx in
            try WagewatchError.throughDoor { try tx.query("SELECT ww_claim_case(\(id), \(worker.value), \(name), \(owedFen))") }
            return try find(id, on: tx)
        }
    }

    /// Records a recovery for one worker (C6). More than is owed — the worker's claim, or the
    /// case total when no per-worker claims exist — is refused. A repeated `key` is a no-op.
    public func recover(
        _ id: CaseID, worker: ResidentID, amountFen: Int64, source: RecoverySource, on date: LocalDate,
        key: String?, on connection: Connection
    ) throws -> CaseRecord {
        try connection.transaction { tx in
            try WagewatchError.throughDoor {
                try tx.query("SELECT ww_record_recovery(\(id), \(worker.value), \(date), \(amountFen), \(source.rawValue), \(key))")
            }
            return try find(id, on: tx)
        }
    }

    /// Closes a case (C6, SPEC §10 N3) with a disposition: one that says the workers were paid
    /// only when everything owed is recovered (`ww_disposition_says_paid`); any other
    /// disposition with money unrecovered records why the case ends without it. `reason` is a
    /// free note beside the code.
    public func close(_ id: CaseID, disposition: CaseDisposition, reason: String? = nil, at instant: Date? = nil,
                      on connection: Connection) throws -> CaseRecord {
        try connection.transaction { tx in
            try WagewatchError.throughDoor { try tx.query("SELECT ww_close_case(\(id), \(disposition.rawValue), \(reason), \(instant)::timestamptz)") }
            return try find(id, on: tx)
        }
    }
}
