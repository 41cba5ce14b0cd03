import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

private func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }

private let fri_feb_13_2026 = day(2026, 2, 13)
private let sat_feb_14_2026 = day(2026, 2, 14)
private let fri_feb_27_2026 = day(2026, 2, 27)
private let sat_feb_28_2026 = day(2026, 2, 28)
private let mon_mar_02_2026 = day(2026, 3, 2)
private let fri_mar_06_2026 = day(2026, 3, 6)
private let tue_mar_10_2026 = day(2026, 3, 10)
private let fri_mar_13_2026 = day(2026, 3, 13)
private let mon_mar_16_2026 = day(2026, 3, 16)

/// `ww_add_working_days(d, n)` as the database computes it.
private func sqlDeadline(_ db: Connection, _ date: LocalDate, _ n: Int32) throws -> LocalDate {
    try db.query("SELECT ww_add_working_days(\(date), \(n)) AS due").one().decode("due")
}

private func calendarRowCount(_ db: Connection) throws -> Int {
    try db.query("SELECT count(*) AS n FROM calendar_days").one().decode("n")
}

/// A calendar file holding `data`, for `CalendarImport`, which reads files as every import does.
private func csvFile(_ data: Data) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ww-calendar-\(UUID().uuidString).csv").path
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

/// Imports `data` as a calendar file through the import driver; the summary's counts.
private func importCalendar(_ data: Data, into db: Connection, dryRun: Bool = false) throws -> [String: Int] {
    try CalendarImport().run(path: try csvFile(data), dryRun: dryRun, on: db).counts
}

private func counts(inserted: Int, updated: Int, unchanged: Int) -> [String: Int] {
    ["inserted": inserted, "updated": updated, "unchanged": unchanged]
}

/// The message of the `WagewatchError` that `body` throws, after checking it is invalid input.
private func invalidInputMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as WagewatchError {
        #expect(error.kind == .invalidInput)
        #expect(error.exitCode == 3)
        return error.message
    } catch {
        Issue.record("expected a WagewatchError, got \(error)")
        return nil
    }
}

@Suite("Working-day calendar in PostgreSQL")
struct CalendarSQLTests {
    @Test("the migration seeds exactly the rows of WorkingCalendar.national2025and2026, notes included")
    func seedMatchesSwift() async throws {
        try await TestDatabase.withFresh { db, _ in
            let national = WorkingCalendar.national2025and2026
            var sqlRows: [LocalDate: (DayKind, String?)] = [:]
            for row in try db.query("SELECT day, kind, note FROM calendar_days ORDER BY day") {
                let kind = try #require(DayKind(rawValue: try row.decode("kind", as: String.self)))
                sqlRows[try row.decode("day")] = (kind, try row.decode("note", as: String?.self))
            }
            #expect(sqlRows.count == 72)
            #expect(Set(sqlRows.keys) == Set(national.exceptions.keys))
            for (date, (kind, note)) in sqlRows {
                #expect(national.exceptions[date] == kind, "kind of \(date)")
                #expect(national.notes[date] == note, "note of \(date)")
            }
            #expect(try WorkingCalendar.load(db) == national)
        }
    }

