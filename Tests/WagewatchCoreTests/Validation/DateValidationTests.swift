import Foundation
import PostgresClient
import Testing
@testable import WagewatchCore

@Suite("Dates in YYYY-MM-DD")
struct DateValidationTests {
    @Test("real dates parse", arguments: [
        ("2026-02-13", 2026, 2, 13),
        ("2024-02-29", 2024, 2, 29),
        ("2000-02-29", 2000, 2, 29),
        ("2025-12-31", 2025, 12, 31),
        (" 2026-02-13 ", 2026, 2, 13),
        ("２０２６－０２－１３", 2026, 2, 13),
    ])
    func realDates(text: String, year: Int, month: Int, day: Int) throws {
        #expect(try DateInput.date(text, field: "owed_since") == LocalDate(year: year, month: month, day: day)!)
    }

    @Test("well-formed but impossible dates are not real dates", arguments: [
        "2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01",
    ])
    func impossibleDates(text: String) {
        #expect(throws: ValidationError(field: "owed_since", value: text, problem: "is not a real date")) {
            try DateInput.date(text, field: "owed_since")
        }
    }

    @Test("other shapes are refused with the expected format", arguments: [
        "", "2026-2-13", "2026/02/13", "13/02/2026", "20260213", "2026-02-13T00:00", "2026年2月13日", "2026-02-1a",
    ])
    func otherShapes(text: String) {
        #expect(throws: ValidationError(field: "date", value: text, problem: "is not a date (YYYY-MM-DD expected)")) {
            try DateInput.date(text, field: "date")
        }
    }
}

@Suite("Months in YYYY-MM")
struct MonthValidationTests {
    @Test("a month parses and prints back")
    func parsesAndPrints() throws {
        let month = try DateInput.month("2026-02", field: "period")
        #expect(month.year == 2026)
        #expect(month.month == 2)
        #expect(month.description == "2026-02")
        #expect(try DateInput.month(" ２０２５－１２ ", field: "period") == Month(year: 2025, month: 12)!)
    }

    @Test("impossible months are not real months", arguments: ["2026-13", "2026-00", "0000-05"])
    func impossibleMonths(text: String) {
        #expect(throws: ValidationError(field: "period", value: text, problem: "is not a real month")) {
            try DateInput.month(text, field: "period")
        }
    }

    @Test("other shapes are refused with the expected format", arguments: ["", "2026-2", "202602", "2026-02-01", "02/2026", "2026年2月"])
    func otherShapes(text: String) {
        #expect(throws: ValidationError(field: "period", value: text, problem: "is not a month (YYYY-MM expected)")) {
            try DateInput.month(text, field: "period")
        }
    }

    @Test("first and last days follow month lengths and leap years")
    func firstAndLastDays() {
        #expect(Month(year: 2026, month: 2)!.firstDay == LocalDate(year: 2026, month: 2, day: 1)!)
        #expect(Month(year: 2026, month: 2)!.lastDay == LocalDate(year: 2026, month: 2, day: 28)!)
        #expect(Month(year: 2024, month: 2)!.lastDay == LocalDate(year: 2024, month: 2, day: 29)!)
        #expect(Month(year: 2026, month: 4)!.lastDay == LocalDate(year: 2026, month: 4, day: 30)!)
        #expect(Month(year: 2025, month: 12)!.lastDay == LocalDate(year: 2025, month: 12, day: 31)!)
    }

    @Test("next and previous cross year ends")
    func nextAndPrevious() {
        #expect(Month(year: 2025, month: 12)!.next == Month(year: 2026, month: 1)!)
        #expect(Month(year: 2026, month: 1)!.previous == Month(year: 2025, month: 12)!)
        #expect(Month(year: 2026, month: 5)!.next.previous == Month(year: 2026, month: 5)!)
        var month = Month(year: 2025, month: 1)!
        for _ in 0..<24 { month = month.next }
        #expect(month == Month(year: 2027, month: 1)!)
    }

    @Test("months order by year then month")
    func ordering() {
        let months = [Month(year: 2026, month: 1)!, Month(year: 2025, month: 12)!, Month(year: 2025, month: 2)!]
        #expect(months.sorted().map(\.description) == ["2025-02", "2025-12", "2026-01"])
    }

    @Test("a month contains exactly its own days")
    func containing() {
        let february = Month(containing: LocalDate(year: 2026, month: 2, day: 13)!)
        #expect(february == Month(year: 2026, month: 2)!)
        #expect(february.contains(LocalDate(year: 2026, month: 2, day: 28)!))
        #expect(!february.contains(LocalDate(year: 2026, month: 3, day: 1)!))
        #expect(!february.contains(LocalDate(year: 2025, month: 2, day: 1)!))
    }

    @Test("invalid components make no month")
    func invalidComponents() {
        #expect(Month(year: 2026, month: 0) == nil)
        #expect(Month(year: 2026, month: 13) == nil)
        #expect(Month(year: 0, month: 1) == nil)
        #expect(Month(year: 10_000, month: 1) == nil)
    }

    @Test("a year below 1000 is printed with four digits")
    func padding() {
        #expect(Month(year: 999, month: 3)!.description == "0999-03")
    }

    @Test("JSON round-trips as YYYY-MM")
    func codable() throws {
        let data = try JSONEncoder().encode([Month(year: 2026, month: 2)!])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-02"]"#)
        #expect(try JSONDecoder().decode([Month].self, from: data) == [Month(year: 2026, month: 2)!])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Month].self, from: Data(#"["2026-2"]"#.utf8)) }
    }
}

