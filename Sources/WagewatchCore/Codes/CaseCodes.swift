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

/// How a case ended (`cases.disposition`, SPEC §10 N3).
public enum CaseDisposition: String, DatabaseCode {
    case paidInFull = "paid_in_full", paidByContractor = "paid_by_contractor", paidByOwner = "paid_by_owner"
    case depositUsed = "deposit_used", emergencyFund = "emergency_fund", directPay = "direct_pay"
    case referredArbitration = "referred_arbitration", referredPolice = "referred_police", referredCourt = "referred_court"
    case notEstablished = "not_established", withdrawn, unreachable
    public static let field = "disposition"
    public static let labelKind: Labels.Kind? = .caseDisposition
}
