import CLibPQ
import Foundation

/// Streams rows into a `COPY … FROM STDIN` in PostgreSQL's text format.
///
/// Data is buffered and sent in chunks of about 256 KiB, so an import of any size holds only
/// one chunk in memory.
public final class CopyInWriter {
    private let connection: Connection
    private var buffer: [UInt8] = []
    private static let chunk = 256 * 1024
    /// Rows written with ``writeRow(_:)``.
    public private(set) var rowsWritten = 0

    init(connection: Connection) {
        self.connection = connection
        buffer.reserveCapacity(Self.chunk + 4096)
    }

    /// Writes bytes exactly as given (they must already be in the COPY format in use).
    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Writes one row in COPY text format: fields separated by tabs, `nil` as `\N`, and
    /// backslash, tab, newline and carriage return escaped.
    public func writeRow(_ fields: [String?]) throws {
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.append(9) }
            guard let field else {
                buffer.append(92)
                buffer.append(78)
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case 92: buffer.append(92); buffer.append(92)
                case 9: buffer.append(92); buffer.append(116)
                case 10: buffer.append(92); buffer.append(110)
                case 13: buffer.append(92); buffer.append(114)
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(10)
        rowsWritten += 1
        if buffer.count >= Self.chunk { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let status = buffer.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(connection.handle, chars.baseAddress, Int32(chars.count))
            }
        }
        guard status == 1 else { throw connection.connectionError() }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension Connection {
    /// Sends a COPY statement and checks the server entered the expected COPY state.
    fileprivate func startCopy(_ sql: SQL, expecting expected: ExecStatusType, _ what: String) throws {
        guard sql.bindings.isEmpty else {
            throw PostgresError(kind: .usage, message: "COPY takes no bound parameters")
        }
        guard let start = PQexec(handle, sql.text) else { throw connectionError() }
        defer { PQclear(start) }
        let status = PQresultStatus(start)
        guard status == expected else {
            if status == PGRES_FATAL_ERROR { throw serverError(start) }
            throw PostgresError(kind: .usage, message: "statement did not start \(what)")
        }
    }

    /// Runs a `COPY … FROM STDIN` statement and lets `body` stream the rows. Returns the number
    /// of rows the server stored. If `body` throws, the COPY is aborted and nothing is stored.
    @discardableResult
    public func copyIn(_ sql: SQL, _ body: (CopyInWriter) throws -> Void) throws -> Int {
        try startCopy(sql, expecting: PGRES_COPY_IN, "COPY FROM STDIN")
        let writer = CopyInWriter(connection: self)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            let reason = "aborted by the client"
            _ = PQputCopyEnd(handle, reason)
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError() }
        return try finishCopy()
    }

    /// Runs a `COPY … TO STDOUT` statement and hands each chunk of output (a row, in text
    /// format) to `body`. Returns the number of rows copied.
    @discardableResult
    public func copyOut(_ sql: SQL, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try startCopy(sql, expecting: PGRES_COPY_OUT, "COPY TO STDOUT")
        var bodyError: (any Error)?
        while true {
            var pointer: UnsafeMutablePointer<CChar>? = nil
            let length = PQgetCopyData(handle, &pointer, 0)
            if length > 0, let pointer {
                if bodyError == nil {
                    do {
                        try body(UnsafeRawBufferPointer(start: pointer, count: Int(length)))
                    } catch {
                        bodyError = error
                    }
                }
                PQfreemem(pointer)
                continue
            }
            if length == -1 { break }
            throw connectionError()
        }
        let count = try finishCopy()
        if let bodyError { throw bodyError }
        return count
    }

    private func finishCopy() throws -> Int {
        var firstError: PostgresError?
        var count = 0
        while let result = PQgetResult(handle) {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK {
                count = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if firstError == nil {
                firstError = serverError(result)
            }
            PQclear(result)
        }
        if let firstError { throw firstError }
        return count
    }

    private func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}
