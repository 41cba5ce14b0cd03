/// A SQL statement whose interpolated values become bound parameters.
///
/// `"SELECT * FROM complaints WHERE number = \(number)"` is sent as
/// `SELECT * FROM complaints WHERE number = $1` with `number` bound as `$1`, so no value is ever
/// pasted into SQL text. Raw SQL enters only through ``init(unsafeSQL:)`` or
/// `\(unsafeRaw: …)`, whose names make every such place easy to find in review.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$1`, `$2`, … placeholders.
    public private(set) var text: String
    /// The bound values, in placeholder order.
    public private(set) var bindings: [PostgresBinding]

    /// Raw SQL with no parameters. Only for statements built from constants.
    public init(unsafeSQL text: String) {
        self.text = text
        self.bindings = []
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.text = stringInterpolation.text
        self.bindings = stringInterpolation.bindings
    }

    /// Appends another statement, renumbering its placeholders.
    public mutating func append(_ other: SQL) {
        var interpolation = StringInterpolation(literalCapacity: other.text.utf8.count, interpolationCount: 0)
        interpolation.text = text
        interpolation.bindings = bindings
        interpolation.appendInterpolation(other)
        text = interpolation.text
        bindings = interpolation.bindings
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// The text only: bound values are never part of a description.
    public var description: String { text }

    /// A double-quoted identifier (table, column, role or channel name).
    public static func identifier(_ name: String) -> SQL {
        SQL(unsafeSQL: quoteIdentifier(name))
    }

    /// Quotes an identifier the way PostgreSQL reads it back: `"` doubled inside double quotes.
    /// Works on Unicode scalars: a quote that a combining mark follows is one Character, which
    /// a Character-level replacement would leave undoubled.
    public static func quoteIdentifier(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in name.unicodeScalars {
            if scalar == "\"" { out.append("\"") }
            out.append(scalar)
        }
        out.append("\"")
        return String(out)
    }

    /// Quotes a string literal for the few statements that take no parameters (DDL such as
    /// `CREATE ROLE … PASSWORD`). Uses the `E''` form so backslashes are unambiguous.
    public static func quoteLiteral(_ value: String) -> String {
        var out = "E'"
        for ch in value.unicodeScalars {
            switch ch {
            case "'": out += "''"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "'"
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var text: String
        var bindings: [PostgresBinding]

        public init(literalCapacity: Int, interpolationCount: Int) {
            text = ""
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
            bindings = []
            bindings.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        /// A value, bound as the next parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bindings.append(value.postgresBinding)
            text += "$\(bindings.count)"
        }

        /// An optional value: `nil` is bound as SQL NULL.
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            if let value {
                appendInterpolation(value)
            } else {
                bindings.append(PostgresBinding(text: nil, type: .unknown))
                text += "$\(bindings.count)"
            }
        }

        /// A nested statement; its placeholders are renumbered.
        public mutating func appendInterpolation(_ sql: SQL) {
            let offset = bindings.count
            if offset == 0 {
                text += sql.text
            } else {
                text += SQL.renumber(sql.text, by: offset)
            }
            bindings.append(contentsOf: sql.bindings)
        }

        /// Raw SQL text. Never pass a value that came from outside the program.
        public mutating func appendInterpolation(unsafeRaw raw: String) {
            text += raw
        }

        /// A quoted identifier.
        public mutating func appendInterpolation(identifier name: String) {
            text += SQL.quoteIdentifier(name)
        }
    }

    /// Shifts `$n` placeholders outside quotes by `offset`.
    static func renumber(_ text: String, by offset: Int) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var quote: Character? = nil
        var iterator = Array(text)
        var index = 0
        while index < iterator.count {
            let ch = iterator[index]
            if let q = quote {
                out.append(ch)
                if ch == q { quote = nil }
                index += 1
                continue
            }
            if ch == "'" || ch == "\"" {
                quote = ch
                out.append(ch)
                index += 1
                continue
            }
            if ch == "$", index + 1 < iterator.count, iterator[index + 1].isASCII, iterator[index + 1].isNumber {
                var end = index + 1
                var number = 0
                while end < iterator.count, iterator[end].isASCII, let digit = iterator[end].wholeNumberValue {
                    number = number * 10 + digit
                    end += 1
                }
                out += "$\(number + offset)"
                index = end
                continue
            }
            out.append(ch)
            index += 1
        }
        iterator.removeAll()
        return out
    }
}
