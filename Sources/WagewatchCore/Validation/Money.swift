/// Money is integer fen (分) in `Int64` everywhere (SPEC P5): parsing and formatting here use
/// integer arithmetic only, so no amount is ever rounded by a floating-point type.
public enum Money {
    public static let fenPerYuan: Int64 = 100
    /// 1万 (ten thousand yuan) in fen.
    public static let fenPerWan: Int64 = 1_000_000

    /// Parses an amount in yuan as bureau staff write it: `2980000`, `2980000.50`, `1,234.56`,
    /// `¥1234`, `1234元`, `298万`, `29.8万元`, `1.2亿`, full-width digits. Up to 2 decimals of yuan
    /// or 6 of 万 (one fen); a negative amount only when `allowNegative`.
    public static func parseYuan(
        _ text: String, field: String = "amount", allowNegative: Bool = false
    ) throws(ValidationError) -> Int64 {
        func fail(_ problem: String) -> ValidationError {
            ValidationError(field: field, value: text, problem: problem)
        }
        let notAnAmount = "is not an amount in yuan"
        var rest = FullWidth.cleaned(text)
        guard !rest.isEmpty else { throw fail("is empty") }

        var negative = false
        var sawCurrency = false
        signs: while let first = rest.first {
            switch first {
            case "-", "−":
                guard !negative else { throw fail(notAnAmount) }
                negative = true
            case "¥", "￥":
                guard !sawCurrency else { throw fail(notAnAmount) }
                sawCurrency = true
            default:
                break signs
            }
            rest = rest.dropFirst().drop(while: \.isWhitespace)
        }

        var fenPerUnit: UInt64 = 100
        var maxDecimals = 2
        if rest.hasSuffix("万元") || rest.hasSuffix("万") {
            rest = rest.dropLast(rest.hasSuffix("万元") ? 2 : 1)
            fenPerUnit = 1_000_000
            maxDecimals = 6
        } else if rest.hasSuffix("亿元") || rest.hasSuffix("亿") {
            // Contract values: 1.2亿 is 120,000,000 yuan; ten decimals of 亿 reach one fen.
            rest = rest.dropLast(rest.hasSuffix("亿元") ? 2 : 1)
            fenPerUnit = 10_000_000_000
            maxDecimals = 10
        } else if rest.hasSuffix("元") {
            rest = rest.dropLast()
        }
        while let last = rest.last, last.isWhitespace { rest.removeLast() }
        guard !rest.isEmpty else { throw fail(notAnAmount) }

        let lower = rest.lowercased()
        if ["nan", "inf", "infinity", "∞"].contains(lower) { throw fail("is not a finite amount") }
        if isScientific(lower) { throw fail("uses scientific notation") }

        let integerPart: Substring
        let fractionPart: Substring
        if let point = rest.firstIndex(of: ".") {
            integerPart = rest[..<point]
            fractionPart = rest[rest.index(after: point)...]
            guard !fractionPart.isEmpty else { throw fail(notAnAmount) }
        } else {
            integerPart = rest
            fractionPart = ""
        }
        guard !integerPart.isEmpty, integerPart.allSatisfy({ isDigit($0) || $0 == "," }),
              fractionPart.allSatisfy(isDigit) else { throw fail(notAnAmount) }
        if integerPart.contains(",") {
            let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw fail("has misplaced thousands separators")
            }
        }
        guard fractionPart.count <= maxDecimals else {
            throw fail("has more than \(maxDecimals) decimal places" + (maxDecimals == 6 ? " of 万 (0.000001万 is one fen)" : ""))
        }

