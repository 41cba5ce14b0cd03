import Foundation
import PostgresClient

/// A complaint as `complaint list|show --json` prints it (SPEC §5).
public struct ComplaintRecord: Sendable, Encodable, Equatable {
    public let id: ComplaintID
    public let number: String
    public let regionCode: String
    public let receivedAt: Date
    public let channel: String
    public let callerName: String?
    public let callerPhone: String?
    public let employerUSCC: String?
    public let employerName: String
    public let projectCode: String?
    public let workersInvolved: Int
    public let amountFen: Int64
    public let owedSince: LocalDate?
    public let owedUntil: LocalDate?
    public let employerAbsconded: Bool
    public let text: String?
    public let status: ComplaintStatus
    public let outcome: ComplaintOutcome?
    public let reason: String?
    public let referredTo: String?
    public let caseID: CaseID?
    public let decisionDue: LocalDate
    public let decidedAt: Date?
    public let decidedBy: String?

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
               employer_name, project_code, workers_involved, amount_owed_fen, owed_since, owed_until,
               employer_absconded, text, status, outcome, reason, referred_to, case_id, decision_due,
               decided_at, decided_by
        FROM complaints
        """

    init(row: Row) throws {
        id = try row.decode("id")
        number = try row.decode("number")
        regionCode = try row.decode("region_code")
        receivedAt = try row.decode("received_at")
        channel = try row.decode("channel")
        callerName = try row.decode("caller_name")
        callerPhone = try row.decode("caller_phone")
        employerUSCC = try row.decode("employer_uscc")
        employerName = try row.decode("employer_name")
        projectCode = try row.decode("project_code")
        workersInvolved = try row.decode("workers_involved")
        amountFen = try row.decode("amount_owed_fen")
        owedSince = try row.decode("owed_since")
        owedUntil = try row.decode("owed_until")
        employerAbsconded = try row.decode("employer_absconded")
        text = try row.decode("text")
        status = try row.decode("status")
        outcome = try row.decode("outcome")
        reason = try row.decode("reason")
        referredTo = try row.decode("referred_to")
        caseID = try row.decode("case_id")
        decisionDue = try row.decode("decision_due")
        decidedAt = try row.decode("decided_at")
        decidedBy = try row.decode("decided_by")
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

    /// Encodes every field, with explicit nulls, so JSON consumers see a fixed shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(number, forKey: .number)
        try c.encode(regionCode, forKey: .regionCode)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(channel, forKey: .channel)
        try c.encode(callerName, forKey: .callerName)
        try c.encode(callerPhone, forKey: .callerPhone)
        try c.encode(employerUSCC, forKey: .employerUSCC)
        try c.encode(employerName, forKey: .employerName)
        try c.encode(projectCode, forKey: .projectCode)
        try c.encode(workersInvolved, forKey: .workersInvolved)
        try c.encode(amountFen, forKey: .amountFen)
        try c.encode(owedSince, forKey: .owedSince)
        try c.encode(owedUntil, forKey: .owedUntil)
        try c.encode(employerAbsconded, forKey: .employerAbsconded)
        try c.encode(text, forKey: .text)
        try c.encode(status, forKey: .status)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(reason, forKey: .reason)
        try c.encode(referredTo, forKey: .referredTo)
        try c.encode(caseID, forKey: .caseID)
        try c.encode(decisionDue, forKey: .decisionDue)
        try c.encode(decidedAt, forKey: .decidedAt)
        try c.encode(decidedBy, forKey: .decidedBy)
    }
}
