import PostgresClient

/// A resident identity card number (居民身份证号, GB 11643-1999): how a worker is identified on
/// payrolls, recoveries and bank payment files. `description` is masked so it never leaks into logs.
public struct ResidentID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The normalised 18 characters (check character `X` uppercase); store and compare this.
    public let value: String

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = Array("10X98765432")
    /// Province codes plus 83, which Taiwan residents' residence permits (台湾居民居住证) use.
    static let provinceCodes = RegionCode.provinceCodes.union(["83"])
    static let earliestBirth = LocalDate(year: 1900, month: 1, day: 1)!

    /// Parses a number as typed: trims whitespace, folds full-width characters, accepts `x`.
    /// A birth date after `today` (Asia/Shanghai) or before 1900 is refused.
    public init(parsing text: String, field: String = "id_number", today: LocalDate) throws(ValidationError) {
        let number = FullWidth.cleaned(text).uppercased()
        func fail(_ problem: String) -> ValidationError {
            ValidationError(field: field, value: text, problem: "is not a valid resident ID number (\(problem))")
        }
        let utf8 = Array(number.utf8)
        guard utf8.count == 18 else { throw fail("18 characters expected") }
        guard utf8[0..<17].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw fail("the first 17 must be digits") }
        guard (utf8[17] >= 48 && utf8[17] <= 57) || utf8[17] == UInt8(ascii: "X") else {
            throw fail("the last must be a digit or X")
        }
        guard ResidentID.provinceCodes.contains(String(number.prefix(2))) else {
            throw fail("unknown province \(number.prefix(2))")
        }
        guard let birth = ResidentID.birthDate(in: utf8) else { throw fail("birth date is not a real date") }
        guard birth >= ResidentID.earliestBirth else { throw fail("birth date before 1900") }
        guard birth <= today else { throw fail("birth date in the future") }
        guard ResidentID.checkCharacter(for: String(number.prefix(17))) == Character(Unicode.Scalar(utf8[17])) else {
            throw fail("check digit")
        }
        self.value = number
    }

    /// The GB 11643 check character for 17 digits, or nil if they are not 17 digits.
    public static func checkCharacter(for first17: String) -> Character? {
        let utf8 = Array(first17.utf8)
        guard utf8.count == 17 else { return nil }
        var sum = 0
        for (byte, weight) in zip(utf8, weights) {
            guard byte >= 48, byte <= 57 else { return nil }
            sum += Int(byte - 48) * weight
        }
        return checkCharacters[sum % 11]
    }

    /// A valid number for generated data: region, birth date, a sequence 0–999 (odd for men,
    /// even for women) and the computed check character.
    public static func make(region: RegionCode, birth: LocalDate, sequence: Int) -> ResidentID {
        precondition((0...999).contains(sequence), "sequence must be 0–999")
        precondition((1000...9999).contains(birth.year), "birth year must have four digits")
        let date = birth.description.filter { $0 != "-" }
        let digits = String(sequence)
        let first17 = region.value + date + String(repeating: "0", count: 3 - digits.count) + digits
        return ResidentID(trusted: first17 + String(checkCharacter(for: first17)!))
    }

    private init(trusted value: String) { self.value = value }

    /// The date of birth, positions 7–14.
    public var birthDate: LocalDate { ResidentID.birthDate(in: Array(value.utf8))! }

    /// The region of household registration at issue, positions 1–6 (may be a since-abolished code).
    public var regionCode: String { String(value.prefix(6)) }

    /// The sequence number, positions 15–17: odd for men, even for women.
    public var sequence: Int { Int(value.dropFirst(14).prefix(3))! }

    /// First four and last four characters with ten stars between, as lists and reports show it
    /// (SPEC §6), e.g. `4101**********1234`.
    public var masked: String {
        String(value.prefix(4)) + String(repeating: "*", count: 10) + String(value.suffix(4))
    }

    public var description: String { masked }

    private static func birthDate(in utf8: [UInt8]) -> LocalDate? {
        guard let year = DateInput.number(utf8[6..<10]), let month = DateInput.number(utf8[10..<12]),
              let day = DateInput.number(utf8[12..<14]) else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// Decoding checks the format and check digit but not the birth date against today, so data
    /// written yesterday always reads back.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try ResidentID(parsing: text, today: LocalDate(year: 9999, month: 12, day: 31)!)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
