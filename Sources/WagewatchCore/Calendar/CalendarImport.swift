import Foundation
import PostgresClient

/// Imports a calendar CSV (SPEC §5 kind `calendar`: columns `date,kind`) into `calendar_days`.
///
/// All or nothing: every line is checked first and every bad one reported as
/// `line N: column: problem` (the header is line 1); only a clean file is written, in one
/// statement inside one transaction, so the working-day index is rebuilt and deadlines are
/// recomputed once.
public enum CalendarImport {
    /// The columns of a calendar file, both required.
    public static let columns = ["date", "kind"]

    /// One valid line of the file.
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

    /// What an import did (or, for a dry run, would do).
    public struct Summary: Sendable, Hashable, Codable {
        /// Days that were not in the calendar.
        public let inserted: Int
        /// Days whose kind changed.
        public let updated: Int
        /// Days already in the calendar with the same kind.
        public let unchanged: Int

        public init(inserted: Int, updated: Int, unchanged: Int) {
            self.inserted = inserted
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    /// Validates a whole file and, if every line is good, upserts it in one transaction.
    /// With `dryRun` it validates and counts but writes nothing.
    @discardableResult
    public static func run(_ data: Data, into connection: Connection, dryRun: Bool = false) throws -> Summary {
        let entries = try parse(data)
        return dryRun ? try preview(entries, in: connection) : try write(entries, into: connection)
    }

    /// Reads and validates a file; throws `WagewatchError.invalid` listing every bad line.
    public static func parse(_ data: Data) throws -> [Entry] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = utf8Text(bytes[...]) else {
            throw failure(["line \(firstInvalidUTF8Line(bytes)): the file is not UTF-8 text (save it as UTF-8 CSV)"])
        }
        return try parse(text: text)
    }

