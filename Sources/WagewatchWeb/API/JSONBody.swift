import Foundation
import WagewatchCore

/// A JSON value as the API reads a request body (RFC 8259). Numbers are kept as the literal
/// text the client sent, so an amount in yuan goes to ``WagewatchCore/Money`` exactly as written
/// and money is never a `Double` on the way.
enum RequestJSON: Sendable, Equatable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([RequestJSON])
    case object([JSONMember])

    /// The JSON type's name, for "is a boolean, not text".
    var typeName: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as the client wrote it, for an error message.
    var shown: String {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array: "[…]"
        case .object: "{…}"
        }
    }
}

struct JSONMember: Sendable, Equatable {
    let key: String
    let value: RequestJSON
}

/// A body that is not JSON: where it went wrong (422 `invalid_input`, no field).
struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    let offset: Int
    let problem: String
    var description: String { "body: not JSON at byte \(offset): \(problem)" }
}

/// A strict reader of one JSON text: no trailing commas, comments or bytes after the value,
/// valid UTF-8, nesting at most ``maximumDepth`` deep (a fuzzer's `[[[[…` answers 422, not a
/// crash).
struct JSONReader {
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var at = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads `bytes` as one JSON value.
    static func read(_ bytes: [UInt8]) throws(JSONSyntaxError) -> RequestJSON {
        var reader = JSONReader(bytes)
        // A UTF-8 byte order mark is tolerated, as in the CSV files.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.at = 3 }
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.at == bytes.count else { throw reader.fail("more after the value") }
        return value
    }

    private func fail(_ problem: String) -> JSONSyntaxError { JSONSyntaxError(offset: at, problem: problem) }

    private var next: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func skipSpace() {
        while let b = next, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { at += 1 }
    }

