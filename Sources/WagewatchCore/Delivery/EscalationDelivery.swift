import Foundation
import PostgresClient

/// Sends the escalation outbox on (E4): every row not yet sent whose next attempt is due goes to
/// the configured webhook (HTTP POST of the row's JSON payload) and mail recipients (through
/// `sendmail -t`). The outbox stays the record: a row is marked sent once every target took it,
/// a target that took it is never sent it again, and a failure is retried after 1, 2, 4, 8 …
/// minutes (at most 60).
///
/// Each row is claimed with `FOR UPDATE SKIP LOCKED` in its own transaction and held until its
/// outcome is written, so two delivery jobs running at once never send one row twice. Scheduling
/// runs on the database's clock, the clock that stamped the rows. Delivery is at least once: a
/// crash between a target's answer and the commit sends that row again, so each request carries
/// the outbox id (`X-Wagewatch-Outbox-Id`) for the receiver to drop duplicates by.
///
/// The outbox has two channels: `escalation` rows go to the webhook and mail of
/// [escalations.delivery], `sms` rows (SPEC §10 N1, one per complaint and event) to the gateway
/// of [sms], worded by ``SMSMessage``. A row waits while its channel has no target.
public struct EscalationDelivery: Sendable {
    public let settings: Configuration.Escalations.Delivery
    /// The complainant's SMS gateway and texts.
    public var sms = Configuration.SMS()
    /// The longest one webhook request may take.
    public var requestTimeout: Duration = .seconds(10)
    /// The most rows one pass attempts, so a pass always ends.
    public var batchLimit = 1_000

    /// The names recorded in `escalation_outbox.delivered_to`.
    static let webhookTarget = "webhook"
    static let mailTarget = "mail"
    static let smsCommandTarget = "sms_command"
    static let smsWebhookTarget = "sms_webhook"

    public init(settings: Configuration.Escalations.Delivery, sms: Configuration.SMS = Configuration.SMS()) {
        self.settings = settings
        self.sms = sms
    }

    public init(configuration: Configuration) {
        self.init(settings: configuration.escalations.delivery, sms: configuration.sms)
    }

    /// The targets an escalation row must reach before it counts as sent.
    var targets: [String] {
        (settings.webhookURL == nil ? [] : [Self.webhookTarget]) + (settings.mailTo.isEmpty ? [] : [Self.mailTarget])
    }

    /// The targets an SMS row must reach: the command, the webhook, or both when both are set.
    var smsTargets: [String] {
        (sms.command.isEmpty ? [] : [Self.smsCommandTarget]) + (sms.webhook.isEmpty ? [] : [Self.smsWebhookTarget])
    }

    /// The channels with a target: only their rows are claimed.
    var channels: [String] {
        (targets.isEmpty ? [] : ["escalation"]) + (smsTargets.isEmpty ? [] : ["sms"])
    }

    /// Delivers every due row (up to `batchLimit`) and reports what happened. With no target
    /// configured nothing is attempted and every row stays pending. `now` is the job's clock,
    /// written into each mail's Date header (scheduling uses the database's clock).
    public func deliver(on connection: Connection, now: Date) throws -> DeliverySummary {
        let channels = channels
        var sent = 0
        var failures: [DeliveryFailure] = []
        if !channels.isEmpty {
            let webhook = try settings.webhookURL.map(WebhookClient.init(urlString:))
            defer { webhook?.close() }
            let smsWebhook = try sms.webhook.isEmpty ? nil : WebhookClient(urlString: sms.webhook)
            defer { smsWebhook?.close() }
            var attempted: [Int64] = []
            while attempted.count < batchLimit {
                let outcome = try connection.transaction { tx -> Attempt? in
                    guard let row = try tx.query("""
                        SELECT id, channel, escalation_id, payload::text AS payload, delivered_to
                        FROM escalation_outbox
                        WHERE sent_at IS NULL AND next_attempt_at <= clock_timestamp() AND id <> ALL(\(attempted))
                          AND channel = ANY(\(channels))
                        ORDER BY next_attempt_at, id
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED
                        """).first
                    else { return nil }
                    let id: Int64 = try row.decode("id")
                    let channel: String = try row.decode("channel")
                    let escalationID: Int64? = try row.decode("escalation_id")
                    let payload: String = try row.decode("payload")
                    var delivered: [String] = try row.decode("delivered_to")
                    var errors: [String] = []
                    var complaintNumber: String?
                    let rowTargets = channel == "sms" ? smsTargets : targets
                    for target in rowTargets where !delivered.contains(target) {
                        do {
                            if target == Self.smsCommandTarget || target == Self.smsWebhookTarget {
                                let message = try SMSMessage(json: payload, templates: sms.templates)
                                complaintNumber = message.complaintNumber
                                if target == Self.smsCommandTarget {
                                    try SMSCommand(path: sms.command).send(message)
                                } else if let smsWebhook {
                                    try smsWebhook.post(message.gatewayJSON, outboxID: id, timeout: requestTimeout)
                                }
                            } else if target == Self.webhookTarget, let webhook {
                                try webhook.post(payload, outboxID: id, timeout: requestTimeout)
                            } else if target == Self.mailTarget {
                                let event = try EscalationEvent(json: payload)
                                let mail = EscalationMail(event: event, to: settings.mailTo, outboxID: id, date: now)
                                try Sendmail(path: settings.sendmailPath).send(mail.message)
                            }
                            delivered.append(target)
                        } catch {
                            errors.append("\(target): \(error)")
                        }
                    }
                    if errors.isEmpty {
                        try tx.query("""
                            UPDATE escalation_outbox
                            SET sent_at = clock_timestamp(), attempts = attempts + 1, delivered_to = \(delivered)
                            WHERE id = \(id)
                            """)
                        return Attempt(id: id, failure: nil)
                    }
                    let message = String(errors.joined(separator: "; ").prefix(2_000))
                    // Backoff: 1, 2, 4, 8 … minutes after the n-th failed attempt, at most 60.
                    let updated = try tx.query("""
                        UPDATE escalation_outbox
                        SET attempts = attempts + 1, delivered_to = \(delivered), last_error = \(message),
                            next_attempt_at = clock_timestamp()
                                + make_interval(mins => least(60, power(2, least(attempts, 6)))::integer)
                        WHERE id = \(id)
                        RETURNING attempts, next_attempt_at
                        """).one()
                    return Attempt(id: id, failure: DeliveryFailure(
                        outboxID: String(id), escalationID: escalationID.map(String.init),
                        complaintNumber: complaintNumber, error: message,
                        attempts: try updated.decode("attempts"), nextAttemptAt: try updated.decode("next_attempt_at")))
                }
                guard let outcome else { break }
                attempted.append(outcome.id)
                if let failure = outcome.failure { failures.append(failure) } else { sent += 1 }
            }
        }
        let pending = try connection.query("SELECT count(*) AS n FROM escalation_outbox WHERE sent_at IS NULL")
            .one().decode("n", as: Int64.self)
        return DeliverySummary(
            sent: sent, failed: failures.count, pending: Int(pending), failures: failures,
            targetsConfigured: !channels.isEmpty)
    }

    private struct Attempt {
        let id: Int64
        let failure: DeliveryFailure?
    }
}