    @Test("SQL and Swift agree on every date of 2025 and 2026: is_working_day, add_working_days (1, 3, 5, 30, 60), working_days_between")
    func sqlAndSwiftAgreeDayByDay() async throws {
        try await TestDatabase.withFresh { db, _ in
            let calendar = try WorkingCalendar.load(db)
            let before2025 = day(2024, 12, 31)
            let newYear2026 = day(2026, 1, 1)
            let rows = try db.query("""
                SELECT g.day::date AS day,
                       ww_is_working_day(g.day::date) AS working,
                       ww_add_working_days(g.day::date, 1) AS due_1,
                       ww_add_working_days(g.day::date, 3) AS due_3,
                       ww_add_working_days(g.day::date, 5) AS due_5,
                       ww_add_working_days(g.day::date, 30) AS due_30,
                       ww_add_working_days(g.day::date, 60) AS due_60,
                       ww_working_days_between(\(before2025), g.day::date) AS since_2024,
                       ww_working_days_between(g.day::date, \(newYear2026)) AS until_2026
                FROM generate_series(timestamp '2025-01-01', timestamp '2026-12-31', interval '1 day') AS g (day)
                ORDER BY 1
                """)
            #expect(rows.count == 730)
            var mismatches: [String] = []
            for row in rows {
                let date: LocalDate = try row.decode("day")
                if try row.decode("working", as: Bool.self) != calendar.isWorkingDay(date) {
                    mismatches.append("\(date) is_working_day")
                }
                for n in [1, 3, 5, 30, 60] {
                    if try row.decode("due_\(n)", as: LocalDate.self) != calendar.adding(workingDays: n, to: date) {
                        mismatches.append("\(date) add_working_days \(n)")
                    }
                }
                if try row.decode("since_2024", as: Int.self) != calendar.workingDays(from: before2025, to: date) {
                    mismatches.append("\(date) working_days_between from 2024-12-31")
                }
                if try row.decode("until_2026", as: Int.self) != calendar.workingDays(from: date, to: newYear2026) {
                    mismatches.append("\(date) working_days_between to 2026-01-01")
                }
            }
            #expect(mismatches == [])
            // And the headline values themselves.
            #expect(try sqlDeadline(db, fri_feb_13_2026, 5) == fri_feb_27_2026)
            let totals = try db.query("""
                SELECT ww_working_days_between('2024-12-31', '2025-12-31') AS y2025,
                       ww_working_days_between('2025-12-31', '2026-12-31') AS y2026,
                       ww_working_days_between('2026-02-27', '2026-02-13') AS back
                """).one()
            #expect(try totals.decode("y2025", as: Int.self) == 248)
            #expect(try totals.decode("y2026", as: Int.self) == 248)
            #expect(try totals.decode("back", as: Int.self) == -5)
        }
    }

    @Test("the index covers 2000-01-01 to 2100-12-31 and its ordinals count working days")
    func indexShape() async throws {
        try await TestDatabase.withFresh { db, _ in
            let row = try db.query("""
                SELECT count(*) AS days, min(day) AS first, max(day) AS last, max(ordinal) AS working,
                       count(*) FILTER (WHERE is_working) AS working_rows
                FROM working_day_index
                """).one()
            #expect(try row.decode("days", as: Int.self) == 36_890)
            #expect(try row.decode("first", as: LocalDate.self) == day(2000, 1, 1))
            #expect(try row.decode("last", as: LocalDate.self) == day(2100, 12, 31))
            // 26,350 weekdays, minus 37 weekday holidays, plus 11 调休 weekend days.
            #expect(try row.decode("working", as: Int.self) == 26_324)
            #expect(try row.decode("working_rows", as: Int.self) == 26_324)
        }
    }

    @Test("n = 0 is the day itself, NULL gives NULL, and dates outside the index raise naming the date")
    func edgesAndErrors() async throws {
        try await TestDatabase.withFresh { db, _ in
            #expect(try sqlDeadline(db, fri_feb_13_2026, 0) == fri_feb_13_2026)
            let nulls = try db.query("""
                SELECT ww_add_working_days(NULL, 5) IS NULL AS a, ww_is_working_day(NULL) IS NULL AS b,
                       ww_working_days_between('2026-01-01', NULL) IS NULL AS c
                """).one()
            #expect(try nulls.decode("a", as: Bool.self))
            #expect(try nulls.decode("b", as: Bool.self))
            #expect(try nulls.decode("c", as: Bool.self))

            let cases: [(SQL, String)] = [
                ("SELECT ww_add_working_days('1999-12-31', 1)",
                 "date 1999-12-31 is outside the working-day calendar, which covers 2000-01-01 to 2100-12-31"),
                ("SELECT ww_is_working_day('2101-01-01')",
                 "date 2101-01-01 is outside the working-day calendar, which covers 2000-01-01 to 2100-12-31"),
                ("SELECT ww_working_days_between('2026-01-01', '2101-03-01')",
                 "date 2101-03-01 is outside the working-day calendar, which covers 2000-01-01 to 2100-12-31"),
                ("SELECT ww_add_working_days('2100-12-30', 5)",
                 "5 working days after 2100-12-30 fall after 2100-12-31, the end of the working-day calendar"),
                ("SELECT ww_add_working_days('2026-02-13', -1)",
                 "cannot count -1 working days after 2026-02-13: the number of working days must not be negative"),
            ]
            for (sql, message) in cases {
                #expect {
                    try db.query(sql)
                } throws: { error in
                    guard let error = error as? PostgresError else { return false }
                    let mapped = WagewatchError.from(error)
                    return error.message == message && mapped.kind == .invalidInput
                }
            }
        }
    }

    @Test("deleting a 调休 day by hand rebuilds the index at once")
    func directChangeRebuilds() async throws {
        try await TestDatabase.withFresh { db, _ in
            try db.query("DELETE FROM calendar_days WHERE day = \(sat_feb_14_2026)")
            #expect(try !db.query("SELECT ww_is_working_day(\(sat_feb_14_2026)) AS w").one().decode("w", as: Bool.self))
            // Feb 24, 25, 26, 27 and the 调休 Saturday Feb 28.
            #expect(try sqlDeadline(db, fri_feb_13_2026, 5) == sat_feb_28_2026)
        }
    }
}

