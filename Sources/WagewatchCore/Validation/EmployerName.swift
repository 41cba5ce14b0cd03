/// Employer names compared the way SPEC C4 merges complaints without a USCC: two names refer to
/// the same employer exactly when their normalised forms are equal.
public enum EmployerName {
    /// Legal-form spellings and the canonical form each becomes, longest first so a bracketed
    /// or 责任 variant is rewritten before its shorter relative; 股份有限公司 stays distinct.
    static let legalForms: [(variant: String, canonical: String)] = [
        ("(股份有限责任公司)", "股份有限公司"),
        ("(股份有限公司)", "股份有限公司"),
        ("(有限责任公司)", "有限公司"),
        ("(有限公司)", "有限公司"),
        ("股份有限责任公司", "股份有限公司"),
        ("有限责任公司", "有限公司"),
    ]

    /// Folds full-width forms (（）→ (), Ａ→A, １→1), removes all whitespace, uppercases Latin
    /// letters and writes 有限责任公司 and bracketed 有限公司 as 有限公司.
    public static func normalise(_ name: String) -> String {
        var text = FullWidth.fold(name)
        text.removeAll(where: \.isWhitespace)
        text = String(text.map { $0.isASCII ? Character($0.uppercased()) : $0 })
        for (variant, canonical) in legalForms {
            text = text.replacing(variant, with: canonical)
        }
        return text
    }

    /// Whether two names refer to the same employer.
    public static func same(_ lhs: String, _ rhs: String) -> Bool {
        normalise(lhs) == normalise(rhs)
    }
}
