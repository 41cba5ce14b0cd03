/// A six-digit administrative division code (行政区划代码, GB/T 2260): province, prefecture and
/// county, two digits each. Every table carries one, so it is the key regions shard on (SPEC §6).
public struct RegionCode: Hashable, Sendable, ParsedText, CustomStringConvertible, Comparable {
    public static let fieldName = "region_code"
    /// Province-level codes: the 31 mainland provinces, Taiwan, Hong Kong and Macao.
    public static let provinceCodes: Set<String> = [
        "11", "12", "13", "14", "15",
        "21", "22", "23",
        "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46",
        "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    /// The level a code names: `410000` a province, `410100` a prefecture, `410102` a county.
    public enum Level: Sendable, Hashable {
        case province, prefecture, county
    }

    /// The normalised six digits.
    public let value: String

    /// Parses six digits with a known province; a county part needs a prefecture part
    /// (`410001` is refused), so the three levels nest.
    public init(parsing text: String, field: String = Self.fieldName) throws(ValidationError) {
        let code = String(FullWidth.cleaned(text))
        func fail(_ problem: String) -> ValidationError {
            ValidationError(field: field, value: text, problem: "is not a valid region code (\(problem))")
        }
        guard code.utf8.count == 6, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw fail("6 digits expected")
        }
        guard RegionCode.provinceCodes.contains(String(code.prefix(2))) else {
            throw fail("unknown province \(code.prefix(2))")
        }
        let utf8 = Array(code.utf8)
        if utf8[2] == 48, utf8[3] == 48, !(utf8[4] == 48 && utf8[5] == 48) {
            throw fail("a county needs a prefecture")
        }
        self.value = code
    }

    public var level: Level {
        if value.hasSuffix("0000") { return .province }
        if value.hasSuffix("00") { return .prefecture }
        return .county
    }

    /// The two-digit province part, e.g. `41` for Henan.
    public var provinceCode: String { String(value.prefix(2)) }

    /// The province this code lies in (itself for a province).
    public var province: RegionCode { RegionCode(trusted: provinceCode + "0000") }

    /// The prefecture this code lies in (itself for a prefecture), nil for a province.
    public var prefecture: RegionCode? {
        level == .province ? nil : RegionCode(trusted: String(value.prefix(4)) + "00")
    }

    /// Whether `other` is this region or lies within it.
    public func contains(_ other: RegionCode) -> Bool {
        switch level {
        case .province: return other.provinceCode == provinceCode
        case .prefecture: return other.value.prefix(4) == value.prefix(4)
        case .county: return other == self
        }
    }

    public var description: String { value }

    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.value < rhs.value }

    private init(trusted value: String) { self.value = value }
}
