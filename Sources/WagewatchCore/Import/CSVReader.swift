import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
