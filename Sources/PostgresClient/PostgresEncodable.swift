import Foundation

/// One bound parameter: its text form (nil for SQL NULL) and the type the server should read it as.
public struct PostgresBinding: Sendable, Hashable {
    public let text: String?
    public let type: PostgresType

    public init(text: String?, type: PostgresType) {
        self.text = text
        self.type = type
    }
}

/// A Swift value that can be bound as a query parameter.
public protocol PostgresEncodable {
    var postgresBinding: PostgresBinding { get }
}

extension String: PostgresEncodable {
    /// Bound as `unknown` so the server reads it as whatever its context needs (text, date, jsonb …).
    public var postgresBinding: PostgresBinding { PostgresBinding(text: self, type: .unknown) }
}

extension Substring: PostgresEncodable {
    public var postgresBinding: PostgresBinding { String(self).postgresBinding }
}

extension Int64: PostgresEncodable {
    public var postgresBinding: PostgresBinding { PostgresBinding(text: String(self), type: .int8) }
}

extension Int: PostgresEncodable {
    /// Bound as `unknown`, so the server gives it the integer type its context needs (a function's
    /// `integer` argument, a `bigint` column); use `Int64` or `Int32` to fix the width.
    public var postgresBinding: PostgresBinding { PostgresBinding(text: String(self), type: .unknown) }
}

extension Int32: PostgresEncodable {
    public var postgresBinding: PostgresBinding { PostgresBinding(text: String(self), type: .int4) }
}

extension Int16: PostgresEncodable {
    public var postgresBinding: PostgresBinding { PostgresBinding(text: String(self), type: .int2) }
}

extension Bool: PostgresEncodable {
    public var postgresBinding: PostgresBinding { PostgresBinding(text: self ? "t" : "f", type: .bool) }
}

extension LocalDate: PostgresEncodable {
    public var postgresBinding: PostgresBinding { PostgresBinding(text: description, type: .date) }
}

extension UUID: PostgresEncodable {
    public var postgresBinding: PostgresBinding { PostgresBinding(text: uuidString.lowercased(), type: .uuid) }
}

extension Date: PostgresEncodable {
    /// Bound as an ISO 8601 instant in UTC with microseconds.
    public var postgresBinding: PostgresBinding {
        PostgresBinding(text: PostgresTimestamp.format(self), type: .timestamptz)
    }
}

extension Data: PostgresEncodable {
    public var postgresBinding: PostgresBinding {
        let hex = self.map { byte -> String in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        return PostgresBinding(text: "\\x" + hex, type: .bytea)
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public var postgresBinding: PostgresBinding {
        let items = self.map { element -> String in
            guard let text = element.postgresBinding.text else { return "NULL" }
            return PostgresArrayLiteral.quote(text)
        }
        return PostgresBinding(text: "{" + items.joined(separator: ",") + "}", type: Element.arrayType)
    }
}

/// A value that can be an element of a bound array.
public protocol PostgresArrayElement: PostgresEncodable {
    static var arrayType: PostgresType { get }
}

extension String: PostgresArrayElement { public static var arrayType: PostgresType { .textArray } }
extension Int64: PostgresArrayElement { public static var arrayType: PostgresType { .int8Array } }
extension Int: PostgresArrayElement { public static var arrayType: PostgresType { .int8Array } }
extension Int32: PostgresArrayElement { public static var arrayType: PostgresType { .int4Array } }
extension Bool: PostgresArrayElement { public static var arrayType: PostgresType { .boolArray } }
extension LocalDate: PostgresArrayElement { public static var arrayType: PostgresType { .dateArray } }
extension UUID: PostgresArrayElement { public static var arrayType: PostgresType { .uuidArray } }

/// A JSON document bound as `jsonb`.
public struct JSONB: PostgresEncodable, Sendable, Hashable {
    public let text: String
    public init(_ text: String) { self.text = text }
    public init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.text = String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    public var postgresBinding: PostgresBinding { PostgresBinding(text: text, type: .jsonb) }
}

/// A numeric kept as its exact decimal text (never a floating-point value).
public struct Numeric: PostgresEncodable, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var postgresBinding: PostgresBinding { PostgresBinding(text: text, type: .numeric) }
    public var description: String { text }
}

enum PostgresArrayLiteral {
    /// Quotes one element of an array literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for ch in text.unicodeScalars {
            if ch == "\"" || ch == "\\" { out += "\\" }
            out.unicodeScalars.append(ch)
        }
        return out + "\""
    }

    /// Splits a one-dimensional array literal into its elements (nil for NULL).
    static func parse(_ text: String) -> [String?]? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.first == "{", scalars.last == "}" else { return nil }
        var elements: [String?] = []
        var index = 1
        let end = scalars.count - 1
        if index == end { return [] }
        while index <= end {
            var value = String.UnicodeScalarView()
            var quoted = false
            if scalars[index] == "\"" {
                quoted = true
                index += 1
                while index < end, scalars[index] != "\"" {
                    if scalars[index] == "\\", index + 1 < end { index += 1 }
                    value.append(scalars[index])
                    index += 1
                }
                guard index < end else { return nil }
                index += 1  // closing quote
            } else {
                while index < end, scalars[index] != "," {
                    if scalars[index] == "{" { return nil }  // multi-dimensional arrays are not supported
                    value.append(scalars[index])
                    index += 1
                }
            }
            let string = String(value)
            elements.append(!quoted && string == "NULL" ? nil : string)
            guard index == end || scalars[index] == "," else { return nil }
            index += 1
        }
        return elements
    }
}