@Suite("Calendar CSV import")
struct CalendarImportTests {
    /// Replaces the deadline recomputation with a counter, to see how often a change fires it.
    private func countCalendarChanges(_ db: Connection) throws {
        try db.executeScript(unsafeSQL: """
            CREATE TABLE calendar_change_calls (at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE OR REPLACE FUNCTION ww_on_calendar_change() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO calendar_change_calls DEFAULT VALUES; END $$;
            """)
    }

    private func calendarChanges(_ db: Connection) throws -> Int {
        try db.query("SELECT count(*) AS n FROM calendar_change_calls").one().decode("n")
    }

    @Test("importing a calendar that adds a holiday moves a deadline (the index is rebuilt)")
    func addedHolidayMovesDeadline() async throws {
        try await TestDatabase.withFresh { db, _ in
            #expect(try sqlDeadline(db, fri_mar_06_2026, 5) == fri_mar_13_2026)
            let summary = try importCalendar(Data("date,kind\n2026-03-10,holiday\n".utf8), into: db)
            #expect(summary == counts(inserted: 1, updated: 0, unchanged: 0))
            // Mar 9, (10 is now off), 11, 12, 13, 16.
            #expect(try sqlDeadline(db, fri_mar_06_2026, 5) == mon_mar_16_2026)
            #expect(try !db.query("SELECT ww_is_working_day(\(tue_mar_10_2026)) AS w").one().decode("w", as: Bool.self))
            let loaded = try WorkingCalendar.load(db)
            #expect(loaded.exceptions[tue_mar_10_2026] == .holiday)
            #expect(loaded.adding(workingDays: 5, to: fri_mar_06_2026) == mon_mar_16_2026)
            #expect(try calendarRowCount(db) == 73)
        }
    }

