import Foundation
import PostgresClient
import Testing
@testable import WagewatchCore

/// Check characters below were computed independently of `ResidentID`; 11010519491231002X is the
/// worked example of GB 11643-1999.
@Suite("Resident ID numbers (GB 11643)")
struct ResidentIDValidationTests {
    static let today = LocalDate(year: 2026, month: 2, day: 13)!

    @Test("valid numbers parse and keep their normalised form", arguments: [
        "11010519491231002X",
        "410102199003071230",
        "440301198501010014",
        "41010219900307006X",
        "110101200002290050",
    ])
    func validNumbers(number: String) throws {
        #expect(try ResidentID(parsing: number, today: Self.today).value == number)
    }

    @Test("the check character uses weights 7,9,10,… mod 11 mapped through 10X98765432")
    func checkCharacter() {
        #expect(ResidentID.checkCharacter(for: "11010519491231002") == "X")
        #expect(ResidentID.checkCharacter(for: "41010219900307123") == "0")
        #expect(ResidentID.checkCharacter(for: "44030119850101001") == "4")
        #expect(ResidentID.checkCharacter(for: "4401011985010100") == nil)
        #expect(ResidentID.checkCharacter(for: "4403011985010100A") == nil)
    }

    @Test("a lowercase x, full-width digits and surrounding spaces are normalised")
    func normalises() throws {
        #expect(try ResidentID(parsing: " 11010519491231002x ", today: Self.today).value == "11010519491231002X")
        #expect(try ResidentID(parsing: "１１０１０５１９４９１２３１００２ｘ", today: Self.today).value == "11010519491231002X")
    }

