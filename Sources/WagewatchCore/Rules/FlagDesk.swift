import Foundation
import PostgresClient

/// A risk flag as `flags list --json` prints it (SPEC §5).
public struct FlagRecord: Sendable, Encodable, Equatable {
    public let id: FlagID
    public let rule: String
    public let severity: FlagSeverity
    public let status: FlagStatus
    public let subjectKind: String
    public let subjectID: String
    public let projectCode: String?
    public let contractorUSCC: String?
    public let contractorName: String
    public let department: Department
    public let coDepartment: Department?
    public let period: String
    public let raisedAt: Date
    public let raisedOn: LocalDate
    public let conditionCleared: Bool
    public let reviewAction: ConfirmAction?
    public let reviewReason: String?
    public let reviewedBy: String?
    public let evidence: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, rule, severity, status, subjectKind = "subject_kind", subjectID = "subject_id", projectCode = "project_code"
        case contractorUSCC = "contractor_uscc", contractorName = "contractor_name", department
        case coDepartment = "co_department", period, raisedAt = "raised_at", raisedOn = "raised_on"
        case conditionCleared = "condition_cleared", reviewAction = "review_action", reviewReason = "review_reason"
        case reviewedBy = "reviewed_by", evidence
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(rule, forKey: .rule); try c.encode(severity, forKey: .severity)
        try c.encode(status, forKey: .status); try c.encode(subjectKind, forKey: .subjectKind)
        try c.encode(subjectID, forKey: .subjectID); try c.encode(projectCode, forKey: .projectCode)
        try c.encode(contractorUSCC, forKey: .contractorUSCC); try c.encode(contractorName, forKey: .contractorName)
        try c.encode(department, forKey: .department); try c.encode(coDepartment, forKey: .coDepartment)
        try c.encode(period, forKey: .period); try c.encode(raisedAt, forKey: .raisedAt); try c.encode(raisedOn, forKey: .raisedOn)
        try c.encode(conditionCleared, forKey: .conditionCleared); try c.encode(reviewAction, forKey: .reviewAction)
        try c.encode(reviewReason, forKey: .reviewReason); try c.encode(reviewedBy, forKey: .reviewedBy)
        try c.encode(evidence, forKey: .evidence)
    }

    static let select: SQL = """
        SELECT f.id, f.rule, f.severity, f.status, f.subject_kind, f.subject_id, p.code AS project_code,
               e.uscc AS contractor_uscc, e.name AS contractor_name, f.department, f.co_department, f.period,
               f.raised_at, f.raised_on, f.condition_cleared_at IS NOT NULL AS cleared, f.review_action,
               f.review_reason, f.reviewed_by, f.evidence, f.region_code
        FROM flags f
        JOIN employers e ON e.region_code = f.region_code AND e.id = f.employer_id
        LEFT JOIN projects p ON p.region_code = f.region_code AND p.id = f.project_id
        """

    init(row: Row) throws {
        id = try row.decode("id"); rule = try row.decode("rule")
        severity = try row.decode("severity"); status = try row.decode("status")
        subjectKind = try row.decode("subject_kind"); subjectID = String(try row.decode("subject_id", as: Int64.self))
        projectCode = try row.decode("project_code"); contractorUSCC = try row.decode("contractor_uscc")
        contractorName = try row.decode("contractor_name"); department = try row.decode("department")
        coDepartment = try row.decode("co_department"); period = try row.decode("period")
        raisedAt = try row.decode("raised_at"); raisedOn = try row.decode("raised_on")
        conditionCleared = try row.decode("cleared"); reviewAction = try row.decode("review_action")
        reviewReason = try row.decode("review_reason"); reviewedBy = try row.decode("reviewed_by")
        evidence = try JSONValue(parsing: try row.decode("evidence", as: JSONB.self).text)
    }
}

/// A JSON value carried through unchanged (flag evidence); object keys are kept sorted so
/// output is stable.
public indirect enum JSONValue: Sendable, Equatable, Codable {
    case null, bool(Bool), integer(Int64), number(Decimal), string(String), array([JSONValue]), object([String: JSONValue])

    init(parsing text: String) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: Key.self) {
            var object: [String: JSONValue] = [:]
            for key in keyed.allKeys { object[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key) }
            self = .object(object)
        } else if var list = try? decoder.unkeyedContainer() {
            var array: [JSONValue] = []
            while !list.isAtEnd { array.append(try list.decode(JSONValue.self)) }
            self = .array(array)
        } else {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let i = try? c.decode(Int64.self) { self = .integer(i) }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else { self = .number(try c.decode(Decimal.self)) }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .integer(let i): var c = encoder.singleValueContainer(); try c.encode(i)
        case .number(let n): var c = encoder.singleValueContainer(); try c.encode(n)
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for v in a { try c.encode(v) }
        case .object(let pairs):
            var c = encoder.container(keyedBy: Key.self)
            for k in pairs.keys.sorted() { try c.encode(pairs[k]!, forKey: Key(stringValue: k)) }
        }
    }

    /// The value at `key` of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
}

