import Foundation
import Testing
@testable import WagewatchCore

/// Check characters below were computed independently of `USCC` (by hand and with a separate
/// script), and the real codes are published registrations.
@Suite("Unified social credit codes (GB 32100)")
struct USCCValidationTests {
    @Test("published codes of real enterprises are valid", arguments: [
        "91350100M000100Y43",
        "91110000100010433L",
        "91440300708461136T",
        "91110108551385082Q",
    ])
    func realCodesAreValid(code: String) throws {
        let uscc = try USCC(parsing: code)
        #expect(uscc.value == code)
        #expect(uscc.description == code)
    }

    @Test("codes whose check characters are X, 0 or Y are valid", arguments: [
        "91410100MA000004XQ",
        "91410100MA00000904",
        "91410100MA000020X0",
        "91410100MA0000330Y",
        "91410100MA3X00002E",
        "92410102MA4GXY7P0F",
    ])
    func generatedEdgeCodesAreValid(code: String) throws {
        #expect(try USCC(parsing: code).value == code)
    }

    @Test("the check character is computed with weights 1,3,9,…,28 mod 31")
    func checkDigitComputation() {
        #expect(USCC.checkDigit(for: "91350100M000100Y4") == "3")
        #expect(USCC.checkDigit(for: "91110000100010433") == "L")
        #expect(USCC.checkDigit(for: "91410100MA000020X") == "0")
        #expect(USCC.checkDigit(for: "91410100MA0000330") == "Y")
        #expect(USCC.checkDigit(for: "911100001000013248") == nil)
        #expect(USCC.checkDigit(for: "9135010OM000100Y4") == nil)
    }

    @Test("the organisation code check character uses weights 3,7,9,10,5,8,4,2 mod 11")
    func organisationCheckDigit() {
        #expect(USCC.organisationCheckDigit(for: "M000100Y") == "4")
        #expect(USCC.organisationCheckDigit(for: "10001043") == "3")
        #expect(USCC.organisationCheckDigit(for: "70846113") == "6")
        #expect(USCC.organisationCheckDigit(for: "MA000004") == "X")
        #expect(USCC.organisationCheckDigit(for: "MA000009") == "0")
        #expect(USCC.organisationCheckDigit(for: "MA00000") == nil)
    }

