import Foundation

/// One outbox row that could not be delivered this time.
public struct DeliveryFailure: Sendable, Encodable, Equatable {
    public let outboxID: String
    public let escalationID: String
    public let error: String
    public let attempts: Int
    public let nextAttemptAt: Date

    enum CodingKeys: String, CodingKey {
        case outboxID = "outbox_id", escalationID = "escalation_id", error, attempts, nextAttemptAt = "next_attempt_at"
    }
}
