import PostgresClient

extension RiskRule {
    /// The statement a full run executes for this rule: an INSERT into `rule_findings` for
    /// `run`, with its values bound. For `EXPLAIN` in the benchmarks; runs go through ``RuleEngine``.
    public func findingsSQL(run: Int64, asOf: LocalDate, thresholds: RuleThresholds) -> SQL {
        findings(run, asOf, thresholds)
    }
}