@Suite("Receipt times")
struct ReceivedAtTests {
    /// 2026-02-13 09:30 in Shanghai, 01:30 UTC, computed independently.
    static let friday0930 = Date(timeIntervalSince1970: 1_770_946_200)

    @Test("the same instant is read from every accepted form", arguments: [
        "2026-02-13 09:30",
        "2026-02-13 09:30:00",
        "2026-02-13T09:30:00+08:00",
        "2026-02-13T09:30+08:00",
        "2026-02-13T09:30:00+0800",
        "2026-02-13T09:30:00+08",
        "2026-02-13T01:30:00Z",
        "2026-02-13t01:30:00z",
        "2026-02-13T01:30Z",
        "2026-02-12T20:30:00-05:00",
        "2026-02-13T07:00:00+05:30",
        "2026-02-13T01:30:00.000Z",
        " 2026-02-13 09:30 ",
        "２０２６－０２－１３　０９：３０",
    ])
    func sameInstant(text: String) throws {
        #expect(try DateInput.receivedAt(text, field: "received_at") == Self.friday0930)
    }

    @Test("fractional seconds are kept")
    func fractionalSeconds() throws {
        let instant = try DateInput.receivedAt("2026-02-13T01:30:00.25Z", field: "received_at")
        #expect(instant.timeIntervalSince1970 == 1_770_946_200.25)
    }

    @Test("midnight UTC is eight in the morning in Shanghai")
    func offsetIsEightHours() throws {
        let local = try DateInput.receivedAt("2000-01-01 08:00", field: "received_at")
        #expect(local.timeIntervalSince1970 == 946_684_800)
    }

