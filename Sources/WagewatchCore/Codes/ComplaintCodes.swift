/// Where a complaint stands (`complaints.status`, SPEC C2).
public enum ComplaintStatus: String, DatabaseCode {
    case pending, decided
    public static let field = "status"
    public static let labelKind: Labels.Kind? = .complaintStatus
}

/// What was decided on a complaint (`complaints.outcome`, SPEC C2–C4).
public enum ComplaintOutcome: String, DatabaseCode {
    case accepted, merged, referred, refused
    public static let field = "outcome"
    public static let labelKind: Labels.Kind? = .complaintOutcome
}
