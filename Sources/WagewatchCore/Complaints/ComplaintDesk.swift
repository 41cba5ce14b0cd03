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
    /// Rows to skip, for pages of a list reached by number (`?page=`).
    public var offset: Int = 0
    /// Keyset pages: only the complaints after this one in the list's order (the next page), or
    /// only those before it (the page before, still returned in the list's order). A page reached
    /// this way costs the same however deep it is; an `offset` walks every row before it.
    public var after: ComplaintID?
    public var before: ComplaintID?
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
            throw WagewatchError.notFound(Messages.en("no_complaint", "\(reference)"))
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
        let queries = listQueries(filter)
        func run(_ query: SQL) throws -> [ComplaintRecord] {
            let rows = try connection.query(query).map(ComplaintRecord.init(row:))
            return queries.backwards ? rows.reversed() : rows
        }
        if let recent = queries.recent {
            let found = try run(recent)
            if found.count >= filter.limit { return found }
        }
        return try run(queries.all)
    }

    /// The statements `list` runs for a filter. A name most complaints hold (劳务) is found
    /// soonest among the newest rows in the list's order, which the planner walks by index
    /// (`recent`); only when those hold less than a page does the index of name pieces answer
    /// (`all`: a rarer name, few rows to sort). `wagewatch-bench explain-web` shows their plans.
    public struct ListQueries: Sendable {
        public let recent: SQL?
        public let all: SQL
        /// A page before a row (`before`): the statements read backwards, `list` turns them round.
        public let backwards: Bool
    }

    public func listQueries(_ filter: ComplaintFilter) -> ListQueries {
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
        // The list's order as (columns, ascending): keyset pages compare the row they start from.
        let (columns, ascending): ([String], Bool) = switch filter.order {
        case .received: (["received_at", "id"], true)
        case .newest: (["received_at", "id"], false)
        case .decisionDue: (["decision_due", "id"], true)
        }
        let key = SQL(unsafeSQL: columns.joined(separator: ", "))
        if let after = filter.after {
            sql.append(" AND (\(key)) \(unsafeRaw: ascending ? ">" : "<") (SELECT \(key) FROM complaints WHERE id = \(after))")
        }
        if let before = filter.before {
            sql.append(" AND (\(key)) \(unsafeRaw: ascending ? "<" : ">") (SELECT \(key) FROM complaints WHERE id = \(before))")
        }
        let backwards = filter.before != nil && filter.after == nil
        let direction = ascending != backwards ? "" : " DESC"
        let order = " ORDER BY " + SQL(unsafeSQL: columns.map { $0 + direction }.joined(separator: ", "))
        var recent: SQL?
        switch filter.search.flatMap(Search.init) {
        case nil:
            break
        case .condition(let condition):
            sql.append(" AND " + condition)
        case .name(let pattern, let grams):
            if filter.offset == 0 {
                recent = "SELECT * FROM (" + sql + order + " LIMIT \(Self.searchWindow)) w WHERE employer_name ILIKE \(pattern)"
                    + order + " LIMIT \(filter.limit)"
            }
            if let grams { sql.append(" AND ww_name_grams(employer_name) @>> ww_search_grams(\(grams))") }
            sql.append(" AND employer_name ILIKE \(pattern)")
        }
        return ListQueries(recent: recent, all: sql + order + " LIMIT \(filter.limit) OFFSET \(filter.offset)", backwards: backwards)
    }

    /// How many of the newest complaints a name search reads before it asks the index of name
    /// pieces (see `list`): enough for a name one complaint in 40 holds to fill a page there.
    static let searchWindow = 2_000

    /// What a search means: a complaint number (or the start of one, `TS-20260213`), a USCC (the
    /// employer's complaints), or part of the employer's name as the caller gave it. The name is
    /// looked up through its two-character pieces (`ww_name_grams`, migration 0007; the rarer of
    /// them, `ww_search_grams`); one character alone has no piece and reads every complaint.
    enum Search {
        case condition(SQL)
        /// The ILIKE pattern, and the text whose pieces the index is asked for (nil: too short).
        case name(pattern: String, grams: String?)

        init?(_ text: String) {
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            let upper = text.uppercased()
            if upper.wholeMatch(of: /TS-[0-9]{8}-[0-9]{4,}/) != nil {
                self = .condition("number = \(upper)")
            } else if upper.wholeMatch(of: /TS-[0-9-]*/) != nil {
                self = .condition("number LIKE \(Self.likeEscaped(upper) + "%")")
            } else if upper.wholeMatch(of: /[0-9A-HJ-NP-RTUW-Y]{18}/) != nil {
                self = .condition("(region_code, employer_id) IN (SELECT region_code, id FROM employers WHERE uscc = \(upper))")
            } else {
                self = .name(pattern: "%" + Self.likeEscaped(text) + "%", grams: text.count >= 2 ? text : nil)
            }
        }

        private static func likeEscaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        }
    }

    /// Records the decision, made on `today` at `instant` (the database's clock when nil). A
    /// complaint is decided once: deciding it again is a conflict.
    public func decide(
        _ reference: ComplaintReference, _ decision: ComplaintDecision, today: LocalDate, at instant: Date? = nil,
        on connection: Connection
    ) throws -> ComplaintRecord {
        try connection.transaction { tx in
            let complaint = try find(reference, on: tx)
            let (outcome, note, caseID): (String, String?, CaseID?) = switch decision {
            case .accept: ("accepted", nil, nil)
            case .refuse(let reason): ("refused", reason, nil)
            case .refer(let target): ("referred", target, nil)
            case .merge(let caseID): ("merged", nil, caseID)
            }
            // The door decides (sql/functions/complaints_guard.sql): once, by an inspector or an
            // administrator of the complaint's region, joining or opening the case as C4 and C5 say.
            try WagewatchError.throughDoor {
                try tx.query("""
                    SELECT ww_decide_complaint(\(complaint.regionCode), \(complaint.id), \(outcome), \(note), \(caseID),
                                               \(today), \(instant)::timestamptz)
                    """)
            }
            return try find(complaint.id, on: tx)
        }
    }
}
