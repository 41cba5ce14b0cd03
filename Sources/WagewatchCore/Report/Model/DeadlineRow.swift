/// Missed deadlines of one rule (C2, C5, E3) in one department.
public struct DeadlineRow: Sendable, Encodable, Equatable {
    public let department: String
    public let rule: String
    /// Deadlines that fell in the week and were missed (E3: level moves in the week).
    public let breached: Int64
    /// Still overdue when the report was made (E3: open escalations that moved up).
    public let outstanding: Int64
}
