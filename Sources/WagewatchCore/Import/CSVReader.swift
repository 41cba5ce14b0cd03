import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The columns one kind of import accepts (SPEC §5): every `required` column must be in the
/// header, `optional` ones may be; any other column is an error. Order in the file is free.
public struct CSVSchema: Sendable {
    public var required: [String]
    public var optional: [String]
    /// Whether `Date` in the header names the column `date` (the calendar's files are written by hand).
    public var caseInsensitiveHeader: Bool
    /// Whether a first line that names no column is data rather than a bad header: if so, the
    /// missing header is reported as the first line's problem and the file is read in the
    /// schema's column order, so every other line is checked too.
    public var firstLineIsData: (@Sendable (_ fields: [String]) -> Bool)?

    public init(
        required: [String], optional: [String] = [], caseInsensitiveHeader: Bool = false,
        firstLineIsData: (@Sendable (_ fields: [String]) -> Bool)? = nil
    ) {
        self.required = required
        self.optional = optional
        self.caseInsensitiveHeader = caseInsensitiveHeader
        self.firstLineIsData = firstLineIsData
    }

    /// Required then optional columns: the order of a record's values.
    public var columns: [String] { required + optional }
}

/// One bad line of an import, printed as `line 14: uscc: problem` (or `line 14: problem` when
/// the problem is not in one column, and just the problem for line 0, the file as a whole).
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The physical line where the record starts, the header being line 1; 0 for the whole file.
    public let line: Int
    public let column: String?
    public let problem: String

    public init(line: Int, column: String? = nil, problem: String) {
        self.line = line
        self.column = column
        self.problem = problem
    }

    public var description: String {
        switch (line, column) {
        case (0, nil): problem
        case (0, let column?): "\(column): \(problem)"
        case (_, nil): "line \(line): \(problem)"
        case (_, let column?): "line \(line): \(column): \(problem)"
        }
    }
}

/// Every bad line of an import, so one run tells the user all that must be fixed (SPEC §5:
/// all or nothing). Keeps only the `limit` lowest-numbered problems, so memory stays bounded
/// when every line of a ten-million-line file is wrong; `count` still counts them all.
public struct ImportProblems: Error, Sendable, CustomStringConvertible {
    /// How many problems are kept and listed.
    public let limit: Int
    /// How many problems were added, listed or not.
    public private(set) var count = 0

    private var kept: [(problem: CSVError, order: Int)] = []
    private var highestKeptLine = Int.min

    public init(limit: Int = 200) {
        precondition(limit > 0, "an ImportProblems limit must be positive")
        self.limit = limit
    }

    public var isEmpty: Bool { count == 0 }

    /// The kept problems, sorted by line (problems on one line in the order they were added).
    public var errors: [CSVError] {
        kept.sorted { ($0.problem.line, $0.order) < ($1.problem.line, $1.order) }.map(\.problem)
    }

    public mutating func add(_ error: CSVError) {
        let order = count
        count += 1
        if kept.count < limit {
            kept.append((error, order))
            highestKeptLine = max(highestKeptLine, error.line)
            return
        }
        guard error.line < highestKeptLine else { return }
        // Replace the latest-added of the highest-numbered lines kept.
        var victim = 0
        for index in kept.indices where (kept[index].problem.line, kept[index].order)
            > (kept[victim].problem.line, kept[victim].order) {
            victim = index
        }
        kept[victim] = (error, order)
        highestKeptLine = kept.lazy.map(\.problem.line).max() ?? Int.min
    }

    public mutating func add(line: Int, column: String?, problem: String) {
        add(CSVError(line: line, column: column, problem: problem))
    }

    /// A field that failed validation: `line 14: uscc: "91410100MA3X" is not a valid …`.
    public mutating func add(line: Int, _ error: ValidationError) {
        add(CSVError(line: line, column: error.field, problem: "\(ValidationError.quoted(error.value)) \(error.problem)"))
    }

    /// One problem a line, sorted by line, then `… and N more` if some were not kept.
    public var description: String {
        var lines = errors.map(\.description)
        if count > kept.count { lines.append("… and \(count - kept.count) more") }
        return lines.joined(separator: "\n")
    }
}

/// One data row of a CSV file, its values looked up by column name.
public struct CSVRecord: Sendable {
    /// The physical line where the record starts; the header is line 1.
    public let line: Int
    let columns: CSVColumns
    let values: [String?]

