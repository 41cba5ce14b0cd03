import Foundation
import TOMLKit

/// The errors a table reports, naming the key by its dotted path, the value and the file.
extension ConfigurationTable {
    /// Every key of this table that nothing asked for is an error naming its dotted path.
    func rejectUnknown() throws {
        for key in table.keys where !known.contains(key) {
            let what = table[key]?.type == .table ? "table" : "key"
            var message = "config: unknown \(what) \"\(dotted(key))\" in \(source)"
            if let guess = Self.closest(to: key, among: known) {
                message += " (did you mean \"\(dotted(guess))\"?)"
            } else if !known.isEmpty {
                message += " (known here: \(known.joined(separator: ", ")))"
            }
            throw WagewatchError.invalid(message)
        }
    }

    /// The key's full name, `rules.r6.orange_at`, quoting any part that is not a bare TOML key.
    func dotted(_ key: String) -> String {
        (path + [key]).map { part in
            let bare = !part.isEmpty && part.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || $0 == "_" || $0 == "-"
            }
            return bare ? part : ValidationError.quoted(part)
        }.joined(separator: ".")
    }

    /// `config: complaints.decision_days = -1 in wagewatch.toml: must be from 1 to …`
    func problem(_ key: String, _ shown: String, _ message: String) -> WagewatchError {
        problem(at: dotted(key), shown, message)
    }

    func problem(at name: String, _ shown: String, _ message: String) -> WagewatchError {
        WagewatchError.invalid("config: \(name) = \(shown) in \(source): \(message)")
    }

    func wrongType(_ key: String, _ value: TOMLValueConvertible, expected: String) -> WagewatchError {
        wrongType(at: dotted(key), value, expected: expected)
    }

    func wrongType(at name: String, _ value: TOMLValueConvertible, expected: String) -> WagewatchError {
        problem(at: name, Self.render(value), "expected \(expected), found \(Self.article(value.type))")
    }

    /// A value as it would appear in the file, short.
    static func render(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return ValidationError.quoted(value.string ?? "")
        case .int: return value.int.map(String.init) ?? "?"
        case .double: return value.double.map { "\($0)" } ?? "?"
        case .bool: return value.bool == true ? "true" : "false"
        case .table: return "{…}"
        case .array:
            let text = value.debugDescription
            return text.contains("\n") || text.count > 64 ? "[…]" : text
        default: return value.debugDescription
        }
    }

    private static func article(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a float"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }

    /// The known key nearest to a misspelt one, when it is near enough to be a typo.
    private static func closest(to key: String, among known: [String]) -> String? {
        let scored = known.map { ($0, distance(Array(key), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, key.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
