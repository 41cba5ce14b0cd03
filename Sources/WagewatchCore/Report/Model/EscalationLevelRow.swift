/// Escalations of one level (mass-incident risks in their own rows, listed first).
public struct EscalationLevelRow: Sendable, Encodable, Equatable {
    public let level: String
    public let massIncident: Bool
    public let raised: Int64
    public let acknowledged: Int64
    public let open: Int64
    /// Hours since the oldest open one was raised, as of the report's clock.
    public let oldestOpenHours: Int64?
    enum CodingKeys: String, CodingKey {
        case level, massIncident = "mass_incident", raised, acknowledged, open, oldestOpenHours = "oldest_open_hours"
    }
}
