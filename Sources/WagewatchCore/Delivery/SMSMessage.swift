import Foundation

/// One SMS to a complainant (SPEC §10 N1), worded from an `sms` outbox row's payload (built by
/// `ww_sms_payload` in sql/functions/sms.sql) through the templates of [sms.templates]; what the
/// gateway receives is ``gatewayJSON``: `{"to", "text", "complaint_number", "event"}`.
public struct SMSMessage: Sendable, Equatable {
    public let to: String
    public let text: String
    public let complaintNumber: String
    /// `recorded`, `decided` or `closed`.
    public let event: String

    /// The most characters (UTF-16 units, as the network counts them) one SMS part holds.
    public static let partLength = 70

    /// The `{name}`s each template may use.
    public static let placeholders: [String: [String]] = [
        "recorded": ["number", "deadline"],
        "accepted": ["number", "deadline"],
        "referred": ["number", "target"],
        "refused": ["number", "reason"],
        "closed": ["number", "disposition", "amount"],
    ]

    /// Free text (a referral target, a refusal reason in words) counts as this many characters
    /// when a template is checked, and is cut with "…" when a message would exceed one part.
    static let freeTextBudget = 12
    static let freeText: Set<String> = ["target", "reason"]

    /// The longest value of each name: what a template is checked with.
    static let longest: [String: Int] = [
        "number": "TS-20261231-9999".utf16.count,
        "deadline": "2026-12-31".utf16.count,
        "target": freeTextBudget,
        "reason": max(freeTextBudget, Labels.table[.refusalReason, default: [:]].values.map { $0.zh.utf16.count }.max() ?? 0),
        "disposition": Labels.table[.caseDisposition, default: [:]].values.map { $0.zh.utf16.count }.max() ?? 0,
        "amount": amount(9_999_999_999).utf16.count,
    ]

    /// The `{name}`s of a template, in order.
    static func names(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            names.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return names
    }

    /// The template's length in UTF-16 units with every name at its longest.
    static func longestLength(of template: String) -> Int {
        let names = names(in: template)
        let fixed = fill(template, names.reduce(into: [:]) { values, name in values[name] = "" }).utf16.count
        return fixed + names.reduce(0) { $0 + (longest[$1] ?? 0) }
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        var text = template
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Yuan as a worker reads it: thousands separators, fen only when there are any, `元`.
    static func amount(_ fen: Int64) -> String {
        let grouped = Money.yuanGrouped(fen)
        return (grouped.hasSuffix(".00") ? String(grouped.dropLast(3)) : grouped) + "元"
    }

    /// Words the payload of an `sms` outbox row; throws when it is not one.
    public init(json: String, templates: Configuration.SMS.Templates) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let to = object["to"] as? String, let number = object["complaint_number"] as? String,
              let event = object["event"] as? String
        else { throw DeliveryError("the SMS payload is not a JSON object with to, complaint_number and event") }
        func text(_ key: String) -> String? { object[key] as? String }
        var values = ["number": number]
        let template: String
        switch event {
        case "recorded":
            template = templates.recorded
            values["deadline"] = text("decision_due") ?? ""
        case "decided":
            switch text("outcome") {
            case "referred":
                template = templates.referred
                values["target"] = text("referred_to") ?? ""
            case "refused":
                template = templates.refused
                let reason = text("reason") ?? ""
                values["reason"] = Labels.text(.refusalReason, reason)
            default:
                // accepted, or merged into an open case: either way the complaint is taken up.
                template = templates.accepted
                values["deadline"] = text("decision_due") ?? ""
            }
        case "closed":
            template = templates.closed
            values["disposition"] = text("disposition").map { Labels.text(.caseDisposition, $0) } ?? "已办结"
            let fen = (object["recovered_fen"] as? NSNumber)?.int64Value ?? 0
            values["amount"] = Self.amount(fen)
        default:
            throw DeliveryError("unknown SMS event \"\(event)\"")
        }
        // Free text is cut, with "…", so that the message stays one part.
        var message = Self.fill(template, values)
        for name in Self.names(in: template) where Self.freeText.contains(name) {
            let over = message.utf16.count - Self.partLength
            guard over > 0, let value = values[name], !value.isEmpty else { continue }
            var cut = value
            while !cut.isEmpty, cut.utf16.count + 1 > value.utf16.count - over { cut.removeLast() }
            values[name] = cut + "…"
            message = Self.fill(template, values)
        }
        self.to = to
        self.text = message
        self.complaintNumber = number
        self.event = event
    }

    /// The object the gateway receives, on a command's stdin or as a webhook's body.
    public var gatewayJSON: String {
        let object: [String: String] = ["to": to, "text": text, "complaint_number": complaintNumber, "event": event]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Runs the `[sms] command` once per message with the message's JSON on stdin; exit 0 = sent.
struct SMSCommand {
    let path: String

    func send(_ message: SMSMessage) throws {
        let result = try ChildProcess.run([path], stdin: message.gatewayJSON)
        guard result.status == 0 else {
            let detail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw DeliveryError("\(path) exited \(result.status)\(detail.isEmpty ? "" : ": " + String(detail.prefix(500)))")
        }
    }
}
