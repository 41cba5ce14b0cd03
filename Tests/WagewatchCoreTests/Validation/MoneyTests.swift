import Testing
@testable import WagewatchCore

@Suite("Parsing yuan into integer fen")
struct MoneyParsingTests {
    @Test("amounts as bureau staff write them parse to exact fen", arguments: [
        ("2980000", 298_000_000),
        ("2980000.5", 298_000_050),
        ("2980000.50", 298_000_050),
        ("298万", 298_000_000),
        ("29.8万元", 29_800_000),
        ("298万元", 298_000_000),
        ("1,234.56", 123_456),
        ("1,234,567", 123_456_700),
        ("¥1234", 123_400),
        ("￥1234", 123_400),
        ("1234元", 123_400),
        ("¥ 1,234.50元", 123_450),
        ("298 万元", 298_000_000),
        ("0.01", 1),
        ("0.1", 10),
        ("0", 0),
        ("0.00", 0),
        ("007", 700),
        ("0.000001万", 1),
        ("0.5万", 500_000),
        ("1.234567万", 1_234_567),
        ("1,000万", 1_000_000_000),
        ("  8000  ", 800_000),
    ] as [(String, Int64)])
    func parses(text: String, fen: Int64) throws {
        #expect(try Money.parseYuan(text) == fen)
    }

    @Test("full-width digits, separators and the ideographic space are accepted")
    func fullWidth() throws {
        #expect(try Money.parseYuan("２９８万") == 298_000_000)
        #expect(try Money.parseYuan("１，２３４．５６") == 123_456)
        #expect(try Money.parseYuan("\u{3000}￥２９８００００．５０\u{3000}") == 298_000_050)
    }

    @Test("the largest amount an Int64 holds parses, in yuan and in 万")
    func int64Max() throws {
        #expect(try Money.parseYuan("92233720368547758.07") == Int64.max)
        #expect(try Money.parseYuan("92,233,720,368,547,758.07") == Int64.max)
        #expect(try Money.parseYuan("9223372036854.775807万") == Int64.max)
    }

    @Test("the smallest negative amount parses when negatives are allowed")
    func int64Min() throws {
        #expect(try Money.parseYuan("-92233720368547758.08", allowNegative: true) == Int64.min)
        #expect(try Money.parseYuan("-9223372036854.775808万", allowNegative: true) == Int64.min)
    }

