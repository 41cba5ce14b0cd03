/// Input that failed validation, naming the field, the value as given and what is wrong with it,
/// so an import can report `line 14: uscc: "91410100MA3X" is not …` (SPEC §4 exit 3).
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let value: String
    public let problem: String

    public init(field: String, value: String, problem: String) {
        self.field = field
        self.value = value
        self.problem = problem
    }

    /// Values longer than this many characters are cut short with "…" in `description`.
    public static let longestQuotedValue = 64

    /// `field: "value" problem`, with the value quoted, escaped and shortened if long.
    public var description: String {
        "\(field): \(Self.quoted(value)) \(problem)"
    }

    /// `description` in `language` (Core's message table, ``Messages``), for the web desk's pages.
    public func text(_ language: ReportLanguage) -> String { Messages.translate(description, to: language) }

    static func quoted(_ value: String) -> String {
        var shown = value
        var shortened = false
        if value.count > longestQuotedValue {
            shown = String(value.prefix(longestQuotedValue))
            shortened = true
        }
        var out = "\""
        for scalar in shown.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        if shortened { out += "…" }
        return out + "\""
    }
}
