import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PostgresClient

/// What one delivery pass did (E4).
public struct DeliverySummary: Sendable, Encodable, Equatable {
    /// Outbox rows delivered to every target in this pass.
    public let sent: Int
    /// Outbox rows whose attempt failed in this pass; each is retried after its backoff.
    public let failed: Int
    /// Outbox rows not yet delivered after this pass (failed ones included).
    public let pending: Int
    /// Why each failed row failed, and when it is tried again.
    public let failures: [DeliveryFailure]
    /// False when no target is configured, so nothing was attempted.
    public let targetsConfigured: Bool

    enum CodingKeys: String, CodingKey {
        case sent, failed, pending, failures, targetsConfigured = "targets_configured"
    }
}

/// One outbox row that could not be delivered this time.
public struct DeliveryFailure: Sendable, Encodable, Equatable {
    public let outboxID: String
    public let escalationID: String
    public let error: String
    public let attempts: Int
    public let nextAttemptAt: Date

    enum CodingKeys: String, CodingKey {
        case outboxID = "outbox_id", escalationID = "escalation_id", error, attempts, nextAttemptAt = "next_attempt_at"
    }
}

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
public struct EscalationDelivery: Sendable {
    public let settings: Configuration.Escalations.Delivery
    /// The longest one webhook request may take.
    public var requestTimeout: Duration = .seconds(10)
    /// The most rows one pass attempts, so a pass always ends.
    public var batchLimit = 1_000

    /// The names recorded in `escalation_outbox.delivered_to`.
    static let webhookTarget = "webhook"
    static let mailTarget = "mail"

    public init(settings: Configuration.Escalations.Delivery) {
        self.settings = settings
    }

    public init(configuration: Configuration) {
        self.init(settings: configuration.escalations.delivery)
    }

    /// The targets a row must reach before it counts as sent.
    var targets: [String] {
        (settings.webhookURL == nil ? [] : [Self.webhookTarget]) + (settings.mailTo.isEmpty ? [] : [Self.mailTarget])
    }

