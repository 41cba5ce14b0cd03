import Foundation
import PostgresClient

/// An escalation as `escalations list --json` prints it (SPEC §5).
public struct EscalationRecord: Sendable, Encodable, Equatable {
    public let id: EscalationID
    public let level: EscalationLevel
    public let reason: EscalationReason
    public let status: EscalationStatus
    public let massIncident: Bool
    public let complaintID: ComplaintID?
    public let caseID: CaseID?
    public let flagID: FlagID?
    public let employerUSCC: String?
    public let employerName: String?
    public let projectCode: String?
    public let workersInvolved: Int?
    public let amountFen: Int64?
    public let raisedAt: Date
    public let acknowledgedAt: Date?
    public let acknowledgedBy: String?
    public let resolvedAt: Date?
    public let resolution: String?
    /// Minutes since it was raised, at the time of listing.
    public let ageMinutes: Int

    enum CodingKeys: String, CodingKey {
        case id, level, reason, status, massIncident = "mass_incident", complaintID = "complaint_id", caseID = "case_id"
        case flagID = "flag_id", employerUSCC = "employer_uscc", employerName = "employer_name"
        case projectCode = "project_code", workersInvolved = "workers_involved", amountFen = "amount_fen"
        case raisedAt = "raised_at", acknowledgedAt = "acknowledged_at", acknowledgedBy = "acknowledged_by"
        case resolvedAt = "resolved_at", resolution, ageMinutes = "age_minutes"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(level, forKey: .level); try c.encode(reason, forKey: .reason)
        try c.encode(status, forKey: .status); try c.encode(massIncident, forKey: .massIncident)
        try c.encode(complaintID, forKey: .complaintID); try c.encode(caseID, forKey: .caseID)
        try c.encode(flagID, forKey: .flagID); try c.encode(employerUSCC, forKey: .employerUSCC)
        try c.encode(employerName, forKey: .employerName); try c.encode(projectCode, forKey: .projectCode)
        try c.encode(workersInvolved, forKey: .workersInvolved); try c.encode(amountFen, forKey: .amountFen)
        try c.encode(raisedAt, forKey: .raisedAt); try c.encode(acknowledgedAt, forKey: .acknowledgedAt)
        try c.encode(acknowledgedBy, forKey: .acknowledgedBy); try c.encode(resolvedAt, forKey: .resolvedAt)
        try c.encode(resolution, forKey: .resolution); try c.encode(ageMinutes, forKey: .ageMinutes)
    }

    static func select(now: Date) -> SQL {
        """
        SELECT e.id, e.level, e.reason, e.status, e.mass_incident, e.complaint_id, e.case_id, e.flag_id,
               m.uscc AS employer_uscc, m.name AS employer_name, e.project_code, e.workers_involved, e.amount_fen,
               e.raised_at, e.acknowledged_at, e.acknowledged_by, e.resolved_at, e.resolution,
               (extract(epoch FROM (\(now) - e.raised_at)) / 60)::bigint AS age_minutes
        FROM escalations e LEFT JOIN employers m ON m.region_code = e.region_code AND m.id = e.employer_id
        """
    }

    init(row: Row) throws {
        id = try row.decode("id"); level = try row.decode("level")
        reason = try row.decode("reason"); status = try row.decode("status"); massIncident = try row.decode("mass_incident")
        complaintID = try row.decode("complaint_id")
        caseID = try row.decode("case_id")
        flagID = try row.decode("flag_id")
        employerUSCC = try row.decode("employer_uscc"); employerName = try row.decode("employer_name")
        projectCode = try row.decode("project_code"); workersInvolved = try row.decode("workers_involved")
        amountFen = try row.decode("amount_fen"); raisedAt = try row.decode("raised_at")
        acknowledgedAt = try row.decode("acknowledged_at"); acknowledgedBy = try row.decode("acknowledged_by")
        resolvedAt = try row.decode("resolved_at"); resolution = try row.decode("resolution")
        ageMinutes = Int(try row.decode("age_minutes", as: Int64.self))
    }
}