/// Filters for `flags list`.
public struct FlagFilter: Sendable {
    public var department: String?
    public var status: String?
    public var severity: String?
    public var rule: String?
    public var projectCode: String?
    public var contractorUSCC: String?
    /// At most this many, red first then the oldest (a desk's first screen); nil for all.
    public var limit: Int?
    /// Rows of that order to skip first (a page of the web desk's list reached by number).
    public var offset: Int?
    /// Keyset pages, as `CaseFilter.after`/`before`: only the flags after this one in the list's
    /// order (red first, then the oldest), or only those before it (still returned in that order).
    public var after: FlagID?
    public var before: FlagID?
    public init() {}
}

/// How a reviewer in the lead department decides a flag.
public enum FlagReview: Sendable, Equatable {
    case acknowledge
    case confirm(action: String)
    case dismiss(reason: String)

    public static let actions = ConfirmAction.codes
}

/// Lists and reviews flags. Only a reviewer of the department that leads the flag's project
/// (or an administrator) may review it.
public struct FlagDesk: Sendable {
    public init() {}

    public func list(_ filter: FlagFilter, on connection: Connection) throws -> [FlagRecord] {
        var sql = FlagRecord.select + " WHERE true"
        if let d = filter.department { sql.append(" AND (f.department = \(d) OR f.co_department = \(d))") }
        if let s = filter.status { sql.append(" AND f.status = \(s)") }
        if let s = filter.severity { sql.append(" AND f.severity = \(s)") }
        if let r = filter.rule {
            let name = RiskRule.all.first { $0.id.lowercased() == r.lowercased() }?.name ?? r
            sql.append(" AND f.rule = \(name)")
        }
        if let p = filter.projectCode { sql.append(" AND p.code = \(p)") }
        if let c = filter.contractorUSCC { sql.append(" AND e.uscc = \(c)") }
        func key(_ alias: String) -> SQL {
            SQL(unsafeSQL: "CASE \(alias).severity WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END, \(alias).raised_at, \(alias).id")
        }
        if let after = filter.after { sql.append(" AND (\(key("f"))) > (SELECT \(key("k")) FROM flags k WHERE k.id = \(after))") }
        if let before = filter.before { sql.append(" AND (\(key("f"))) < (SELECT \(key("k")) FROM flags k WHERE k.id = \(before))") }
        // A page before a row is read backwards from it, then turned round.
        let backwards = filter.before != nil && filter.after == nil
        sql.append(backwards
            ? " ORDER BY CASE f.severity WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END DESC, f.raised_at DESC, f.id DESC"
            : " ORDER BY CASE f.severity WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END, f.raised_at, f.id")
        if let limit = filter.limit { sql.append(" LIMIT \(limit)") }
        if let offset = filter.offset { sql.append(" OFFSET \(offset)") }
        let rows = try connection.query(sql).map(FlagRecord.init(row:))
        return backwards ? rows.reversed() : rows
    }

    public func find(_ id: FlagID, on connection: Connection) throws -> FlagRecord {
        guard let row = try connection.query(FlagRecord.select + " WHERE f.id = \(id)").first else {
            throw WagewatchError.notFound("no flag \(id)")
        }
        return try FlagRecord(row: row)
    }

    /// Records a review by `reviewer` (a registered user) through the database's door
    /// `ww_review_flag` (sql/functions/flag_review.sql), which checks that the acting user leads
    /// the flag, the transition, the action or reason, and records the acting role and the
    /// database's time. The reviewer named must be the acting user; only the service account
    /// records the name it is given.
    public func review(_ id: FlagID, _ review: FlagReview, reviewer: String, on connection: Connection) throws -> FlagRecord {
        let (action, confirmAction, reason): (String, String?, String?)
        switch review {
        case .acknowledge: (action, confirmAction, reason) = ("ack", nil, nil)
        case .confirm(let what): (action, confirmAction, reason) = ("confirm", what, nil)
        case .dismiss(let why): (action, confirmAction, reason) = ("dismiss", nil, why)
        }
        return try connection.transaction { tx in
            try WagewatchError.throughDoor {
                try tx.query("SELECT ww_review_flag(\(id), \(action), \(confirmAction), \(reason), \(reviewer))")
            }
            return try find(id, on: tx)
        }
    }
}
