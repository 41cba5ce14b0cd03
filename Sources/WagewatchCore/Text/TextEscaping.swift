/// Escaping for what wagewatch writes: HTML pages and CSV files. Both work on Unicode scalars,
/// not Characters: a Character can hide a `<`, a quote or a line break inside a larger grapheme
/// (U+0600 before `<`, a combining mark after `"`, CR LF as one Character), and a check that
/// compares Characters would let it through unescaped.
public enum TextEscaping {
    /// Text for an HTML element or a quoted attribute value.
    public static func html(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, with
    /// every quote doubled.
    public static func csvField(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
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
}
