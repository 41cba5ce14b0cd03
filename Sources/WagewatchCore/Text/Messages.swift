import Foundation

/// Core's user-facing messages by key, their zh/en words in the label table
/// (``Labels/Kind/message``). Core raises them in English — what the CLI prints, SPEC §4 — and
/// the web desk shows them in the page's language through ``translate(_:to:)``, which knows a
/// message by its English template: the doors of sql/functions raise the same English words, so
/// one entry covers a refusal whether Swift or the database said it. A message the table does
/// not know stays as it was said.
public enum Messages {
    /// The English of `key` with its values, as Core raises it.
    public static func en(_ key: String, _ values: String...) -> String { text(key, values, .en) }

    /// The words of `key` in `language`, `{n}` replaced by the n-th value.
    public static func text(_ key: String, _ values: [String], _ language: ReportLanguage) -> String {
        guard let label = Labels.label(.message, key) else { return key }
        return fill(label.text(language), values)
    }

    /// `message` (English, as Core or a door said it) in `language`: a known template's words
    /// with its values (each translated again when it is itself a known message); a field's
    /// problem `field: "value" problem` keeps its field and value and translates the problem.
    public static func translate(_ message: String, to language: ReportLanguage) -> String {
        guard language != .en else { return message }
        if let (field, value, problem) = fieldProblem(message) {
            return "\(field)：\(value) \(translate(problem, to: language))"
        }
        for (key, pattern) in patterns {
            guard let match = pattern.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)) else { continue }
            let values = (1..<match.numberOfRanges).map { i in
                Range(match.range(at: i), in: message).map { translate(String(message[$0]), to: language) } ?? ""
            }
            return text(key, values, language)
        }
        return message
    }

    /// `field: "value" problem` split up (the form of ``ValidationError/description`` and of the
    /// doors' refusals of one field), or nil.
    public static func fieldProblem(_ message: String) -> (field: String, value: String, problem: String)? {
        guard let match = fieldPattern.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)),
              let field = Range(match.range(at: 1), in: message), let value = Range(match.range(at: 2), in: message),
              let problem = Range(match.range(at: 3), in: message) else { return nil }
        return (String(message[field]), String(message[value]), String(message[problem]))
    }

    private static let fieldPattern = try! NSRegularExpression(pattern: #"^([a-z_]+): ("(?:[^"\\]|\\.)*") (.+)$"#, options: [.dotMatchesLineSeparators])

    /// Each message's English as an anchored pattern, the longest templates first (the most specific).
    private static let patterns: [(String, NSRegularExpression)] = (Labels.table[.message] ?? [:])
        .sorted { ($0.value.en.count, $1.key) > ($1.value.en.count, $0.key) }
        .map { key, label in
            // The template's words escaped, each `{n}` a value (in the English's order: {1} first).
            var pattern = "", rest = Substring(label.en)
            while let hole = rest.range(of: #"\{[0-9]+\}"#, options: .regularExpression) {
                pattern += NSRegularExpression.escapedPattern(for: String(rest[..<hole.lowerBound])) + "(.+?)"
                rest = rest[hole.upperBound...]
            }
            pattern += NSRegularExpression.escapedPattern(for: String(rest))
            return (key, try! NSRegularExpression(pattern: "^" + pattern + "$", options: [.dotMatchesLineSeparators]))
        }

    private static func fill(_ template: String, _ values: [String]) -> String {
        var text = template
        for (i, value) in values.enumerated() { text = text.replacingOccurrences(of: "{\(i + 1)}", with: value) }
        return text
    }
}