        let tooLarge = fail("is too large")
        var whole: UInt64 = 0
        for char in integerPart where char != "," {
            let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(char.asciiValue! - 48))
            guard !o1, !o2 else { throw tooLarge }
            whole = sum
        }
        var fraction: UInt64 = 0
        for char in fractionPart { fraction = fraction * 10 + UInt64(char.asciiValue! - 48) }
        for _ in fractionPart.count..<maxDecimals { fraction *= 10 }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: fenPerUnit)
        let (magnitude, o2) = scaled.addingReportingOverflow(fraction)
        guard !o1, !o2 else { throw tooLarge }

        if negative {
            guard allowNegative else { throw fail("is negative") }
            guard magnitude <= Int64.min.magnitude else { throw tooLarge }
            return magnitude == Int64.min.magnitude ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw tooLarge }
        return Int64(magnitude)
    }

    /// Fen as yuan with exactly two decimals and no grouping: `2980000.50`, `-0.01`.
    public static func yuan(_ fen: Int64) -> String {
        let (whole, cents) = fen.magnitude.quotientAndRemainder(dividingBy: 100)
        return (fen < 0 ? "-" : "") + String(whole) + "." + twoDigits(cents)
    }

    /// Fen as yuan with thousands separators: `2,980,000.50`.
    public static func yuanGrouped(_ fen: Int64) -> String {
        let (whole, cents) = fen.magnitude.quotientAndRemainder(dividingBy: 100)
        return (fen < 0 ? "-" : "") + grouped(String(whole)) + "." + twoDigits(cents)
    }

    /// Money as officials write it (“金额298万元”), the one form every report, mail and page uses.
    ///
    /// From 1万元 (10,000 yuan) up: 万元 rounded half away from zero to 0.01万 (100 yuan), trailing
    /// zeros dropped — `298万元`, `56.1万元`, `1.23万元`. Below that: yuan with thousands separators,
    /// and the fen (two digits) only when there are any — `8,600元`, `8,600.50元`, `0元`.
    /// English (`.en`) says the same rounded number in full yuan: `¥2,980,000`, `¥561,000`,
    /// `¥8,600`, `¥8,600.50`, `¥0`. Integer arithmetic on fen only.
    public static func forOfficials(_ fen: Int64, in language: ReportLanguage = .zh) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        if magnitude >= UInt64(fenPerWan) {
            // Hundreds of yuan (0.01万), rounded half away from zero on the integer fen.
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10_000)
            let hundreds = quotient + (remainder >= 5_000 ? 1 : 0)
            switch language {
            case .zh:
                let (wan, fraction) = hundreds.quotientAndRemainder(dividingBy: 100)
                let decimals = fraction == 0 ? "" : fraction % 10 == 0 ? "." + String(fraction / 10) : "." + twoDigits(fraction)
                return sign + String(wan) + decimals + "万元"
            case .en:
                return sign + "¥" + grouped(String(hundreds * 100))
            }
        }
        let (yuan, cents) = magnitude.quotientAndRemainder(dividingBy: 100)
        let number = grouped(String(yuan)) + (cents == 0 ? "" : "." + twoDigits(cents))
        return language == .zh ? sign + number + "元" : sign + "¥" + number
    }

    private static func isDigit(_ char: Character) -> Bool {
        guard let ascii = char.asciiValue else { return false }
        return ascii >= 48 && ascii <= 57
    }

    /// `1e5`, `2.98E+6`: a mantissa of digits and a point, `e`, an optionally signed exponent.
    private static func isScientific(_ text: String) -> Bool {
        guard let e = text.firstIndex(of: "e") else { return false }
        let mantissa = text[..<e]
        var exponent = text[text.index(after: e)...]
        if let sign = exponent.first, sign == "+" || sign == "-" { exponent = exponent.dropFirst() }
        return mantissa.contains(where: isDigit) && mantissa.allSatisfy({ isDigit($0) || $0 == "." || $0 == "," })
            && !exponent.isEmpty && exponent.allSatisfy(isDigit)
    }

    private static func twoDigits(_ value: UInt64) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }

    /// A count with thousands separators: 12345 → "12,345" (rows verified, and the like).
    public static func thousands(_ value: Int64) -> String {
        (value < 0 ? "-" : "") + grouped(String(value.magnitude))
    }

    private static func grouped(_ digits: String) -> String {
        var out = ""
        for (offset, char) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { out.append(",") }
            out.append(char)
        }
        return out
    }
}
