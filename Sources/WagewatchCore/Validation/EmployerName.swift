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
        // One pass over the scalars: this runs once per imported complaint.
        var scalars = String.UnicodeScalarView()
        var needsLegalForms = false
        for raw in name.unicodeScalars {
            let scalar = FullWidth.fold(raw)
            if isWhitespace(scalar) { continue }
            switch scalar.value {
            case 0x61...0x7A: scalars.append(Unicode.Scalar(scalar.value - 32)!)
            case 0x28, 0x8D23: needsLegalForms = true; scalars.append(scalar)  // "(" or 责
            default: scalars.append(scalar)
            }
        }
        var text = String(scalars)
        if needsLegalForms {
            for (variant, canonical) in legalForms {
                text = text.replacing(variant, with: canonical)
            }
        }
        return text
    }

    /// Unicode's White_Space property, spelled out so the hot path needs no property lookup.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Whether two names refer to the same employer.
    public static func same(_ lhs: String, _ rhs: String) -> Bool {
        normalise(lhs) == normalise(rhs)
    }

    /// Text folded for keyword matching: full-width forms to ASCII and every space removed, as
    /// the database's ww_normalise_text does.
    public static func foldForMatching(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for raw in text.unicodeScalars {
            let scalar = FullWidth.fold(raw)
            if !isWhitespace(scalar) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}
