import Foundation
import PostgresClient

/// `wagewatch export clues` (SPEC §10): every complaint received in a date range (Asia/Shanghai
/// days, both ends included) with its outcome, case, disposition, recovered amount and dates, for
/// the provincial platform. Personal data: the caller's phone only masked (the database's
/// `caller_phone_masked`), no caller name, no worker ID number. Rows in received order, then
/// number, so the same data always gives the same file.
public struct ClueExport: Sendable {
    /// One complaint, as a line of the CSV and an object of the JSON array (the columns, in order).
    public struct Row: Sendable, Codable, Equatable {
        public let number: String
        public let regionCode: String
        public let receivedOn: LocalDate
        public let channel: String
        @ExplicitNull public private(set) var callerPhoneMasked: String?
        @ExplicitNull public private(set) var employerUSCC: String?
        public let employerName: String
        @ExplicitNull public private(set) var projectCode: String?
        public let workersInvolved: Int
        public let amountFen: Int64
        public let status: String
        @ExplicitNull public private(set) var outcome: String?
        @ExplicitNull public private(set) var reason: String?
        @ExplicitNull public private(set) var referredTo: String?
        @ExplicitNull public private(set) var decidedOn: LocalDate?
        @ExplicitNull public private(set) var caseID: String?
        @ExplicitNull public private(set) var caseStatus: String?
        @ExplicitNull public private(set) var disposition: String?
        @ExplicitNull public private(set) var recoveredFen: Int64?
        @ExplicitNull public private(set) var closedOn: LocalDate?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case number, regionCode = "region_code", receivedOn = "received_on", channel
            case callerPhoneMasked = "caller_phone_masked", employerUSCC = "employer_uscc", employerName = "employer_name"
            case projectCode = "project_code", workersInvolved = "workers_involved", amountFen = "amount_fen", status, outcome
            case reason, referredTo = "referred_to", decidedOn = "decided_on", caseID = "case_id", caseStatus = "case_status"
            case disposition, recoveredFen = "recovered_fen", closedOn = "closed_on"
        }
    }

    /// The CSV header: the JSON keys, in order.
    public static let columns = Row.CodingKeys.allCases.map(\.rawValue)

    public init() {}

    public func rows(from: LocalDate, to: LocalDate, on connection: Connection) throws -> [Row] {
        guard from <= to else {
            throw WagewatchError.invalid("--to: \"\(to)\" is before --from \"\(from)\"")
        }
        return try connection.query("""
            SELECT c.number, c.region_code, c.received_on, c.channel,
                   c.caller_phone_masked, c.employer_uscc, c.employer_name, c.project_code, c.workers_involved,
                   c.amount_owed_fen AS amount_fen, c.status, c.outcome, c.reason, c.referred_to,
                   (c.decided_at AT TIME ZONE 'Asia/Shanghai')::date AS decided_on, c.case_id::text AS case_id,
                   k.status AS case_status, k.disposition, t.recovered_fen,
                   (k.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS closed_on
            FROM complaints c
            LEFT JOIN cases k ON k.region_code = c.region_code AND k.id = c.case_id
            LEFT JOIN case_totals t ON t.region_code = k.region_code AND t.case_id = k.id
            WHERE c.received_on BETWEEN \(from) AND \(to)
            ORDER BY c.received_at, c.number, c.region_code
            """).map { try RowDecoder(row: $0).decode() }
    }

    public func csv(_ rows: [Row]) throws -> String {
        let encoder = JSONEncoder()
        var out = Self.columns.joined(separator: ",") + "\n"
        for row in rows {
            let object = try JSONSerialization.jsonObject(with: try encoder.encode(row)) as? [String: Any] ?? [:]
            out += Self.columns.map { key -> String in
                switch object[key] {
                case nil, is NSNull: return ""
                case let text as String: return TextEscaping.csvField(text)
                case let number as NSNumber: return number.stringValue
                case let other?: return TextEscaping.csvField("\(other)")
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    public func json(_ rows: [Row]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }
}
