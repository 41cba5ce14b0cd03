import Foundation
import Testing
@testable import WagewatchCore

@Suite("Phone numbers")
struct PhoneValidationTests {
    @Test("mobile numbers in every common spelling normalise to 11 digits", arguments: [
        "13812341234",
        "138 1234 1234",
        "138-1234-1234",
        "+8613812341234",
        "+86 138 1234 1234",
        "+86-138-1234-1234",
        "008613812341234",
        "0086 138-1234-1234",
        "１３８１２３４１２３４",
        "\u{3000}138 1234 1234 ",
    ])
    func mobileSpellings(text: String) throws {
        let phone = try PhoneNumber(parsing: text)
        #expect(phone.kind == .mobile)
        #expect(phone.value == "13812341234")
        #expect(phone.areaCode == nil)
        #expect(phone.extension == nil)
    }

    @Test("mobile numbers may start 13 to 19", arguments: ["3", "4", "5", "6", "7", "8", "9"])
    func mobilePrefixes(second: String) throws {
        #expect(try PhoneNumber(parsing: "1\(second)012345678").kind == .mobile)
    }

    @Test("mobile numbers starting 10, 11 or 12 are rejected", arguments: ["10012345678", "11012345678", "12012345678"])
    func badMobilePrefix(text: String) {
        let error = #expect(throws: ValidationError.self) { try PhoneNumber(parsing: text) }
        #expect(error?.problem == "is not a valid phone number (a mobile number starts with 13–19)")
    }

    @Test("mobile numbers of the wrong length are rejected", arguments: ["1381234123", "138123412345", "+86138123412"])
    func badMobileLength(text: String) {
        let error = #expect(throws: ValidationError.self) { try PhoneNumber(parsing: text) }
        #expect(error?.problem == "is not a valid phone number (a mobile number has 11 digits)")
    }

    @Test("landlines normalise to area code, hyphen, number", arguments: [
        ("0371-61234567", "0371-61234567"),
        ("037161234567", "0371-61234567"),
        ("0371 6123 4567", "0371-61234567"),
        ("(0371)61234567", "0371-61234567"),
        ("（０３７１）６１２３４５６７", "0371-61234567"),
        ("0371-6123-4567", "0371-61234567"),
        ("010-61234567", "010-61234567"),
        ("01061234567", "010-61234567"),
        ("010-6123-4567", "010-61234567"),
        ("021-5123456", "021-5123456"),
        ("0898-2123456", "0898-2123456"),
        ("+86 371 6123 4567", "0371-61234567"),
        ("+86-10-6123-4567", "010-61234567"),
        ("0086 21 51234567", "021-51234567"),
        ("+86 0371 61234567", "0371-61234567"),
    ])
    func landlines(text: String, normalised: String) throws {
        let phone = try PhoneNumber(parsing: text)
        #expect(phone.kind == .landline)
        #expect(phone.value == normalised)
        #expect(phone.extension == nil)
    }

    @Test("extensions after a last hyphen or 转 are kept", arguments: [
        ("0371-61234567-123", "0371-61234567-123"),
        ("037161234567-123", "0371-61234567-123"),
        ("0371-61234567转123", "0371-61234567-123"),
        ("0371 61234567 转 8001", "0371-61234567-8001"),
        ("010-6123456-7", "010-6123456-7"),
        ("+86 10 61234567-22", "010-61234567-22"),
    ])
    func extensions(text: String, normalised: String) throws {
        let phone = try PhoneNumber(parsing: text)
        #expect(phone.kind == .landline)
        #expect(phone.value == normalised)
        #expect(phone.extension == normalised.split(separator: "-").last.map(String.init))
    }

    @Test("the area code is split off by its length: 010 and 02X are three digits, others four")
    func areaCodes() throws {
        #expect(try PhoneNumber(parsing: "01061234567").areaCode == "010")
        #expect(try PhoneNumber(parsing: "02961234567").areaCode == "029")
        #expect(try PhoneNumber(parsing: "037161234567").areaCode == "0371")
        #expect(try PhoneNumber(parsing: "09912123456").areaCode == "0991")
    }

    @Test("malformed landlines are rejected", arguments: [
        "0371-123456",
        "0371-123456789",
        "0371-01234567",
        "0371-11234567",
        "011-61234567",
        "00371-61234567",
        "0371",
        "0371-61234567-1234567",
        "0371-61234567转",
        "0371-61234567转12a",
    ])
    func badLandlines(text: String) {
        let error = #expect(throws: ValidationError.self) { try PhoneNumber(parsing: text) }
        #expect(error?.field == "phone")
        #expect(error?.value == text)
        #expect(error?.problem.hasPrefix("is not a valid phone number (") == true)
    }

    @Test("letters, other punctuation and empty text are rejected")
    func garbage() {
        for text in ["", "   ", "138.1234.1234", "138l2341234", "tel:13812341234", "12333#"] {
            #expect(throws: ValidationError.self) { try PhoneNumber(parsing: text) }
        }
        let error = #expect(throws: ValidationError.self) { try PhoneNumber(parsing: "138.1234.1234", field: "caller_phone") }
        #expect(error?.description == #"caller_phone: "138.1234.1234" is not a valid phone number (only digits expected)"#)
    }

    @Test("a mobile is masked to its first three and last four digits")
    func maskedMobile() throws {
        let phone = try PhoneNumber(parsing: "+86 138 0000 1234")
        #expect(phone.masked == "138****1234")
        #expect("\(phone)" == "138****1234")
    }

    @Test("a landline is masked to its area code and last two digits, without the extension")
    func maskedLandline() throws {
        #expect(try PhoneNumber(parsing: "0371-61234567").masked == "0371-******67")
        #expect(try PhoneNumber(parsing: "010-6123456-88").masked == "010-*****56")
    }

    @Test("the same number typed two ways is equal")
    func equality() throws {
        #expect(try PhoneNumber(parsing: "+86 138-1234-1234") == PhoneNumber(parsing: "13812341234"))
        #expect(try PhoneNumber(parsing: "(010) 6123 4567") == PhoneNumber(parsing: "010-61234567"))
    }

    @Test("JSON round-trips the stored form")
    func codable() throws {
        let phones = try [PhoneNumber(parsing: "138 1234 1234"), PhoneNumber(parsing: "0371-61234567转123")]
        let data = try JSONEncoder().encode(phones)
        #expect(String(decoding: data, as: UTF8.self) == #"["13812341234","0371-61234567-123"]"#)
        #expect(try JSONDecoder().decode([PhoneNumber].self, from: data) == phones)
    }
}
