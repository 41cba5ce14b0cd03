import Foundation
import PostgresClient

/// One escalation event as `pg_notify` and the outbox carry it (built by `ww_escalation_event`
/// in sql/functions/escalations.sql); its words come from ``Labels``.
public struct EscalationEvent: Sendable, Equatable {
    /// `raised`, `level_changed` or `reminder`.
    public var event = "raised"
    public var id = ""
    public var regionCode: String?
    public var level = ""
    public var reason = ""
    public var massIncident = false
    public var complaintID: String?
    public var caseID: String?
    public var flagID: String?
    public var employerName: String?
    public var employerUSCC: String?
    public var projectCode: String?
    public var workersInvolved: Int?
    public var amountFen: Int64?
    /// As the server wrote it (ISO 8601 with an offset).
    public var raisedAt: String?

    /// Reads a payload; throws when it is not a JSON object.
    public init(json: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw DeliveryError("the event payload is not a JSON object")
        }
        func text(_ key: String) -> String? {
            switch object[key] {
            case let value as String: value
            case let value as NSNumber: value.stringValue
            default: nil
            }
        }
        event = text("event") ?? event
        id = text("id") ?? id
        regionCode = text("region_code")
        level = text("level") ?? level
        reason = text("reason") ?? reason
        massIncident = (object["mass_incident"] as? Bool) ?? false
        complaintID = text("complaint_id")
        caseID = text("case_id")
        flagID = text("flag_id")
        employerName = text("employer_name")
        employerUSCC = text("employer_uscc")
        projectCode = text("project_code")
        workersInvolved = text("workers_involved").flatMap { Int($0) }
        amountFen = text("amount_fen").flatMap { Int64($0) }
        raisedAt = text("raised_at")
    }

    /// `raised_at` in Beijing time, `2026-02-13 10:00`.
    public var raisedAtShanghai: String? {
        guard let raisedAt else { return nil }
        guard let date = PostgresTimestamp.parse(raisedAt) else { return raisedAt }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// One line for a terminal, Chinese beside the codes:
    /// `2026-02-13 10:00  新预警 raised  #12  县两办 county  用人单位欠薪逃匿 employer_absconded  某公司  12人  5万元`
    public var line: String {
        var parts = [
            raisedAtShanghai ?? "", "\(Labels.text(.escalationEvent, event)) \(event)", "#\(id)", "\(Labels.text(.escalationLevel, level)) \(level)",
            "\(Labels.text(.escalationReason, reason)) \(reason)" + (massIncident ? " [群体性风险]" : ""),
        ]
        if let employerName { parts.append(employerName) }
        if let projectCode { parts.append(projectCode) }
        if let workersInvolved { parts.append("\(workersInvolved)人") }
        if let amountFen { parts.append(Money.forOfficials(amountFen)) }
        return parts.filter { !$0.isEmpty }.joined(separator: "  ")
    }
}
