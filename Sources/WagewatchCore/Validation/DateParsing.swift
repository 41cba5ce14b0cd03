import Foundation
import PostgresClient

/// A calendar month (`YYYY-MM`): the period of payroll, attendance and direct-pay batches.
public struct Month: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// A month of years 1–9999, or nil.
    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM` exactly.
    public init?(iso text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 7, utf8[4] == UInt8(ascii: "-"),
              let year = DateInput.number(utf8[0..<4]), let month = DateInput.number(utf8[5..<7]) else { return nil }
        self.init(year: year, month: month)
    }

    /// The month a date falls in.
    public init(containing date: LocalDate) {
        self.year = date.year
        self.month = date.month
    }

    private init(unchecked year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    public var lastDay: LocalDate {
        LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
    }
    public var next: Month { month == 12 ? Month(unchecked: year + 1, month: 1) : Month(unchecked: year, month: month + 1) }
    public var previous: Month { month == 1 ? Month(unchecked: year - 1, month: 12) : Month(unchecked: year, month: month - 1) }

    public func contains(_ date: LocalDate) -> Bool { date.year == year && date.month == month }

    public static func < (lhs: Month, rhs: Month) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }

    public var description: String {
        let y = String(year), m = String(month)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count < 2 ? "0" : "") + m
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let month = Month(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a YYYY-MM month: \(text)")
        }
        self = month
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Parsers for the dates, months and receipt times of SPEC §5, and the Asia/Shanghai clock
/// every deadline is counted in (UTC+8 all year: China has no daylight saving).
public enum DateInput {
    /// Seconds east of UTC in Asia/Shanghai.
    public static let shanghaiOffsetSeconds = 8 * 3600
    /// Asia/Shanghai as a fixed-offset zone, the same on every platform and tzdata version.
    public static let shanghai = TimeZone(secondsFromGMT: shanghaiOffsetSeconds)!

    /// Parses exactly `YYYY-MM-DD`, a real date (surrounding whitespace and full-width digits tolerated).
    public static func date(_ text: String, field: String) throws(ValidationError) -> LocalDate {
        let cleaned = FullWidth.cleaned(text)
        if let date = LocalDate(iso: cleaned) { return date }
        if isShaped(cleaned, like: "DDDD-DD-DD") {
            throw ValidationError(field: field, value: text, problem: "is not a real date")
        }
        throw ValidationError(field: field, value: text, problem: "is not a date (YYYY-MM-DD expected)")
    }

    /// Parses exactly `YYYY-MM`.
    public static func month(_ text: String, field: String) throws(ValidationError) -> Month {
        let cleaned = FullWidth.cleaned(text)
        if let month = Month(iso: cleaned) { return month }
        if isShaped(cleaned, like: "DDDD-DD") {
            throw ValidationError(field: field, value: text, problem: "is not a real month")
        }
        throw ValidationError(field: field, value: text, problem: "is not a month (YYYY-MM expected)")
    }

    /// Parses a receipt time: `YYYY-MM-DD HH:MM[:SS]` in Asia/Shanghai, or ISO 8601
    /// `YYYY-MM-DDTHH:MM[:SS[.fff]]` with `Z` or an offset `±HH:MM`.
    public static func receivedAt(_ text: String, field: String) throws(ValidationError) -> Date {
        let utf8 = Array(FullWidth.cleaned(text).utf8)
        func fail(_ problem: String) -> ValidationError {
            ValidationError(field: field, value: text, problem: problem)
        }
        let expected = "is not a time (YYYY-MM-DD HH:MM in Asia/Shanghai, or ISO 8601 with an offset, expected)"
        guard utf8.count >= 16, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"), utf8[13] == UInt8(ascii: ":"),
              let year = number(utf8[0..<4]), let month = number(utf8[5..<7]), let day = number(utf8[8..<10]),
              let hour = number(utf8[11..<13]), let minute = number(utf8[14..<16]) else { throw fail(expected) }
        let separator = utf8[10]
        let isISO = separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
        guard isISO || separator == UInt8(ascii: " ") else { throw fail(expected) }
        guard let date = LocalDate(year: year, month: month, day: day) else { throw fail("is not a real date") }
        guard hour < 24, minute < 60 else { throw fail("is not a real time of day") }

        var index = 16
        var second = 0
        var nanoseconds = 0
        if index < utf8.count, utf8[index] == UInt8(ascii: ":") {
            guard index + 3 <= utf8.count, let s = number(utf8[(index + 1)..<(index + 3)]) else { throw fail(expected) }
            guard s < 60 else { throw fail("is not a real time of day") }
            second = s
            index += 3
            if isISO, index < utf8.count, utf8[index] == UInt8(ascii: ".") || utf8[index] == UInt8(ascii: ",") {
                index += 1
                var digits = 0
                while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                    if digits < 9 { nanoseconds = nanoseconds * 10 + Int(utf8[index] - 48) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { throw fail(expected) }
                for _ in min(digits, 9)..<9 { nanoseconds *= 10 }
            }
        }

        var offset = shanghaiOffsetSeconds
        if isISO {
            guard index < utf8.count else { throw fail("has no UTC offset (add Z or +08:00)") }
            let sign = utf8[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                guard index + 1 == utf8.count else { throw fail(expected) }
                offset = 0
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                let rest = utf8[(index + 1)...]
                let hh: Int?, mm: Int?
                switch rest.count {
                case 5 where rest[rest.startIndex + 2] == UInt8(ascii: ":"):
                    hh = number(rest.prefix(2)); mm = number(rest.suffix(2))
                case 4:
                    hh = number(rest.prefix(2)); mm = number(rest.suffix(2))
                case 2:
                    hh = number(rest); mm = 0
                default:
                    hh = nil; mm = nil
                }
                guard let hh, let mm else { throw fail(expected) }
                guard hh <= 18, mm < 60, hh * 60 + mm <= 18 * 60 else { throw fail("has an impossible UTC offset") }
                offset = (hh * 3600 + mm * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                throw fail(expected)
            }
        } else {
            guard index == utf8.count else { throw fail(expected) }
        }

        let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(nanoseconds) / 1_000_000_000)
    }

    /// The calendar date in Asia/Shanghai at an instant.
    /// A moment given as a date (`YYYY-MM-DD`, taken as midnight in Asia/Shanghai) or as
    /// ``receivedAt(_:field:)`` accepts it; for ledger transfers.
    public static func instant(_ text: String, field: String) throws(ValidationError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 10, LocalDate(iso: trimmed) != nil {
            return try receivedAt(trimmed + " 00:00", field: field)
        }
        return try receivedAt(trimmed, field: field)
    }

    public static func shanghaiDate(of instant: Date) -> LocalDate {
        shanghaiWallClock(of: instant).date
    }

    /// Midnight at the start of `date` in Asia/Shanghai.
    public static func shanghaiMidnight(of date: LocalDate) -> Date {
        Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86_400 - shanghaiOffsetSeconds))
    }

    /// Today's date in Asia/Shanghai; callers that need a fixed clock pass `now`.
    public static func today(now: Date) -> LocalDate {
        shanghaiDate(of: now)
    }

    /// The instant as `YYYY-MM-DD HH:MM` in Asia/Shanghai, the form `receivedAt` reads back.
    public static func shanghaiMinute(of instant: Date) -> String {
        let (date, inDay) = shanghaiWallClock(of: instant)
        let hour = inDay / 3600, minute = inDay % 3600 / 60
        return "\(date) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// The Shanghai date and the whole seconds since its midnight, flooring instants before 1970.
    private static func shanghaiWallClock(of instant: Date) -> (date: LocalDate, secondsInDay: Int) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + shanghaiOffsetSeconds
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        return (LocalDate(daysSinceEpoch: days), seconds - days * 86_400)
    }

    static func number(_ bytes: some Collection<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// Whether `text` has digits where `pattern` has `D` and the same characters elsewhere.
    static func isShaped(_ text: some StringProtocol, like pattern: String) -> Bool {
        let utf8 = Array(text.utf8), shape = Array(pattern.utf8)
        guard utf8.count == shape.count else { return false }
        return zip(utf8, shape).allSatisfy { byte, expected in
            expected == UInt8(ascii: "D") ? (byte >= 48 && byte <= 57) : byte == expected
        }
    }
}
