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
        var sql = EscalationRecord.select(now: now) + " WHERE true"
        if let level = filter.level { sql.append(" AND e.level = \(level)") }
        if let status = filter.status { sql.append(" AND e.status = \(status)") }
        if filter.unresolved { sql.append(" AND e.status <> 'resolved'") }
        if let minutes = filter.olderThanMinutes {
            sql.append(" AND e.raised_at <= \(now) - make_interval(mins => \(Int32(minutes)))")
        }
        if let complaint = filter.complaintID { sql.append(" AND e.complaint_id = \(complaint)") }
        if let caseID = filter.caseID { sql.append(" AND e.case_id = \(caseID)") }
        // Mass-incident risks first, then the oldest.
        sql.append(" ORDER BY e.mass_incident DESC, e.raised_at, e.id")
        if let limit = filter.limit { sql.append(" LIMIT \(limit)") }
        if filter.offset > 0 { sql.append(" OFFSET \(filter.offset)") }
        return try connection.query(sql).map(EscalationRecord.init(row:))
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