    @Test("an import of new and changed days rebuilds the index and recomputes deadlines exactly once")
    func oneRebuildPerImport() async throws {
        try await TestDatabase.withFresh { db, _ in
            try countCalendarChanges(db)
            let csv = Data("date,kind\n2026-03-10,holiday\n2026-02-28,holiday\n2026-02-14,workday\n".utf8)
            let summary = try importCalendar(csv, into: db)
            #expect(summary == counts(inserted: 1, updated: 1, unchanged: 1))
            #expect(try calendarChanges(db) == 1)
            // From the 调休 Saturday Feb 14: Feb 24, 25, 26, 27, (Feb 28 now off) Mar 2.
            #expect(try sqlDeadline(db, sat_feb_14_2026, 5) == mon_mar_02_2026)
            #expect(try db.query("SELECT note FROM calendar_days WHERE day = \(sat_feb_28_2026)").one()
                .decode("note", as: String?.self) == "春节调休")

            // The same file again changes nothing and recomputes nothing.
            let again = try importCalendar(csv, into: db)
            #expect(again == counts(inserted: 0, updated: 0, unchanged: 3))
            #expect(try calendarChanges(db) == 1)
        }
    }

    @Test("a bad file writes nothing and reports every bad line with its number")
    func badLinesAllReported() async throws {
        try await TestDatabase.withFresh { db, _ in
            try countCalendarChanges(db)
            let csv = """
                date,kind
                2026-03-10,holiday
                2026-02-30,holiday
                2026-03-11,vacation
                2026-03-12,holiday,extra
                2026/03/13,
                2026-03-10,workday
                1999-12-31,holiday
                2026-03-16,workday
                """
            let message = invalidInputMessage { _ = try importCalendar(Data(csv.utf8), into: db) }
            #expect(message == """
                calendar file has 7 problems; nothing was imported:
                line 3: date: "2026-02-30" is not a real date
                line 4: kind: "vacation" is not holiday or workday
                line 5: has 3 fields, the header has 2
                line 6: date: "2026/03/13" is not a date (YYYY-MM-DD expected)
                line 6: kind: "" is empty (holiday or workday required)
                line 7: date: "2026-03-10" appears again (first on line 2)
                line 8: date: "1999-12-31" is outside the working-day calendar (2000-01-01 to 2100-12-31)
                """)
            #expect(try calendarRowCount(db) == 72)
            #expect(try calendarChanges(db) == 0)
            #expect(try sqlDeadline(db, fri_mar_06_2026, 5) == fri_mar_13_2026)
        }
    }

    @Test("a file without a header row is refused and nothing is written")
    func missingHeader() async throws {
        try await TestDatabase.withFresh { db, _ in
            let before = try calendarRowCount(db)
            let message = invalidInputMessage {
                _ = try importCalendar(Data("2026-03-10,holiday\n2026-03-11,holday\n".utf8), into: db)
            }
            #expect(message == """
                calendar file has 2 problems; nothing was imported:
                line 1: header: "2026-03-10,holiday" is not a header row (the first line must name the columns: date,kind)
                line 2: kind: "holday" is not holiday or workday
                """)
            #expect(try calendarRowCount(db) == before)
        }
    }

    @Test("a header with an extra or a missing column is refused", arguments: [
        ("date,kind,note\n2026-03-10,holiday,清明\n",
         "line 1: header: unknown column \"note\" (the columns are date,kind)"),
        ("date\n2026-03-10\n", "line 1: header: missing required column kind (the columns are date,kind)"),
        ("date,kind,kind\n2026-03-10,holiday,holiday\n",
         "line 1: header: column kind appears more than once (the columns are date,kind)"),
        ("", "line 1: the file is empty: a header is expected (the columns are date,kind)"),
    ])
    func badHeaders(csv: String, problem: String) {
        let message = invalidInputMessage { _ = try CalendarImport.entries(path: try csvFile(Data(csv.utf8))) }
        #expect(message == "calendar file has 1 problem; nothing was imported:\n" + problem)
    }

    @Test("a BOM, CRLF line ends, quoted cells, columns in any order and blank lines are accepted")
    func bomAndQuoting() async throws {
        try await TestDatabase.withFresh { db, _ in
            let csv = Data([0xEF, 0xBB, 0xBF] + Array(
                "Kind,Date\r\n\"holiday\",\"2026-03-10\"\r\n\r\nworkday,2026-03-14\r\n".utf8))
            let entries = try CalendarImport.entries(path: try csvFile(csv))
            #expect(entries == [
                CalendarImport.Entry(line: 2, day: tue_mar_10_2026, kind: .holiday),
                CalendarImport.Entry(line: 4, day: day(2026, 3, 14), kind: .workday),
            ])
            #expect(try importCalendar(csv, into: db) == counts(inserted: 2, updated: 0, unchanged: 0))
            #expect(try db.query("SELECT ww_is_working_day('2026-03-14') AS w").one().decode("w", as: Bool.self))
        }
    }

    @Test("a quoted cell left open and bytes that are not UTF-8 are reported with their line")
    func brokenText() {
        let open = invalidInputMessage { _ = try CalendarImport.entries(path: try csvFile(Data("date,kind\n2026-03-10,\"holiday\n".utf8))) }
        #expect(open?.contains("line 2: kind: opens a quote that is never closed") == true)
        let latin1 = Data(Array("date,kind\n2026-03-10,holiday\n".utf8) + [0x32, 0x30, 0xB2, 0x0A])
        let notUTF8 = invalidInputMessage { _ = try CalendarImport.entries(path: try csvFile(latin1)) }
        #expect(notUTF8 == "calendar file has 1 problem; nothing was imported:\n"
            + "line 3: date: is not valid UTF-8 (if the file was saved as GBK, save it again as \"CSV UTF-8\")")
    }

    @Test("a dry run counts what an import would do and writes nothing")
    func dryRun() async throws {
        try await TestDatabase.withFresh { db, _ in
            let csv = Data("date,kind\n2026-03-10,holiday\n2026-02-28,holiday\n2026-02-15,holiday\n".utf8)
            let summary = try importCalendar(csv, into: db, dryRun: true)
            #expect(summary == counts(inserted: 1, updated: 1, unchanged: 1))
            #expect(try calendarRowCount(db) == 72)
            #expect(try sqlDeadline(db, fri_mar_06_2026, 5) == fri_mar_13_2026)
        }
    }
}
