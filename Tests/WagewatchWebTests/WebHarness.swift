import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// A web desk over a fresh database, driven through Hummingbird's test client with a real
/// PostgreSQL behind it: the same router, middleware, pool and doors as `wagewatch serve`.
struct WebHarness: Sendable {
    let db: ConnectionBox
    let conninfo: String
    let server: WebServer

    /// The password every test user gets (hashed once per process: bcrypt is slow on purpose).
    static let password = "test-password-1"
    static let passwordHash = try! Passwords.hash(password)

    /// Users of every role, as the template's standard users plus a sector and an admin user.
    static let intake = "hotline_li", inspector = "zhang_jiancha", official = "wang_juzhang"
    static let sector = "jiaotong_zhou", admin = "admin_sun", secondInspector = "li_jiancha"

    /// Runs `body` with a desk over a fresh database whose users all have ``password``.
    static func with<T: Sendable>(configuration: Configuration = .defaults, now: Date? = nil, log: LogLines? = nil,
                                  _ body: @escaping @Sendable (WebHarness, any TestClientProtocol) async throws -> T) async throws -> T {
        try await TestDatabase.withFresh { connection, conninfo in
            let users = UserDirectory()
            _ = try users.add(name: sector, role: "sector", department: "transport", regionCode: nil, on: connection)
            _ = try users.add(name: admin, role: "admin", department: "labor", regionCode: nil, on: connection)
            _ = try users.add(name: secondInspector, role: "inspector", department: "labor", regionCode: nil, on: connection)
            for name in [intake, inspector, official, sector, admin, secondInspector] {
                try users.setPassword(name: name, hash: passwordHash, on: connection)
            }
            let serverConninfo = connection.conninfo(database: try connection.query("SELECT current_database() AS d").one().decode("d"),
                                                     user: "wagewatch_authenticator")
            let options = WebOptions(configuration: configuration, clock: { now ?? Date() })
            let server = WebServer(options: options, connect: { try Connection(serverConninfo) })
            let harness = WebHarness(db: ConnectionBox(connection), conninfo: conninfo, server: server)
            var logger = Logger(label: "test", factory: { _ in CapturingLogHandler(lines: log ?? LogLines()) })
            logger.logLevel = .info
            let app = Application(router: server.router(logger: logger))
            do {
                let value = try await app.test(.router) { client in try await body(harness, client) }
                await server.close()
                return value
            } catch {
                await server.close()
                throw error
            }
        }
    }

    /// A count from the test's own (superuser) connection.
    func count(_ sql: SQL) throws -> Int {
        try db.connection.query(sql).one().decode("n", as: Int.self)
    }
}

/// The test's own connection, handed into Sendable closures.
final class ConnectionBox: @unchecked Sendable {
    let connection: Connection
    init(_ connection: Connection) { self.connection = connection }
}

/// One browser: its cookies, and the page's CSRF token once signed in.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf: String?

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page {
        try await send(uri, method: .get, body: nil)
    }

    /// POSTs a form; the session's `_csrf` is added unless `csrf` is false.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf withToken: Bool = true) async throws -> Page {
        var fields = fields
        if withToken, let csrf { fields.append(("_csrf", csrf)) }
        let body = fields.map { key, value in Self.encode(key) + "=" + Self.encode(value) }.joined(separator: "&")
        return try await send(uri, method: .post, body: body)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// One request with the browser's cookies; a body is a urlencoded form unless `contentType` says otherwise.
    func send(_ uri: String, method: HTTPRequest.Method, body: String?, contentType: String? = nil) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty {
            headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if body != nil { headers[.contentType] = contentType ?? "application/x-www-form-urlencoded" }
        let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                body: body.map { ByteBuffer(string: $0) })
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]), value = parts.count > 1 ? String(parts[1]) : ""
            if value.isEmpty || field.value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let text = String(buffer: response.body)
        if let token = Self.hiddenCSRF(in: text) { csrf = token }
        return Page(status: response.status, headers: response.headers, body: text)
    }

    /// The `_csrf` value of the first form on a page.
    static func hiddenCSRF(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        let match = String(html[range])
        return match.split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    /// Signs in through the form; returns the answer to the POST.
    @discardableResult
    func signIn(_ name: String, password: String = WebHarness.password, next: String? = nil) async throws -> Page {
        try await get("/login")
        var fields = [("username", name), ("password", password)]
        if let next { fields.append(("next", next)) }
        let answer = try await post("/login", fields)
        if answer.status == .seeOther { try await get("/") }   // the desk carries the session's CSRF token
        return answer
    }

    var sessionCookie: String? { cookies["ww_session"] }
}

extension Browser.Page {
    /// The address of the page's `<a rel="…">` link (`next`, `prev`), as a browser follows it.
    func link(_ rel: String) -> String? {
        guard let range = body.range(of: #"rel="\#(rel)" href="([^"]+)""#, options: .regularExpression) else { return nil }
        let href = body[range].split(separator: "\"").dropFirst(3).first.map(String.init)
        return href?.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The text of the element carrying `data-field="name"`.
    func field(_ name: String) -> String? {
        guard let start = body.range(of: "data-field=\"\(name)\"") else { return nil }
        guard let close = body[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = body[body.index(after: close)...]
        guard let end = rest.firstIndex(of: "<") else { return nil }
        return String(rest[..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A complaint form's fields, as a hotline worker fills them.
func complaintForm(workers: Int = 3, amount: String = "86000", phone: String? = "13812345678",
                   uscc: String? = nil, employer: String = "郑州宏达建筑劳务有限公司", text: String = "拖欠工资",
                   received: String = "2026-03-02 09:30") -> [(String, String)] {
    var fields = [
        ("received_at", received), ("region_code", "410122"), ("channel", "12333"), ("caller_name", "王建国"),
        ("employer_name", employer), ("workers_involved", String(workers)), ("amount_owed", amount),
        ("owed_since", "2026-01-01"), ("owed_until", "2026-02-28"), ("text", text),
    ]
    if let phone { fields.append(("caller_phone", phone)) }
    if let uscc { fields.append(("employer_uscc", uscc)) }
    return fields
}

/// The instant the tests count as now: after the complaints they log (2026-03-02).
let webNow = PostgresTimestamp.parse("2026-03-04T10:00:00+08:00")!

/// The request log's lines, as a test reads them.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var all: [String] { lock.withLock { stored } }
}

struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        lines.append("\(level) \(message)")
    }
}
