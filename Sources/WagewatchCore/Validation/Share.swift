/// A share of a sum as a percentage (SPEC P3 `allocation_share`: `20`, `12.5`, `12.50%`), held as
/// integer basis points (1 % = 100 bp) so no share is ever a floating-point number.
public enum Share {
    public static let basisPointsPerPercent = 100
    /// 100 %.
    public static let whole = 10_000

    /// Parses a percentage above 0 and at most 100 with up to 2 decimals (a trailing `%` or `％`
    /// is allowed), into basis points: `12.5` is 1250.
    public static func parseBasisPoints(_ text: String, field: String) throws(ValidationError) -> Int {
        var rest = FullWidth.cleaned(text)
        if rest.last == "%" { rest.removeLast() }
        while let last = rest.last, last.isWhitespace { rest.removeLast() }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = parts.first ?? ""
        let decimals = parts.count == 2 ? parts[1] : ""
        guard !integer.isEmpty, integer.count <= 3, parts.count == 1 || !decimals.isEmpty, decimals.count <= 2,
              integer.allSatisfy(\.isASCIIDigit), decimals.allSatisfy(\.isASCIIDigit),
              let units = Int(integer), let fraction = Int(decimals.padding(toLength: 2, withPad: "0", startingAt: 0))
        else {
            throw ValidationError(field: field, value: text, problem: "is not a percentage (e.g. 20 or 12.5, at most 2 decimals)")
        }
        let basisPoints = units * basisPointsPerPercent + fraction
        guard basisPoints > 0, basisPoints <= whole else {
            throw ValidationError(field: field, value: text, problem: "must be above 0 and at most 100 (percent)")
        }
        return basisPoints
    }

    /// `12.5%` for 1250: the percentage as written, without trailing zeros.
    public static func percent(_ basisPoints: Int) -> String {
        let units = basisPoints / basisPointsPerPercent, fraction = basisPoints % basisPointsPerPercent
        if fraction == 0 { return "\(units)%" }
        let decimals = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(units).\(decimals)%"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
