import Foundation
import PostgresClient

/// A complaint as `complaint list|show --json` prints it (SPEC §5).
/// Optional fields are written as explicit nulls, so JSON consumers see a fixed shape.
public struct ComplaintRecord: Sendable, Codable, Equatable {
    public let id: ComplaintID
    public let number: String
    public let regionCode: String
    public let receivedAt: Date
    public let channel: String
    @ExplicitNull public private(set) var callerName: String?
    @ExplicitNull public private(set) var callerPhone: String?
    @ExplicitNull public private(set) var employerUSCC: String?
    public let employerName: String
    @ExplicitNull public private(set) var projectCode: String?
    public let workersInvolved: Int
    public let amountFen: Int64
    @ExplicitNull public private(set) var owedSince: LocalDate?
    @ExplicitNull public private(set) var owedUntil: LocalDate?
    public let employerAbsconded: Bool
    @ExplicitNull public private(set) var text: String?
    public let status: ComplaintStatus
    @ExplicitNull public private(set) var outcome: ComplaintOutcome?
    @ExplicitNull public private(set) var reason: String?
    @ExplicitNull public private(set) var referredTo: String?
    @ExplicitNull public private(set) var caseID: CaseID?
    public let decisionDue: LocalDate
    @ExplicitNull public private(set) var decidedAt: Date?
    @ExplicitNull public private(set) var decidedBy: String?

    enum CodingKeys: String, CodingKey {
        case id, number, receivedAt = "received_at", employerUSCC = "employer_uscc", employerName = "employer_name"
        case projectCode = "project_code", workersInvolved = "workers_involved", amountFen = "amount_fen"
        case status, outcome, reason, caseID = "case_id", decisionDue = "decision_due"
        case regionCode = "region_code", channel, callerName = "caller_name", callerPhone = "caller_phone"
        case owedSince = "owed_since", owedUntil = "owed_until", employerAbsconded = "employer_absconded"
        case referredTo = "referred_to", decidedAt = "decided_at", decidedBy = "decided_by", text
    }

    /// The caller's phone number masked, for lists and reports (SPEC §6): records are read from
    /// `caller_phone_masked`, which the database computes (`ww_mask_phone`, the one definition);
    /// the full number is readable only by inspectors and administrators (sql/functions/roles.sql).
    public var maskedPhone: String? { callerPhone }

    /// This record with personal data masked.
    public func masked() -> ComplaintRecord {
        ComplaintRecord(
            id: id, number: number, regionCode: regionCode, receivedAt: receivedAt, channel: channel,
            callerName: callerName.map(Self.maskName), callerPhone: maskedPhone, employerUSCC: employerUSCC,
            employerName: employerName, projectCode: projectCode, workersInvolved: workersInvolved,
            amountFen: amountFen, owedSince: owedSince, owedUntil: owedUntil, employerAbsconded: employerAbsconded,
            text: text, status: status, outcome: outcome, reason: reason, referredTo: referredTo, caseID: caseID,
            decisionDue: decisionDue, decidedAt: decidedAt, decidedBy: decidedBy)
    }

    /// 张三丰 → 张**: the family name stays, so staff can still address the caller.
    static func maskName(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }

    static let selectColumns: SQL = """
        SELECT id, number, region_code, received_at, channel, caller_name, caller_phone_masked AS caller_phone, employer_uscc,
               employer_name, project_code, workers_involved, amount_owed_fen AS amount_fen, owed_since, owed_until,
               employer_absconded, text, status, outcome, reason, referred_to, case_id, decision_due,
               decided_at, decided_by
        FROM complaints
        """

    init(row: Row) throws {
        self = try RowDecoder(row: row).decode()
    }

    init(
        id: ComplaintID, number: String, regionCode: String, receivedAt: Date, channel: String, callerName: String?,
        callerPhone: String?, employerUSCC: String?, employerName: String, projectCode: String?,
        workersInvolved: Int, amountFen: Int64, owedSince: LocalDate?, owedUntil: LocalDate?,
        employerAbsconded: Bool, text: String?, status: ComplaintStatus, outcome: ComplaintOutcome?, reason: String?,
        referredTo: String?, caseID: CaseID?, decisionDue: LocalDate, decidedAt: Date?, decidedBy: String?
    ) {
        self.id = id; self.number = number; self.regionCode = regionCode; self.receivedAt = receivedAt
        self.channel = channel; self.callerName = callerName; self.callerPhone = callerPhone
        self.employerUSCC = employerUSCC; self.employerName = employerName; self.projectCode = projectCode
        self.workersInvolved = workersInvolved; self.amountFen = amountFen; self.owedSince = owedSince
        self.owedUntil = owedUntil; self.employerAbsconded = employerAbsconded; self.text = text
        self.status = status; self.outcome = outcome; self.reason = reason; self.referredTo = referredTo
        self.caseID = caseID; self.decisionDue = decisionDue; self.decidedAt = decidedAt; self.decidedBy = decidedBy
    }
}