    /// Reads and validates CSV text (a leading BOM is ignored).
    public static func parse(text: String) throws -> [Entry] {
        var records = CSVRecords(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        var problems: [String] = []

        guard let header = records.next(problems: &problems) else {
            throw failure(problems + ["line 1: header: the file is empty (expected a header row: date,kind)"])
        }
        // Where each column sits; the default order when the header is missing.
        var position = ["date": 0, "kind": 1]
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let looksLikeData = !names.contains(where: { columns.contains($0) })
            && header.fields.contains(where: { (try? DateInput.date($0, field: "date")) != nil })
        if looksLikeData {
            problems.append("line \(header.line): " + ValidationError(
                field: "header", value: header.fields.joined(separator: ","),
                problem: "is not a header row (the first line must name the columns: date,kind)").description)
        } else {
            var seen: [String: Int] = [:]
            for (index, name) in names.enumerated() {
                if name.isEmpty {
                    problems.append("line \(header.line): header: column \(index + 1) has no name (expected date,kind)")
                } else if !columns.contains(name) {
                    problems.append("line \(header.line): " + ValidationError(
                        field: "header", value: header.fields[index],
                        problem: "is not a column of a calendar file (expected date,kind)").description)
                } else if seen[name] != nil {
                    problems.append("line \(header.line): \(name): the column appears twice in the header")
                } else {
                    seen[name] = index
                }
            }
            for column in columns where seen[column] == nil {
                problems.append("line \(header.line): \(column): the required column is missing from the header")
            }
            position = seen
        }
        let width = header.fields.count

        var entries: [Entry] = []
        var firstLine: [LocalDate: Int] = [:]
        while let record = records.next(problems: &problems) {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let line = record.line
            guard record.fields.count == width else {
                problems.append("line \(line): row: has \(record.fields.count) cells but the header has \(width) columns")
                continue
            }
            var day: LocalDate?
            var kind: DayKind?
            if let index = position["date"] {
                let raw = record.fields[index]
                do {
                    let parsed = try DateInput.date(raw, field: "date")
                    if !WorkingCalendar.supportedRange.contains(parsed) {
                        problems.append("line \(line): " + ValidationError(
                            field: "date", value: raw,
                            problem: "is outside the working-day calendar (2000-01-01 to 2100-12-31)").description)
                    } else if let earlier = firstLine[parsed] {
                        problems.append("line \(line): " + ValidationError(
                            field: "date", value: raw, problem: "appears again (first on line \(earlier))").description)
                    } else {
                        firstLine[parsed] = line
                        day = parsed
                    }
                } catch {
                    problems.append("line \(line): \(error.description)")
                }
            }
            if let index = position["kind"] {
                let raw = record.fields[index]
                if let parsed = DayKind(rawValue: raw.trimmingCharacters(in: .whitespaces).lowercased()) {
                    kind = parsed
                } else {
                    let problem = raw.trimmingCharacters(in: .whitespaces).isEmpty
                        ? "is empty (holiday or workday required)" : "is not holiday or workday"
                    problems.append("line \(line): " + ValidationError(field: "kind", value: raw, problem: problem).description)
                }
            }
            if let day, let kind { entries.append(Entry(line: line, day: day, kind: kind)) }
        }
        if !problems.isEmpty { throw failure(problems) }
        return entries
    }

    /// Upserts the entries in one statement in one transaction (a savepoint inside another).
    public static func write(_ entries: [Entry], into connection: Connection) throws -> Summary {
        guard !entries.isEmpty else { return Summary(inserted: 0, updated: 0, unchanged: 0) }
        let days = entries.map(\.day)
        let kinds = entries.map(\.kind.rawValue)
        let rows = try connection.transaction { tx in
            try tx.query("""
                INSERT INTO calendar_days AS c (day, kind)
                SELECT * FROM unnest(\(days)::date[], \(kinds)::text[])
                ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind
                    WHERE c.kind IS DISTINCT FROM EXCLUDED.kind
                RETURNING (xmax = 0) AS inserted
                """)
        }
        let inserted = try rows.filter { try $0.decode("inserted", as: Bool.self) }.count
        let updated = rows.count - inserted
        return Summary(inserted: inserted, updated: updated, unchanged: entries.count - rows.count)
    }

    /// What ``write(_:into:)`` would do, without writing.
    public static func preview(_ entries: [Entry], in connection: Connection) throws -> Summary {
        let days = entries.map(\.day)
        let kinds = entries.map(\.kind.rawValue)
        let row = try connection.query("""
            SELECT count(*) FILTER (WHERE c.day IS NULL) AS inserted,
                   count(*) FILTER (WHERE c.kind <> u.kind) AS updated
            FROM unnest(\(days)::date[], \(kinds)::text[]) AS u (day, kind)
            LEFT JOIN calendar_days c ON c.day = u.day
            """).one()
        let inserted = try row.decode("inserted", as: Int.self)
        let updated = try row.decode("updated", as: Int.self)
        return Summary(inserted: inserted, updated: updated, unchanged: entries.count - inserted - updated)
    }

    private static func failure(_ problems: [String]) -> WagewatchError {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return .invalid("calendar file has \(count); nothing was imported:\n" + problems.joined(separator: "\n"))
    }

    /// The text, or nil when the bytes are not valid UTF-8.
    private static func utf8Text(_ bytes: ArraySlice<UInt8>) -> String? {
        var scalars = String.UnicodeScalarView()
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return String(scalars)
            case .error: return nil
            }
        }
    }

    /// The line of the first byte sequence that is not UTF-8.
    private static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == 0x0A {
            if utf8Text(bytes[start..<index]) == nil { return line }
            line += 1
            start = index + 1
        }
        return line
    }
}

/// The records of a small CSV file: comma-separated, `"` quoting with `""` for a quote, CRLF or
/// LF line ends. Enough for the two-column calendar file; the general importers have their own.
private struct CSVRecords {
    struct Record {
        /// The line the record starts on.
        let line: Int
        let fields: [String]
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// The next record, or nil at the end. A quote left open reports a problem and ends the file.
    mutating func next(problems: inout [String]) -> Record? {
        guard index < scalars.count else { return nil }
        let start = line
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var afterQuote = false
        while index < scalars.count {
            let ch = scalars[index]
            index += 1
            if quoted {
                if ch == "\"" {
                    if index < scalars.count, scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if ch == "\n" { line += 1 }
                    field.append(ch)
                }
                continue
            }
            switch ch {
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                afterQuote = false
            case "\r" where index < scalars.count && scalars[index] == "\n":
                break
            case "\n":
                line += 1
                fields.append(String(field))
                return Record(line: start, fields: fields)
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
            default:
                field.append(ch)
            }
        }
        if quoted {
            problems.append("line \(start): row: a quoted cell is never closed")
        }
        fields.append(String(field))
        return Record(line: start, fields: fields)
    }
}
