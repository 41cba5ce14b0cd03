import PostgresClient
import Testing
import WagewatchCore

// Named dates, as the notices and the hotline staff say them (after UK MoJ's business_days_spec).
private func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day)! }

// 2025
private let wed_jan_01_2025 = day(2025, 1, 1)
private let tue_dec_31_2024 = day(2024, 12, 31)
private let fri_apr_25_2025 = day(2025, 4, 25)
private let sun_apr_27_2025 = day(2025, 4, 27)
private let wed_apr_30_2025 = day(2025, 4, 30)
private let thu_may_01_2025 = day(2025, 5, 1)
private let tue_may_06_2025 = day(2025, 5, 6)
private let thu_may_08_2025 = day(2025, 5, 8)
private let mon_sep_15_2025 = day(2025, 9, 15)
private let fri_sep_26_2025 = day(2025, 9, 26)
private let sat_sep_27_2025 = day(2025, 9, 27)
private let sun_sep_28_2025 = day(2025, 9, 28)
private let tue_sep_30_2025 = day(2025, 9, 30)
private let wed_oct_01_2025 = day(2025, 10, 1)
private let wed_oct_08_2025 = day(2025, 10, 8)
private let fri_oct_10_2025 = day(2025, 10, 10)
private let sat_oct_11_2025 = day(2025, 10, 11)
private let tue_oct_14_2025 = day(2025, 10, 14)
private let fri_dec_12_2025 = day(2025, 12, 12)
private let fri_dec_26_2025 = day(2025, 12, 26)
private let wed_dec_31_2025 = day(2025, 12, 31)
// 2026
private let thu_jan_01_2026 = day(2026, 1, 1)
private let sat_jan_03_2026 = day(2026, 1, 3)
private let sun_jan_04_2026 = day(2026, 1, 4)
private let mon_jan_05_2026 = day(2026, 1, 5)
private let thu_jan_08_2026 = day(2026, 1, 8)
private let tue_jan_20_2026 = day(2026, 1, 20)
private let fri_feb_13_2026 = day(2026, 2, 13)
private let sat_feb_14_2026 = day(2026, 2, 14)
private let mon_feb_16_2026 = day(2026, 2, 16)
private let mon_feb_23_2026 = day(2026, 2, 23)
private let tue_feb_24_2026 = day(2026, 2, 24)
private let fri_feb_27_2026 = day(2026, 2, 27)
private let sat_feb_28_2026 = day(2026, 2, 28)
private let fri_mar_06_2026 = day(2026, 3, 6)
private let sat_mar_07_2026 = day(2026, 3, 7)
private let sun_mar_08_2026 = day(2026, 3, 8)
private let fri_mar_13_2026 = day(2026, 3, 13)
private let fri_apr_03_2026 = day(2026, 4, 3)
private let mon_apr_06_2026 = day(2026, 4, 6)
private let tue_apr_21_2026 = day(2026, 4, 21)
private let thu_apr_30_2026 = day(2026, 4, 30)
private let sat_may_09_2026 = day(2026, 5, 9)
private let mon_may_11_2026 = day(2026, 5, 11)
private let wed_may_20_2026 = day(2026, 5, 20)
private let thu_dec_31_2026 = day(2026, 12, 31)

@Suite("Working-day deadlines on the 2025 and 2026 national calendars")
struct WorkingCalendarTests {
    let calendar = WorkingCalendar.national2025and2026

    @Test("a complaint received on the Friday before Spring Festival is decided by Friday 2026-02-27 (C2, C7)")
    func fridayBeforeSpringFestival() {
        // Feb 14 is a 调休 working Saturday (1); Feb 15–23 are off; Feb 24–27 are 2–5.
        #expect(calendar.adding(workingDays: 5, to: fri_feb_13_2026) == fri_feb_27_2026)
        #expect(calendar.adding(workingDays: 1, to: fri_feb_13_2026) == sat_feb_14_2026)
        #expect(calendar.adding(workingDays: 2, to: fri_feb_13_2026) == tue_feb_24_2026)
    }

