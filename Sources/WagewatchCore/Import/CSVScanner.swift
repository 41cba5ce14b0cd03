import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
