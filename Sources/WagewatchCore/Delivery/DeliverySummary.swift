/// What one delivery pass did (E4).
public struct DeliverySummary: Sendable, Encodable, Equatable {
    /// Outbox rows delivered to every target in this pass.
    public let sent: Int
    /// Outbox rows whose attempt failed in this pass; each is retried after its backoff.
    public let failed: Int
    /// Outbox rows not yet delivered after this pass (failed ones included).
    public let pending: Int
    /// Why each failed row failed, and when it is tried again.
    public let failures: [DeliveryFailure]
    /// False when no target is configured, so nothing was attempted.
    public let targetsConfigured: Bool

    enum CodingKeys: String, CodingKey {
        case sent, failed, pending, failures, targetsConfigured = "targets_configured"
    }
}
