import Foundation
import PostgresClient
import WagewatchCore

/// The demo's own database and what its year comes to.
extension SampleCounty {
    /// Loads the county into an empty, migrated database.
    /// (Re)creates the demo's own database on the server `server` is connected to and returns its
    /// conninfo; refuses when `server` is connected to that very database.
    public static func recreateDatabase(named name: String, on server: Connection) throws -> String {
        guard try server.query("SELECT current_database() AS d").one().decode("d", as: String.self) != name else {
            throw WagewatchError.invalid("db: point --db at another database of the server; the demo recreates \(name) itself")
        }
        try server.query("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)")
        try server.query("CREATE DATABASE \(identifier: name)")
        return server.conninfo(database: name)
    }

    /// What the county's year comes to, as the officials' sentence says it.
    public struct Totals: Sendable {
        public let complaints: Int64
        public let workers: Int64
        public let owedFen: Int64
        public let recoveredFen: Int64
    }

    public static func totals(on db: Connection) throws -> Totals {
        let row = try db.query("""
            SELECT count(*) AS complaints, coalesce(sum(workers_involved), 0)::bigint AS workers,
                   coalesce(sum(amount_owed_fen), 0)::bigint AS owed,
                   (SELECT coalesce(sum(amount_fen), 0) FROM recoveries)::bigint AS recovered
            FROM complaints
            """).one()
        return Totals(complaints: try row.decode("complaints"), workers: try row.decode("workers"),
                      owedFen: try row.decode("owed"), recoveredFen: try row.decode("recovered"))
    }
}
