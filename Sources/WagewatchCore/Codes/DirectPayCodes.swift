/// Where a direct-pay batch stands (`direct_pay_batches.status`).
public enum DirectPayBatchStatus: String, DatabaseCode {
    case planned, approved, executed
    public static let field = "status"
}

/// Which account a direct-pay batch pays from (`direct_pay_batches.source`).
public enum DirectPaySource: String, DatabaseCode {
    case wage, fund
    public static let field = "source"
}

/// Where one worker's direct payment stands (`direct_pay_lines.status`).
public enum DirectPayLineStatus: String, DatabaseCode {
    case pending, paid, returned
    public static let field = "status"
}
