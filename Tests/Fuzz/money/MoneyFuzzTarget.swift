// libFuzzer target for the money parser (Sources/WagewatchCore/Validation/Money.swift).
// Built by scripts/fuzz; the input is one amount as typed (bytes, decoded as UTF-8 with
// replacement characters where they are not).
//
// Oracles: no crash or overflow trap on any text; a refusal names the field and carries the
// text as given; an accepted amount is never negative unless negatives are allowed, is the same
// with and without `allowNegative`, and survives format → parse in both of Money's formats.
import Foundation
@testable import WagewatchCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var strict: Int64?
    do {
        strict = try Money.parseYuan(text, field: "wage_due")
    } catch {
        guard error.field == "wage_due", error.value == text, !error.problem.isEmpty else {
            fatalError("refusal does not name the field and value: \(error)")
        }
    }
    var lenient: Int64?
    do {
        lenient = try Money.parseYuan(text, field: "amount", allowNegative: true)
    } catch {
        guard error.field == "amount", error.value == text else { fatalError("bad refusal: \(error)") }
    }
    if let strict {
        guard strict >= 0 else { fatalError("\(text.debugDescription) parsed negative without allowNegative") }
        guard lenient == strict else { fatalError("\(text.debugDescription): \(strict) strict, \(String(describing: lenient)) lenient") }
    }
    if let fen = lenient {
        if strict == nil && fen > 0 {
            fatalError("\(text.debugDescription) is \(fen) only when negatives are allowed")
        }
        for shown in [Money.yuan(fen), Money.yuanGrouped(fen)] {
            let back: Int64
            do {
                back = try Money.parseYuan(shown, allowNegative: true)
            } catch {
                fatalError("\(shown) (from \(text.debugDescription)) does not parse back: \(error)")
            }
            guard back == fen else { fatalError("\(shown) parsed back as \(back), not \(fen)") }
        }
        _ = Money.forOfficials(fen); _ = Money.forOfficials(fen, in: .en)
    }
    return 0
}