    @Test("an ISO time without an offset is refused because its zone is unknown")
    func missingOffset() {
        #expect(throws: ValidationError(
            field: "received_at", value: "2026-02-13T09:30:00",
            problem: "has no UTC offset (add Z or +08:00)")) {
            try DateInput.receivedAt("2026-02-13T09:30:00", field: "received_at")
        }
    }

    @Test("impossible dates and times of day are named", arguments: [
        ("2026-02-30 09:30", "is not a real date"),
        ("2026-02-13 24:00", "is not a real time of day"),
        ("2026-02-13 09:60", "is not a real time of day"),
        ("2026-02-13T09:30:60Z", "is not a real time of day"),
        ("2026-02-13T09:30:00+19:00", "has an impossible UTC offset"),
        ("2026-02-13T09:30:00+08:60", "has an impossible UTC offset"),
    ])
    func impossible(text: String, problem: String) {
        #expect(throws: ValidationError(field: "received_at", value: text, problem: problem)) {
            try DateInput.receivedAt(text, field: "received_at")
        }
    }

    @Test("other shapes are refused with both accepted forms named", arguments: [
        "", "2026-02-13", "2026/02/13 09:30", "2026-02-13 9:30", "2026-02-13 09:30+08:00", "2026-02-13 09:30:00Z",
        "2026-02-13T09:30:00+08:00x", "2026-02-13T09:30:00Zx", "2026-02-13T09:30:00.Z", "2026-02-13T09:30:00+8",
        "2026-02-13_09:30", "1770946200", "2026-02-13 09:30:0",
    ])
    func otherShapes(text: String) {
        let error = #expect(throws: ValidationError.self) { try DateInput.receivedAt(text, field: "received_at") }
        #expect(error?.field == "received_at")
        #expect(error?.value == text)
        #expect(error?.problem == "is not a time (YYYY-MM-DD HH:MM in Asia/Shanghai, or ISO 8601 with an offset, expected)")
    }

    @Test("the Shanghai date turns over at 16:00 UTC")
    func shanghaiDate() {
        let before = Date(timeIntervalSince1970: 1_770_911_999)  // 2026-02-12 15:59:59 UTC
        let after = Date(timeIntervalSince1970: 1_770_912_000)  // 2026-02-12 16:00:00 UTC
        #expect(DateInput.shanghaiDate(of: before) == LocalDate(year: 2026, month: 2, day: 12)!)
        #expect(DateInput.shanghaiDate(of: after) == LocalDate(year: 2026, month: 2, day: 13)!)
        #expect(DateInput.shanghaiDate(of: Self.friday0930) == LocalDate(year: 2026, month: 2, day: 13)!)
    }

    @Test("instants before 1970 floor to the right Shanghai date")
    func before1970() {
        #expect(DateInput.shanghaiDate(of: Date(timeIntervalSince1970: -28_801)) == LocalDate(year: 1969, month: 12, day: 31)!)
        #expect(DateInput.shanghaiDate(of: Date(timeIntervalSince1970: -28_800)) == LocalDate(year: 1970, month: 1, day: 1)!)
        #expect(DateInput.shanghaiDate(of: Date(timeIntervalSince1970: -0.5)) == LocalDate(year: 1970, month: 1, day: 1)!)
    }

    @Test("today is the Shanghai date of the given clock")
    func today() {
        #expect(DateInput.today(now: Date(timeIntervalSince1970: 1_770_912_000)) == LocalDate(year: 2026, month: 2, day: 13)!)
    }

    @Test("an instant printed as a Shanghai minute reads back")
    func minuteRoundTrip() throws {
        #expect(DateInput.shanghaiMinute(of: Self.friday0930) == "2026-02-13 09:30")
        var generator = SplitMix64(seed: 800)
        for _ in 0..<1_000 {
            let minutes = Int(generator.next() % 40_000_000) - 10_000_000
            let instant = Date(timeIntervalSince1970: TimeInterval(minutes * 60))
            #expect(try DateInput.receivedAt(DateInput.shanghaiMinute(of: instant), field: "received_at") == instant)
        }
    }

    @Test("the Shanghai zone is a fixed UTC+8 with no daylight saving")
    func fixedZone() {
        #expect(DateInput.shanghai.secondsFromGMT(for: Date(timeIntervalSince1970: 1_751_328_000)) == 28_800)
        #expect(DateInput.shanghai.secondsFromGMT(for: Date(timeIntervalSince1970: 1_767_225_600)) == 28_800)
    }
}
