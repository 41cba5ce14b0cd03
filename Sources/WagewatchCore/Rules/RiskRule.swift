import PostgresClient

/// The numbers the rules use (SPEC §3 R1–R12), taken from the configuration.
public struct RuleThresholds: Sendable, Equatable {
    /// The numbers themselves live in ``Configuration/Rules`` (defaults and `wagewatch.toml`):
    /// these are only the names the rules' SQL reads them by.
    public let rules: Configuration.Rules

    public init(configuration: Configuration = .defaults) {
        rules = configuration.rules
    }

    /// R1: days after contract signing by which the wage account must be open.
    var wageAccountDays: Int { rules.r1.daysAfterContract }
    /// R2: days overdue after which an allocation flag turns red.
    var allocationRedAfterDays: Int { rules.r2.redAfterDays }
    /// R4: share (percent) of unpaid workers that makes a partial payroll red.
    var partialPayrollRedPercent: Int { rules.r4.redPercent }
    /// R5: the most one worker may be paid in a month and in a year (fen).
    var workerMonthlyCapFen: Int64 { rules.r5.perMonthFen }
    var workerYearlyCapFen: Int64 { rules.r5.perYearFen }
    /// R6: the look-back window and the counts that make a cluster orange and red.
    var clusterWindowDays: Int { rules.r6.windowDays }
    var clusterOrangeAt: Int { rules.r6.orangeAt }
    var clusterRedAt: Int { rules.r6.redAt }
    // R7's criminal threshold is the database's (`ww_at_criminal_threshold`, from the settings).
    /// R10: months without attendance or payroll after which a project counts as stalled.
    var stalledMonths: Int { rules.r10.afterMonths }
}

/// Which subjects a run re-evaluates: all of them, or those in the session's `rule_scope`
/// table (an incremental run).
public struct RuleScope: Sendable {
    let scoped: Bool

    public static let everything = RuleScope(scoped: false)
    public static let changed = RuleScope(scoped: true)

    /// A condition on a project id column.
    func projects(_ column: String) -> SQL {
        scoped ? SQL(unsafeSQL: "\(column) IN (SELECT subject_id FROM rule_scope WHERE kind = 'project')") : "true"
    }

    /// A condition on an employer id column.
    func employers(_ column: String) -> SQL {
        scoped ? SQL(unsafeSQL: "\(column) IN (SELECT subject_id FROM rule_scope WHERE kind = 'employer')") : "true"
    }
}

/// One risk rule (SPEC R1–R12): a set-based query that writes what it finds as of a date into
/// `rule_findings`, for `ww_merge_findings` to raise, upgrade or clear flags.
public struct RiskRule: Sendable {
    /// `R1` … `R12`.
    public let id: String
    /// The name flags carry, e.g. `no_wage_account`.
    public let name: String
    public let summary: String
    let query: @Sendable (_ run: Int64, _ asOf: LocalDate, _ t: RuleThresholds, _ scope: RuleScope) -> SQL

    /// The rule's query over every subject.
    func findings(_ run: Int64, _ asOf: LocalDate, _ t: RuleThresholds) -> SQL {
        query(run, asOf, t, .everything)
    }

    /// The columns every rule fills, in order.
    static let into: SQL = """
        INSERT INTO rule_findings (run_id, region_code, rule, severity, subject_kind, subject_id, project_id,
                                   employer_id, period, evidence)
        """
}

extension RiskRule {
    /// The wage account's balance at the end of `asOf`, rebuilt from transfers (an SQL expression
    /// over the alias `w`, a ledger account).
    static func balance(_ asOf: LocalDate) -> SQL {
        "ww_balance_as_of(w.region_code, w.id, \(asOf))"
    }

    /// R1–R12 in SPEC §3's order, then R13 of §10.
    public static let all: [RiskRule] = [
        .noWageAccount,
        .allocationOverdue,
        .wagesUnpaid,
        .partialPayroll,
        .payConcentration,
        .complaintCluster,
        .arrearsOutstanding,
        .accountShortfall,
        .fundDiversion,
        .stalledProject,
        .noDeposit,
        .sanctionedContractor,
        .bankMismatch,
    ]
}
