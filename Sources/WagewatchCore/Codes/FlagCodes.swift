/// How serious a risk flag is (`flags.severity`, SPEC §3).
public enum FlagSeverity: String, DatabaseCode {
    case red, orange, yellow
    public static let field = "severity"
    public static let labelKind: Labels.Kind? = .severity
}

/// Where a flag's review stands (`flags.status`).
public enum FlagStatus: String, DatabaseCode {
    case open, acknowledged, confirmed, dismissed
    public static let field = "status"
    public static let labelKind: Labels.Kind? = .flagStatus
}

/// What a confirmed flag's reviewer ordered (`flags.review_action`).
public enum ConfirmAction: String, DatabaseCode {
    case rectify, stopWork = "stop_work", directPay = "direct_pay", sanction
    public static let field = "action"
    public static let labelKind: Labels.Kind? = .confirmAction
}
