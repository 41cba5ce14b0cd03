import PostgresClient

/// One project, as the database keys it: a code is unique only within its region.
public struct ProjectKey: Sendable, Hashable {
    public let regionCode: String
    public let id: Int64
    public let code: String
}

/// Finds a project by its code. With a region (the command's option, `WAGEWATCH_REGION` or the
/// user's own region: the Session's default) it finds that region's project; without one, a code
/// used in two regions is refused (exit 3) naming both, never guessed.
public struct ProjectResolver: Sendable {
    public let region: String?

    public init(region: String?) {
        self.region = region
    }

    /// The project with `code`, locked `FOR UPDATE` when asked (inside a transaction).
    public func resolve(_ code: String, field: String = "project", forUpdate: Bool = false, on connection: Connection) throws
        -> ProjectKey
    {
        var sql: SQL = "SELECT region_code, id FROM projects WHERE code = \(code)"
        if let region { sql.append(" AND region_code = \(region)") }
        sql.append(" ORDER BY region_code")
        if forUpdate { sql.append(" FOR UPDATE") }
        let rows = try connection.query(sql)
        guard let first = rows.first else {
            throw WagewatchError.notFound("no project \(code)\(region.map { " in region \($0)" } ?? "")")
        }
        guard rows.count == 1 else {
            let regions = try rows.map { try $0.decode("region_code", as: String.self) }
            throw WagewatchError.invalid(
                "\(field): project code \"\(code)\" is used in regions \(regions.joined(separator: " and ")); name the region (WAGEWATCH_REGION=\(regions[0]) or --region)")
        }
        return ProjectKey(regionCode: try first.decode("region_code"), id: try first.decode("id"), code: code)
    }
}
