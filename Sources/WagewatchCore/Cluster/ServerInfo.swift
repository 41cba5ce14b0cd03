import PostgresClient

/// What `db status` says about the server a connection reached.
public struct ServerInfo: Sendable {
    public let version: String
    public let versionNumber: Int
    public let database: String
    public let location: String

    public static func read(on connection: Connection) throws -> ServerInfo {
        let row = try connection.query("SELECT current_setting('server_version') AS v, current_database() AS d").one()
        return ServerInfo(version: try row.decode("v"), versionNumber: connection.serverVersion,
                          database: try row.decode("d"), location: connection.location)
    }
}
