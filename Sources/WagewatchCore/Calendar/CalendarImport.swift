import PostgresClient

/// Imports a calendar CSV (SPEC §5 kind `calendar`: columns `date,kind`) into `calendar_days`,
/// all or nothing. Headers are written by hand, so their case does not matter, and a file whose
/// first line is already a day is refused as having no header while every other line is checked
/// too. A clean file is upserted in one statement, so the working-day index is rebuilt and the
/// deadlines of open items are recomputed once (`calendar_days`' statement trigger), and only
/// when some day changed.
public struct CalendarImport: ImportKind {
    /// The first line of each day in the file, so a repeat names it.
    private var firstLine: [LocalDate: Int] = [:]

    public init() {}

    public static let kind = "calendar"
    public static let schema = CSVSchema(
        required: ["date", "kind"], caseInsensitiveHeader: true,
        firstLineIsData: { fields in fields.contains { (try? DateInput.date($0, field: "date")) != nil } })
    public static let staging = StagingTable(
        "calendar_staging", columns: ["line", "day", "kind"],
        definition: "line integer NOT NULL, day date NOT NULL, kind text NOT NULL")

    /// One good line of a calendar file.
    public struct Entry: Sendable, Hashable {
        /// The line it was read from (the header is line 1).
        public let line: Int
        public let day: LocalDate
        public let kind: DayKind

        public init(line: Int, day: LocalDate, kind: DayKind) {
            self.line = line
            self.day = day
            self.kind = kind
        }
    }

    /// Reads and checks a file without a database: its good lines, or the refusal that lists every bad one.
    public static func entries(path: String) throws -> [Entry] {
        var check = CalendarImport()
        var problems = ImportProblems()
        var entries: [Entry] = []
        do {
            var reader = try openCSV(path, schema)
            while let record = reader.nextGood(collectingProblemsIn: &problems) {
                var row = RowCheck(record)
                if let entry = check.entry(&row) { entries.append(entry) }
                problems.add(row)
            }
        } catch let unreadable as ImportProblems {
            problems = unreadable
        }
        if !problems.isEmpty { throw refusal(problems) }
        return entries
    }

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        entry(&row).map { [String($0.line), $0.day.description, $0.kind.rawValue] }
    }

    /// The line's day and kind, nil when it is bad (the problems in `row`) or has only empty cells.
    private mutating func entry(_ row: inout RowCheck) -> Entry? {
        let record = row.record
        guard record["date"] != nil || record["kind"] != nil else { return nil }
        // An empty date is worded by the date parser, as a wrong one is.
        var day = row.parse("date", emptyAs: "") { try DateInput.date($0, field: "date") }
        if let parsed = day {
            if !WorkingCalendar.supportedRange.contains(parsed) {
                row.fail("date", record["date"] ?? "", "is outside the working-day calendar (2000-01-01 to 2100-12-31)")
                day = nil
            } else if let earlier = firstLine[parsed] {
                row.fail("date", record["date"] ?? "", "appears again (first on line \(earlier))")
                day = nil
            } else {
                firstLine[parsed] = record.line
            }
        }
        var kind: DayKind?
        if let raw = record["kind"] {
            kind = DayKind(rawValue: raw.lowercased())
            if kind == nil { row.fail("kind", raw, "is not holiday or workday") }
        } else {
            row.fail("kind", "", "is empty (holiday or workday required)")
        }
        guard let day, let kind else { return nil }
        return Entry(line: record.line, day: day, kind: kind)
    }

    /// Counts days `inserted` (new), `updated` (kind changed) and `unchanged`.
    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        try StagedRows.upsert(on: tx, rows: rows, """
            INSERT INTO calendar_days AS c (day, kind)
            SELECT day, kind FROM calendar_staging ORDER BY line
            ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind
                WHERE c.kind IS DISTINCT FROM EXCLUDED.kind
            """)
    }

    /// A refused calendar file says so in its first line, as it always has.
    public static func refusal(_ problems: ImportProblems) -> any Error {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return WagewatchError.invalid("calendar file has \(count); nothing was imported:\n\(problems)")
    }
}
