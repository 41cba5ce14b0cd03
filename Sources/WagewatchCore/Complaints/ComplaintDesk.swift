import Foundation
import PostgresClient

/// The acceptance decision on a complaint (C1, C2): accept (opens or joins a case), refuse,
/// refer, or merge into an open case.
public enum ComplaintDecision: Sendable, Equatable {
    case accept
    case refuse(reason: String)
    case refer(target: String)
    case merge(caseID: CaseID)
}

/// How a user names a complaint: by its number (`TS-20260213-0001`), unique within a region,
/// or by its id.
public enum ComplaintReference: Sendable, Equatable, CustomStringConvertible {
    case id(ComplaintID)
    case number(String)

    /// An argument that reads as a number is an id; anything else is a complaint number.
    public init(parsing text: String) {
        self = Int64(text).map { .id(ComplaintID($0)) } ?? .number(text)
    }

    public var description: String {
        switch self {
        case .id(let id): id.description
        case .number(let number): number
        }
    }
}

/// Filters for `complaint list`.
public struct ComplaintFilter: Sendable {
    public var status: String?
    public var outcome: String?
    public var overdueOn: LocalDate?
    public var employerUSCC: String?
    public var caseID: CaseID?
    /// Only this region's complaints (a case's complaints are in its region: the index leads with it).
    public var regionCode: String?
    /// The department that leads the complaint's project (P1), or `labor` when it names none.
    public var department: String?
    /// Text a person searches for: a complaint number, or part of the employer's name or USCC.
    public var search: String?
    public var limit: Int = 1000
    /// Rows to skip, for pages of a list.
    public var offset: Int = 0
    /// The order of the list: as received (the CLI), newest first (the web desk's list), or by
    /// decision deadline (an inspector's desk).
    public var order: Order = .received
    public enum Order: Sendable { case received, newest, decisionDue }
    public init() {}
}

