// libFuzzer target for the identity-code validators: the unified social credit code
// (Validation/USCC.swift, GB 32100) and the resident ID number (Validation/ResidentID.swift,
// GB 11643). Built by scripts/fuzz; the input is one code as typed.
//
// Oracles: no crash on any text, multi-byte included; a refusal names the field and the value
// as given; an accepted code is 18 ASCII characters (so one employer or worker can never be
// stored under two spellings), reads back as itself, and every single-character change of it
// is refused.
import Foundation
import PostgresClient
@testable import WagewatchCore

let today = LocalDate(year: 2026, month: 1, day: 1)!
/// Characters a typo can turn a code character into: both alphabets, letters the USCC leaves
/// out, lower case, and a few look-alikes.
let substitutes: [Character] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZx -") + ["\u{212A}", "Ｘ", "Ｏ", "０"]

/// What a character means once the validators have folded full-width forms and upper-cased it
/// (compared byte for byte: String equality would take the Kelvin sign for K).
func typed(_ char: Character) -> String { FullWidth.fold(String(char)).uppercased() }

func isCanonical(_ value: String) -> Bool {
    value.utf8.count == 18 && value.unicodeScalars.allSatisfy { $0.isASCII } && value == value.uppercased()
}

func checkUSCC(_ text: String) {
    let code: USCC
    do {
        code = try USCC(parsing: text, field: "employer_uscc")
    } catch {
        guard error.field == "employer_uscc", error.value == text else { fatalError("bad refusal: \(error)") }
        return
    }
    guard isCanonical(code.value) else { fatalError("accepted \(text.debugDescription) as non-canonical \(code.value.debugDescription)") }
    guard (try? USCC(parsing: code.value))?.value == code.value else { fatalError("\(code.value) does not read back") }
    _ = (code.department, code.organisationType, code.regionCode, code.organisationCode)
    let chars = Array(code.value)
    for index in chars.indices {
        for substitute in substitutes where !typed(substitute).utf8.elementsEqual(String(chars[index]).utf8) {
            var changed = chars
            changed[index] = substitute
            if let accepted = try? USCC(parsing: String(changed)) {
                fatalError("\(code.value) with position \(index + 1) changed to \(substitute) is accepted as \(accepted.value)")
            }
        }
    }
}

func checkResidentID(_ text: String) {
    let id: ResidentID
    do {
        id = try ResidentID(parsing: text, field: "id_number", today: today)
    } catch {
        guard error.field == "id_number", error.value == text else { fatalError("bad refusal: \(error)") }
        return
    }
    guard isCanonical(id.value) else { fatalError("accepted \(text.debugDescription) as non-canonical \(id.value.debugDescription)") }
    guard (try? ResidentID(parsing: id.value, today: today))?.value == id.value else { fatalError("\(id.value) does not read back") }
    guard id.masked.count == 18, !id.description.contains(id.value.dropFirst(4).prefix(10)) else {
        fatalError("\(id.value) is not masked: \(id.masked)")
    }
    _ = (id.birthDate, id.regionCode, id.sequence)
    let chars = Array(id.value)
    for index in chars.indices {
        for substitute in substitutes where !typed(substitute).utf8.elementsEqual(String(chars[index]).utf8) {
            var changed = chars
            changed[index] = substitute
            if let accepted = try? ResidentID(parsing: String(changed), today: today) {
                fatalError("\(id.value) with position \(index + 1) changed to \(substitute) is accepted as \(accepted.value)")
            }
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    checkUSCC(text)
    checkResidentID(text)
    _ = USCC.checkDigit(for: text)
    _ = USCC.organisationCheckDigit(for: text)
    _ = ResidentID.checkCharacter(for: text)
    return 0
}
