/// The desks a session works at, each built once here with the session's configuration and
/// default region, so no caller repeats how.
extension Session {
    public var complaints: ComplaintDesk { ComplaintDesk(configuration: configuration) }
    public var intake: ComplaintIntake { ComplaintIntake(configuration: configuration) }
    public var cases: CaseDesk { CaseDesk(configuration: configuration) }
    public var projects: ProjectRegistry { ProjectRegistry(configuration: configuration, region: defaultRegion) }
    public var ledger: Ledger { Ledger(defaultRegion: defaultRegion) }
    public var flags: FlagDesk { FlagDesk() }
    public var escalations: EscalationDesk { EscalationDesk() }
    public var delivery: EscalationDelivery { EscalationDelivery(configuration: configuration) }
    public var directPay: DirectPayDesk { DirectPayDesk(region: defaultRegion) }
    public var sanctions: SanctionDesk { SanctionDesk(configuration: configuration, preferredRegion: defaultRegion) }
    public var rules: RuleEngine { RuleEngine(thresholds: RuleThresholds(configuration: configuration)) }
    public var users: UserDirectory { UserDirectory() }
    public var audit: AuditChain { AuditChain() }
}

extension Session {
    /// Whether the acting user's grants allow `privilege` (`INSERT`, `UPDATE` …) on `table`: what
    /// a page asks before it offers a form (the database still decides when the form is sent).
    public func may(_ privilege: String, on table: String) throws -> Bool {
        try connection.query("SELECT has_table_privilege(current_user, \(table), \(privilege)) AS ok").one().decode("ok")
    }

    /// Whether the acting user may call the door `function`, named with its argument types
    /// (`ww_claim_case(bigint, text, text, bigint)`): the same question for a change that goes
    /// through a SECURITY DEFINER function instead of a grant on the table.
    public func may(call function: String) throws -> Bool {
        try connection.query("SELECT has_function_privilege(current_user, \(function), 'EXECUTE') AS ok").one().decode("ok")
    }
}
