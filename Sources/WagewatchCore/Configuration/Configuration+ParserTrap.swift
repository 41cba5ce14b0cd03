import Foundation

/// Finding, before toml++ reads a file, the inputs that would crash it rather than fail to parse.
extension Configuration {
    /// The first place where toml++ 3.4.0, inside TOMLKit 0.6.0, would abort the whole process
    /// instead of reporting a parse error (its `TOML_ASSERT_ASSUME` checks are assertions in our
    /// builds), found here first so that a bad file is exit 3, not a crash. Known traps, all in
    /// invalid TOML: a table header whose name starts with anything but a bare-key character or a
    /// quote (`[[[a]]]`, `[投诉]`, `[=]`; fixed upstream in marzer/tomlplusplus#301); an array
    /// value slot holding `}` or a Unicode line separator (`[1, }]`); and a bare value that is
    /// not a TOML value but starts like a date-time (`2026-01-01Tx`, `2026-01-01 0`). So every
    /// bare value (a number, boolean, date or time) is checked against the TOML 1.0 grammar
    /// before toml++ reads it. Strings and comments are skipped.
    static func tomlParserTrap(in text: String) -> (line: Int, column: Int, problem: String)? {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        var index = 0, line = 1, lineStart = 0
        /// The `[` and `{` of the values being read, innermost last.
        var open: [Unicode.Scalar] = []
        var atStatementStart = true
        var expectValue = false
        func isBlank(_ at: Int) -> Bool { at < count && (scalars[at] == " " || scalars[at] == "\t") }
        func isKeyStart(_ s: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
                || s == "_" || s == "-" || s == "\"" || s == "'"
        }
        /// Where toml++ ends a bare value.
        func endsValue(_ s: Unicode.Scalar) -> Bool {
            s == "," || s == "]" || s == "}" || s == "#" || s.properties.isWhitespace || s == "\u{FEFF}" || s == "\u{180E}"
        }
        func run(of delimiter: Unicode.Scalar, at: Int) -> Int {
            var end = at
            while end < count && scalars[end] == delimiter { end += 1 }
            return end - at
        }
        func newLine(at position: Int) {
            line += 1
            lineStart = position + 1
        }
        /// Moves past a string opened at `index`; a single-line one also ends at a line break.
        func skipString(_ delimiter: Unicode.Scalar) {
            let multiline = run(of: delimiter, at: index) >= 3
            index += multiline ? 3 : 1
            while index < count {
                let scalar = scalars[index]
                if scalar == "\\" && delimiter == "\"" {
                    if index + 1 < count && scalars[index + 1] == "\n" { newLine(at: index + 1) }
                    index += 2
                    continue
                }
                if scalar == "\n" {
                    guard multiline else { return }
                    newLine(at: index)
                } else if scalar == delimiter {
                    guard multiline else {
                        index += 1
                        return
                    }
                    // `"""a""""` is `a"`: up to two quotes may end the text before the closing three.
                    let quotes = run(of: delimiter, at: index)
                    if quotes >= 3 {
                        index += min(quotes, 5)
                        return
                    }
                    index += quotes
                    continue
                }
                index += 1
            }
        }
        while index < count {
            let scalar = scalars[index]
            let column = index - lineStart + 1
            switch scalar {
            case "\n":
                newLine(at: index)
                if open.isEmpty {
                    atStatementStart = true
                    expectValue = false
                }
                index += 1
                continue
            case " ", "\t", "\r":
                index += 1
                continue
            case "#":
                while index < count && scalars[index] != "\n" { index += 1 }
                continue
            case "\u{2028}", "\u{2029}", "\u{85}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                return (line, column, "unexpected \(code) (a Unicode line separator; end lines with a plain line break)")
            default:
                break
            }
            if atStatementStart && scalar == "[" {
                // As toml++ reads a header: `[`, blanks, a second `[` only if no blank came first, blanks, the name.
                var next = index + 1
                var blank = false
                while isBlank(next) { next += 1; blank = true }
                if next < count && scalars[next] == "[" && !blank {
                    next += 1
                    while isBlank(next) { next += 1 }
                }
                if next < count && !(blank && scalars[next] == "[") && scalars[next] != "]" && !isKeyStart(scalars[next]) {
                    return (line, next - lineStart + 1, "a table name must be a bare key (letters A–Z and a–z, digits, _ and -) "
                        + "or a quoted one, e.g. [rules.r6]")
                }
                while index < count && scalars[index] != "\n" { index += 1 }
                continue
            }
            atStatementStart = false
            if expectValue {
                expectValue = false
                switch scalar {
                case "\"", "'":
                    skipString(scalar)
                    continue
                case "[":
                    open.append(scalar)
                    expectValue = true
                    index += 1
                    continue
                case "{", "]", "}", ",":
                    break
                default:
                    var end = index
                    while end < count && !endsValue(scalars[end]) { end += 1 }
                    var token = String(String.UnicodeScalarView(scalars[index..<end]))
                    // A date and a time may be separated by a space, as toml++ looks ahead for.
                    if isMatch(token, TOMLGrammar.date), end + 1 < count, scalars[end] == " ",
                       ("0"..."9").contains(scalars[end + 1]) {
                        end += 1
                        while end < count && !endsValue(scalars[end]) { end += 1 }
                        token = String(String.UnicodeScalarView(scalars[index..<end]))
                    }
                    guard isMatch(token, TOMLGrammar.bareValue) else {
                        return (line, column, "\(ValidationError.quoted(token)) is not a TOML value (write a whole number, "
                            + "true or false, a date, or text in quotes)")
                    }
                    index = end
                    continue
                }
            }
            switch scalar {
            case "\"", "'":
                skipString(scalar)
                continue
            case "=":
                expectValue = true
            case "," where open.last == "[":
                expectValue = true
            case "[", "{":
                open.append(scalar)
            case "}" where open.last == "[":
                return (line, column, "unexpected '}' inside an array (close the array with ']')")
            case "]", "}":
                _ = open.popLast()
            default:
                break
            }
            index += 1
        }
        return nil
    }

    private static func isMatch(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }
}

/// The TOML 1.0 grammar of values written without quotes or brackets, as anchored patterns.
private enum TOMLGrammar {
    static let decimal = "[+-]?(0|[1-9](_?[0-9])*)"
    static let digits = "[0-9](_?[0-9])*"
    static let exponent = "[eE][+-]?" + digits
    static let integer = decimal + "|0x[0-9A-Fa-f](_?[0-9A-Fa-f])*|0o[0-7](_?[0-7])*|0b[01](_?[01])*"
    static let float = decimal + "(\\." + digits + "(" + exponent + ")?|" + exponent + ")|[+-]?(inf|nan)"
    static let time = "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
    static let date = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    static let dateTime = "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ]" + time + "([Zz]|[+-][0-9]{2}:[0-9]{2})?)?"
    static let bareValue = "^(" + integer + "|" + float + "|true|false|" + dateTime + "|" + time + ")$"
}
