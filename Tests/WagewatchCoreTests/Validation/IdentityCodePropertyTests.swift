import PostgresClient
import PropertyBased
import Testing
@testable import WagewatchCore

private func oneOf<T: Sendable>(_ values: [T]) -> Generator<T, Shrink.None<T?>> {
    Gen<T?>.element(of: values).map { $0! }
}

private let digit = oneOf(Array("0123456789"))
private let codeCharacter = oneOf(USCC.alphabet)

/// Valid unified social credit codes with both check characters computed.
private let validUSCC = zip(
    oneOf(Array("123456789ANY")), oneOf(Array("123456789")), digit.string(of: 6), codeCharacter.string(of: 8)
).compactMap { department, type, region, organisation in
    try? USCC.make(department: department, type: type, region: region, organisation: organisation)
}

/// Valid resident ID numbers: a known province, a real birth date from 1900 to 2025, any sequence.
private let validResidentID = zip(
    oneOf(Array(RegionCode.provinceCodes).sorted()), Gen.int(in: 1...99), Gen.int(in: 1...99),
    Gen.int(in: LocalDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch...LocalDate(year: 2025, month: 12, day: 31)!.daysSinceEpoch),
    Gen.int(in: 0...999)
).compactMap { province, prefecture, county, day, sequence -> ResidentID? in
    let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
    guard let region = try? RegionCode(parsing: province + two(prefecture) + two(county)) else { return nil }
    return ResidentID.make(region: region, birth: LocalDate(daysSinceEpoch: day), sequence: sequence)
}

/// What a typo can put in place of one character: both alphabets, the letters the USCC leaves
/// out, lower case, full-width forms, Cyrillic and Greek look-alikes, the Kelvin sign (which
/// Swift's `Character ==` takes for K), a combining accent, blanks and multi-byte text.
private let substitutes: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZakx -")
    + ["\u{212A}", "Ｘ", "０", "Ｋ", "А", "О", "Χ", "Κ", "K\u{301}", "\u{3000}", "中", "😀", "\u{200B}", "\u{0}"]

/// Which character a substitute reads as once full-width forms are folded and letters upper-cased,
/// compared by scalars (String `==` would take the Kelvin sign for K).
private func readsAs(_ substitute: Character, _ original: Character) -> Bool {
    FullWidth.fold(String(substitute)).uppercased().unicodeScalars.elementsEqual(String(original).unicodeScalars)
}

private let today = LocalDate(year: 2026, month: 1, day: 1)!

/// Any text, multi-byte included, 0 to 24 characters.
private let anyText = oneOf(substitutes + ["\u{202E}", "é", "e\u{301}", "\u{FEFF}", "🇨🇳"]).string(of: 0...24)

@Suite("USCC and resident ID properties")
struct IdentityCodePropertyTests {
    @Test("a generated valid USCC passes as typed in lower case, full width or padded, and is stored as 18 ASCII characters")
    func validUSCCPasses() async throws {
        await propertyCheck(count: 500, input: validUSCC) { code throws in
            let fullWidth = String(String.UnicodeScalarView(code.value.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
            for typed in [code.value, code.value.lowercased(), fullWidth, "\u{3000}" + code.value + " "] {
                #expect(try USCC(parsing: typed).value == code.value, "\(typed)")
            }
            #expect(code.value.utf8.count == 18)
            #expect(code.value.unicodeScalars.allSatisfy { $0.isASCII })
        }
    }

    @Test("any single-character change of a valid USCC is refused")
    func usccSingleChangeFails() async throws {
        await propertyCheck(count: 200, input: validUSCC) { code in
            let chars = Array(code.value)
            for index in chars.indices {
                for substitute in substitutes where !readsAs(substitute, chars[index]) {
                    var changed = chars
                    changed[index] = substitute
                    let text = String(changed)
                    #expect(throws: ValidationError.self, "\(code.value) → \(text.debugDescription)") { try USCC(parsing: text) }
                }
            }
        }
    }

    @Test("a USCC whose check character is K is refused when the K is a Kelvin sign")
    func kelvinSignIsNotK() throws {
        // A valid code ending in K: vary the organisation body until the check character is K.
        let found = (0..<10_000).lazy.compactMap { n -> USCC? in
            let digits = String(n)
            let body = "MA3X" + String(repeating: "0", count: 4 - digits.count) + digits
            let code = try? USCC.make(region: "410100", organisation: body)
            return code?.value.hasSuffix("K") == true ? code : nil
        }.first
        let code = try #require(found)
        #expect(try USCC(parsing: code.value.lowercased()).value == code.value)
        let kelvin = String(code.value.dropLast()) + "\u{212A}"
        #expect(throws: ValidationError.self, "\(kelvin) looks like \(code.value) but is not") { try USCC(parsing: kelvin) }
    }

    @Test("any single-character change of a valid resident ID number is refused")
    func residentIDSingleChangeFails() async throws {
        await propertyCheck(count: 300, input: validResidentID) { id throws in
            #expect(try ResidentID(parsing: id.value, today: today).value == id.value)
            #expect(try ResidentID(parsing: " " + id.value.lowercased(), today: today).value == id.value)
            let chars = Array(id.value)
            for index in chars.indices {
                for substitute in substitutes where !readsAs(substitute, chars[index]) {
                    var changed = chars
                    changed[index] = substitute
                    let text = String(changed)
                    #expect(throws: ValidationError.self, "\(id.value) → \(text.debugDescription)") {
                        try ResidentID(parsing: text, today: today)
                    }
                }
            }
        }
    }

    @Test("no text crashes either validator; a refusal names the field and the value as typed")
    func anyTextIsAnswered() async throws {
        await propertyCheck(count: 2_000, input: anyText) { text in
            for (field, result) in [("employer_uscc", uscc(text)), ("id_number", residentID(text))] {
                switch result {
                case .success(let value):
                    #expect(value.utf8.count == 18 && value.unicodeScalars.allSatisfy { $0.isASCII }, "\(text.debugDescription)")
                case .failure(let error):
                    #expect(error.field == field)
                    #expect(error.value == text)
                }
            }
            _ = USCC.checkDigit(for: text)
            _ = USCC.organisationCheckDigit(for: text)
            _ = ResidentID.checkCharacter(for: text)
        }
    }
}

private func uscc(_ text: String) -> Result<String, ValidationError> {
    do { return .success(try USCC(parsing: text, field: "employer_uscc").value) } catch { return .failure(error) }
}

private func residentID(_ text: String) -> Result<String, ValidationError> {
    do { return .success(try ResidentID(parsing: text, field: "id_number", today: today).value) } catch { return .failure(error) }
}
