/// Escaping for what wagewatch writes: HTML pages and CSV files. Both work on Unicode scalars,
/// not Characters: a Character can hide a `<`, a quote or a line break inside a larger grapheme
/// (U+0600 before `<`, a combining mark after `"`, CR LF as one Character), and a check that
/// compares Characters would let it through unescaped.
public enum TextEscaping {
    /// Text for an HTML element or a quoted attribute value.
    public static func html(_ text: String) -> String { entities(text, quotes: true) }

    /// `&`, `<`, `>` (and with `quotes`, `"` and `'`) as HTML entities, scalar by scalar.
    private static func entities(_ text: String, quotes: Bool) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where quotes: out.append(contentsOf: "&quot;".unicodeScalars)
            case "'" where quotes: out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, with
    /// every quote doubled. A cell a spreadsheet would run as a formula — one starting with `=`,
    /// `+`, `-`, `@`, a tab or a carriage return, unless it is a plain number such as `-0.01`
    /// (OWASP's CSV injection) — gets a leading `'` and quotes, so Excel and WPS show it as text.
    public static func csvField(_ text: String) -> String {
        var text = text
        var force = false
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           text.range(of: #"^[-+]?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) == nil {
            text = "'" + text
            force = true
        }
        guard force || text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return text
        }
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in text.unicodeScalars {
            if scalar == "\"" { out.append("\"") }
            out.append(scalar)
        }
        out.append("\"")
        return String(out)
    }

    /// Text for Markdown: `&`, `<` and `>` as HTML entities, so a name holding `<script>` is shown
    /// as text wherever the Markdown is rendered.
    public static func markdown(_ text: String) -> String { entities(text, quotes: false) }

    /// One cell of a Markdown table: ``markdown(_:)``, `|` escaped, line breaks as spaces.
    public static func markdownCell(_ text: String) -> String {
        markdown(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