/// One row of the escalation board: the escalations of one subject (a complaint, else a case,
/// else a flag), however many E1/E2 conditions it met, with every reason, the highest level and
/// the oldest age. Each escalation keeps its own acknowledgement, outbox row and E3 promotion;
/// the board acknowledges and resolves a subject's escalations together.
public struct EscalationSubject: Sendable, Equatable {
    /// Oldest first; never empty.
    public internal(set) var escalations: [EscalationRecord]

    init(_ first: EscalationRecord) { escalations = [first] }

    /// The subject of `escalations e`, as SQL: its region and complaint, else case, else flag.
    static let key: SQL = """
        (e.region_code || CASE WHEN e.complaint_id IS NOT NULL THEN ':complaint:' || e.complaint_id \
        WHEN e.case_id IS NOT NULL THEN ':case:' || e.case_id WHEN e.flag_id IS NOT NULL THEN ':flag:' || e.flag_id \
        ELSE ':escalation:' || e.id END)
        """

    /// Whether `record` is of this subject (as `key` says; ids are unique across regions).
    func holds(_ record: EscalationRecord) -> Bool {
        func subject(_ e: EscalationRecord) -> String {
            if let id = e.complaintID { return "complaint:\(id)" }
            if let id = e.caseID { return "case:\(id)" }
            if let id = e.flagID { return "flag:\(id)" }
            return "escalation:\(e.id)"
        }
        return subject(first) == subject(record)
    }

    /// The oldest escalation: the subject's id on the board and its forms.
    public var first: EscalationRecord { escalations[0] }
    /// Every reason, once each, in SPEC's order (E1's workers, absconded, protest, criminal threshold; then E2's).
    public var reasons: [EscalationReason] {
        EscalationReason.allCases.filter { reason in escalations.contains { $0.reason == reason } }
    }
    public var level: EscalationLevel {
        escalations.map(\.level).max { EscalationLevel.allCases.firstIndex(of: $0)! < EscalationLevel.allCases.firstIndex(of: $1)! }!
    }
    public var massIncident: Bool { escalations.contains(where: \.massIncident) }
    public var raisedAt: Date { first.raisedAt }
    public var ageMinutes: Int { escalations.map(\.ageMinutes).max()! }
    /// Open while any is open, acknowledged while any is unresolved, else resolved.
    public var status: EscalationStatus {
        if escalations.contains(where: { $0.status == .open }) { return .open }
        return escalations.contains(where: { $0.status == .acknowledged }) ? .acknowledged : .resolved
    }
    public var workersInvolved: Int? { escalations.compactMap(\.workersInvolved).max() }
    public var amountFen: Int64? { escalations.compactMap(\.amountFen).max() }
    public var complaintID: ComplaintID? { escalations.lazy.compactMap(\.complaintID).first }
    public var caseID: CaseID? { escalations.lazy.compactMap(\.caseID).first }
    public var employerName: String? { escalations.lazy.compactMap(\.employerName).first }
    public var projectCode: String? { escalations.lazy.compactMap(\.projectCode).first }
}

/// Filters for `escalations list`.
public struct EscalationFilter: Sendable {
    public var level: String?
    public var status: String?
    /// Only those raised at least this many minutes ago.
    public var olderThanMinutes: Int?
    /// Only those raised by this complaint, or about this case.
    public var complaintID: ComplaintID?
    public var caseID: CaseID?
    /// Only those not yet resolved (the board's default).
    public var unresolved = false
    /// At most this many, mass-incident risks first then the oldest; nil for all.
    public var limit: Int?
    /// Rows to skip, for pages of the board.
    public var offset = 0
    public init() {}
}

/// What a catch-up pass did (E2, E3).
public struct CatchUpReport: Sendable, Encodable, Equatable {
    public let raised: Int
    public let promoted: Int
    public let reminded: Int
}

/// Lists, acknowledges and resolves escalations, and runs the catch-up that raises everything
/// overdue and moves unacknowledged escalations up a level.
public struct EscalationDesk: Sendable {
    public init() {}

