import Foundation

/// A Swift value that can be read from a column's text form.
public protocol PostgresDecodable {
    /// Reads a non-NULL value. Throw ``PostgresDecodingFailure`` with a short reason on bad input.
    static func decode(postgresText text: String, type: PostgresType) throws -> Self
    /// The value for SQL NULL; non-optional types throw.
    static func decodeNull() throws -> Self
}

extension PostgresDecodable {
    public static func decodeNull() throws -> Self {
        throw PostgresDecodingFailure("is NULL")
    }
}

/// Why one value could not be decoded; ``Row`` adds the column and the types.
public struct PostgresDecodingFailure: Error, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Self {
        try Wrapped.decode(postgresText: text, type: type)
    }
    public static func decodeNull() throws -> Self { nil }
}

extension String: PostgresDecodable {
    /// Any column can be read as its text form.
    public static func decode(postgresText text: String, type: PostgresType) throws -> String { text }
}

private func decodeInteger<T: FixedWidthInteger>(_ text: String, type: PostgresType, as: T.Type) throws -> T {
    guard [.int2, .int4, .int8, .oidType, .unknown, .text, .numeric].contains(type) else {
        throw PostgresDecodingFailure("is not an integer column")
    }
    guard let value = T(text) else { throw PostgresDecodingFailure("\"\(text)\" does not fit") }
    return value
}

extension Int64: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Int64 {
        try decodeInteger(text, type: type, as: Int64.self)
    }
}

extension Int: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Int {
        try decodeInteger(text, type: type, as: Int.self)
    }
}

extension Int32: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Int32 {
        try decodeInteger(text, type: type, as: Int32.self)
    }
}

extension Int16: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Int16 {
        try decodeInteger(text, type: type, as: Int16.self)
    }
}

extension Bool: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Bool {
        guard type == .bool || type.isTextual else { throw PostgresDecodingFailure("is not a bool column") }
        switch text {
        case "t", "true": return true
        case "f", "false": return false
        default: throw PostgresDecodingFailure("\"\(text)\" is not a bool")
        }
    }
}

extension LocalDate: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> LocalDate {
        guard type == .date || type.isTextual else { throw PostgresDecodingFailure("is not a date column") }
        guard let date = LocalDate(iso: text) else { throw PostgresDecodingFailure("\"\(text)\" is not YYYY-MM-DD") }
        return date
    }
}

extension UUID: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> UUID {
        guard type == .uuid || type.isTextual else { throw PostgresDecodingFailure("is not a uuid column") }
        guard let uuid = UUID(uuidString: text) else { throw PostgresDecodingFailure("\"\(text)\" is not a uuid") }
        return uuid
    }
}

extension Date: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Date {
        guard type == .timestamptz || type.isTextual else {
            throw PostgresDecodingFailure("is not a timestamptz column")
        }
        guard let date = PostgresTimestamp.parse(text) else {
            throw PostgresDecodingFailure("\"\(text)\" is not an ISO timestamp with offset")
        }
        return date
    }
}

extension Data: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Data {
        guard type == .bytea else { return Data(text.utf8) }
        guard text.hasPrefix("\\x") else { throw PostgresDecodingFailure("bytea is not in hex format") }
        let hex = Array(text.utf8.dropFirst(2))
        guard hex.count % 2 == 0 else { throw PostgresDecodingFailure("odd hex length") }
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var i = 0
        while i < hex.count {
            guard let byte = UInt8(String(decoding: hex[i..<i + 2], as: UTF8.self), radix: 16) else {
                throw PostgresDecodingFailure("bad hex digit")
            }
            bytes.append(byte)
            i += 2
        }
        return Data(bytes)
    }
}

extension JSONB: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> JSONB {
        guard type == .jsonb || type == .json || type.isTextual else {
            throw PostgresDecodingFailure("is not a json column")
        }
        return JSONB(text)
    }

    /// Decodes the document into a `Decodable` value.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}

extension Numeric: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Numeric {
        guard type == .numeric || type == .int2 || type == .int4 || type == .int8 || type.isTextual else {
            throw PostgresDecodingFailure("is not a numeric column")
        }
        return Numeric(text)
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> [Element] {
        guard let items = PostgresArrayLiteral.parse(text) else {
            throw PostgresDecodingFailure("is not a one-dimensional array")
        }
        let elementType: PostgresType
        switch type {
        case .int8Array: elementType = .int8
        case .int4Array: elementType = .int4
        case .int2Array: elementType = .int2
        case .textArray, .varcharArray: elementType = .text
        case .boolArray: elementType = .bool
        case .dateArray: elementType = .date
        case .uuidArray: elementType = .uuid
        default: elementType = .unknown
        }
        return try items.map { item in
            guard let item else { return try Element.decodeNull() }
            return try Element.decode(postgresText: item, type: elementType)
        }
    }
}

/// Text forms of `timestamptz` as the server prints them with `DateStyle = ISO`.
public enum PostgresTimestamp {
    /// `2026-11-24T19:54:25.123456Z`
    public static func format(_ date: Date) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let day = LocalDate(daysSinceEpoch: days)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(day)T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + ".\(pad(Int(micros), 6))Z"
    }

    /// Parses `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][Z|±HH[:MM[:SS]]]`; without an offset, UTC.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, let day = LocalDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T") else { return nil }
        var index = 11
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for i in index..<index + count {
                guard bytes[i] >= 48, bytes[i] <= 57 else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            index += count
            return value
        }
        func expect(_ ascii: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: ascii) else { return false }
            index += 1
            return true
        }
        guard let hour = digits(2), hour < 24, expect(":"), let minute = digits(2), minute < 60 else { return nil }
        var second = 0
        var micros = 0
        if expect(":") {
            guard let s = digits(2), s < 61 else { return nil }
            second = s
            if expect(".") {
                var scale = 100_000
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    micros += Int(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            if bytes[index] == UInt8(ascii: "Z") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let oh = digits(2) else { return nil }
                var om = 0
                var os = 0
                if expect(":") {
                    guard let m = digits(2) else { return nil }
                    om = m
                    if expect(":") {
                        guard let s = digits(2) else { return nil }
                        os = s
                    }
                } else if index + 2 <= bytes.count, let m = digits(2) {
                    om = m
                }
                offsetSeconds = sign * (oh * 3600 + om * 60 + os)
            }
        }
        guard index == bytes.count else { return nil }
        let seconds = Int64(day.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(micros) / 1_000_000)
    }
}
