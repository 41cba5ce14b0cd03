import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One session with a PostgreSQL server, over libpq.
///
/// A `Connection` is deliberately not `Sendable`: libpq allows one thread at a time on a
/// connection, so the compiler keeps each connection inside the task (isolation region) that
/// opened it. Open one connection per concurrent task. All calls block the calling thread.
public final class Connection {
    let handle: OpaquePointer
    /// How many transactions are open; above 1 they are savepoints.
    public internal(set) var transactionDepth = 0
    private var statementNames: [String: String] = [:]
    private var closed = false

    /// Connects using a URL (`postgresql://…`) or a conninfo string (`host=… dbname=…`); an empty
    /// or nil string lets libpq use its `PG*` environment variables and defaults.
    public init(_ conninfo: String? = nil) throws {
        guard let handle = PQconnectdb(conninfo ?? "") else {
            throw PostgresError(kind: .connection, message: "cannot connect to PostgreSQL: out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw PostgresError(kind: .connection, message: "cannot connect to PostgreSQL: \(reason)")
        }
        self.handle = handle
        // Server notices (e.g. "relation already exists, skipping") are not the user's concern.
        PQsetNoticeReceiver(handle, { _, _ in }, nil)
        try executeScript(unsafeSQL: "SET client_encoding = 'UTF8'; SET datestyle = 'ISO, YMD'")
    }

    deinit {
        if !closed { PQfinish(handle) }
    }

    /// Closes the connection now rather than when it is released.
    public func close() {
        guard !closed else { return }
        closed = true
        PQfinish(handle)
    }

    /// The server's version as an integer, e.g. 150018.
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// The server process serving this connection.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Whether the connection is still usable.
    public var isHealthy: Bool { !closed && PQstatus(handle) == CONNECTION_OK }

    /// Where this connection went, for messages: the socket folder or host, and the port.
    public var location: String {
        let host = PQhost(handle).map { String(cString: $0) } ?? "?"
        let port = PQport(handle).map { String(cString: $0) } ?? "?"
        return host.hasPrefix("/") ? "socket \(host)/.s.PGSQL.\(port)" : "\(host):\(port)"
    }

    // MARK: Statements

    /// Runs one statement with its interpolated values bound as parameters.
    @discardableResult
    public func query(_ sql: SQL) throws -> QueryResult {
        try ensureOpen()
        return try withParameters(sql) { count, types, values in
            PQexecParams(handle, sql.text, count, types, values, nil, nil, 0)
        }
    }

    /// Like ``query(_:)``, but prepares the statement once per connection and reuses it:
    /// for statements a hot path runs many times.
    @discardableResult
    public func queryPrepared(_ sql: SQL) throws -> QueryResult {
        try ensureOpen()
        let name: String
        if let known = statementNames[sql.text] {
            name = known
        } else {
            name = "ww_\(statementNames.count + 1)"
            let types = sql.bindings.map { Oid($0.type.oid) }
            let prepared = types.withUnsafeBufferPointer { typePointer in
                PQprepare(handle, name, sql.text, Int32(types.count), typePointer.baseAddress)
            }
            _ = try readResult(prepared)
            statementNames[sql.text] = name
        }
        return try withParameters(sql) { count, _, values in
            PQexecPrepared(handle, name, count, values, nil, nil, 0)
        }
    }

    /// Runs a statement and returns the number of rows it touched.
    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try query(sql).affectedRows ?? 0
    }

    /// Runs several semicolon-separated statements with no parameters (migrations, setup).
    public func executeScript(unsafeSQL script: String) throws {
        try ensureOpen()
        _ = try readResult(PQexec(handle, script))
    }

    private func withParameters(
        _ sql: SQL,
        _ run: (Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?) -> OpaquePointer?
    ) throws -> QueryResult {
        let bindings = sql.bindings
        for (index, binding) in bindings.enumerated() where binding.text?.utf8.contains(0) == true {
            throw PostgresError(
                kind: .usage, message: "parameter $\(index + 1) contains a NUL byte, which PostgreSQL text cannot store")
        }
        let types = bindings.map { Oid($0.type.oid) }
        let values: [UnsafeMutablePointer<CChar>?] = bindings.map { $0.text.flatMap { strdup($0) } }
        defer { values.forEach { free($0) } }
        let constValues = values.map { $0.map { UnsafePointer($0) } }
        let result = types.withUnsafeBufferPointer { typePointer in
            constValues.withUnsafeBufferPointer { valuePointer in
                run(Int32(bindings.count), typePointer.baseAddress, valuePointer.baseAddress)
            }
        }
        return try readResult(result)
    }

