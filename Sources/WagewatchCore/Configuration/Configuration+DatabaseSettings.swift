import Foundation
import PostgresClient

extension Configuration {
    /// The numbers the database's own functions read from its `settings` table
    /// (sql/0002_settings.sql): the E1 thresholds and keywords, the criminal threshold, the E2 and
    /// E3 periods, C2's decision days, C3's time bar, C5's investigation days and longest extension, C4's merge window, S2's blacklisting term and early lifting, the web desk's session expiry and lockout. They have no default in SQL: this is where their values come from.
    public var databaseSettings: [String: String] {
        let e = escalations
        let r7 = rules.r7
        // Keywords are matched after the same normalisation as the text (full-width folded, no
        // spaces); an empty list is a keyword no text can contain.
        let keywords = e.e1.protestKeywords.map { EmployerName.foldForMatching($0) }.filter { !$0.isEmpty }
        return [
            "e1_workers": String(e.e1.workers),
            "keywords": keywords.isEmpty ? "\u{1}" : keywords.joined(separator: "|"),
            "criminal_one_worker_fen": String(r7.oneWorkerFen),
            "criminal_months": String(r7.oneWorkerMonths),
            "criminal_workers": String(r7.workers),
            "criminal_workers_fen": String(r7.workersTotalFen),
            "flag_review_days": String(e.e2.redFlagReviewDays),
            "mass_ack_minutes": String(e.e3.massIncidentAckMinutes),
            "ack_working_days": String(e.e3.otherAckWorkingDays),
            "max_extension_days": String(complaints.maxExtensionDays),
            "decision_days": String(complaints.decisionDays),
            "time_bar_months": String(complaints.timeBarMonths),
            "investigation_days": String(complaints.investigationDays),
            "merge_window_days": String(complaints.mergeWindowDays),
            "blacklist_months": String(sanctions.blacklistMonths),
            "early_lift_after_months": String(sanctions.earlyLiftAfterMonths),
            "web_idle_minutes": String(web.idleMinutes),
            "web_session_minutes": String(web.sessionMinutes),
            "web_lockout_failures": String(web.lockoutFailures),
            "web_lockout_minutes": String(web.lockoutMinutes),
        ]
    }

    /// Writes ``databaseSettings`` into the database (an administrator or the schema's owner may;
    /// every change is audited). Returns how many values changed.
    @discardableResult
    public func storeSettings(on connection: Connection) throws -> Int {
        // Most calls find nothing to change (the embedded cluster stores at every command): then
        // write nothing, so no audit trigger fires.
        guard try !settingsDrift(on: connection).isEmpty else { return 0 }
        let json = try JSONSerialization.data(withJSONObject: databaseSettings, options: [.sortedKeys])
        return try connection.query("SELECT ww_store_settings(\(String(decoding: json, as: UTF8.self))::jsonb) AS n")
            .one().decode("n", as: Int.self)
    }

    /// The keys whose value in the database differs from this configuration's (or is missing),
    /// sorted; empty when the database follows this configuration.
    public func settingsDrift(on connection: Connection) throws -> [String] {
        let stored = Dictionary(uniqueKeysWithValues: try connection.query("SELECT key, value FROM settings").map {
            (try $0.decode("key", as: String.self), try $0.decode("value", as: String.self))
        })
        return databaseSettings.filter { stored[$0.key] != $0.value }.map(\.key).sorted()
    }
}
