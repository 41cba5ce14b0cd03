import Foundation

/// The mail message handed to `sendmail -t` for one event: RFC 5322 headers (the Subject an
/// RFC 2047 encoded word), a UTF-8 plain-text body in Chinese, base64 so any relay carries it.
struct EscalationMail {
    let event: EscalationEvent
    let to: [String]
    let outboxID: Int64
    /// The Date header: the delivery job's clock.
    let date: Date

    static func level(_ code: String) -> String { Labels.text(.escalationLevel, code) }
    static func reason(_ code: String) -> String { Labels.text(.escalationReason, code) }
    static func event(_ code: String) -> String { Labels.text(.escalationEvent, code) }

    var subject: String {
        var parts = ["【欠薪预警】\(Self.event(event.event))", Self.level(event.level),
                     Self.reason(event.reason)]
        if let name = event.employerName { parts.append(name) }
        return parts.joined(separator: " · ")
    }

    var body: String {
        var lines = ["\(Self.level(event.level))：", ""]
        switch event.event {
        case "level_changed":
            lines.append("以下欠薪预警未在时限内签收，已逐级上报至\(Self.level(event.level))。")
        case "reminder":
            lines.append("以下群体性欠薪风险预警仍未签收，请立即处理。")
        default:
            lines.append("发现以下欠薪风险，需\(Self.level(event.level))立即关注。")
        }
        lines.append("")
        lines.append("预警编号：\(event.id)")
        lines.append("当前级别：\(Self.level(event.level))（\(event.level)）")
        lines.append("预警原因：\(Self.reason(event.reason))（\(event.reason)）")
        if event.massIncident { lines.append("群体性事件风险：是") }
        if let name = event.employerName {
            lines.append("用人单位：\(name)" + (event.employerUSCC.map { "（统一社会信用代码 \($0)）" } ?? ""))
        }
        if let project = event.projectCode { lines.append("工程项目：\(project)") }
        if let workers = event.workersInvolved { lines.append("涉及人数：\(workers)人") }
        if let fen = event.amountFen { lines.append("涉及金额：\(Money.forOfficials(fen))") }
        if let complaint = event.complaintID { lines.append("投诉记录：\(complaint)") }
        if let caseID = event.caseID { lines.append("案件编号：\(caseID)") }
        if let flag = event.flagID { lines.append("风险预警标记：\(flag)") }
        if let region = event.regionCode { lines.append("行政区划：\(region)") }
        if let raised = event.raisedAtShanghai { lines.append("预警时间：\(raised)（北京时间）") }
        lines.append("")
        lines.append("请及时签收：wagewatch escalations ack \(event.id)")
        lines.append("未按时签收的预警将自动逐级上报（\(["township", "bureau", "county"].map(Self.level).joined(separator: " → "))）。")
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
            "Date: " + formatter.string(from: date),
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