    private mutating func expect(_ word: String) throws(JSONSyntaxError) {
        for b in word.utf8 {
            guard next == b else { throw fail("expected \(word)") }
            at += 1
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> RequestJSON {
        guard depth < Self.maximumDepth else { throw fail("nested deeper than \(Self.maximumDepth)") }
        switch next {
        case UInt8(ascii: "{")?: return try object(depth: depth)
        case UInt8(ascii: "[")?: return try array(depth: depth)
        case UInt8(ascii: "\"")?: return .string(try string())
        case UInt8(ascii: "t")?: try expect("true"); return .bool(true)
        case UInt8(ascii: "f")?: try expect("false"); return .bool(false)
        case UInt8(ascii: "n")?: try expect("null"); return .null
        case let b? where b == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b):
            return .number(try number())
        case nil: throw fail("the body ends where a value should be")
        default: throw fail("no JSON value starts here")
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> RequestJSON {
        at += 1
        var members: [JSONMember] = []
        skipSpace()
        if next == UInt8(ascii: "}") { at += 1; return .object([]) }
        while true {
            skipSpace()
            guard next == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            skipSpace()
            guard next == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            at += 1
            skipSpace()
            members.append(JSONMember(key: key, value: try value(depth: depth + 1)))
            skipSpace()
            switch next {
            case UInt8(ascii: ",")?: at += 1
            case UInt8(ascii: "}")?: at += 1; return .object(members)
            default: throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> RequestJSON {
        at += 1
        var items: [RequestJSON] = []
        skipSpace()
        if next == UInt8(ascii: "]") { at += 1; return .array([]) }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            switch next {
            case UInt8(ascii: ",")?: at += 1
            case UInt8(ascii: "]")?: at += 1; return .array(items)
            default: throw fail("expected ',' or ']'")
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = at
        func digits(_ reader: inout JSONReader) -> Int {
            var n = 0
            while let b = reader.next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { reader.at += 1; n += 1 }
            return n
        }
        if next == UInt8(ascii: "-") { at += 1 }
        if next == UInt8(ascii: "0") {
            at += 1
        } else if digits(&self) == 0 {
            throw fail("a number needs a digit")
        }
        if next == UInt8(ascii: ".") {
            at += 1
            guard digits(&self) > 0 else { throw fail("a digit must follow '.'") }
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            at += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { at += 1 }
            guard digits(&self) > 0 else { throw fail("an exponent needs a digit") }
        }
        return String(decoding: bytes[start..<at], as: UTF8.self)
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        at += 1
        var out: [UInt8] = []
        while true {
            guard let b = next else { throw fail("a string is not closed") }
            at += 1
            switch b {
            case UInt8(ascii: "\""):
                guard let text = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                guard let e = next else { throw fail("a string ends in '\\'") }
                at += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard next == UInt8(ascii: "\\") else { throw fail("a lone surrogate \\u escape") }
                        at += 1
                        guard next == UInt8(ascii: "u") else { throw fail("a lone surrogate \\u escape") }
                        at += 1
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone surrogate \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalar) {
                        throw fail("a lone surrogate \\u escape")
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw fail("not a character") }
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default: throw fail("an unknown escape in a string")
                }
            case 0x00..<0x20:
                throw fail("a control character in a string (escape it)")
            default:
                out.append(b)
            }
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = next else { throw fail("a \\u escape needs four hex digits") }
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
            at += 1
        }
        return value
    }
}

/// A request body that must be one JSON object whose keys are all known: what each key holds,
/// as text for the validators of ``WagewatchCore`` (the same ones the CSV imports and the forms
/// use), with the JSON types each field accepts checked first.
struct JSONFields: Sendable {
    enum Kind: Sendable {
        /// A JSON string (or null).
        case text
        /// A whole JSON number (or null).
        case integer
        /// A JSON number or a string, both read as yuan (P5): `86000`, `86000.50`, `"8.6万"`.
        case yuan
        /// true, false or null.
        case boolean
        /// A date string (`YYYY-MM-DD`) or null: an empty string is not a date (JSON says "none" with null).
        case date
    }

    /// The object's members, by key, as text (nil for null or an empty string).
    let values: [String: String]
    /// A hash of what was sent, independent of the order of keys and of whitespace: two bodies
    /// with the same members are the same request (`Idempotency-Key`).
    let canonical: String

    /// Reads `bytes` as an object of exactly the `fields` given; every problem is named.
    static func read(_ bytes: [UInt8], fields: [(String, Kind)]) throws -> JSONFields {
        let value: RequestJSON
        do {
            value = try JSONReader.read(bytes)
        } catch {
            throw WagewatchError.invalid(error.description)
        }
        guard case .object(let members) = value else {
            throw ValidationError(field: "body", value: value.shown, problem: "is \(value.typeName), not a JSON object")
        }
        let kinds = Dictionary(uniqueKeysWithValues: fields)
        var problems: [ValidationError] = []
        var values: [String: String] = [:]
        var seen = Set<String>()
        var canonical: [(String, String)] = []
        for member in members {
            guard let kind = kinds[member.key] else {
                problems.append(ValidationError(field: member.key, value: member.value.shown,
                                                problem: "is not a field of this request (known: \(fields.map(\.0).joined(separator: ", ")))"))
                continue
            }
            guard seen.insert(member.key).inserted else {
                problems.append(ValidationError(field: member.key, value: member.value.shown, problem: "is given twice"))
                continue
            }
            // libpq passes text as C strings: a NUL would cut the value short without a word.
            if case .string(let s) = member.value, s.utf8.contains(0) {
                problems.append(ValidationError(field: member.key, value: s.replacingOccurrences(of: "\u{0}", with: "\\u0000"),
                                                problem: "contains a NUL character (\\u0000)"))
                continue
            }
            let text: String?
            switch (kind, member.value) {
            case (_, .null): text = nil
            case (.date, .string(let s)) where s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
                problems.append(ValidationError(field: member.key, value: s, problem: "is not a date (YYYY-MM-DD); give null for none"))
                continue
            case (.text, .string(let s)), (.yuan, .string(let s)), (.date, .string(let s)): text = s
            case (.integer, .number(let n)), (.yuan, .number(let n)): text = n
            case (.boolean, .bool(let b)): text = b ? "true" : "false"
            default:
                let wanted = switch kind {
                case .text: "a string"
                case .integer: "a whole number"
                case .yuan: "a number or a string of yuan"
                case .boolean: "true or false"
                case .date: "a date string (YYYY-MM-DD) or null"
                }
                problems.append(ValidationError(field: member.key, value: member.value.shown,
                                                problem: "is \(member.value.typeName), not \(wanted)"))
                continue
            }
            let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            // An empty string or null is the field left out, as an empty CSV cell is.
            if let trimmed, !trimmed.isEmpty {
                values[member.key] = trimmed
                canonical.append((member.key, trimmed))
            }
        }
        if !problems.isEmpty { throw ValidationProblems(problems) }
        let text = canonical.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1.count):\($0.1)" }.joined(separator: "\n")
        return JSONFields(values: values, canonical: text)
    }
}
