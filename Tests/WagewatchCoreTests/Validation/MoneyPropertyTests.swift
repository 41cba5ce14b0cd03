import PropertyBased
import Testing
@testable import WagewatchCore

/// Any Int64 amount of fen, the extremes included.
private let anyFen = Gen<Int64?>.element(of: [Int64.min, Int64.max, Int64.min + 1, 0, 1, -1, 99, 100, 999_999, 1_000_000])
    .map { $0! }
private let fen = Gen.int64(in: Int64.min...Int64.max)
private let nonNegativeFen = Gen.int64(in: 0...Int64.max)

/// Text made of what amounts are written with, and what they must not be.
private let amountCharacters: [Character] = [
    "0", "1", "5", "9", ".", ",", "-", "−", "+", "¥", "￥", "万", "亿", "元", "e", "E", " ", "\u{3000}", "１", "９", "．",
    "٣", "三", "½", "\u{0}", "\n", "😀", "\u{202E}", "n", "a", "i", "f",
]
private let amountText = Gen<Character?>.element(of: amountCharacters).map { $0! }.string(of: 0...30)

/// `fen` as 万 with all six decimals, e.g. `1.234567万` for 1,234,567 fen.
private func asWan(_ fen: Int64) -> String {
    let (whole, fraction) = fen.magnitude.quotientAndRemainder(dividingBy: 1_000_000)
    let digits = String(fraction)
    return (fen < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits + "万"
}

/// ASCII digits as full-width ones (what a Chinese IME types).
private func fullWidth(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.map {
        ("0"..."9").contains($0) || $0 == "." || $0 == "," ? Unicode.Scalar($0.value + 0xFEE0)! : $0
    }))
}

private func parse(_ text: String, field: String, allowNegative: Bool) -> Result<Int64, ValidationError> {
    do {
        return .success(try Money.parseYuan(text, field: field, allowNegative: allowNegative))
    } catch {
        return .failure(error)
    }
}

@Suite("money parser properties")
struct MoneyPropertyTests {
    @Test("every Int64 amount of fen formats and parses back to itself, in every written form")
    func formatThenParse() async throws {
        await propertyCheck(count: 2_000, input: Gen.bool, anyFen, fen) { useEdge, edge, random throws in
            let fen = useEdge ? edge : random
            var forms = [Money.yuan(fen), Money.yuanGrouped(fen), asWan(fen), fullWidth(Money.yuanGrouped(fen))]
            if fen >= 0 { forms += ["¥" + Money.yuan(fen), Money.yuanGrouped(fen) + "元"] }
            for text in forms {
                #expect(try Money.parseYuan(text, allowNegative: true) == fen, "\(text)")
            }
        }
    }

    @Test("an amount that is not negative parses the same with or without negatives allowed")
    func strictAndLenientAgree() async throws {
        await propertyCheck(count: 1_000, input: nonNegativeFen) { fen throws in
            let text = Money.yuanGrouped(fen)
            #expect(try Money.parseYuan(text) == fen)
            #expect(try Money.parseYuan(text, allowNegative: true) == fen)
            if fen > 0 {
                #expect(throws: ValidationError.self) { try Money.parseYuan("-" + text) }
            }
        }
    }

    @Test("no string traps: each is an amount or a refusal naming the field and the value as typed")
    func neverTraps() async throws {
        await propertyCheck(count: 3_000, input: amountText, Gen.bool) { text, allowNegative throws in
            switch parse(text, field: "wage_due", allowNegative: allowNegative) {
            case .success(let fen):
                #expect(allowNegative || fen >= 0)
                #expect(try Money.parseYuan(Money.yuan(fen), allowNegative: true) == fen)
            case .failure(let error):
                #expect(error.field == "wage_due")
                #expect(error.value == text)
                #expect(error.description.hasPrefix("wage_due: \""))
            }
        }
    }

    @Test("amounts past Int64, scientific notation, bare units and over-precise decimals are refused, not wrapped")
    func hostileAmounts() throws {
        let refused = [
            "9223372036854775808", "92233720368547758.08", "92233720368547758.08元", "18446744073709551616",
            "99999999999999999999999999999", "9223372036854.775808万", "92233720368.54775808亿", "1e5", "2.98E+6", "1E-2",
            "nan", "inf", "∞", "万", "亿", "元", "¥", "-", "1万亿", "1亿万", "1.234", "0.0000001万", "1.00000000001亿",
            "1,2345", ",123", "1..2", "1.", ".5", "--1", "1-", "+1", "0x10", "١٢٣", "一万", "½", "1\u{0}", "1\n2",
            "\u{202E}100", "1\u{200B}00", "100 000", "-¥-1",
        ]
        for text in refused {
            switch parse(text, field: "amount", allowNegative: true) {
            case .success(let fen):
                Issue.record("\(text.debugDescription) was accepted as \(fen) fen")
            case .failure(let error):
                #expect(error.value == text)
                #expect(error.description.contains(ValidationError.quoted(text)))
            }
        }
        let accepted: [(String, Int64)] = [
            ("１２３", 12_300), ("１２３．４５", 12_345), ("92233720368547758.07", Int64.max),
            ("-92233720368547758.08", Int64.min), ("922337203685.477580万", 922_337_203_685_477_580),
            ("922337203.6854775807亿", Int64.max), ("¥ 1,234.56", 123_456), ("298万", 298_000_000), ("1.2亿", 12_000_000_000),
            ("\u{3000}8.6万元 ", 8_600_000), ("−5", -500),
        ]
        for (text, fen) in accepted {
            #expect(try Money.parseYuan(text, allowNegative: true) == fen, "\(text)")
        }
    }
}