    @Test("a complaint received on a Saturday or Sunday has the same deadline as one received the Friday before")
    func receiptOnAWeekend() {
        #expect(calendar.adding(workingDays: 5, to: fri_mar_06_2026) == fri_mar_13_2026)
        #expect(calendar.adding(workingDays: 5, to: sat_mar_07_2026) == fri_mar_13_2026)
        #expect(calendar.adding(workingDays: 5, to: sun_mar_08_2026) == fri_mar_13_2026)
    }

    @Test("receipt on a 调休 working Saturday does not count that Saturday; the deadline falls on the next 调休 Saturday")
    func receiptOnAnAdjustedWorkingSaturday() {
        #expect(calendar.isWorkingDay(sat_feb_14_2026))
        // Feb 24, 25, 26, 27, then Saturday Feb 28 (调休) is the fifth.
        #expect(calendar.adding(workingDays: 5, to: sat_feb_14_2026) == sat_feb_28_2026)
        #expect(calendar.adding(workingDays: 6, to: sat_feb_14_2026) == day(2026, 3, 2))
    }

    @Test("receipt on a holiday counts from the first working day after the holiday")
    func receiptOnAHoliday() {
        #expect(calendar.adding(workingDays: 1, to: mon_feb_16_2026) == tue_feb_24_2026)
        #expect(calendar.adding(workingDays: 1, to: mon_feb_23_2026) == tue_feb_24_2026)
    }

    @Test("National Day 2025: Oct 1–8 are off, Sunday Sep 28 and Saturday Oct 11 are working days")
    func nationalDay2025() {
        #expect(calendar.isWorkingDay(sun_sep_28_2025))
        #expect(calendar.isWorkingDay(sat_oct_11_2025))
        #expect(!calendar.isWorkingDay(wed_oct_01_2025))
        #expect(!calendar.isWorkingDay(wed_oct_08_2025))
        // Sep 28, 29, 30, then Oct 9 and 10.
        #expect(calendar.adding(workingDays: 5, to: fri_sep_26_2025) == fri_oct_10_2025)
        #expect(calendar.adding(workingDays: 1, to: sat_sep_27_2025) == sun_sep_28_2025)
        // Oct 9, 10, Saturday 11, then 13 and 14.
        #expect(calendar.adding(workingDays: 5, to: tue_sep_30_2025) == tue_oct_14_2025)
        #expect(calendar.adding(workingDays: 3, to: tue_sep_30_2025) == sat_oct_11_2025)
    }

    @Test("May Day: 2025 May 1–5 off with Sunday Apr 27 working; 2026 May 1–5 off with Saturday May 9 working")
    func mayDay() {
        #expect(calendar.isWorkingDay(sun_apr_27_2025))
        #expect(!calendar.isWorkingDay(thu_may_01_2025))
        #expect(calendar.adding(workingDays: 3, to: wed_apr_30_2025) == thu_may_08_2025)
        // Apr 27 (Sunday, 调休), 28, 29, 30, then May 6.
        #expect(calendar.adding(workingDays: 5, to: fri_apr_25_2025) == tue_may_06_2025)
        // May 6, 7, 8, Saturday 9 (调休), Monday 11.
        #expect(calendar.adding(workingDays: 5, to: thu_apr_30_2026) == mon_may_11_2026)
        #expect(calendar.adding(workingDays: 4, to: thu_apr_30_2026) == sat_may_09_2026)
    }

    @Test("New Year 2026: Jan 1–3 are off and Sunday Jan 4 is the first working day")
    func newYear2026() {
        #expect(!calendar.isWorkingDay(thu_jan_01_2026))
        #expect(!calendar.isWorkingDay(sat_jan_03_2026))
        #expect(calendar.isWorkingDay(sun_jan_04_2026))
        #expect(calendar.adding(workingDays: 1, to: wed_dec_31_2025) == sun_jan_04_2026)
        #expect(calendar.adding(workingDays: 5, to: wed_dec_31_2025) == thu_jan_08_2026)
    }