/// Reads and decides complaints.
public struct ComplaintDesk: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    /// Finds a complaint by its number (`TS-20260213-0001`) or id.
    public func find(_ reference: ComplaintReference, on connection: Connection, forUpdate: Bool = false) throws -> ComplaintRecord {
        let lock: SQL = forUpdate ? " FOR UPDATE" : ""
        let rows: QueryResult
        switch reference {
        case .id(let id):
            rows = try connection.query(ComplaintRecord.selectColumns + " WHERE id = \(id)" + lock)
        case .number(let number):
            rows = try connection.query(ComplaintRecord.selectColumns + " WHERE number = \(number)" + lock)
        }
        guard let row = rows.first else {
            throw WagewatchError.notFound("no complaint \(reference)")
        }
        if rows.count > 1 {
            throw WagewatchError.conflict("complaint number \(reference) exists in several regions; use its id")
        }
        return try ComplaintRecord(row: row)
    }

    /// Finds a complaint by its id.
    public func find(_ id: ComplaintID, on connection: Connection, forUpdate: Bool = false) throws -> ComplaintRecord {
        try find(.id(id), on: connection, forUpdate: forUpdate)
    }

    public func list(_ filter: ComplaintFilter, on connection: Connection) throws -> [ComplaintRecord] {
        var sql = ComplaintRecord.selectColumns + " WHERE true"
        if let status = filter.status { sql.append(" AND status = \(status)") }
        if let outcome = filter.outcome { sql.append(" AND outcome = \(outcome)") }
        if let day = filter.overdueOn { sql.append(" AND status = 'pending' AND decision_due < \(day)") }
        if let uscc = filter.employerUSCC { sql.append(" AND employer_uscc = \(uscc)") }
        if let region = filter.regionCode { sql.append(" AND region_code = \(region)") }
        if let caseID = filter.caseID { sql.append(" AND case_id = \(caseID)") }
        if let department = filter.department {
            sql.append(" AND ww_department_of_project(region_code, project_code) @> ARRAY[\(department)]")
        }
        if let search = filter.search?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let pattern = "%" + search.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            sql.append(" AND (number = \(search.uppercased()) OR employer_uscc = \(search.uppercased()) OR employer_name ILIKE \(pattern))")
        }
        switch filter.order {
        case .received: sql.append(" ORDER BY received_at, id")
        case .newest: sql.append(" ORDER BY received_at DESC, id DESC")
        case .decisionDue: sql.append(" ORDER BY decision_due, id")
        }
        sql.append(" LIMIT \(filter.limit) OFFSET \(filter.offset)")
        return try connection.query(sql).map(ComplaintRecord.init(row:))
    }

    /// Records the decision, made on `today` at `instant` (the database's clock when nil). A
    /// complaint is decided once: deciding it again is a conflict.
    public func decide(
        _ reference: ComplaintReference, _ decision: ComplaintDecision, today: LocalDate, at instant: Date? = nil,
        on connection: Connection
    ) throws -> ComplaintRecord {
        try connection.transaction { tx in
            let complaint = try find(reference, on: tx, forUpdate: true)
            guard complaint.status == .pending else {
                throw WagewatchError.conflict(
                    "complaint \(complaint.number) was already decided (\(complaint.outcome?.rawValue ?? "?")); a decision is recorded once")
            }
            let id = complaint.id
            switch decision {
            case .accept:
                let caseID = try openOrJoinCase(for: complaint, today: today, on: tx)
                try tx.query("""
                    UPDATE complaints SET status = 'decided', outcome = 'accepted', case_id = \(caseID),
                        decided_at = ww_clock(\(instant)::timestamptz), decided_by = ww_actor()
                    WHERE region_code = \(complaint.regionCode) AND id = \(id)
                    """)
            case .refuse(let reason):
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw WagewatchError.invalid("refuse: a reason is required")
                }
                try tx.query("""
                    UPDATE complaints SET status = 'decided', outcome = 'refused', reason = \(reason),
                        decided_at = ww_clock(\(instant)::timestamptz), decided_by = ww_actor()
                    WHERE region_code = \(complaint.regionCode) AND id = \(id)
                    """)
            case .refer(let target):
                guard !target.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw WagewatchError.invalid("refer: a target is required (arbitration, court or another jurisdiction)")
                }
                try tx.query("""
                    UPDATE complaints SET status = 'decided', outcome = 'referred', referred_to = \(target),
                        decided_at = ww_clock(\(instant)::timestamptz), decided_by = ww_actor()
                    WHERE region_code = \(complaint.regionCode) AND id = \(id)
                    """)
            case .merge(let caseID):
                let open = try tx.query("""
                    SELECT status FROM cases WHERE region_code = \(complaint.regionCode) AND id = \(caseID) FOR UPDATE
                    """)
                guard let row = open.first else {
                    throw WagewatchError.notFound("no case \(caseID) in region \(complaint.regionCode)")
                }
                guard try row.decode("status", as: CaseStatus.self) == .open else {
                    throw WagewatchError.conflict("case \(caseID) is closed; a complaint can only join an open case")
                }
                try tx.query("""
                    UPDATE complaints SET status = 'decided', outcome = 'merged', case_id = \(caseID),
                        decided_at = ww_clock(\(instant)::timestamptz), decided_by = ww_actor()
                    WHERE region_code = \(complaint.regionCode) AND id = \(id)
                    """)
            }
            return try find(complaint.id, on: tx)
        }
    }

    /// The open case this complaint joins (same employer and project within the merge window),
    /// or a new one with its C5 investigation deadline.
    private func openOrJoinCase(for complaint: ComplaintRecord, today: LocalDate, on tx: Connection) throws -> CaseID {
        let c = configuration.complaints
        let existing = try tx.query("""
            SELECT cs.id FROM cases cs
            WHERE cs.region_code = \(complaint.regionCode)
              AND cs.id = (SELECT ww_case_to_join(cp.region_code, cp.employer_id, cp.project_code, cp.received_at,
                                                  \(Int32(c.mergeWindowDays)))
                           FROM complaints cp WHERE cp.region_code = \(complaint.regionCode) AND cp.id = \(complaint.id))
            FOR UPDATE
            """)
        if let row = existing.first { return try row.decode("id") }
        return try tx.query("""
            INSERT INTO cases (region_code, employer_id, project_code, accepted_on, investigation_days,
                               investigation_due, employer_absconded)
            SELECT region_code, employer_id, project_code, \(today), \(c.investigationDays),
                   ww_add_working_days(\(today), \(c.investigationDays)), employer_absconded
            FROM complaints WHERE region_code = \(complaint.regionCode) AND id = \(complaint.id)
            RETURNING id
            """).one().decode("id")
    }
}
