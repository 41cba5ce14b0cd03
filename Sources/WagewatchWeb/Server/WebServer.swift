import Foundation
import Hummingbird
import Logging
import PostgresClient
import WagewatchCore

/// `wagewatch serve`: the web desk of SPEC §8 on Hummingbird. The server signs in to PostgreSQL
/// as its own login (`wagewatch_authenticator`: no rights of its own, may become each user) and
/// runs every request in one transaction as the signed-in user.
public struct WebServer: Sendable {
    public let options: WebOptions
    public let pool: DatabasePool
    let app: WebApp
    /// SPEC §10 N2: 10 status lookups an hour per address.
    let statusLimiter = HourlyLimiter(perHour: 10)

    /// - Parameter connect: opens a connection as the server's own login.
    public init(options: WebOptions, connect: @escaping @Sendable () throws -> Connection) {
        self.options = options
        pool = DatabasePool(size: options.configuration.web.poolSize, connect: connect)
        app = WebApp(pool: pool, options: options, pages: Pages(), feed: EscalationFeed(connect: connect),
                     limiter: RateLimiter(perMinute: options.configuration.web.apiRequestsPerMinute))
    }

    /// Every route of the desk, behind its middleware.
    public func router(logger: Logger) -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: RequestLogMiddleware(logger: logger))
        router.add(middleware: SecurityHeaders.contentSecurity)
        router.add(middleware: ReferrerPolicyMiddleware())
        router.add(middleware: ErrorPageMiddleware(pages: app.pages, logger: logger))
        StaticRoutes(app: app).add(to: router)
        SignInRoutes(app: app).add(to: router)
        StatusRoutes(app: app, limiter: statusLimiter).add(to: router)
        DeskRoutes(app: app).add(to: router)
        ComplaintRoutes(app: app).add(to: router)
        CaseRoutes(app: app).add(to: router)
        ProjectRoutes(app: app).add(to: router)
        ReportRoutes(app: app).add(to: router)
        EscalationRoutes(app: app).add(to: router)
        FlagRoutes(app: app).add(to: router)
        DirectPayRoutes(app: app).add(to: router)
        SanctionRoutes(app: app).add(to: router)
        AdminRoutes(app: app).add(to: router)
        AdminDeskRoutes(app: app).add(to: router)
        APIRoutes(app: app).add(to: router, logger: logger)
        // Anything else is a 404 page behind the same middleware (and the same headers).
        router.get("**") { _, _ -> Response in throw WagewatchError.notFound("no such page") }
        router.post("**") { _, _ -> Response in throw WagewatchError.notFound("no such page") }
        return router
    }

    /// The application listening on `host:port`.
    public func application(host: String, port: Int, logger: Logger,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(logger: logger),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT: then finishes the requests in flight and closes the pool.
    public func run(host: String, port: Int, logger: Logger,
                    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let application = application(host: host, port: port, logger: logger, onServerRunning: onServerRunning)
        do {
            try await application.runService()
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// Ends the escalation streams and the feed's listening, and closes the pool.
    public func close() async {
        app.feed.stop()
        await pool.close()
    }
}

/// The stylesheet, the board's script and GET /healthz.
struct StaticRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/static/wagewatch.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
        router.get("/static/board.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: BoardScript.js)))
        }
        router.get("/healthz") { _, _ in
            let answered = (try? await app.asServer { tx in try tx.query("SELECT 1 AS ok").count == 1 }) ?? false
            return Response(status: answered ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: answered ? "ok\n" : "unavailable\n")))
        }
    }
}
