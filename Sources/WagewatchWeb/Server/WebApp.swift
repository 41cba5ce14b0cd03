import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// How the server runs: what `wagewatch serve` was given.
public struct WebOptions: Sendable {
    public var configuration: Configuration
    /// The address people reach the desk at (`--public-url`); an https one makes cookies Secure.
    public var publicURL: String?
    /// The instant a request counts as now: the system clock, or the one `WAGEWATCH_NOW` pins
    /// (the demo and the tests).
    public var clock: @Sendable () -> Date

    public init(configuration: Configuration, publicURL: String? = nil, clock: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.publicURL = publicURL
        self.clock = clock
    }

    var secureCookies: Bool { publicURL?.lowercased().hasPrefix("https://") ?? false }
}

/// The signed-in person of a request, as their open session says.
struct Signed: Sendable {
    let name: String
    let role: UserRole
    let csrf: String
    let lang: ReportLanguage
}

/// The web desk's shared state: the pool, the options, the pages. Every route reaches the
/// database through ``asUser(_:_:form:_:)``: one transaction on a pooled connection, first as
/// the server's own login (the session doors), then `SET LOCAL ROLE` of the signed-in user
/// through ``WagewatchCore/Session``, so grants and row security decide what the route sees.
struct WebApp: Sendable {
    let pool: DatabasePool
    let options: WebOptions
    let pages: Pages
    /// The escalation events every open board follows (`GET /escalations/stream`).
    let feed: EscalationFeed
    /// The API's requests per token and minute (SPEC §9).
    let limiter: RateLimiter

    static let sessionCookie = "ww_session"

    /// Runs `body` as the signed-in user of `request`. With a `form` (a POST) the form's
    /// `_csrf` must be the session's, or nothing runs (403). `?lang=` switches the session's
    /// language. No open session: ``WebFailure/signInRequired`` (the session's expiry is
    /// recorded all the same).
    /// A multipart form (the import form) passes its `_csrf` as `csrf` ("" when absent): checked
    /// as a form's is. With `ownConnection` the request gets a connection of its own, closed afterwards, instead
    /// of a pooled one (``DatabasePool/withOwnConnection(_:)``).
    func asUser<T: Sendable>(
        _ request: Request, _ context: WebContext, form: Form? = nil, csrf: String? = nil, ownConnection: Bool = false,
        _ body: @escaping @Sendable (Session, Signed) throws -> T
    ) async throws -> T {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else {
            throw WebFailure.signInRequired
        }
        let hash = Data(Secrets.hash(token: token))
        let wanted = request.query.value("lang").flatMap(ReportLanguage.init(rawValue:))
        let configuration = options.configuration
        let now = options.clock()
        let nameBox = context.userName
        let sentCSRF = form.map { $0.value("_csrf") } ?? csrf.map { Optional($0) }
        let work: @Sendable (PooledConnection) throws -> RequestOutcome<T> = { pooled in
            // One transaction: the session door as the server's login, then the page as the user.
            // A session found expired answers .signedOut and commits, so its ending is recorded.
            try pooled.connection.transaction { tx -> RequestOutcome<T> in
                guard let row = try tx.query(
                    "SELECT user_name, role, csrf_token, lang FROM ww_web_session(\(hash))").first else { return .signedOut }
                var lang = ReportLanguage(rawValue: try row.decode("lang", as: String.self)) ?? .zh
                if let wanted, wanted != lang {
                    try tx.query("SELECT ww_web_session_lang(\(hash), \(wanted.rawValue))")
                    lang = wanted
                }
                let signed = Signed(name: try row.decode("user_name"), role: try row.decode("role"),
                                    csrf: try row.decode("csrf_token"), lang: lang)
                nameBox.name = signed.name
                nameBox.language = lang
                if let sentCSRF {
                    guard let sent = sentCSRF, Secrets.same(sent, signed.csrf) else { throw WebFailure.badCSRFToken }
                }
                let session = try Self.becomeUser(signed.name, on: tx, pooled: pooled, configuration: configuration, now: now)
                return .done(try body(session, signed))
            }
        }
        let outcome = ownConnection ? try await pool.withOwnConnection(work) : try await pool.withConnection(work)
        switch outcome {
        case .done(let value): return value
        case .signedOut: throw WebFailure.signInRequired
        }
    }

    /// The request's Session as `user` (SET LOCAL ROLE, for this transaction only), on a pooled
    /// connection whose settings drift is learnt once: for the pages and the API alike.
    static func becomeUser(_ user: String, on tx: Connection, pooled: PooledConnection, configuration: Configuration,
                           now: Date) throws -> Session {
        let session = try Session.begin(
            on: tx,
            Session.Request(
                connect: { throw WagewatchError.failure("a request's session does not reconnect") },
                actingAs: user, configuration: configuration, pinnedNow: now,
                scope: .transaction, knownDrift: pooled.settingsDrift),
            systemNow: now)
        pooled.settingsDrift = session.settingsDrift
        return session
    }

    /// Runs `body` as the server's own login: the sign-in doors, nothing else.
    func asServer<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await pool.withConnection { pooled in try pooled.connection.transaction { try body($0) } }
    }
}

/// What a request's work came to: its value, or no open session (recorded, then 303/401).
enum RequestOutcome<T: Sendable>: Sendable {
    case done(T)
    case signedOut
}
