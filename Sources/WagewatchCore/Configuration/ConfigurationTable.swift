import Foundation
import TOMLKit

/// One table of the file being read: it reads the keys it knows into the configuration and
/// then reports any key it was not asked for, by its dotted path.
struct ConfigurationTable {
    let table: TOMLTable
    let path: [String]
    let source: String
    private(set) var known: [String] = []
    /// When set, the table reads nothing: each key records its dotted name and the value it
    /// holds in the configuration, as the file would write it (``Configuration/entries``).
    let listing: Listing?

    final class Listing {
        var entries: [(key: String, value: String)] = []
    }

    init(_ table: TOMLTable, path: [String], source: String, listing: Listing? = nil) {
        self.table = table
        self.path = path
        self.source = source
        self.listing = listing
    }

    /// The layout of the file: every table and key the loader accepts, and where each goes.
    mutating func read(into c: inout Configuration) throws {
        try section("complaints") { t in
            try t.count("decision_days", &c.complaints.decisionDays, .workingDays)
            try t.count("time_bar_months", &c.complaints.timeBarMonths, .months)
            try t.count("merge_window_days", &c.complaints.mergeWindowDays, .days)
            try t.count("investigation_days", &c.complaints.investigationDays, .workingDays)
            try t.count("max_extension_days", &c.complaints.maxExtensionDays, .workingDays)
        }
        try section("projects") { t in
            try t.count("deposit_rate_basis_points", &c.projects.depositRateBasisPoints, .depositBasisPoints)
            try t.money("deposit_exempt_below", &c.projects.depositExemptBelowFen)
            try t.count("wage_account_days", &c.projects.wageAccountDays, .days)
            try t.count("allocation_cycle_max_days", &c.projects.allocationCycleMaxDays, .allocationCycleDays)
        }
        try section("rules") { rules in
            try rules.section("r1") { t in
                try t.count("days_after_contract", &c.rules.r1.daysAfterContract, .days)
            }
            try rules.section("r2") { t in
                try t.count("red_after_days", &c.rules.r2.redAfterDays, .days)
            }
            try rules.section("r4") { t in
                try t.count("red_percent", &c.rules.r4.redPercent, .percent)
            }
            try rules.section("r5") { t in
                try t.money("per_month", &c.rules.r5.perMonthFen)
                try t.money("per_year", &c.rules.r5.perYearFen)
            }
            try rules.section("r6") { t in
                try t.count("window_days", &c.rules.r6.windowDays, .days)
                try t.count("orange_at", &c.rules.r6.orangeAt, .complaints)
                try t.count("red_at", &c.rules.r6.redAt, .complaints)
                let r6 = c.rules.r6
                if r6.redAt < r6.orangeAt {
                    throw t.problem("red_at", String(r6.redAt),
                                    "must not be below \(t.dotted("orange_at")) (\(r6.orangeAt))")
                }
            }
            try rules.section("r7") { t in
                try t.money("one_worker", &c.rules.r7.oneWorkerFen)
                try t.count("one_worker_months", &c.rules.r7.oneWorkerMonths, .months)
                try t.count("workers", &c.rules.r7.workers, .workers)
                try t.money("workers_total", &c.rules.r7.workersTotalFen)
            }
            try rules.section("r10") { t in
                try t.count("after_months", &c.rules.r10.afterMonths, .months)
            }
        }
        try section("escalations") { escalations in
            try escalations.section("e1") { t in
                try t.count("workers", &c.escalations.e1.workers, .workers)
                try t.words("protest_keywords", &c.escalations.e1.protestKeywords)
            }
            try escalations.section("e2") { t in
                try t.count("red_flag_review_days", &c.escalations.e2.redFlagReviewDays, .workingDays)
            }
            try escalations.section("e3") { t in
                try t.count("mass_incident_ack_minutes", &c.escalations.e3.massIncidentAckMinutes, .minutes)
                try t.count("other_ack_working_days", &c.escalations.e3.otherAckWorkingDays, .workingDays)
            }
            try escalations.section("delivery") { t in
                try t.webhookURL("webhook_url", &c.escalations.delivery.webhookURLText)
                try t.mailAddresses("mail_to", &c.escalations.delivery.mailTo)
                try t.programPath("sendmail_path", &c.escalations.delivery.sendmailPath)
            }
        }
        try section("sanctions") { t in
            try t.count("blacklist_months", &c.sanctions.blacklistMonths, .months)
            try t.count("early_lift_after_months", &c.sanctions.earlyLiftAfterMonths, .months)
        }
        try section("web") { t in
            try t.count("pool_size", &c.web.poolSize, .connections)
            try t.count("idle_minutes", &c.web.idleMinutes, .minutes)
            try t.count("session_minutes", &c.web.sessionMinutes, .minutes)
            try t.count("lockout_failures", &c.web.lockoutFailures, .attempts)
            try t.count("lockout_minutes", &c.web.lockoutMinutes, .minutes)
            try t.count("api_requests_per_minute", &c.web.apiRequestsPerMinute, .requests)
        }
        try section("sms") { t in
            try t.programPath("command", &c.sms.command, noneAllowed: true)
            try t.webhookURL("webhook", &c.sms.webhook)
            try t.section("templates") { t in
                try t.smsTemplate("recorded", &c.sms.templates.recorded, SMSMessage.placeholders["recorded"]!)
                try t.smsTemplate("accepted", &c.sms.templates.accepted, SMSMessage.placeholders["accepted"]!)
                try t.smsTemplate("referred", &c.sms.templates.referred, SMSMessage.placeholders["referred"]!)
                try t.smsTemplate("refused", &c.sms.templates.refused, SMSMessage.placeholders["refused"]!)
                try t.smsTemplate("closed", &c.sms.templates.closed, SMSMessage.placeholders["closed"]!)
            }
        }
        try rejectUnknown()
    }

    // MARK: Keys

    /// The value of a key this table knows, or nil when the file leaves it out.
    mutating func value(_ key: String) -> TOMLValueConvertible? {
        known.append(key)
        return table[key]
    }

    /// A sub-table: absent leaves its defaults; anything but a table is an error.
    mutating func section(_ key: String, _ body: (inout ConfigurationTable) throws -> Void) throws {
        if let listing {
            var reader = ConfigurationTable(TOMLTable(), path: path + [key], source: source, listing: listing)
            try body(&reader)
            return
        }
        guard let value = value(key) else { return }
        guard let sub = value.table else { throw wrongType(key, value, expected: "a table") }
        var reader = ConfigurationTable(sub, path: path + [key], source: source)
        try body(&reader)
        try reader.rejectUnknown()
    }
}
