/// Who an escalation is with: township → bureau → county (`escalations.level`, SPEC E3).
public enum EscalationLevel: String, DatabaseCode {
    case township, bureau, county
    public static let field = "level"
    public static let labelKind: Labels.Kind? = .escalationLevel
}

/// Why an escalation was raised (`escalations.reason`, SPEC E1, E2).
public enum EscalationReason: String, DatabaseCode {
    case massIncidentWorkers = "mass_incident_workers", employerAbsconded = "employer_absconded"
    case protestKeywords = "protest_keywords", criminalThreshold = "criminal_threshold"
    case decisionOverdue = "decision_overdue", investigationOverdue = "investigation_overdue"
    case flagUnreviewed = "flag_unreviewed"
    public static let field = "reason"
    public static let labelKind: Labels.Kind? = .escalationReason
}

/// Where an escalation stands (`escalations.status`).
public enum EscalationStatus: String, DatabaseCode {
    case open, acknowledged, resolved
    public static let field = "status"
    public static let labelKind: Labels.Kind? = .escalationStatus
}
