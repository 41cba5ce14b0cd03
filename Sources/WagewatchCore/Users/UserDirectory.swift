import Foundation
import PostgresClient

/// The people who use wagewatch (SPEC §1). Each is two things kept together: a PostgreSQL login
/// role, member of the group role of their SPEC role (`wagewatch_sector`, …), and a `users` row
/// naming their department and region. What they may see and change is decided by the
/// database (grants, column privileges, row-level security in `sql/0001_baseline.sql` and `sql/functions/roles.sql`), keyed on
/// the role PostgreSQL has authenticated — never on a name the client sends.
public struct UserDirectory: Sendable {
    public static let roles = UserRole.codes

    public struct User: Sendable, Equatable, Encodable {
        public let name: String
        public let role: UserRole
        public let department: Department
        public let regionCode: String?

        enum CodingKeys: String, CodingKey {
            case name, role, department, regionCode = "region_code"
        }
    }

    public init() {}

    /// Adds a user through the database's door `ww_add_user` (sql/functions/users.sql): their
    /// login role (reused when another database of the same cluster made it already) in their
    /// group, given to the web desk's server login and (for everyone but administrators) to the
    /// administrators' group, so an administrator may act as them (`--as`, which is SET ROLE),
    /// and their `users` row. Administrators hold no CREATEROLE: only that door makes logins.
    public func add(name: String, role: String, department: String, regionCode: String?,
                    on connection: Connection) throws -> User {
        guard Self.roles.contains(role) else {
            throw WagewatchError.invalid("role: \"\(role)\" is not one of \(Self.roles.joined(separator: ", "))")
        }
        guard name.utf8.count <= 63, name.range(of: "^[a-z_][a-z0-9_]*$", options: .regularExpression) != nil,
              !name.hasPrefix("pg_"), !name.hasPrefix("wagewatch_") else {
            throw WagewatchError.invalid(
                "name: \"\(name)\" must be lower-case letters, digits and _, at most 63, not starting with pg_ or wagewatch_ (it is a database role name)")
        }
        guard try !connection.query("SELECT 1 FROM departments WHERE code = \(department)").isEmpty else {
            throw WagewatchError.invalid("department: \"\(department)\" is not a department code")
        }
        let user = User(name: name, role: try UserRole(parsing: role), department: try Department(parsing: department),
                        regionCode: regionCode)
        // Roles are cluster-wide: two databases adding the same name at once race on the
        // catalogue; the loser retries and finds the role made.
        var attempt = 0
        while true {
            attempt += 1
            do {
                try connection.transaction { tx in
                    try tx.query("SELECT ww_add_user(\(name), \(role), \(department), \(regionCode))")
                }
                return user
            } catch let error as PostgresError where attempt < 5 && Self.isCatalogueRace(error) {
                continue
            }
        }
    }

    static func isCatalogueRace(_ error: PostgresError) -> Bool {
        // duplicate role, unique index on pg_authid, or "tuple concurrently updated" (XX000)
        guard let code = error.code else { return false }
        return code == .duplicateObject || code == .uniqueViolation || code.raw == "XX000"
    }

    /// Every user, by name.
    public func list(on connection: Connection) throws -> [User] {
        try connection.query("SELECT name, role, department, region_code FROM users ORDER BY name").map {
            User(name: try $0.decode("name"), role: try $0.decode("role"), department: try $0.decode("department"),
                 regionCode: try $0.decode("region_code"))
        }
    }

    /// Sets `name`'s web-desk password, kept only as a bcrypt `hash` (the caller hashes it):
    /// an administrator's door (`ww_set_password`), which also ends the user's open sessions.
    /// With `password`, the user's PostgreSQL login gets it too (as a SCRAM verifier computed
    /// here), so they sign in to psql and the CLI with the same password.
    public func setPassword(name: String, hash: String, password: String? = nil, on connection: Connection) throws {
        let verifier = try password.map { try connection.scramVerifier(password: $0, user: name) }
        try connection.query("SELECT ww_set_password(\(name), \(hash), \(verifier))")
    }