    /// The cell in `column`, trimmed of surrounding ASCII whitespace; nil when empty or when an
    /// optional column is absent from the file. `column` must be one of the schema's columns.
    public subscript(column: String) -> String? {
        guard let slot = columns.slot[column] else {
            preconditionFailure("\"\(column)\" is not a column of this import (\(columns.names.joined(separator: ", ")))")
        }
        return values[slot]
    }
}

/// The schema's columns and their positions in `CSVRecord.values`, shared by all records.
final class CSVColumns: Sendable {
    let names: [String]
    let slot: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var slot: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            precondition(slot.updateValue(index, forKey: name) == nil, "column \"\(name)\" appears twice in the schema")
        }
        self.slot = slot
    }
}

/// Reads a CSV file (RFC 4180, UTF-8, optional BOM, CRLF or LF) record by record in chunks, so
/// memory stays flat whatever the file size. The header is checked against a `CSVSchema` when
/// the reader is made; after that a bad record is handed back as a `CSVError` and reading goes on,
/// so an import can report every bad line at once.
///
///     var reader = try CSVReader(path: path, schema: schema)
///     while let row = try reader.next() {
///         switch row {
///         case .success(let record): use(record["uscc"])
///         case .failure(let error): problems.add(error)
///         }
///     }
///
/// Copies of a reader share one file position.
public struct CSVReader {
    /// The header's column names as found in the file, trimmed (lowercased if the schema says
    /// case does not matter), in file order; the schema's columns when the file has no header.
    public let header: [String]
    public let schema: CSVSchema

    private let scanner: CSVScanner
    private let columns: CSVColumns
    /// For each field of a line, its slot in `CSVRecord.values`.
    private let slotOfField: [Int]
    /// A problem of the header that still lets the file be read (it has none), reported first by ``next()``.
    private var headerProblem: CSVError?

    /// How much of the file has been consumed: with `fileSize`, enough for a progress bar.
    public var bytesRead: Int { scanner.bytesRead }
    /// The file's size when it was opened (0 for something that is not a regular file).
    public var fileSize: Int { scanner.fileSize }

    /// Opens `path` and reads and checks its header; throws if the file cannot be read or the
    /// header does not match `schema` (unknown, missing or duplicate columns, all named).
    public init(path: String, schema: CSVSchema) throws(CSVError) {
        try self.init(path: path, schema: schema, chunkSize: 1 << 20)
    }

    /// `chunkSize` is how much is read at a time; a record longer than `maxRecordBytes` stops
    /// the read, since it almost always means a quote left open.
    init(path: String, schema: CSVSchema, chunkSize: Int, maxRecordBytes: Int = 16 << 20) throws(CSVError) {
        precondition(chunkSize > 0 && maxRecordBytes > 0)
        self.schema = schema
        let columns = CSVColumns(schema.columns)
        self.columns = columns
        let scanner = try CSVScanner(path: path, chunkSize: chunkSize, maxRecordBytes: maxRecordBytes)
        self.scanner = scanner

        let expected = "the columns are \(schema.columns.joined(separator: ","))"
        guard let line = try scanner.nextRecord() else {
            throw CSVError(line: 1, problem: "the file is empty: a header is expected (\(expected))")
        }
        if let found = scanner.firstProblem {
            throw CSVError(line: line, problem: "header column \(found.field + 1) \(found.problem.text)")
        }
        var header: [String] = []
        for field in 0..<scanner.fieldCount {
            switch scanner.value(field) {
            case .text(let name): header.append(name)
            case .empty: throw CSVError(line: line, problem: "header column \(field + 1) has no name (\(expected))")
            case .invalidUTF8: throw CSVError(line: line, problem: "header column \(field + 1) \(CSVScanner.invalidUTF8)")
            }
        }
        if schema.caseInsensitiveHeader { header = header.map { $0.lowercased() } }
        if let firstLineIsData = schema.firstLineIsData, !header.contains(where: { columns.slot[$0] != nil }),
           firstLineIsData(header) {
            let fields = (0..<scanner.fieldCount).map { field in
                if case .text(let text) = scanner.value(field) { text } else { "" }
            }
            headerProblem = CSVError(
                line: line, column: "header",
                problem: "\(ValidationError.quoted(fields.joined(separator: ","))) is not a header row (the first line must name the columns: \(schema.columns.joined(separator: ",")))")
            self.header = schema.columns
            scanner.columnNames = schema.columns
            slotOfField = Array(schema.columns.indices)
            return
        }
        self.header = header
        scanner.columnNames = header

        var slotOfField: [Int] = []
        var unknown: [String] = []
        var duplicates: [String] = []
        var seen = Set<String>()
        for name in header {
            if !seen.insert(name).inserted {
                if !duplicates.contains(name) { duplicates.append(name) }
            }
            if let slot = columns.slot[name] { slotOfField.append(slot) } else { unknown.append(name) }
        }
        let missing = schema.required.filter { !seen.contains($0) }
        var problems: [String] = []
        if !unknown.isEmpty {
            problems.append("unknown \(Self.noun(unknown.count, "column")) \(unknown.map { ValidationError.quoted($0) }.joined(separator: ", "))")
        }
        if !missing.isEmpty {
            problems.append("missing required \(Self.noun(missing.count, "column")) \(missing.joined(separator: ", "))")
        }
        if !duplicates.isEmpty {
            let verb = duplicates.count == 1 ? "appears" : "appear"
            problems.append("\(Self.noun(duplicates.count, "column")) \(duplicates.joined(separator: ", ")) \(verb) more than once")
        }
        if !problems.isEmpty {
            throw CSVError(line: line, problem: "header: \(problems.joined(separator: "; ")) (\(expected))")
        }
        self.slotOfField = slotOfField
    }

