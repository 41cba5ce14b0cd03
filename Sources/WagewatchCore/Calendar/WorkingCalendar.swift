import PostgresClient

/// What an entry of the calendar makes of its day (the `kind` column of `calendar_days`).
public enum DayKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A public holiday: off, even on a weekday.
    case holiday
    /// An adjusted working day (调休): on, even on a Saturday or Sunday.
    case workday
}

/// The working-day calendar of SPEC C7: Monday–Friday, minus public holidays, plus adjusted
/// working days (调休). It holds only the exceptions, like the `calendar_days` table, and counts
/// deadlines exactly as the SQL functions of `sql/functions/calendar.sql` and `sql/0001_baseline.sql` do.
public struct WorkingCalendar: Sendable, Hashable {
    /// The days that differ from the Monday–Friday rule, or that a notice lists (a holiday that
    /// falls on a weekend is listed too, as the State Council notices list it).
    public let exceptions: [LocalDate: DayKind]
    /// What each exception is for, e.g. `春节` or `春节调休`, where known.
    public let notes: [LocalDate: String]

    /// The days the database's working-day index covers; SQL raises for dates outside it.
    public static let supportedRange = LocalDate(year: 2000, month: 1, day: 1)!...LocalDate(year: 2100, month: 12, day: 31)!

    public init(exceptions: [LocalDate: DayKind], notes: [LocalDate: String] = [:]) {
        self.exceptions = exceptions
        self.notes = notes
    }

    /// The 2025 and 2026 national calendars of SPEC Appendix A, the same rows that
    /// `sql/functions/calendar.sql` and `sql/0001_baseline.sql` seeds `calendar_days` with.
    public static let national2025and2026: WorkingCalendar = {
        var exceptions: [LocalDate: DayKind] = [:]
        var notes: [LocalDate: String] = [:]
        for entry in appendixA {
            var day = LocalDate(iso: entry.first)!
            let last = LocalDate(iso: entry.last)!
            while day <= last {
                exceptions[day] = entry.kind
                notes[day] = entry.note
                day = day.adding(days: 1)
            }
        }
        return WorkingCalendar(exceptions: exceptions, notes: notes)
    }()

    /// SPEC Appendix A: holiday ranges (inclusive, weekends within them included) and 调休 days.
    private static let appendixA: [(first: String, last: String, kind: DayKind, note: String)] = [
        ("2025-01-01", "2025-01-01", .holiday, "元旦"),
        ("2025-01-28", "2025-02-04", .holiday, "春节"),
        ("2025-04-04", "2025-04-06", .holiday, "清明节"),
        ("2025-05-01", "2025-05-05", .holiday, "劳动节"),
        ("2025-05-31", "2025-06-02", .holiday, "端午节"),
        ("2025-10-01", "2025-10-08", .holiday, "国庆节、中秋节"),
        ("2025-01-26", "2025-01-26", .workday, "春节调休"),
        ("2025-02-08", "2025-02-08", .workday, "春节调休"),
        ("2025-04-27", "2025-04-27", .workday, "劳动节调休"),
        ("2025-09-28", "2025-09-28", .workday, "国庆节、中秋节调休"),
        ("2025-10-11", "2025-10-11", .workday, "国庆节、中秋节调休"),
        ("2026-01-01", "2026-01-03", .holiday, "元旦"),
        ("2026-02-15", "2026-02-23", .holiday, "春节"),
        ("2026-04-04", "2026-04-06", .holiday, "清明节"),
        ("2026-05-01", "2026-05-05", .holiday, "劳动节"),
        ("2026-06-19", "2026-06-21", .holiday, "端午节"),
        ("2026-09-25", "2026-09-27", .holiday, "中秋节"),
        ("2026-10-01", "2026-10-07", .holiday, "国庆节"),
        ("2026-01-04", "2026-01-04", .workday, "元旦调休"),
        ("2026-02-14", "2026-02-14", .workday, "春节调休"),
        ("2026-02-28", "2026-02-28", .workday, "春节调休"),
        ("2026-05-09", "2026-05-09", .workday, "劳动节调休"),
        ("2026-09-20", "2026-09-20", .workday, "中秋节调休"),
        ("2026-10-10", "2026-10-10", .workday, "国庆节调休"),
    ]

    /// Reads the calendar the database holds (`calendar_days`).
    public static func load(_ connection: Connection) throws -> WorkingCalendar {
        var exceptions: [LocalDate: DayKind] = [:]
        var notes: [LocalDate: String] = [:]
        for row in try connection.query("SELECT day, kind, note FROM calendar_days ORDER BY day") {
            let day = try row.decode("day", as: LocalDate.self)
            let kindText = try row.decode("kind", as: String.self)
            guard let kind = DayKind(rawValue: kindText) else {
                throw WagewatchError.failure("calendar_days has an unknown kind \"\(kindText)\" on \(day)")
            }
            exceptions[day] = kind
            if let note = try row.decode("note", as: String?.self) { notes[day] = note }
        }
        return WorkingCalendar(exceptions: exceptions, notes: notes)
    }

    /// Whether `date` is a working day: Monday–Friday unless a holiday, Saturday–Sunday only if 调休.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        switch exceptions[date] {
        case .holiday?: return false
        case .workday?: return true
        case nil: return !date.isWeekend
        }
    }

    /// The end of the `n`th working day counted from the day after `date`; `date` itself never
    /// counts, even when it is a working day (received Friday 2026-02-13, n = 5 → 2026-02-27).
    /// `n = 0` returns `date`. `n` must not be negative (SQL's `ww_add_working_days` raises).
    public func adding(workingDays n: Int, to date: LocalDate) -> LocalDate {
        precondition(n >= 0, "cannot count a negative number of working days (\(n)) after \(date)")
        var day = date
        var remaining = n
        while remaining > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// The working days in (`a`, `b`]: after `a`, up to and including `b`; negative when `b` is
    /// before `a` (the count in (`b`, `a`], negated), as SQL's `ww_working_days_between`.
    public func workingDays(from a: LocalDate, to b: LocalDate) -> Int {
        if b < a { return -workingDays(from: b, to: a) }
        var count = Self.weekdaysUpTo(b) - Self.weekdaysUpTo(a)
        for (day, kind) in exceptions where a < day && day <= b {
            switch (kind, day.isWeekend) {
            case (.holiday, false): count -= 1
            case (.workday, true): count += 1
            default: break
            }
        }
        return count
    }

    /// Mondays–Fridays from Monday 1969-12-29 up to and including `date` (negative before it):
    /// a closed form, so long spans cost no loop.
    private static func weekdaysUpTo(_ date: LocalDate) -> Int {
        let days = date.daysSinceEpoch + 4  // days in [1969-12-29, date]
        let weeks = days >= 0 ? days / 7 : -((-days + 6) / 7)
        return weeks * 5 + min(days - weeks * 7, 5)
    }
}
