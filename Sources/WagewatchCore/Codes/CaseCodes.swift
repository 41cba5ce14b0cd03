/// Whether a case is being investigated or closed (`cases.status`, SPEC C5).
public enum CaseStatus: String, DatabaseCode {
    case open, closed
    public static let field = "status"
    public static let labelKind: Labels.Kind? = .caseStatus
}

/// Where a recovered amount came from (`recoveries.source`, SPEC C6).
public enum RecoverySource: String, DatabaseCode {
    case employer, generalContractor = "general_contractor", projectOwner = "project_owner"
    case guaranteeDeposit = "guarantee_deposit", emergencyFund = "emergency_fund", directPay = "direct_pay"
    public static let field = "source"
    public static let labelKind: Labels.Kind? = .recoverySource
}
