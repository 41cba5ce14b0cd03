import Foundation

/// One outbox row that could not be delivered this time.
public struct DeliveryFailure: Sendable, Encodable, Equatable {
    public let outboxID: String
    /// The escalation of an `escalation` row; nil for an SMS.
    public let escalationID: String?
    /// The complaint an SMS row is about; nil for an escalation.
    public let complaintNumber: String?
    public let error: String
    public let attempts: Int
    public let nextAttemptAt: Date

    enum CodingKeys: String, CodingKey {
        case outboxID = "outbox_id", escalationID = "escalation_id", complaintNumber = "complaint_number", error, attempts, nextAttemptAt = "next_attempt_at"
    }
}