    @Test("one fen beyond Int64, or any longer number, is too large", arguments: [
        "92233720368547758.08",
        "9223372036854.775808万",
        "92233720368547759",
        "184467440737095516.16",
        "18446744073709551616",
        "99999999999999999999999999",
        "9,223,372,036,855万",
    ])
    func tooLarge(text: String) {
        #expect(throws: ValidationError(field: "amount", value: text, problem: "is too large")) {
            try Money.parseYuan(text)
        }
    }

    @Test("one fen below Int64.min is too large even when negatives are allowed")
    func belowInt64Min() {
        #expect(throws: ValidationError(field: "amount", value: "-92233720368547758.09", problem: "is too large")) {
            try Money.parseYuan("-92233720368547758.09", allowNegative: true)
        }
    }

    @Test("negative amounts are refused unless allowed", arguments: ["-5", "-0.01", "−5", "-¥5", "¥-5", "-5万"])
    func negatives(text: String) throws {
        #expect(throws: ValidationError(field: "amount", value: text, problem: "is negative")) {
            try Money.parseYuan(text)
        }
        #expect(try Money.parseYuan(text, allowNegative: true) < 0)
    }

    @Test("allowed negatives parse to negative fen")
    func allowedNegatives() throws {
        #expect(try Money.parseYuan("-5", allowNegative: true) == -500)
        #expect(try Money.parseYuan("-0.01", allowNegative: true) == -1)
        #expect(try Money.parseYuan("-29.8万元", allowNegative: true) == -29_800_000)
        #expect(try Money.parseYuan("-0", allowNegative: true) == 0)
    }

    @Test("more than two decimals of yuan is a precision error", arguments: ["1.234", "0.001", "1.230", "2980000.505"])
    func tooManyYuanDecimals(text: String) {
        let error = #expect(throws: ValidationError.self) { try Money.parseYuan(text) }
        #expect(error?.description == "amount: \"\(text)\" has more than 2 decimal places")
    }

    @Test("more than six decimals of 万 is a precision error")
    func tooManyWanDecimals() {
        let error = #expect(throws: ValidationError.self) { try Money.parseYuan("0.0000001万") }
        #expect(error?.field == "amount")
        #expect(error?.value == "0.0000001万")
        #expect(error?.problem.hasPrefix("has more than 6 decimal places") == true)
    }

    @Test("scientific notation is refused by name", arguments: ["1e5", "2.98E+6", "1E-2", "3e0万"])
    func scientific(text: String) {
        #expect(throws: ValidationError(field: "amount", value: text, problem: "uses scientific notation")) {
            try Money.parseYuan(text)
        }
    }

    @Test("NaN and infinities are not finite amounts", arguments: ["NaN", "nan", "inf", "Infinity", "-inf", "∞"])
    func nonFinite(text: String) {
        #expect(throws: ValidationError(field: "amount", value: text, problem: "is not a finite amount")) {
            try Money.parseYuan(text, allowNegative: true)
        }
    }

    @Test("empty and blank input is empty")
    func empty() {
        for text in ["", "   ", "\u{3000}", "\t"] {
            #expect(throws: ValidationError(field: "amount", value: text, problem: "is empty")) {
                try Money.parseYuan(text)
            }
        }
    }

    @Test("text that is not a number is refused", arguments: [
        "abc", "12abc", "1.2.3", "1..2", ".5", "5.", "1 234", "+5", "--5", "¥¥5", "5万万", "万", "元", "¥",
        "0x10", "1,234.5,6", "五百", "1_000", "12 元 3", "1'234", "USD 5",
    ])
    func notAnAmount(text: String) {
        #expect(throws: ValidationError(field: "amount", value: text, problem: "is not an amount in yuan")) {
            try Money.parseYuan(text)
        }
    }

    @Test("thousands separators must be grouped by three", arguments: [
        "1,23,456", "12,3456", ",123", "123,", "1234,567", "1,234,56", "1,,234", "1,2345.00", "12,34万",
    ])
    func misgrouped(text: String) {
        #expect(throws: ValidationError(field: "amount", value: text, problem: "has misplaced thousands separators")) {
            try Money.parseYuan(text)
        }
    }

    @Test("the field name given is used in every message")
    func fieldName() {
        let error = #expect(throws: ValidationError.self) { try Money.parseYuan("1.234", field: "wage_due") }
        #expect(error?.description == #"wage_due: "1.234" has more than 2 decimal places"#)
    }
}

@Suite("Formatting fen as yuan and 万元")
struct MoneyFormattingTests {
    @Test("yuan always shows two decimals", arguments: [
        (298_000_050, "2980000.50"),
        (298_000_000, "2980000.00"),
        (0, "0.00"),
        (1, "0.01"),
        (10, "0.10"),
        (99, "0.99"),
        (100, "1.00"),
        (-1, "-0.01"),
        (-100, "-1.00"),
        (-123_456, "-1234.56"),
        (Int64.max, "92233720368547758.07"),
        (Int64.min, "-92233720368547758.08"),
    ] as [(Int64, String)])
    func yuan(fen: Int64, text: String) {
        #expect(Money.yuan(fen) == text)
    }

    @Test("grouped yuan puts a comma every three digits", arguments: [
        (298_000_050, "2,980,000.50"),
        (0, "0.00"),
        (99_999, "999.99"),
        (100_000, "1,000.00"),
        (12_345_678, "123,456.78"),
        (-12_345_678, "-123,456.78"),
        (-99_999, "-999.99"),
        (Int64.max, "92,233,720,368,547,758.07"),
        (Int64.min, "-92,233,720,368,547,758.08"),
    ] as [(Int64, String)])
    func grouped(fen: Int64, text: String) {
        #expect(Money.yuanGrouped(fen) == text)
    }

    @Test("officials read 万元 from 1万 up, at most two decimals, rounded half away from zero on the fen", arguments: [
        (298_000_000, "298万元"),
        (56_100_000, "56.1万元"),
        (29_800_000, "29.8万元"),
        (12_345_678, "12.35万元"),
        (1_000_000, "1万元"),
        (1_004_999, "1万元"),
        (1_005_000, "1.01万元"),
        (1_010_000, "1.01万元"),
        (1_100_000, "1.1万元"),
        (999_999_500_000, "999999.5万元"),
        (99_995_000, "100万元"),
        (-5_000_000, "-5万元"),
        (-1_005_000, "-1.01万元"),
        (Int64.max, "9223372036854.78万元"),
        (Int64.min, "-9223372036854.78万元"),
    ] as [(Int64, String)])
    func officialsWan(fen: Int64, text: String) {
        #expect(Money.forOfficials(fen) == text)
        #expect(Money.forOfficials(fen, in: .zh) == text)
    }