    public func list(_ filter: EscalationFilter, now: Date, on connection: Connection) throws -> [EscalationRecord] {
        var sql = EscalationRecord.select(now: now) + " WHERE " + Self.conditions(filter, now: now)
        // Mass-incident risks first, then the oldest.
        sql.append(" ORDER BY e.mass_incident DESC, e.raised_at, e.id")
        if let limit = filter.limit { sql.append(" LIMIT \(limit)") }
        if filter.offset > 0 { sql.append(" OFFSET \(filter.offset)") }
        return try connection.query(sql).map(EscalationRecord.init(row:))
    }

    /// The board's rows: the filter's escalations grouped by subject (``EscalationSubject``),
    /// subjects with a mass-incident risk first, then the oldest; `limit` and `offset` count
    /// subjects, not escalations. One query.
    public func subjects(_ filter: EscalationFilter, now: Date, on connection: Connection) throws -> [EscalationSubject] {
        let conditions = Self.conditions(filter, now: now)
        var page: SQL = """
            SELECT \(EscalationSubject.key) AS subject, bool_or(e.mass_incident) AS s_mass, min(e.raised_at) AS s_raised, min(e.id) AS s_id
            FROM escalations e WHERE \(conditions) GROUP BY 1 ORDER BY 2 DESC, 3, 4
            """
        if let limit = filter.limit { page.append(" LIMIT \(limit)") }
        if filter.offset > 0 { page.append(" OFFSET \(filter.offset)") }
        let sql: SQL = "WITH page AS (\(page)) " + EscalationRecord.select(now: now)
            + " JOIN page ON page.subject = \(EscalationSubject.key) WHERE \(conditions)"
            + " ORDER BY page.s_mass DESC, page.s_raised, page.s_id, e.raised_at, e.id"
        // The rows come subject by subject (the page's order, then the oldest first).
        var subjects: [EscalationSubject] = []
        for record in try connection.query(sql).map(EscalationRecord.init(row:)) {
            if let last = subjects.last, last.holds(record) { subjects[subjects.count - 1].escalations.append(record) } else {
                subjects.append(EscalationSubject(record))
            }
        }
        return subjects
    }

    /// The WHERE conditions of a filter (without LIMIT and OFFSET).
    private static func conditions(_ filter: EscalationFilter, now: Date) -> SQL {
        var sql: SQL = "true"
        if let level = filter.level { sql.append(" AND e.level = \(level)") }
        if let status = filter.status { sql.append(" AND e.status = \(status)") }
        if filter.unresolved { sql.append(" AND e.status <> 'resolved'") }
        if let minutes = filter.olderThanMinutes {
            sql.append(" AND e.raised_at <= \(now) - make_interval(mins => \(Int32(minutes)))")
        }
        if let complaint = filter.complaintID { sql.append(" AND e.complaint_id = \(complaint)") }
        if let caseID = filter.caseID { sql.append(" AND e.case_id = \(caseID)") }
        return sql
    }

    /// The escalations of the same subject as `id` (itself included) that the user reads, oldest first.
    public func sameSubject(as id: EscalationID, now: Date, on connection: Connection) throws -> [EscalationRecord] {
        let e = try find(id, now: now, on: connection)   // not there (row security): not found
        // The same subject as EscalationSubject.key, in terms the indexes serve (ids are unique across regions).
        var sql = EscalationRecord.select(now: now)
        if let complaint = e.complaintID {
            sql.append(" WHERE e.complaint_id = \(complaint)")
        } else if let caseID = e.caseID {
            sql.append(" WHERE e.complaint_id IS NULL AND e.case_id = \(caseID)")
        } else if let flag = e.flagID {
            sql.append(" WHERE e.complaint_id IS NULL AND e.case_id IS NULL AND e.flag_id = \(flag)")
        } else {
            sql.append(" WHERE e.id = \(id)")
        }
        sql.append(" ORDER BY e.raised_at, e.id")
        return try connection.query(sql).map(EscalationRecord.init(row:))
    }

