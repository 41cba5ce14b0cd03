import Foundation
import Hummingbird
import PostgresClient
import Synchronization
import WagewatchCore

/// Who is calling the API: the token's user and the token's name.
struct Caller: Sendable {
    let user: String
    let role: UserRole
    let token: String
}

/// At most `perMinute` requests per token in each minute of the clock (SPEC §9: 60 by
/// default, `[web] api_requests_per_minute`); the next one answers 429 with the seconds until
/// the minute ends. Kept in the server's memory: one server, one count.
final class RateLimiter: Sendable {
    let perMinute: Int
    private let windows = Mutex<[String: (minute: Int64, count: Int)]>([:])

    init(perMinute: Int) { self.perMinute = perMinute }

    /// Counts one request of `key` at `now`; throws when it is one too many.
    func admit(_ key: String, now: Date = Date()) throws {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let minute = seconds / 60
        let admitted = windows.withLock { windows -> Bool in
            var window = windows[key] ?? (minute, 0)
            if window.minute != minute { window = (minute, 0) }
            guard window.count < perMinute else { return false }
            window.count += 1
            windows[key] = window
            // Old minutes of idle tokens do not pile up.
            if windows.count > 10_000 { windows = windows.filter { $0.value.minute == minute } }
            return true
        }
        if !admitted {
            throw APIError.rateLimited(perMinute: perMinute, retryAfter: Int(60 - seconds % 60))
        }
    }
}

extension WebApp {
    /// Runs `body` as the user of the request's bearer token (SPEC §9), as ``asUser`` does for a
    /// signed-in browser: one transaction on a pooled connection, the token door as the
    /// server's own login, then `SET LOCAL ROLE` of the token's user through the Session. The
    /// call is recorded (api_calls, in the audit log) as that user even when the work is
    /// refused: the work runs in a savepoint, and only it is rolled back.
    func asToken<T: Sendable>(
        _ request: Request, _ context: WebContext,
        _ body: @escaping @Sendable (Session, Caller) throws -> T
    ) async throws -> T {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("Authorization: missing; give \"Authorization: Bearer TOKEN\" (wagewatch token add)")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("Authorization: not \"Bearer TOKEN\"")
        }
        let hash = Data(Secrets.hash(token: String(parts[1]).trimmingCharacters(in: .whitespaces)))
        let method = request.method.rawValue
        let path = RequestLogMiddleware.loggable(request.uri.path)
        let configuration = options.configuration
        let now = options.clock()
        let nameBox = context.userName
        let limiter = self.limiter
        let outcome: Result<T, any Error> = try await pool.withConnection { pooled in
            try pooled.connection.transaction { tx -> Result<T, any Error> in
                guard let row = try tx.query("SELECT state, user_name, role, token_name FROM ww_api_token_use(\(hash))").first else {
                    throw APIError.unauthorized("Authorization: not a token of this server")
                }
                let state: String = try row.decode("state"), tokenName: String = try row.decode("token_name")
                guard state == "ok" else {
                    throw APIError.unauthorized(state == "disabled" ? "Authorization: the token \(tokenName) belongs to a disabled login"
                                                : "Authorization: the token \(tokenName) is \(state)")
                }
                try limiter.admit(tokenName)
                let caller = Caller(user: try row.decode("user_name"), role: try row.decode("role"), token: tokenName)
                nameBox.name = caller.user
                let session = try WebApp.becomeUser(caller.user, on: tx, pooled: pooled, configuration: configuration, now: now)
                try tx.query("SELECT ww_api_call(\(hash), \(method), \(path))")
                do {
                    return .success(try tx.transaction { _ in try body(session, caller) })
                } catch {
                    return .failure(error)
                }
            }
        }
        return try outcome.get()
    }
}
