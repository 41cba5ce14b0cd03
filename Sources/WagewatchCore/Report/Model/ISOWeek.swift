import Foundation
import PostgresClient

/// An ISO 8601 week (Monday to Sunday), counted in Asia/Shanghai dates: `2026-W08`.
public struct ISOWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// A week that exists: 1…52, or 1…53 in a year with 53 ISO weeks.
    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www` (`2026-W08`); anything else is invalid input naming the value.
    public init(parsing text: String, field: String = "week") throws(ValidationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCII), let year = Int(parts[0]),
              parts[1].count == 3, parts[1].first == "W", let week = Int(parts[1].dropFirst()),
              parts[1].dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw ValidationError(field: field, value: text, problem: "is not an ISO week (YYYY-Www, e.g. 2026-W08)")
        }
        guard let valid = ISOWeek(year: year, week: week) else {
            throw ValidationError(
                field: field, value: text, problem: "is not a week of \(year) (it has \(ISOWeek.weeks(in: year)) ISO weeks)")
        }
        self = valid
    }

    /// The ISO week a date falls in (the week's Thursday decides its year).
    public static func containing(_ date: LocalDate) -> ISOWeek {
        let thursday = date.adding(days: 4 - date.isoWeekday)
        let jan1 = LocalDate(year: thursday.year, month: 1, day: 1)!
        let week = (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
        return ISOWeek(unchecked: thursday.year, week)
    }

    private init(unchecked year: Int, _ week: Int) {
        self.year = year
        self.week = week
    }

    /// How many ISO weeks a year has (52 or 53): the week of 28 December.
    public static func weeks(in year: Int) -> Int {
        guard let dec28 = LocalDate(year: year, month: 12, day: 28) else { return 0 }
        let thursday = dec28.adding(days: 4 - dec28.isoWeekday)
        let jan1 = LocalDate(year: thursday.year, month: 1, day: 1)!
        return (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
    }

    /// The week's Monday (Asia/Shanghai date).
    public var monday: LocalDate {
        let jan4 = LocalDate(year: year, month: 1, day: 4)!
        return jan4.adding(days: 1 - jan4.isoWeekday + (week - 1) * 7)
    }

    /// The week's Sunday (Asia/Shanghai date).
    public var sunday: LocalDate { monday.adding(days: 6) }

    /// The week `n` weeks later (earlier for negative `n`).
    public func adding(weeks n: Int) -> ISOWeek { ISOWeek.containing(monday.adding(days: 7 * n)) }

    /// This week and the 11 before it, oldest first: the report's 12-week trend.
    public var trend: [ISOWeek] { (0..<12).map { adding(weeks: $0 - 11) } }

    public func contains(_ date: LocalDate) -> Bool { date >= monday && date <= sunday }

    /// `YYYY-Www`, the year in four digits as it is parsed (`0891-W28`, not `891-W28`).
    public var description: String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "-W\(week < 10 ? "0" : "")\(week)"
    }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }
}