    /// Delivers every due row (up to `batchLimit`) and reports what happened. With no target
    /// configured nothing is attempted and every row stays pending.
    public func deliver(on connection: Connection) throws -> DeliverySummary {
        let targets = targets
        var sent = 0
        var failures: [DeliveryFailure] = []
        if !targets.isEmpty {
            let webhook = try settings.webhookURL.map(WebhookClient.init(urlString:))
            defer { webhook?.close() }
            var attempted: [Int64] = []
            while attempted.count < batchLimit {
                let outcome = try connection.transaction { tx -> Attempt? in
                    guard let row = try tx.query("""
                        SELECT id, escalation_id, payload::text AS payload, delivered_to
                        FROM escalation_outbox
                        WHERE sent_at IS NULL AND next_attempt_at <= clock_timestamp() AND id <> ALL(\(attempted))
                        ORDER BY next_attempt_at, id
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED
                        """).first
                    else { return nil }
                    let id: Int64 = try row.decode("id")
                    let escalationID: Int64 = try row.decode("escalation_id")
                    let payload: String = try row.decode("payload")
                    var delivered: [String] = try row.decode("delivered_to")
                    var errors: [String] = []
                    for target in targets where !delivered.contains(target) {
                        do {
                            if target == Self.webhookTarget, let webhook {
                                try webhook.post(payload, outboxID: id, timeout: requestTimeout)
                            } else if target == Self.mailTarget {
                                try sendMail(payload: payload, outboxID: id)
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
                        outboxID: String(id), escalationID: String(escalationID), error: message,
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
            targetsConfigured: !targets.isEmpty)
    }

    private struct Attempt {
        let id: Int64
        let failure: DeliveryFailure?
    }

    /// Hands one event to `sendmail -t -i`: recipients come from the message's To: header.
    private func sendMail(payload: String, outboxID: Int64) throws {
        let event = try EscalationEvent(json: payload)
        let message = EscalationMail(event: event, to: settings.mailTo, outboxID: outboxID).message
        let result = try ChildProcess.run([settings.sendmailPath, "-t", "-i"], stdin: message)
        guard result.status == 0 else {
            let detail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw DeliveryError("\(settings.sendmailPath) exited \(result.status)\(detail.isEmpty ? "" : ": " + detail)")
        }
    }
}

/// Why one target did not take a row, as stored in `last_error`.
struct DeliveryError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Webhook

/// POSTs payloads to one URL with FoundationNetworking's URLSession, waiting for each answer
/// (a delivery job is a plain blocking loop; the wait is bounded by the request timeout).
final class WebhookClient: Sendable {
    let url: URL
    private let session: URLSession

    init(urlString: String) throws {
        guard let url = URL(string: urlString) else {
            throw WagewatchError.invalid("escalations.delivery.webhook_url: \"\(urlString)\" is not a URL")
        }
        self.url = url
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    func close() {
        session.finishTasksAndInvalidate()
    }

    /// Sends `payload`; returns when the receiver answered 2xx, throws otherwise.
    func post(_ payload: String, outboxID: Int64, timeout: Duration) throws {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(payload.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(String(outboxID), forHTTPHeaderField: "X-Wagewatch-Outbox-Id")
        request.setValue("wagewatch-escalation-delivery", forHTTPHeaderField: "User-Agent")
        let seconds = TimeInterval(timeout.components.seconds) + TimeInterval(timeout.components.attoseconds) / 1e18
        request.timeoutInterval = seconds

        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { _, response, error in
            if let error {
                answer.set(.failure(DeliveryError("\(self.url.absoluteString): \(error.localizedDescription)")))
            } else if let http = response as? HTTPURLResponse {
                answer.set(.success(http.statusCode))
            } else {
                answer.set(.failure(DeliveryError("\(self.url.absoluteString): no HTTP response")))
            }
            done.signal()
        }
        task.resume()
        // The session's own timeout ends the request; this is the backstop if it never calls back.
        if done.wait(timeout: .now() + seconds + 5) == .timedOut {
            task.cancel()
            throw DeliveryError("\(url.absoluteString): no answer within \(Int(seconds)) s")
        }
        switch answer.value {
        case .success(let status) where (200..<300).contains(status):
            return
        case .success(let status):
            throw DeliveryError("\(url.absoluteString): HTTP \(status)")
        case .failure(let error):
            throw error
        case nil:
            throw DeliveryError("\(url.absoluteString): no answer")
        }
    }

    /// The completion handler's result, handed across threads under a lock.
    private final class Answer: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<Int, DeliveryError>?

        func set(_ result: Result<Int, DeliveryError>) { lock.withLock { stored = result } }
        var value: Result<Int, DeliveryError>? { lock.withLock { stored } }
    }
}

// MARK: - Mail

/// One escalation event as `pg_notify` and the outbox carry it (built by `ww_escalation_event`
/// in sql/0008_escalations.sql), with the Chinese names officials read.
public struct EscalationEvent: Sendable, Equatable {
    /// `raised`, `level_changed` or `reminder`.
    public var event = "raised"
    public var id = ""
    public var regionCode: String?
    public var level = ""
    public var reason = ""
    public var massIncident = false
    public var complaintID: String?
    public var caseID: String?
    public var flagID: String?
    public var employerName: String?
    public var employerUSCC: String?
    public var projectCode: String?
    public var workersInvolved: Int?
    public var amountFen: Int64?
    /// As the server wrote it (ISO 8601 with an offset).
    public var raisedAt: String?

    /// Reads a payload; throws when it is not a JSON object.
    public init(json: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw DeliveryError("the event payload is not a JSON object")
        }
        func text(_ key: String) -> String? {
            switch object[key] {
            case let value as String: value
            case let value as NSNumber: value.stringValue
            default: nil
            }
        }
        event = text("event") ?? event
        id = text("id") ?? id
        regionCode = text("region_code")
        level = text("level") ?? level
        reason = text("reason") ?? reason
        massIncident = (object["mass_incident"] as? Bool) ?? false
        complaintID = text("complaint_id")
        caseID = text("case_id")
        flagID = text("flag_id")
        employerName = text("employer_name")
        employerUSCC = text("employer_uscc")
        projectCode = text("project_code")
        workersInvolved = text("workers_involved").flatMap { Int($0) }
        amountFen = text("amount_fen").flatMap { Int64($0) }
        raisedAt = text("raised_at")
    }

    /// 乡镇, 人社局, 县两办.
    public static func levelName(_ level: String) -> String {
        switch level {
        case "township": "乡镇"
        case "bureau": "人社局"
        case "county": "县两办"
        default: level
        }
    }

    public static func reasonName(_ reason: String) -> String {
        switch reason {
        case "mass_incident_workers": "涉及人数众多（群体性欠薪）"
        case "employer_absconded": "用人单位欠薪逃匿"
        case "protest_keywords": "反映群体性讨薪或极端行为"
        case "criminal_threshold": "欠薪达到拒不支付劳动报酬罪立案标准"
        case "decision_overdue": "投诉超期未作受理决定"
        case "investigation_overdue": "案件超期未办结"
        case "flag_unreviewed": "红色预警超期未处置"
        default: reason
        }
    }

    public static func eventName(_ event: String) -> String {
        switch event {
        case "raised": "新预警"
        case "level_changed": "逐级上报"
        case "reminder": "仍未签收"
        default: event
        }
    }

    /// `raised_at` in Beijing time, `2026-02-13 10:00`.
    public var raisedAtShanghai: String? {
        guard let raisedAt else { return nil }
        guard let date = PostgresTimestamp.parse(raisedAt) else { return raisedAt }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// One line for a terminal, Chinese beside the codes:
    /// `2026-02-13 10:00  新预警 raised  #12  县两办 county  用人单位欠薪逃匿 employer_absconded  某公司  12人  ¥50,000.00`
    public var line: String {
        var parts = [
            raisedAtShanghai ?? "", "\(Self.eventName(event)) \(event)", "#\(id)", "\(Self.levelName(level)) \(level)",
            "\(Self.reasonName(reason)) \(reason)" + (massIncident ? " [群体性风险]" : ""),
        ]
        if let employerName { parts.append(employerName) }
        if let projectCode { parts.append(projectCode) }
        if let workersInvolved { parts.append("\(workersInvolved)人") }
        if let amountFen { parts.append("¥" + Money.yuanGrouped(amountFen)) }
        return parts.filter { !$0.isEmpty }.joined(separator: "  ")
    }
}

/// The mail message handed to `sendmail -t` for one event: RFC 5322 headers (the Subject an
/// RFC 2047 encoded word), a UTF-8 plain-text body in Chinese, base64 so any relay carries it.
struct EscalationMail {
    let event: EscalationEvent
    let to: [String]
    let outboxID: Int64

    var subject: String {
        var parts = ["【欠薪预警】\(EscalationEvent.eventName(event.event))", EscalationEvent.levelName(event.level),
                     EscalationEvent.reasonName(event.reason)]
        if let name = event.employerName { parts.append(name) }
        return parts.joined(separator: " · ")
    }

    var body: String {
        var lines = ["\(EscalationEvent.levelName(event.level))：", ""]
        switch event.event {
        case "level_changed":
            lines.append("以下欠薪预警未在时限内签收，已逐级上报至\(EscalationEvent.levelName(event.level))。")
        case "reminder":
            lines.append("以下群体性欠薪风险预警仍未签收，请立即处理。")
        default:
            lines.append("发现以下欠薪风险，需\(EscalationEvent.levelName(event.level))立即关注。")
        }
        lines.append("")
        lines.append("预警编号：\(event.id)")
        lines.append("当前级别：\(EscalationEvent.levelName(event.level))（\(event.level)）")
        lines.append("预警原因：\(EscalationEvent.reasonName(event.reason))（\(event.reason)）")
        if event.massIncident { lines.append("群体性事件风险：是") }
        if let name = event.employerName {
            lines.append("用人单位：\(name)" + (event.employerUSCC.map { "（统一社会信用代码 \($0)）" } ?? ""))
        }
        if let project = event.projectCode { lines.append("工程项目：\(project)") }
        if let workers = event.workersInvolved { lines.append("涉及人数：\(workers)人") }
        if let fen = event.amountFen { lines.append("涉及金额：\(Money.yuanGrouped(fen))元") }
        if let complaint = event.complaintID { lines.append("投诉记录：\(complaint)") }
        if let caseID = event.caseID { lines.append("案件编号：\(caseID)") }
        if let flag = event.flagID { lines.append("风险预警标记：\(flag)") }
        if let region = event.regionCode { lines.append("行政区划：\(region)") }
        if let raised = event.raisedAtShanghai { lines.append("预警时间：\(raised)（北京时间）") }
        lines.append("")
        lines.append("请及时签收：wagewatch escalations ack \(event.id)")
        lines.append("未按时签收的预警将自动逐级上报（乡镇 → 人社局 → 县两办）。")
        lines.append("")
        lines.append("—— wagewatch 欠薪预警系统（自动发送，请勿直接回复）")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The whole message, lines ending in LF as local submission to sendmail expects.
    var message: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let headers = [
            "To: " + to.joined(separator: ", "),
            "Subject: " + Self.encodedWords(subject),
            "Date: " + formatter.string(from: Date()),
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
            "X-Wagewatch-Escalation-Id: \(event.id)",
            "X-Wagewatch-Outbox-Id: \(outboxID)",
        ]
        let encoded = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
        return headers.joined(separator: "\n") + "\n\n" + encoded + "\n"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 64 characters, split between characters and
    /// folded onto continuation lines.
    static func encodedWords(_ text: String) -> String {
        var chunks: [[UInt8]] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            // 39 bytes become 52 base64 characters: a 64-character word, so even the first line,
            // after "Subject: ", stays within 76 characters (RFC 2047 §2).
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                chunks.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { chunks.append(chunk) }
        return chunks.map { "=?UTF-8?B?" + Data($0).base64EncodedString() + "?=" }.joined(separator: "\n ")
    }
}
