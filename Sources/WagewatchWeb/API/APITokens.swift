import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch token add|list|revoke` (SPEC §9): bearer tokens for the API, each running as one
/// user. A token is made here, shown once, and kept by the database only as its SHA-256
/// (sql/functions/api.sql); its user or an administrator manages it.
public struct APITokens: Sendable {
    public init() {}

    /// A token as `token list` shows it: never the token or its hash.
    public struct Listed: Sendable, Encodable, Equatable {
        public let name: String
        public let user: String
        public let createdAt: Date
        public let createdBy: String
        @ExplicitNull public var expiresAt: Date?
        @ExplicitNull public var lastUsedAt: Date?
        @ExplicitNull public var revokedAt: Date?

        enum CodingKeys: String, CodingKey {
            case name, user, createdAt = "created_at", createdBy = "created_by", expiresAt = "expires_at"
            case lastUsedAt = "last_used_at", revokedAt = "revoked_at"
        }

        /// active, expired or revoked, at `now`.
        public func state(at now: Date) -> String {
            if revokedAt != nil { return "revoked" }
            if let expiresAt, expiresAt <= now { return "expired" }
            return "active"
        }
    }

    /// The start of the day after `date` in Asia/Shanghai: a token "expires DATE" works through
    /// that whole day.
    public static func expiry(endOf date: LocalDate) -> Date {
        DateInput.shanghaiMidnight(of: date.adding(days: 1))
    }

    /// Makes a token named `name` for `user` and returns it: the only time it is seen.
    public func add(name: String, user: String, expires: LocalDate?, on connection: Connection) throws -> String {
        let token = "ww_" + Secrets.token()
        let hash = Data(Secrets.hash(token: token))
        let expiresAt = expires.map(Self.expiry(endOf:))
        try connection.query("SELECT ww_api_token_add(\(name), \(user), \(hash), \(expiresAt))")
        return token
    }

    public func list(on connection: Connection) throws -> [Listed] {
        try connection.query("""
            SELECT name, user_name, created_at, created_by, expires_at, last_used_at, revoked_at FROM ww_api_token_list()
            """).map { row in
            Listed(name: try row.decode("name"), user: try row.decode("user_name"), createdAt: try row.decode("created_at"),
                   createdBy: try row.decode("created_by"), expiresAt: try row.decode("expires_at"),
                   lastUsedAt: try row.decode("last_used_at"), revokedAt: try row.decode("revoked_at"))
        }
    }

    /// Revokes the live token named `name`; returns its user.
    @discardableResult
    public func revoke(name: String, on connection: Connection) throws -> String {
        try connection.query("SELECT ww_api_token_revoke(\(name)) AS user_name").one().decode("user_name")
    }
}