    @Test("a wrong check character is rejected naming the default field and the value")
    func wrongCheck() {
        let error = #expect(throws: ValidationError.self) {
            try ResidentID(parsing: "110105194912310021", today: Self.today)
        }
        #expect(error?.description == #"id_number: "110105194912310021" is not a valid resident ID number (check digit)"#)
    }

    @Test("every single-digit change and every adjacent swap is caught")
    func singleErrorsCaught() {
        let valid = Array("440301198501010014")
        for position in valid.indices {
            for digit in "0123456789X" where digit != valid[position] {
                var changed = valid
                changed[position] = digit
                #expect(throws: ValidationError.self) { try ResidentID(parsing: String(changed), today: Self.today) }
            }
        }
        for i in 0..<(valid.count - 1) where valid[i] != valid[i + 1] {
            var swapped = valid
            swapped.swapAt(i, i + 1)
            #expect(throws: ValidationError.self) { try ResidentID(parsing: String(swapped), today: Self.today) }
        }
    }

    @Test("wrong shapes are rejected with what was expected", arguments: [
        ("4401011985010100", "18 characters expected"),
        ("4403011985010100141", "18 characters expected"),
        ("", "18 characters expected"),
        ("44030119850101001Y", "the last must be a digit or X"),
        ("4403011985010X0014", "the first 17 must be digits"),
        ("00030119850101001X", "unknown province 00"),
    ])
    func wrongShapes(number: String, problem: String) {
        let error = #expect(throws: ValidationError.self) { try ResidentID(parsing: number, today: Self.today) }
        #expect(error?.problem == "is not a valid resident ID number (\(problem))")
    }

    @Test("a birth date that is not a real date is rejected")
    func unrealBirthDate() {
        for birth in ["19850230", "19851301", "19850100", "19010229"] {
            let first17 = "440301" + birth + "001"
            let number = first17 + String(ResidentID.checkCharacter(for: first17)!)
            let error = #expect(throws: ValidationError.self) { try ResidentID(parsing: number, today: Self.today) }
            #expect(error?.problem == "is not a valid resident ID number (birth date is not a real date)")
        }
    }

    @Test("a birth date after today is rejected, and today itself is accepted")
    func futureBirth() throws {
        let region = try RegionCode(parsing: "410102")
        let born = ResidentID.make(region: region, birth: LocalDate(year: 2026, month: 2, day: 14)!, sequence: 1)
        let error = #expect(throws: ValidationError.self) { try ResidentID(parsing: born.value, today: Self.today) }
        #expect(error?.problem == "is not a valid resident ID number (birth date in the future)")
        #expect(try ResidentID(parsing: born.value, today: LocalDate(year: 2026, month: 2, day: 14)!) == born)
    }

    @Test("a birth date before 1900 is rejected and 1900-01-01 is accepted")
    func before1900() throws {
        let region = try RegionCode(parsing: "410102")
        let early = ResidentID.make(region: region, birth: LocalDate(year: 1899, month: 12, day: 31)!, sequence: 2)
        let error = #expect(throws: ValidationError.self) { try ResidentID(parsing: early.value, today: Self.today) }
        #expect(error?.problem == "is not a valid resident ID number (birth date before 1900)")
        let first = ResidentID.make(region: region, birth: LocalDate(year: 1900, month: 1, day: 1)!, sequence: 2)
        #expect(try ResidentID(parsing: first.value, today: Self.today).birthDate == LocalDate(year: 1900, month: 1, day: 1)!)
    }

    @Test("a custom field name appears in the error")
    func customField() {
        let error = #expect(throws: ValidationError.self) {
            try ResidentID(parsing: "123", field: "worker_id", today: Self.today)
        }
        #expect(error?.field == "worker_id")
        #expect(error?.value == "123")
    }

    @Test("birth date, region and sequence are read from their positions")
    func parts() throws {
        let id = try ResidentID(parsing: "11010519491231002X", today: Self.today)
        #expect(id.birthDate == LocalDate(year: 1949, month: 12, day: 31)!)
        #expect(id.regionCode == "110105")
        #expect(id.sequence == 2)
    }

    @Test("the masked form keeps the first and last four characters with ten stars")
    func masked() throws {
        let id = try ResidentID(parsing: "410102199003071230", today: Self.today)
        #expect(id.masked == "4101**********1230")
        #expect(id.description == "4101**********1230")
        #expect("\(id)" == "4101**********1230")
        #expect(try ResidentID(parsing: "11010519491231002X", today: Self.today).masked == "1101**********002X")
    }

    @Test("make produces a number with an X check character for the known case")
    func makeWithX() throws {
        let id = ResidentID.make(
            region: try RegionCode(parsing: "410102"), birth: LocalDate(year: 1990, month: 3, day: 7)!, sequence: 6)
        #expect(id.value == "41010219900307006X")
        #expect(try ResidentID(parsing: id.value, today: Self.today) == id)
    }

    @Test("make pads the sequence and every generated number parses back")
    func generatedNumbersParse() throws {
        var generator = SplitMix64(seed: 11643)
        let regions = try ["110105", "410102", "440301", "650102", "810000"].map { try RegionCode(parsing: $0) }
        var checkCharacters = Set<Character>()
        for _ in 0..<3_000 {
            let birth = LocalDate(daysSinceEpoch: Int(generator.next() % 40_000) - 25_000)
            let sequence = Int(generator.next() % 1_000)
            let region = regions[Int(generator.next() % UInt64(regions.count))]
            let id = ResidentID.make(region: region, birth: birth, sequence: sequence)
            let parsed = try ResidentID(parsing: id.value, today: Self.today)
            #expect(parsed.birthDate == birth)
            #expect(parsed.sequence == sequence)
            #expect(parsed.regionCode == region.value)
            checkCharacters.insert(id.value.last!)
        }
        #expect(checkCharacters == Set("0123456789X"))
    }

    @Test("JSON round-trips the full number")
    func codable() throws {
        let id = try ResidentID(parsing: "11010519491231002X", today: Self.today)
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["11010519491231002X"]"#)
        #expect(try JSONDecoder().decode([ResidentID].self, from: data) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ResidentID].self, from: Data(#"["110105194912310021"]"#.utf8))
        }
    }
}