    /// The next record, or the problem that makes it unusable (reading can go on after it);
    /// nil at the end of the file. Throws only when the rest of the file cannot be read:
    /// a quote never closed, an over-long record or an I/O error.
    public mutating func next() throws(CSVError) -> Result<CSVRecord, CSVError>? {
        if let headerProblem {
            self.headerProblem = nil
            return .failure(headerProblem)
        }
        guard let line = try scanner.nextRecord() else { return nil }
        let fieldCount = scanner.fieldCount
        if let found = scanner.firstProblem, found.field < header.count {
            return .failure(CSVError(line: line, column: header[found.field], problem: found.problem.text))
        }
        guard fieldCount == header.count else {
            // Text that is not UTF-8 says more about the file than the count of its fields.
            for field in 0..<min(fieldCount, header.count) {
                if case .invalidUTF8 = scanner.value(field) {
                    return .failure(CSVError(line: line, column: header[field], problem: CSVScanner.invalidUTF8))
                }
            }
            return .failure(CSVError(
                line: line,
                problem: "has \(fieldCount) \(Self.noun(fieldCount, "field")), the header has \(header.count)"))
        }
        var values = [String?](repeating: nil, count: columns.names.count)
        for field in 0..<fieldCount {
            switch scanner.value(field) {
            case .text(let text): values[slotOfField[field]] = text
            case .empty: break
            case .invalidUTF8: return .failure(CSVError(line: line, column: header[field], problem: CSVScanner.invalidUTF8))
            }
        }
        return .success(CSVRecord(line: line, columns: columns, values: values))
    }

    /// Reads every remaining record: good ones go to `body`, which may add its own problems
    /// (field validation); bad ones, and an error that stops the read, go to `problems`.
    public mutating func forEach(
        collectingProblemsIn problems: inout ImportProblems,
        _ body: (CSVRecord, inout ImportProblems) throws -> Void
    ) rethrows {
        while true {
            let row: Result<CSVRecord, CSVError>?
            do {
                row = try next()
            } catch {
                problems.add(error)
                return
            }
            switch row {
            case nil: return
            case .success(let record)?: try body(record, &problems)
            case .failure(let error)?: problems.add(error)
            }
        }
    }

    private static func noun(_ count: Int, _ noun: String) -> String {
        count == 1 ? noun : noun + "s"
    }
}

/// The byte level: a file read in chunks into one buffer, split into records and fields in place.
/// A record cut by the end of the buffer is scanned again from its start once more is read.
final class CSVScanner {
    enum Problem {
        case nulByte, strayQuote, textAfterQuote

        var text: String {
            switch self {
            case .nulByte: "contains a NUL byte"
            case .strayQuote: "has a quote inside an unquoted value (quote the whole value and double the quote)"
            case .textAfterQuote: "has text after the closing quote"
            }
        }
    }

