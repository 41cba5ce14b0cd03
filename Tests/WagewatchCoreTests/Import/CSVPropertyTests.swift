import Foundation
import PropertyBased
import Testing
@testable import WagewatchCore

/// Characters that break naive CSV handling, with ordinary and multi-byte text around them.
private let hostileCharacters: [Character] = [
    "a", "Z", "7", "中", "工", "😀", "é", "e\u{301}", ",", "\"", "\r", "\n", "\r\n", " ", "\t", "'", "\\", "$", ";",
    "\u{FEFF}", "\u{202E}", "\u{200B}", "\u{0600}", "<", "&", "\u{301}", "\u{59C}",
]

private let field = Gen<Character?>.element(of: hostileCharacters).map { $0! }.string(of: 0...12)

/// Three fields a row, one to six rows.
private let table = zip(field, field, field).map { [$0, $1, $2] }.array(of: 1...6)

/// A field as RFC 4180 writes it: quoted only when it must be (by Unicode scalar, so a CRLF
/// grapheme counts as a line break), or always.
private func encode(_ value: String, alwaysQuote: Bool) -> String {
    let mustQuote = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
    guard alwaysQuote || mustQuote else { return value }
    // Doubled by scalar: `replacingOccurrences(of: "\"", …)` compares graphemes, and a quote that a
    // combining mark follows is not a "\"" to it.
    var out = String.UnicodeScalarView()
    out.append("\"")
    for scalar in value.unicodeScalars {
        if scalar == "\"" { out.append("\"") }
        out.append(scalar)
    }
    out.append("\"")
    return String(out)
}

/// What the reader promises to hand back for a written value: the text trimmed of surrounding
/// ASCII whitespace, nil when nothing is left.
private func expected(_ value: String) -> String? {
    var scalars = Substring(value).unicodeScalars
    let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || (0x09...0x0D).contains($0.value) }
    while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
    while let last = scalars.last, isSpace(last) { scalars.removeLast() }
    return scalars.isEmpty ? nil : String(scalars)
}

private let schema = CSVSchema(required: ["a", "b", "c"])

private func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) rethrows -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("csvprop-\(UUID().uuidString).csv").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Every record's values, or the problems, from reading `bytes` with buffers of `chunkSize`.
private func readAll(_ bytes: [UInt8], chunkSize: Int) throws -> (values: [[String?]], problems: [String]) {
    try withFile(bytes) { path in
        var reader = try CSVReader(path: path, schema: schema, chunkSize: chunkSize)
        var values: [[String?]] = []
        var problems: [String] = []
        do {
            while let row = try reader.next() {
                switch row {
                case .success(let record): values.append(schema.columns.map { record[$0] })
                case .failure(let error): problems.append(error.description)
                }
            }
        } catch {
            problems.append("\(error)")
        }
        return (values, problems)
    }
}

@Suite("CSV reader properties")
struct CSVPropertyTests {
    @Test("any fields written as RFC 4180 (BOM, CRLF, quotes, commas, bidi and zero-width text) read back the same")
    func roundTrip() async throws {
        await propertyCheck(count: 300, input: table, Gen.bool, Gen.bool, Gen.int(in: 1...9)) { table, bom, alwaysQuote, chunk throws in
            var text = "a,b,c\r\n"
            for row in table {
                text += row.map { encode($0, alwaysQuote: alwaysQuote) }.joined(separator: ",") + "\r\n"
            }
            let bytes = (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
            let (values, problems) = try readAll(bytes, chunkSize: chunk)
            #expect(problems.isEmpty, "\(problems)")
            #expect(values == table.map { $0.map(expected) })
        }
    }

    @Test("a small read buffer gives exactly what a whole-file buffer gives, on any bytes")
    func chunkBoundariesNeverShow() async throws {
        let bytes = Gen<UInt8?>.element(of: Array("a,\"\r\n b".utf8) + [0, 0xEF, 0xBB, 0xBF, 0xFF, 0xE4, 0xB8]).map { $0! }
            .array(of: 0...80)
        await propertyCheck(count: 500, input: bytes, Gen.int(in: 1...7)) { body, chunk throws in
            let file = Array("a,b,c\n".utf8) + body
            let whole = try readAll(file, chunkSize: 1 << 20)
            let small = try readAll(file, chunkSize: chunk)
            #expect(small.values == whole.values)
            #expect(small.problems == whole.problems)
        }
    }

    @Test("the exposure list's CSV cells read back as written")
    func exposureListCellsRoundTrip() throws {
        for value in ["普通名称", "a,b", "say \"hi\"", "two\nlines"] {
            let (values, problems) = try readAll(Array("a,b,c\n\(ExposureList.csvField(value)),x,y\n".utf8), chunkSize: 1 << 20)
            #expect(problems.isEmpty && values == [[value, "x", "y"]], "\(value.debugDescription)")
        }
        // CR LF is one Character and a quote a combining mark follows is another: the writers work
        // on Unicode scalars (TextEscaping), so both are quoted and doubled.
        for value in ["two\r\nlines", "x\"\u{301}, y"] {
            let (values, problems) = try readAll(Array("a,b,c\n\(ExposureList.csvField(value)),x,y\n".utf8), chunkSize: 1 << 20)
            #expect(problems.isEmpty && values == [[value, "x", "y"]], "\(value.debugDescription)")
        }
    }

    @Test("a NUL byte or invalid UTF-8 in any cell is refused naming the line and the column")
    func nulAndInvalidUTF8AreRefused() async throws {
        let poison: [[UInt8]] = [[0], [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]
        await propertyCheck(
            count: 200, input: field, Gen<[UInt8]?>.element(of: poison).map { $0! }, Gen.int(in: 0...2), Gen.bool, Gen.bool
        ) { text, poison, column, quoted, atEnd throws in
            var cells = ["x", "y", "z"].map { Array($0.utf8) }
            let clean = Array(encode(text, alwaysQuote: true).utf8.dropFirst().dropLast())
            // Before or after the text, so the poison never splits a doubled quote.
            cells[column] = (quoted ? [0x22] : []) + (atEnd ? clean + poison : poison + clean) + (quoted ? [0x22] : [])
            if !quoted && cells[column].contains(where: { $0 == 0x22 || $0 == 0x2C || $0 == 0x0A || $0 == 0x0D }) { return }
            let file = Array("a,b,c\nok,ok,ok\n".utf8) + cells.joined(separator: [0x2C]) + [0x0A]
            let (values, problems) = try readAll(file, chunkSize: 5)
            #expect(values == [["ok", "ok", "ok"]])
            #expect(problems.count == 1)
            let name = ["a", "b", "c"][column]
            #expect(problems.first?.hasPrefix("line 3: \(name): ") == true, "\(problems)")
        }
    }
}
