import Foundation
import PostgresClient

/// The only way to the database: an open connection already acting as its user (`SET ROLE`),
/// with the clock, the configuration and the default region that user works in. The CLI opens
/// one per command, the web desk one per request, jobs one per run; a lost connection is
/// replaced by a new Session (``reopened()``), never by a bare connection.
public final class Session {
    /// How a session is opened: everything needed to open it again after a lost connection.
    public struct Request: Sendable {
        /// Opens a new connection to the database (the embedded cluster's or a URL's).
        public var connect: @Sendable () throws -> Connection
        /// The user to act as (`--as`, `WAGEWATCH_USER`), nil for the signed-in login itself.
        public var actingAs: String?
        public var configuration: Configuration
        /// The instant the session counts as now; nil for the system clock at opening.
        public var pinnedNow: Date?
        /// The region asked for (`--region`, `WAGEWATCH_REGION`); else the user's own.
        public var region: String?
        /// How long the acting role lasts: the whole connection (a command), or only the
        /// transaction the caller has begun (a web request on a pooled connection: `SET LOCAL ROLE`).
        public var scope: Scope = .connection
        /// The settings drift already known for this connection (the web desk reads it once per
        /// pooled connection); nil reads it.
        public var knownDrift: [String]?

        public enum Scope: Sendable { case connection, transaction }

        public init(connect: @escaping @Sendable () throws -> Connection, actingAs: String? = nil,
                    configuration: Configuration = .defaults, pinnedNow: Date? = nil, region: String? = nil,
                    scope: Scope = .connection, knownDrift: [String]? = nil) {
            self.connect = connect
            self.actingAs = actingAs
            self.configuration = configuration
            self.pinnedNow = pinnedNow
            self.region = region
            self.scope = scope
            self.knownDrift = knownDrift
        }
    }

    public let connection: Connection
    /// The `users` row of the role the session acts as; nil for the service account.
    public let user: UserDirectory.User?
    /// The name recorded as the actor: the user, or `system` for the service account.
    public let actor: String
    public let configuration: Configuration
    /// The instant this session counts as now (fixed for its life: one command, one request).
    public let now: Date
    /// The region a command means when it names none: asked for, else the user's own.
    public let defaultRegion: String?
    public let request: Request
    /// The settings (``Configuration/databaseSettings``) whose value in the database differs from
    /// this session's configuration: the database's functions use the database's values.
    public let settingsDrift: [String]

    /// Today in Asia/Shanghai, the date every deadline is counted in.
    public var today: LocalDate { DateInput.shanghaiDate(of: now) }

    /// Opens a connection and becomes the acting user: `SET ROLE`, which PostgreSQL refuses
    /// unless the signed-in login may act as that user (exit 6). From then on the database
    /// decides what the session may read and change.
    public static func open(_ request: Request, systemNow: Date) throws -> Session {
        let connection = try request.connect()
        do {
            return try begin(on: connection, request, systemNow: systemNow)
        } catch {
            connection.close()
            throw error
        }
    }

    /// Becomes the acting user on a connection that is already open (inside the caller's
    /// transaction when the request's scope is `.transaction`).
    public static func begin(on connection: Connection, _ request: Request, systemNow: Date) throws -> Session {
        let users = UserDirectory()
        let local = request.scope == .transaction
        if local, connection.transactionDepth == 0 {
            throw WagewatchError.failure("a transaction-scoped session needs a transaction begun first")
        }
        let acting = try request.actingAs.map { try users.act(as: $0, on: connection, transactionOnly: local) }
            ?? users.current(on: connection)
        // Deny by default: acting as a role that is no user (a group role such as
        // wagewatch_inspector) is refused here, and would see nothing in the database anyway.
        if let name = request.actingAs, acting == nil {
            throw WagewatchError.denied(
                "\(name) is not a wagewatch user (a group role or a login without a users row); act as a user: an administrator adds one with wagewatch user add")
        }
        // A registered user acts under their own name; the service account (a superuser login
        // with no --as, as cron runs rule jobs) is recorded as "system".
        let actor = acting?.name ?? request.actingAs ?? "system"
        let region = try request.region.map { try RegionCode(parsing: $0, field: "region").value } ?? acting?.regionCode
        try connection.query("SELECT set_config('wagewatch.actor', \(actor), \(local))")
        let drift = try request.knownDrift ?? request.configuration.settingsDrift(on: connection)
        return Session(connection: connection, user: acting, actor: actor, now: request.pinnedNow ?? systemNow,
                       defaultRegion: region, settingsDrift: drift, request: request)
    }

    private init(connection: Connection, user: UserDirectory.User?, actor: String, now: Date,
                 defaultRegion: String?, settingsDrift: [String], request: Request) {
        self.settingsDrift = settingsDrift
        self.connection = connection
        self.user = user
        self.actor = actor
        self.configuration = request.configuration
        self.now = now
        self.defaultRegion = defaultRegion
        self.request = request
    }

    /// A new session opened the same way (same user, settings, configuration and region), for
    /// a connection that was lost. This one is closed.
    public func reopened(systemNow: Date) throws -> Session {
        connection.close()
        return try Session.open(request, systemNow: systemNow)
    }

    public func close() { connection.close() }

    /// The login the rule jobs and the other scheduled commands of a server sign in as (the
    /// systemd units of scripts/install): an administrator without CREATEROLE.
    public static let serviceLogin = "ww_service"

    /// Refuses (exit 6) a session whose login is neither a wagewatch user nor a superuser: the
    /// schema's owner on a server, say. Row security is forced and no policy names such a login,
    /// so it would see no row — `complaint list` would print nothing and exit 0, a rule run would
    /// find nothing — instead of saying which login to use.
    public func requireSeesRows() throws {
        guard user == nil else { return }
        let row = try connection.query("SELECT current_user::text AS login, ww_superuser_session() AS superuser").one()
        if try row.decode("superuser", as: Bool.self) { return }
        let login: String = try row.decode("login")
        throw WagewatchError.denied(Self.seesNothing(login))
    }

    static func seesNothing(_ login: String) -> String {
        "the login \(login) is not a wagewatch user (no users row) nor a superuser, so row security shows it no rows "
            + "(the schema's owner sees nothing: it only runs db commands); sign in as a user's own login or give --as USER, "
            + "and run rule jobs and other scheduled commands as the service login \(serviceLogin) "
            + "(an administrator adds it once: wagewatch user add \(serviceLogin) --role admin --department county_office)"
    }
}