    @Test("a deadline crossing the year end 2025→2026 skips New Year's Day and counts Sunday Jan 4")
    func yearEnd() {
        // Dec 29, 30, 31, Jan 4 (调休), Jan 5.
        #expect(calendar.adding(workingDays: 5, to: fri_dec_26_2025) == mon_jan_05_2026)
        #expect(calendar.workingDays(from: fri_dec_26_2025, to: mon_jan_05_2026) == 5)
    }

    @Test("the 60-working-day investigation deadline (C5) steps over Spring Festival, Qingming and National Day")
    func investigationDeadline() {
        #expect(calendar.adding(workingDays: 60, to: mon_jan_05_2026) == fri_apr_03_2026)
        #expect(calendar.adding(workingDays: 60, to: tue_jan_20_2026) == tue_apr_21_2026)
        #expect(calendar.adding(workingDays: 60, to: mon_sep_15_2025) == fri_dec_12_2025)
        // One extension of 30 working days (C5) then crosses Qingming and May Day.
        #expect(calendar.adding(workingDays: 30, to: fri_apr_03_2026) == wed_may_20_2026)
        #expect(!calendar.isWorkingDay(mon_apr_06_2026))
    }

    @Test("zero working days is the day itself, even a holiday")
    func zeroDays() {
        #expect(calendar.adding(workingDays: 0, to: fri_feb_13_2026) == fri_feb_13_2026)
        #expect(calendar.adding(workingDays: 0, to: mon_feb_16_2026) == mon_feb_16_2026)
    }

    @Test("working days between two dates count (a, b] and are negative backwards")
    func between() {
        #expect(calendar.workingDays(from: fri_feb_13_2026, to: fri_feb_27_2026) == 5)
        #expect(calendar.workingDays(from: fri_feb_27_2026, to: fri_feb_13_2026) == -5)
        #expect(calendar.workingDays(from: fri_feb_13_2026, to: fri_feb_13_2026) == 0)
        #expect(calendar.workingDays(from: sat_feb_14_2026, to: mon_feb_23_2026) == 0)
        #expect(calendar.workingDays(from: tue_dec_31_2024, to: wed_dec_31_2025) == 248)
        #expect(calendar.workingDays(from: wed_dec_31_2025, to: thu_dec_31_2026) == 248)
        #expect(calendar.workingDays(from: tue_dec_31_2024, to: wed_jan_01_2025) == 0)
    }

    @Test("counting forward and measuring back agree on every start date of 2025 and 2026")
    func addingAndBetweenAgree() {
        var date = wed_jan_01_2025
        while date <= thu_dec_31_2026 {
            for n in [1, 5, 60] {
                let due = calendar.adding(workingDays: n, to: date)
                #expect(calendar.workingDays(from: date, to: due) == n)
                #expect(calendar.isWorkingDay(due))
            }
            date = date.adding(days: 1)
        }
    }

    @Test("without exceptions, Monday–Friday work and weekends are off, across centuries")
    func plainWeeks() {
        let plain = WorkingCalendar(exceptions: [:])
        #expect(plain.workingDays(from: day(1999, 12, 31), to: day(2100, 12, 31)) == 26_350)
        #expect(plain.workingDays(from: day(1969, 12, 1), to: day(1970, 1, 31)) == 44)
        #expect(plain.adding(workingDays: 5, to: day(1969, 12, 26)) == day(1970, 1, 2))
        #expect(!plain.isWorkingDay(day(2026, 2, 14)))
    }

    @Test("the shipped calendar is Appendix A: 33 entries for 2025, 39 for 2026, with notes")
    func shippedCalendar() {
        let entries = calendar.exceptions
        #expect(entries.count == 72)
        #expect(entries.keys.filter { $0.year == 2025 }.count == 33)
        #expect(entries.filter { $0.value == .workday }.count == 11)
        #expect(entries.filter { $0.value == .workday }.allSatisfy { $0.key.isWeekend })
        #expect(calendar.notes[fri_feb_13_2026] == nil)
        #expect(calendar.notes[mon_feb_16_2026] == "春节")
        #expect(calendar.notes[sat_feb_14_2026] == "春节调休")
        #expect(calendar.exceptions[day(2026, 2, 15)] == .holiday)  // a Sunday inside the holiday
    }
}