    enum Value {
        case text(String)
        case empty
        case invalidUTF8
    }

    static let invalidUTF8 = "is not valid UTF-8 (if the file was saved as GBK, save it again as \"CSV UTF-8\")"

    private struct Span {
        var lower: Int
        var upper: Int
        /// Quoted and containing `""`, which must be unescaped.
        var escaped: Bool
    }

    private enum Scan {
        case record
        case needMore
        case unterminatedQuote(field: Int)
    }

    private static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
    private static let space: UInt8 = 0x20, tab: UInt8 = 0x09

    let fileSize: Int
    private let fd: Int32
    private let chunkSize: Int
    private let maxRecordBytes: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The first byte not yet consumed, and one past the last byte read.
    private var start = 0, end = 0
    /// The file offset of `buffer[0]`.
    private var bufferOffset = 0
    private var atEOF = false
    private var finished = false
    /// The physical line `start` is on.
    private var line = 1

    private var spans: [Span] = []
    /// Line ends inside quoted fields of the record being scanned.
    private var extraLines = 0
    private(set) var firstProblem: (field: Int, problem: Problem)?
    /// The header, once read, to name the column of a quote never closed.
    var columnNames: [String] = []

    init(path: String, chunkSize: Int, maxRecordBytes: Int) throws(CSVError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CSVError(line: 0, problem: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        fileSize = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        self.fd = fd
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
        capacity = 2 * chunkSize
        buffer = .allocate(capacity: capacity)
        spans.reserveCapacity(32)

        while end < 3 && !atEOF { try fill() }
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    var bytesRead: Int { bufferOffset + start }
    var fieldCount: Int { spans.count }

    /// Splits the next non-blank record into fields and returns the line it starts on; nil at
    /// the end of the file.
    func nextRecord() throws(CSVError) -> Int? {
        guard !finished else { return nil }
        while true {
            var needMore = false
            while start < end {
                let byte = buffer[start]
                if byte == Self.lf {
                    start += 1
                } else if byte == Self.cr {
                    if start + 1 < end {
                        start += buffer[start + 1] == Self.lf ? 2 : 1
                    } else if atEOF {
                        start += 1
                    } else {
                        needMore = true
                        break
                    }
                } else {
                    break
                }
                line += 1
            }
            if !needMore && start < end {
                switch scan() {
                case .record:
                    let recordLine = line
                    line += 1 + extraLines
                    return recordLine
                case .needMore:
                    break
                case .unterminatedQuote(let field):
                    finished = true
                    let problem = "opens a quote that is never closed (the rest of the file cannot be read)"
                    if field < columnNames.count {
                        throw CSVError(line: line, column: columnNames[field], problem: problem)
                    }
                    throw CSVError(line: line, problem: "field \(field + 1) \(problem)")
                }
            } else if start == end && atEOF {
                finished = true
                return nil
            }
            if end - start > maxRecordBytes {
                finished = true
                throw CSVError(
                    line: line,
                    problem: "the record is longer than \(Self.size(maxRecordBytes)): is a quote left open? (the rest of the file cannot be read)")
            }
            try fill()
        }
    }

    /// Field `index` of the record just scanned: unescaped, trimmed of ASCII whitespace, checked UTF-8.
    func value(_ index: Int) -> Value {
        let span = spans[index]
        guard span.escaped else { return Self.value(buffer + span.lower, count: span.upper - span.lower) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(span.upper - span.lower)
        var position = span.lower
        while position < span.upper {
            bytes.append(buffer[position])
            position += buffer[position] == Self.quote ? 2 : 1
        }
        return bytes.withUnsafeBufferPointer { Self.value($0.baseAddress!, count: $0.count) }
    }

    private static func value(_ base: UnsafePointer<UInt8>, count: Int) -> Value {
        var lower = 0, upper = count
        while lower < upper && isASCIIWhitespace(base[lower]) { lower += 1 }
        while upper > lower && isASCIIWhitespace(base[upper - 1]) { upper -= 1 }
        guard upper > lower else { return .empty }
        let bytes = UnsafeBufferPointer(start: base + lower, count: upper - lower)
        let text: String?
        if #available(macOS 15, iOS 18, tvOS 18, watchOS 11, *) {
            text = String(validating: bytes, as: UTF8.self)
        } else {
            text = String(bytes: bytes, encoding: .utf8)
        }
        return text.map(Value.text) ?? .invalidUTF8
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == space || (byte >= 0x09 && byte <= 0x0D)
    }

    private func note(_ field: Int, _ problem: Problem) {
        if firstProblem == nil { firstProblem = (field, problem) }
    }

    /// Scans one record from `start`; on `.record` the fields are in `spans` and `start` is past
    /// the record's line end. `.needMore` leaves `start` alone so the record is scanned again.
    private func scan() -> Scan {
        spans.removeAll(keepingCapacity: true)
        firstProblem = nil
        extraLines = 0
        let bytes = buffer
        let end = self.end
        var position = start
        while true {
            let field = spans.count
            var cursor = position
            while cursor < end && (bytes[cursor] == Self.space || bytes[cursor] == Self.tab) { cursor += 1 }
            if cursor < end && bytes[cursor] == Self.quote {
                cursor += 1
                let lower = cursor
                var escaped = false
                while true {
                    guard cursor < end else { return atEOF ? .unterminatedQuote(field: field) : .needMore }
                    let byte = bytes[cursor]
                    if byte == Self.quote {
                        if cursor + 1 < end {
                            guard bytes[cursor + 1] == Self.quote else { break }
                            escaped = true
                            cursor += 2
                            continue
                        }
                        if atEOF { break }
                        return .needMore
                    } else if byte == Self.lf {
                        extraLines += 1
                    } else if byte == Self.cr {
                        if cursor + 1 < end {
                            if bytes[cursor + 1] != Self.lf { extraLines += 1 }
                        } else if atEOF {
                            extraLines += 1
                        } else {
                            return .needMore
                        }
                    } else if byte == 0 {
                        note(field, .nulByte)
                    }
                    cursor += 1
                }
                spans.append(Span(lower: lower, upper: cursor, escaped: escaped))
                cursor += 1
                while cursor < end && (bytes[cursor] == Self.space || bytes[cursor] == Self.tab) { cursor += 1 }
                if cursor < end {
                    let byte = bytes[cursor]
                    if byte != Self.comma && byte != Self.lf && byte != Self.cr {
                        note(field, .textAfterQuote)
                        while cursor < end {
                            let byte = bytes[cursor]
                            if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
                            cursor += 1
                        }
                    }
                }
            } else {
                while cursor < end {
                    let byte = bytes[cursor]
                    if byte == Self.comma || byte == Self.lf || byte == Self.cr { break }
                    if byte == Self.quote {
                        note(field, .strayQuote)
                    } else if byte == 0 {
                        note(field, .nulByte)
                    }
                    cursor += 1
                }
                spans.append(Span(lower: position, upper: cursor, escaped: false))
            }

            guard cursor < end else {
                guard atEOF else { return .needMore }
                start = end
                return .record
            }
            let byte = bytes[cursor]
            if byte == Self.comma {
                position = cursor + 1
                continue
            }
            if byte == Self.lf {
                start = cursor + 1
                return .record
            }
            if cursor + 1 < end {
                start = bytes[cursor + 1] == Self.lf ? cursor + 2 : cursor + 1
                return .record
            }
            guard atEOF else { return .needMore }
            start = cursor + 1
            return .record
        }
    }

    /// Reads up to `chunkSize` more bytes after `end`, first moving the unconsumed bytes to the
    /// front of the buffer (or growing it, for a record longer than a chunk).
    private func fill() throws(CSVError) {
        guard !atEOF else { return }
        if capacity - end < chunkSize {
            let pending = end - start
            if start > 0 {
                memmove(buffer, buffer + start, pending)
                bufferOffset += start
                start = 0
                end = pending
            }
            if capacity - end < chunkSize {
                let grown = max(capacity * 2, end + chunkSize)
                let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
                larger.update(from: buffer, count: end)
                buffer.deallocate()
                buffer = larger
                capacity = grown
            }
        }
        while true {
            let count = read(fd, buffer + end, chunkSize)
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                atEOF = true
                return
            }
            if errno == EINTR { continue }
            finished = true
            throw CSVError(line: line, problem: "cannot read the file: \(String(cString: strerror(errno)))")
        }
    }
}
