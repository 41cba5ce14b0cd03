/// A unified social credit code (统一社会信用代码, GB 32100-2015): the 18-character identity of
/// every employer, contractor and project owner, checked so a mistyped code never splits a case.
public struct USCC: Hashable, Sendable, ParsedText, CustomStringConvertible {
    public static let fieldName = "uscc"
    /// The normalised 18 characters.
    public let value: String

    /// The code alphabet: digits and capital letters without I, O, Z, S and V; a character's
    /// value is its position.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let organisationWeights = [3, 7, 9, 10, 5, 8, 4, 2]

    /// Registration departments (登记管理部门) GB 32100 and its later assignments use:
    /// 1–9 (机构编制, 外交, 司法行政, 文化, 民政, 旅游, 宗教, 工会, 工商), A (军队), N (农业), Y (其他).
    static let departments: Set<Character> = Set("123456789ANY")

    /// Parses a code as typed: trims whitespace, folds full-width characters and uppercases.
    public init(parsing text: String, field: String = Self.fieldName) throws(ValidationError) {
        let code = FullWidth.cleaned(text).uppercased()
        func fail(_ problem: String) -> ValidationError {
            ValidationError(field: field, value: text, problem: Messages.en("uscc_invalid", problem))
        }
        let chars = Array(code)
        guard chars.count == 18 else { throw fail(Messages.en("uscc_length")) }
        for char in chars where USCC.value(of: char) == nil {
            // Name a look-alike's code points: "'K' is not allowed" alone would baffle.
            let codePoints = char.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }
            throw fail(char.isASCII ? Messages.en("uscc_character", String(char))
                                    : Messages.en("uscc_character_code", String(char), codePoints.joined(separator: " ")))
        }
        guard USCC.departments.contains(chars[0]) else { throw fail(Messages.en("uscc_department", String(chars[0]))) }
        guard chars[1].isASCII, let type = chars[1].wholeNumberValue, type >= 1 else {
            throw fail(Messages.en("uscc_type", String(chars[1])))
        }
        guard chars[2..<8].allSatisfy({ $0.isASCII && $0.isNumber }) else { throw fail(Messages.en("uscc_region")) }
        guard USCC.organisationCheckDigit(for: String(chars[8..<16])) == chars[16] else {
            throw fail(Messages.en("uscc_organisation_check"))
        }
        guard USCC.checkDigit(for: String(chars[0..<17])) == chars[17] else { throw fail(Messages.en("uscc_check")) }
        self.value = code
    }

    /// The GB 32100 check character for the first 17 characters, or nil if they are not 17
    /// characters of the code alphabet.
    public static func checkDigit(for first17: String) -> Character? {
        let chars = Array(first17)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (char, weight) in zip(chars, weights) {
            guard let v = value(of: char) else { return nil }
            sum += v * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The GB 11714 check character (position 17) for the 8-character organisation code body
    /// (positions 9–16): weights 3,7,9,10,5,8,4,2, then 11 − sum mod 11 with 10 → X and 11 → 0.
    /// GB 32100 §4.4 requires positions 9–17 to follow GB 11714; published codes confirm it.
    public static func organisationCheckDigit(for body8: String) -> Character? {
        let chars = Array(body8)
        guard chars.count == 8 else { return nil }
        var sum = 0
        for (char, weight) in zip(chars, organisationWeights) {
            guard value(of: char) != nil, let v = organisationValue(of: char) else { return nil }
            sum += v * weight
        }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let digit: return Character(String(digit))
        }
    }

    /// A valid code from its first 17 characters, appending the check character; used by tests
    /// and the sample-data generator.
    public static func make(prefix17: String) throws(ValidationError) -> USCC {
        guard let check = checkDigit(for: prefix17) else {
            throw ValidationError(field: "uscc", value: prefix17, problem: "is not 17 characters of the code alphabet")
        }
        return try USCC(parsing: prefix17 + String(check))
    }

    /// A valid code from its parts, computing both check characters: `organisation` is the
    /// 8-character organisation code body, `region` a 6-digit region code.
    public static func make(
        department: Character = "9", type: Character = "1", region: String, organisation: String
    ) throws(ValidationError) -> USCC {
        guard let organisationCheck = organisationCheckDigit(for: organisation) else {
            throw ValidationError(field: "uscc", value: organisation, problem: "is not an 8-character organisation code body")
        }
        return try make(prefix17: "\(department)\(type)\(region)\(organisation)\(organisationCheck)")
    }

    /// Registration department (登记管理部门代码), position 1: `9` for enterprises registered by
    /// market regulation.
    public var department: Character { value.first! }
    /// Organisation type (机构类别代码), position 2: under `9`, `1` company, `2` individual business.
    public var organisationType: Character { Array(value)[1] }
    /// Region code of the registering authority, positions 3–8.
    public var regionCode: String { String(value.dropFirst(2).prefix(6)) }
    /// The 9-character organisation code (组织机构代码, GB 11714), positions 9–17.
    public var organisationCode: String { String(value.dropFirst(8).prefix(9)) }

    public var description: String { value }

    /// ASCII only: `Character` equality is canonical equivalence, which takes the Kelvin sign
    /// (U+212A) for K, so a code ending in it would pass and be stored apart from the real one.
    static func value(of char: Character) -> Int? {
        guard let ascii = char.asciiValue else { return nil }
        return alphabet.firstIndex(of: Character(Unicode.Scalar(ascii)))
    }

    /// GB 11714 character values: digits as themselves, A–Z as 10–35.
    private static func organisationValue(of char: Character) -> Int? {
        guard let ascii = char.asciiValue else { return nil }
        switch ascii {
        case 48...57: return Int(ascii) - 48
        case 65...90: return Int(ascii) - 55
        default: return nil
        }
    }
}