    @Test("911100001000013248 is rejected: both of its check characters are wrong")
    func suggestedSampleIsInvalid() {
        #expect(throws: ValidationError(
            field: "uscc", value: "911100001000013248",
            problem: "is not a valid unified social credit code (organisation code check digit)")) {
            try USCC(parsing: "911100001000013248")
        }
        #expect(USCC.checkDigit(for: "91110000100001324") == "G")
    }

    @Test("lowercase, full-width and surrounding whitespace are normalised")
    func normalisesInput() throws {
        #expect(try USCC(parsing: "  91350100m000100y43\t").value == "91350100M000100Y43")
        #expect(try USCC(parsing: "９１３５０１００Ｍ０００１００Ｙ４３").value == "91350100M000100Y43")
        #expect(try USCC(parsing: "\u{3000}91110000100010433l\u{3000}").value == "91110000100010433L")
    }

    @Test("a short code is rejected naming the field, the value and the expected length")
    func tooShort() {
        #expect(throws: ValidationError(
            field: "uscc", value: "91410100MA3X",
            problem: "is not a valid unified social credit code (18 characters expected)")) {
            try USCC(parsing: "91410100MA3X")
        }
        let error = #expect(throws: ValidationError.self) { try USCC(parsing: "91410100MA3X") }
        #expect(error?.description == #"uscc: "91410100MA3X" is not a valid unified social credit code (18 characters expected)"#)
    }

    @Test("an empty or 19-character code is rejected")
    func wrongLengths() {
        #expect(throws: ValidationError.self) { try USCC(parsing: "") }
        #expect(throws: ValidationError.self) { try USCC(parsing: "91350100M000100Y433") }
    }

    @Test("the letters I, O, Z, S and V are not in the alphabet", arguments: ["I", "O", "Z", "S", "V"])
    func excludedLetters(letter: String) {
        let code = "91350100M000100" + letter + "43"
        let error = #expect(throws: ValidationError.self) { try USCC(parsing: code) }
        #expect(error?.problem == "is not a valid unified social credit code ('\(letter)' is not allowed)")
    }

    @Test("a wrong check character is reported as such")
    func wrongCheckCharacter() {
        let error = #expect(throws: ValidationError.self) { try USCC(parsing: "91350100M000100Y44", field: "contractor_uscc") }
        #expect(error?.field == "contractor_uscc")
        #expect(error?.value == "91350100M000100Y44")
        #expect(error?.problem == "is not a valid unified social credit code (check digit)")
    }

    @Test("an unknown registration department is rejected")
    func unknownDepartment() throws {
        // B is in the alphabet but no department uses it; the check character is made valid.
        let prefix = "B1350100M000100Y4"
        let code = prefix + String(USCC.checkDigit(for: prefix)!)
        let error = #expect(throws: ValidationError.self) { try USCC(parsing: code) }
        #expect(error?.problem == "is not a valid unified social credit code (unknown registration department 'B')")
    }

    @Test("an organisation type that is not a digit 1–9 is rejected")
    func unknownOrganisationType() {
        for type in ["0", "A"] {
            let prefix = "9" + type + "350100M000100Y4"
            let code = prefix + String(USCC.checkDigit(for: prefix)!)
            let error = #expect(throws: ValidationError.self) { try USCC(parsing: code) }
            #expect(error?.problem == "is not a valid unified social credit code (unknown organisation type '\(type)')")
        }
    }

    @Test("a region code with letters is rejected")
    func regionWithLetters() {
        let prefix = "913501A0M000100Y4"
        let code = prefix + String(USCC.checkDigit(for: prefix)!)
        let error = #expect(throws: ValidationError.self) { try USCC(parsing: code) }
        #expect(error?.problem == "is not a valid unified social credit code (region code must be 6 digits)")
    }

    @Test("every single-character substitution of a valid code is caught")
    func singleSubstitutionsAreCaught() {
        let valid = Array("91350100M000100Y43")
        var tried = 0
        for position in valid.indices {
            for replacement in USCC.alphabet where replacement != valid[position] {
                var changed = valid
                changed[position] = replacement
                #expect(throws: ValidationError.self) { try USCC(parsing: String(changed)) }
                tried += 1
            }
        }
        #expect(tried == 18 * 30)
    }

    @Test("every swap of two adjacent different characters is caught")
    func adjacentTranspositionsAreCaught() {
        for code in ["91350100M000100Y43", "91440300708461136T", "91410100MA3X00002E"] {
            let chars = Array(code)
            for i in 0..<(chars.count - 1) where chars[i] != chars[i + 1] {
                var swapped = chars
                swapped.swapAt(i, i + 1)
                #expect(throws: ValidationError.self) { try USCC(parsing: String(swapped)) }
            }
        }
    }

    @Test("make(prefix17:) appends the check character")
    func makeFromPrefix() throws {
        #expect(try USCC.make(prefix17: "91350100M000100Y4").value == "91350100M000100Y43")
        #expect(throws: ValidationError.self) { try USCC.make(prefix17: "91350100M000100Y") }
        #expect(throws: ValidationError.self) { try USCC.make(prefix17: "91350100M000100Y5") }
    }

    @Test("make from parts computes both check characters")
    func makeFromParts() throws {
        #expect(try USCC.make(region: "410100", organisation: "MA3X0000").value == "91410100MA3X00002E")
        #expect(try USCC.make(type: "2", region: "410102", organisation: "MA4GXY7P").value == "92410102MA4GXY7P0F")
        #expect(throws: ValidationError.self) { try USCC.make(region: "410100", organisation: "MA3X000") }
    }

    @Test("generated codes from many organisation bodies all parse back")
    func generatedCodesParse() throws {
        var generator = SplitMix64(seed: 32100)
        let alphabet = USCC.alphabet
        for _ in 0..<2_000 {
            let body = String((0..<8).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let uscc = try USCC.make(region: "410102", organisation: body)
            #expect(try USCC(parsing: uscc.value) == uscc)
            #expect(uscc.organisationCode.prefix(8) == body)
        }
    }

    @Test("the parts are read from their positions")
    func parts() throws {
        let uscc = try USCC(parsing: "91440300708461136T")
        #expect(uscc.department == "9")
        #expect(uscc.organisationType == "1")
        #expect(uscc.regionCode == "440300")
        #expect(uscc.organisationCode == "708461136")
    }

    @Test("JSON round-trips as a plain string and invalid codes fail to decode")
    func codable() throws {
        let uscc = try USCC(parsing: "91350100M000100Y43")
        let data = try JSONEncoder().encode([uscc])
        #expect(String(decoding: data, as: UTF8.self) == #"["91350100M000100Y43"]"#)
        #expect(try JSONDecoder().decode([USCC].self, from: data) == [uscc])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([USCC].self, from: Data(#"["91350100M000100Y44"]"#.utf8))
        }
    }
}

/// A small seeded generator so property tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