    private func ensureOpen() throws {
        if closed { throw PostgresError(kind: .usage, message: "the connection is closed") }
    }

    /// Copies a result out of libpq and frees it, or throws the error it carries.
    func readResult(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            break
        default:
            throw serverError(result)
        }
        let columnCount = Int(PQnfields(result))
        var columns: [Column] = []
        columns.reserveCapacity(columnCount)
        for c in 0..<columnCount {
            columns.append(Column(
                name: String(cString: PQfname(result, Int32(c))),
                type: PostgresType(oid: UInt32(PQftype(result, Int32(c))))))
        }
        let index = Row.ColumnIndex(columns)
        let rowCount = Int(PQntuples(result))
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
            }
            rows.append(Row(columns: index, values: values))
        }
        let tuples = String(cString: PQcmdTuples(result))
        return QueryResult(columns: columns, rows: rows, affectedRows: Int(tuples))
    }

    func serverError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let sqlstate = field(UInt8(ascii: "C"))
        let code = sqlstate.map { PostgresError.Code($0) }
        let primary = field(UInt8(ascii: "M"))
            ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        // A restart or shutdown reaches an open session as 57P01 (or 08xxx) and leaves it unusable.
        if PQstatus(handle) != CONNECTION_OK || code?.endsSession == true {
            return connectionError(reason: sqlstate == nil ? nil : primary, code: code)
        }
        return PostgresError(
            kind: .server,
            code: code,
            severity: field(UInt8(ascii: "V")),
            message: primary.isEmpty ? "unknown server error" : primary,
            detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")),
            schema: field(UInt8(ascii: "s")),
            table: field(UInt8(ascii: "t")),
            column: field(UInt8(ascii: "c")),
            constraint: field(UInt8(ascii: "n"))
        )
    }

    /// The error for a connection that broke: the server's own reason when it gave one, else
    /// libpq's, on one line.
    func connectionError(reason serverReason: String? = nil, code: PostgresError.Code? = nil) -> PostgresError {
        let reason = (serverReason ?? String(cString: PQerrorMessage(handle)))
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return PostgresError(
            kind: .connectionLost, code: code,
            message: "the connection to the database was lost (PostgreSQL at \(location): \(reason.isEmpty ? "no reply" : reason))")
    }
}

extension Connection {
    /// The SCRAM-SHA-256 verifier of `password` for the login `user`, computed here by libpq
    /// (PQencryptPasswordConn), so that `ALTER ROLE … PASSWORD` never carries the password itself.
    public func scramVerifier(password: String, user: String) throws -> String {
        guard let result = PQencryptPasswordConn(handle, password, user, "scram-sha-256") else {
            throw PostgresError(kind: .usage, message: "cannot compute the password verifier: \(String(cString: PQerrorMessage(handle)))")
        }
        defer { PQfreemem(result) }
        return String(cString: result)
    }

    /// A conninfo string that reaches `database` on the same server as the same user, with
    /// every value quoted as libpq reads it.
    public func conninfo(database: String) -> String { conninfo(database: database, user: nil) }

    /// The same, as another login `user` (nil: the same user). The password is kept only for
    /// the same user.
    public func conninfo(database: String, user other: String?) -> String {
        func quote(_ value: String) -> String {
            "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
        var parts: [String] = []
        if let host = PQhost(handle).map({ String(cString: $0) }), !host.isEmpty { parts.append("host=\(quote(host))") }
        if let port = PQport(handle).map({ String(cString: $0) }), !port.isEmpty { parts.append("port=\(quote(port))") }
        let own = PQuser(handle).map { String(cString: $0) } ?? ""
        if let user = other ?? (own.isEmpty ? nil : own) { parts.append("user=\(quote(user))") }
        if other == nil || other == own, let password = PQpass(handle).map({ String(cString: $0) }), !password.isEmpty {
            parts.append("password=\(quote(password))")
        }
        parts.append("dbname=\(quote(database))")
        return parts.joined(separator: " ")
    }
}