    /// Acknowledges every open escalation of the subject of `id` in one transaction, each through
    /// the door `ww_acknowledge_escalation` (so each has its own acknowledgement, outbox row and
    /// E3 clock); with `shown`, only those among them (what the person's row showed: a reason
    /// raised since waits for its own acknowledgement). Refused as that door refuses when none is open.
    public func acknowledgeSubject(of id: EscalationID, shown: Set<EscalationID>? = nil, by user: String, now: Date,
                                   on connection: Connection) throws -> [EscalationRecord] {
        try connection.transaction { tx in
            let all = try sameSubject(as: id, now: now, on: tx)
            let open = all.filter { $0.status == .open && shown?.contains($0.id) != false }
            for e in open.isEmpty ? all.filter { $0.id == id } : open {
                try door { try tx.query("SELECT ww_acknowledge_escalation(\(e.id), \(now), \(user))") }
            }
            return try sameSubject(as: id, now: now, on: tx)
        }
    }

    /// Resolves every unresolved escalation of the subject of `id` (with `shown`, those among
    /// them) with one resolution, in one transaction, each through the door `ww_resolve_escalation`.
    public func resolveSubject(of id: EscalationID, shown: Set<EscalationID>? = nil, reason: String, now: Date,
                               on connection: Connection) throws -> [EscalationRecord] {
        try connection.transaction { tx in
            let all = try sameSubject(as: id, now: now, on: tx)
            let unresolved = all.filter { $0.status != .resolved && shown?.contains($0.id) != false }
            for e in unresolved.isEmpty ? all.filter { $0.id == id } : unresolved {
                try door { try tx.query("SELECT ww_resolve_escalation(\(e.id), \(reason), \(now))") }
            }
            return try sameSubject(as: id, now: now, on: tx)
        }
    }

    public func find(_ id: EscalationID, now: Date, on connection: Connection) throws -> EscalationRecord {
        guard let row = try connection.query(EscalationRecord.select(now: now) + " WHERE e.id = \(id)").first else {
            throw WagewatchError.notFound("no escalation \(id)")
        }
        return try EscalationRecord(row: row)
    }

    /// Acknowledges through the door `ww_acknowledge_escalation` (sql/functions/escalations_guard.sql):
    /// officials, inspectors and administrators, in their own region, as themselves, at the
    /// database's time (`now` only for the service account, which also records `user`).
    public func acknowledge(_ id: EscalationID, by user: String, now: Date, on connection: Connection) throws -> EscalationRecord {
        try connection.transaction { tx in
            _ = try find(id, now: now, on: tx)   // another region's is not there (row security): not found
            try door { try tx.query("SELECT ww_acknowledge_escalation(\(id), \(now), \(user))") }
            return try find(id, now: now, on: tx)
        }
    }

    /// Resolves through the door `ww_resolve_escalation`: inspectors and administrators, with a
    /// resolution, as themselves.
    public func resolve(_ id: EscalationID, reason: String, now: Date, on connection: Connection) throws -> EscalationRecord {
        try connection.transaction { tx in
            _ = try find(id, now: now, on: tx)
            try door { try tx.query("SELECT ww_resolve_escalation(\(id), \(reason), \(now))") }
            return try find(id, now: now, on: tx)
        }
    }

    /// A door's refusal as the domain's error (its SQLSTATE and hint name the kind).
    private func door(_ body: () throws -> Void) throws {
        try WagewatchError.throughDoor(body)
    }

    /// Raises everything overdue as of `now` (once each) and promotes what nobody acknowledged.
    public func catchUp(now: Date, on connection: Connection) throws -> CatchUpReport {
        try connection.transaction { tx in
            let row = try tx.query("SELECT o_raised, o_promoted, o_reminded FROM ww_escalation_catch_up(\(now))").one()
            return CatchUpReport(
                raised: Int(try row.decode("o_raised", as: Int64.self)),
                promoted: Int(try row.decode("o_promoted", as: Int64.self)),
                reminded: Int(try row.decode("o_reminded", as: Int64.self)))
        }
    }
}