    /// Disables `name`'s login, or enables it again, through the door `ww_set_user_disabled`
    /// (sql/functions/users.sql): NOLOGIN on their role, the server's login and the
    /// administrators' group no longer able to become them, their web sessions ended and their
    /// API tokens refused while it lasts; recorded in the sign-in events and the audit log.
    public func setDisabled(name: String, _ disabled: Bool, on connection: Connection) throws {
        try connection.query("SELECT ww_set_user_disabled(\(name), \(disabled))")
    }

    /// A user as the administrators' page shows them: whether their login is disabled, and
    /// when they last signed in to the web desk.
    public struct Login: Sendable, Equatable {
        public let user: User
        public let disabledAt: Date?
        public let disabledBy: String?
        public let lastSignIn: Date?
    }

    /// Every user with their last sign-in (one query: the sign-in events' login index), by name.
    public func logins(on connection: Connection) throws -> [Login] {
        try connection.query("""
            SELECT u.name, u.role, u.department, u.region_code, u.disabled_at, u.disabled_by,
                   (SELECT max(e.at) FROM sign_in_events e WHERE e.user_name = u.name AND e.event = 'login') AS last_sign_in
            FROM users u ORDER BY u.name
            """).map {
            Login(user: User(name: try $0.decode("name"), role: try $0.decode("role"), department: try $0.decode("department"),
                             regionCode: try $0.decode("region_code")),
                  disabledAt: try $0.decode("disabled_at"), disabledBy: try $0.decode("disabled_by"),
                  lastSignIn: try $0.decode("last_sign_in"))
        }
    }

    /// One event of the sign-in log (SPEC §8: logins, failures, refusals while locked,
    /// sign-outs, expiries, passwords set, logins disabled and enabled).
    public struct SignInEvent: Sendable, Equatable {
        public let at: Date
        public let userName: String
        public let event: String
        public let address: String?
    }

    /// The newest `limit` sign-in events (of the name `user` only, when given), newest first.
    public func signIns(limit: Int, user: String? = nil, on connection: Connection) throws -> [SignInEvent] {
        try connection.query("""
            SELECT at, user_name, event, address FROM sign_in_events WHERE (\(user)::text IS NULL OR user_name = \(user)::text)
            ORDER BY at DESC, id DESC LIMIT \(limit)
            """).map {
            SignInEvent(at: try $0.decode("at"), userName: try $0.decode("user_name"), event: try $0.decode("event"),
                        address: try $0.decode("address"))
        }
    }

    /// Acts as `name` for the rest of the session: `SET ROLE`, which PostgreSQL allows only when
    /// the signed-in login is that role or a member of it (an administrator, or the embedded
    /// cluster's owner). Returns the acting user's `users` row, nil for a role without one.
    @discardableResult
    public func act(as name: String, on connection: Connection, transactionOnly: Bool = false) throws -> User? {
        do {
            try connection.query("SELECT set_config('role', \(name), \(transactionOnly))")
        } catch let error as PostgresError {
            if error.code == .insufficientPrivilege {
                throw WagewatchError.denied("cannot act as \(name): the signed-in database login is not allowed to (only an administrator may act for another user)")
            }
            if error.code?.raw == "22023" {
                throw WagewatchError.denied("\(name) is not a wagewatch user; an administrator adds users with: wagewatch user add \(name) --role ROLE --department DEPT")
            }
            throw error
        }
        // The cluster's owner may still SET ROLE to a NOLOGIN role: a disabled user is refused here too.
        guard let row = try connection.query(
            "SELECT name, role, department, region_code, disabled_at IS NOT NULL AS disabled FROM users WHERE name = current_user").first
        else { return nil }
        if try row.decode("disabled", as: Bool.self) {
            throw WagewatchError.denied("\(name)'s login is disabled; an administrator enables it with: wagewatch user enable \(name)")
        }
        return User(name: try row.decode("name"), role: try row.decode("role"), department: try row.decode("department"),
                    regionCode: try row.decode("region_code"))
    }

    /// The `users` row of the role the session acts as, if it has one.
    public func current(on connection: Connection) throws -> User? {
        try connection.query("SELECT name, role, department, region_code FROM users WHERE name = current_user").first.map {
            User(name: try $0.decode("name"), role: try $0.decode("role"), department: try $0.decode("department"),
                 regionCode: try $0.decode("region_code"))
        }
    }
}
