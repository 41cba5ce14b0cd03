import Foundation
import PostgresClient

/// What one rule did in a run.
public struct RuleOutcome: Sendable, Encodable, Equatable {
    public let rule: String
    public let name: String
    /// Findings the rule's query produced (conditions that hold as of the date).
    public let findings: Int
    public let raised: Int
    public let cleared: Int
    public let milliseconds: Int
}

/// A recorded rule run.
public struct RuleRunReport: Sendable, Encodable, Equatable {
    public let runID: String
    public let asOf: LocalDate
    public let outcomes: [RuleOutcome]
    /// False when another run held the lock and this one did nothing.
    public let ran: Bool
    /// True when only the subjects changed since the last complete run were re-evaluated.
    public let incremental: Bool

    enum CodingKeys: String, CodingKey { case runID = "run_id", asOf = "as_of", outcomes, ran, incremental }
}

/// Runs the risk rules (SPEC R1–R12) over the whole data set as of a date, set-based, and
/// merges what they find into flags: raised once per (rule, subject, period), upgraded when a
/// condition worsens, marked condition_cleared when it ends. Unless asked for a full run, a run
/// on the same date as the last complete one re-evaluates only the subjects changed since. Safe to start from cron every few
/// minutes: a second run while one is going exits saying so, and a run that died is marked
/// failed by the next.
public struct RuleEngine: Sendable {
    public let thresholds: RuleThresholds

    public init(thresholds: RuleThresholds = RuleThresholds(configuration: .defaults)) {
        self.thresholds = thresholds
    }

    /// A rule run evaluates the whole county and then marks every change it saw as evaluated
    /// (rule_dirty): a login row security shows less than everything — the schema's owner sees
    /// nothing — would find nothing and still use up the changes, so the next real run would miss
    /// them. Only an administrator (wagewatch_admin: every row) or a superuser session runs it.
    static func requireSeesEverything(on connection: Connection) throws {
        let row = try connection.query("""
            SELECT current_user::text AS login,
                   ww_superuser_session() OR (pg_has_role('wagewatch_admin', 'USAGE')
                                              AND EXISTS (SELECT 1 FROM users WHERE name = current_user)) AS ok
            """).one()
        guard try row.decode("ok", as: Bool.self) else {
            let login: String = try row.decode("login")
            throw WagewatchError.denied(
                "rules run: the login \(login) is not an administrator with a users row, so row security would hide rows "
                    + "from it and the run would use up the changes it never saw; run rule jobs as the service login "
                    + "\(Session.serviceLogin) (wagewatch user add \(Session.serviceLogin) --role admin --department county_office), "
                    + "as an administrator (--as NAME) or as a superuser")
        }
    }

    /// The advisory lock that lets one run at a time proceed.
    static let lockKey: Int64 = 0x5757_5255_4C45  // "WWRULE"

    public func run(
        asOf: LocalDate, only ruleID: String? = nil, full: Bool = true, on connection: Connection,
        progress: (@Sendable (String) -> Void)? = nil
    ) throws -> RuleRunReport {
        let rules: [RiskRule]
        if let ruleID {
            guard let rule = RiskRule.all.first(where: { $0.id.lowercased() == ruleID.lowercased() || $0.name == ruleID }) else {
                throw WagewatchError.invalid(
                    "rule: \"\(ruleID)\" is not one of \(RiskRule.all.map { "\($0.id) (\($0.name))" }.joined(separator: ", "))")
            }
            rules = [rule]
        } else {
            rules = RiskRule.all
        }
        try Self.requireSeesEverything(on: connection)
        let locked = try connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey)) AS ok").one().decode("ok", as: Bool.self)
        guard locked else {
            return RuleRunReport(runID: "", asOf: asOf, outcomes: [], ran: false, incremental: false)
        }
        defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        // We hold the lock, so any run still marked running died without finishing.
        try connection.query("UPDATE rule_runs SET status = 'failed', finished_at = clock_timestamp() WHERE status = 'running'")
        let allRules = rules.count == RiskRule.all.count
        // Changes recorded so far; a successful run of every rule has looked at all of them.
        let upto: Int64 = try connection.query("SELECT coalesce(max(id), 0) AS upto FROM rule_dirty").one().decode("upto")
        // Incremental only when nothing but data changed since the last complete run: the same
        // date (no deadline can have passed) and every rule run then.
        let lastComplete = try connection.query("""
            SELECT 1 FROM rule_runs
            WHERE status = 'done' AND only_rule IS NULL
              AND id = (SELECT max(id) FROM rule_runs WHERE status = 'done' AND only_rule IS NULL)
              AND as_of = \(asOf)
            """)
        let incremental = !full && allRules && lastComplete.count == 1
        let runID: Int64 = try connection.query("""
            INSERT INTO rule_runs (as_of, full_run, only_rule, dirty_upto)
            VALUES (\(asOf), \(!incremental), \(allRules ? nil : rules[0].name), \(upto))
            RETURNING id
            """).one().decode("id")
        do {
            let outcomes = try connection.transaction { tx in
                let scope: RuleScope
                if incremental {
                    let subjects: Int = try tx.query("SELECT ww_prepare_rule_scope(\(upto)) AS n").one().decode("n")
                    try tx.query("UPDATE rule_runs SET subjects = \(subjects) WHERE id = \(runID)")
                    progress?("incremental: \(subjects) changed subject(s) since the last run as of \(asOf)")
                    scope = .changed
                } else {
                    scope = .everything
                }
                var counted: [(RiskRule, Int, Int)] = []
                for rule in rules {
                    let started = ContinuousClock.now
                    let found = try tx.execute(rule.query(runID, asOf, thresholds, scope))
                    let elapsed = ContinuousClock.now - started
                    let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
                    progress?("\(rule.id) \(rule.name): \(found) finding(s) in \(ms) ms")
                    counted.append((rule, found, ms))
                }
                var merged: [String: (raised: Int, cleared: Int)] = [:]
                for row in try tx.query("""
                    SELECT o_rule, o_raised, o_cleared FROM ww_merge_findings(\(runID), \(rules.map(\.name)), \(asOf), \(incremental))
                    """) {
                    merged[try row.decode("o_rule")] = (try row.decode("o_raised"), try row.decode("o_cleared"))
                }
                let outcomes = counted.map { rule, found, ms in
                    RuleOutcome(rule: rule.id, name: rule.name, findings: found, raised: merged[rule.name]?.raised ?? 0,
                                cleared: merged[rule.name]?.cleared ?? 0, milliseconds: ms)
                }
                try tx.query("""
                    UPDATE rule_runs SET status = 'done', finished_at = clock_timestamp(), stats = \(try JSONB(encoding: outcomes))
                    WHERE id = \(runID)
                    """)
                if allRules {
                    // Every change up to here has been looked at.
                    try tx.query("DELETE FROM rule_dirty WHERE id <= \(upto)")
                }
                return outcomes
            }
            return RuleRunReport(runID: String(runID), asOf: asOf, outcomes: outcomes, ran: true, incremental: incremental)
        } catch {
            _ = try? connection.query("UPDATE rule_runs SET status = 'failed', finished_at = clock_timestamp() WHERE id = \(runID)")
            throw error
        }
    }
}