    @Test("below 1万 officials read yuan with thousands separators, fen only when there are any", arguments: [
        (860_000, "8,600元"),
        (860_050, "8,600.50元"),
        (999_999, "9,999.99元"),
        (0, "0元"),
        (1, "0.01元"),
        (10, "0.10元"),
        (100, "1元"),
        (-860_000, "-8,600元"),
        (-1, "-0.01元"),
    ] as [(Int64, String)])
    func officialsYuan(fen: Int64, text: String) {
        #expect(Money.forOfficials(fen) == text)
    }

    @Test("in English the same rounded amount is written in full yuan", arguments: [
        (298_000_000, "¥2,980,000"),
        (56_100_000, "¥561,000"),
        (12_345_678, "¥123,500"),
        (1_004_999, "¥10,000"),
        (1_005_000, "¥10,100"),
        (860_000, "¥8,600"),
        (860_050, "¥8,600.50"),
        (0, "¥0"),
        (-1_005_000, "-¥10,100"),
        (Int64.max, "¥92,233,720,368,547,800"),
        (Int64.min, "-¥92,233,720,368,547,800"),
    ] as [(Int64, String)])
    func officialsEnglish(fen: Int64, text: String) {
        #expect(Money.forOfficials(fen, in: .en) == text)
    }

    @Test("the 万元 text parses back to the amount rounded to 100 yuan")
    func officialsParseBack() throws {
        var random = SplitMix64(seed: 298)
        for _ in 0..<2_000 {
            let fen = Int64(random.next() % 1_000_000_000_000)
            let text = Money.forOfficials(fen)
            let back = try Money.parseYuan(text)
            if fen < Money.fenPerWan {
                #expect(back == fen, "\(text)")
            } else {
                #expect((back - fen).magnitude <= 5_000, "\(text) is \(back) for \(fen)")
                #expect(back % 10_000 == 0, "\(text)")
            }
        }
    }
}

@Suite("Money round trips")
struct MoneyRoundTripTests {
    @Test("parsing the formatted yuan of 10,000 seeded random amounts gives them back")
    func yuanRoundTrip() throws {
        var generator = SplitMix64(seed: 2_980_000)
        for index in 0..<10_000 {
            let fen: Int64
            switch index % 4 {
            case 0: fen = Int64(bitPattern: generator.next())
            case 1: fen = Int64.random(in: -10_000_000_000...10_000_000_000, using: &generator)
            case 2: fen = Int64.random(in: 0...100_000, using: &generator)
            default: fen = Int64.random(in: 0...Int64.max, using: &generator)
            }
            #expect(try Money.parseYuan(Money.yuan(fen), allowNegative: true) == fen)
            #expect(try Money.parseYuan(Money.yuanGrouped(fen), allowNegative: true) == fen)
        }
    }

    @Test("the extremes round-trip through both yuan forms")
    func extremes() throws {
        for fen in [Int64.min, Int64.min + 1, -1, 0, 1, Int64.max - 1, Int64.max] {
            #expect(try Money.parseYuan(Money.yuan(fen), allowNegative: true) == fen)
            #expect(try Money.parseYuan(Money.yuanGrouped(fen), allowNegative: true) == fen)
        }
    }

    @Test("a non-negative formatted amount parses without allowing negatives")
    func nonNegativeDefault() throws {
        var generator = SplitMix64(seed: 8_000)
        for _ in 0..<1_000 {
            let fen = Int64.random(in: 0...Int64.max, using: &generator)
            #expect(try Money.parseYuan(Money.yuan(fen)) == fen)
        }
    }
}

@Suite("Contract values in 亿")
struct YiAmountTests {
    @Test("1.2亿 and 1.2亿元 are 120,000,000 yuan, and one fen is the finest step")
    func yi() throws {
        #expect(try Money.parseYuan("1.2亿") == 12_000_000_000)
        #expect(try Money.parseYuan("1.2亿元") == 12_000_000_000)
        #expect(try Money.parseYuan("0.0000000001亿") == 1)
        #expect(throws: ValidationError.self) { try Money.parseYuan("0.00000000001亿") }
    }
}
