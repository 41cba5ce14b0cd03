import Foundation
import PostgresClient

/// Records restriction measures against contractors (S1), blacklisting only when S2's
/// conditions hold, lifts them, and produces the public exposure list (S3).
public struct SanctionDesk: Sendable {
    public let configuration: Configuration
    /// The region meant when a USCC is registered in several (the session's default region).
    public let preferredRegion: String?

    public init(configuration: Configuration = .defaults, preferredRegion: String? = nil) {
        self.configuration = configuration
        self.preferredRegion = preferredRegion
    }

    /// Finds the contractor by USCC, in `region` when given; a USCC registered in several
    /// regions needs the region named.
    func contractor(_ uscc: USCC, region: String?, on connection: Connection) throws -> (region: String, id: Int64, name: String) {
        var sql: SQL = "SELECT region_code, id, name FROM employers WHERE uscc = \(uscc.value)"
        if let region { sql.append(" AND region_code = \(region)") }
        sql.append(" ORDER BY region_code")
        let rows = try connection.query(sql)
        guard let first = rows.first else {
            throw WagewatchError.notFound(
                "no employer with USCC \(uscc.value)\(region.map { " in region \($0)" } ?? ""); import it first with: wagewatch import employers FILE.csv")
        }
        guard rows.count == 1 else {
            let regions = try rows.map { try $0.decode("region_code", as: String.self) }
            if let preferred = preferredRegion,
               let index = regions.firstIndex(of: preferred) {
                let row = rows[index]
                return (preferred, try row.decode("id"), try row.decode("name"))
            }
            throw WagewatchError.conflict(
                "contractor: \"\(uscc.value)\" is registered in regions \(regions.joined(separator: ", ")); set WAGEWATCH_REGION to choose one")
        }
        return (try first.decode("region_code"), try first.decode("id"), try first.decode("name"))
    }

    // MARK: - Measures

    /// Records a restriction measure (S1) through the door `ww_add_sanction`
    /// (sql/functions/sanctions.sql), which holds S2's gate on blacklisting — a recorded payment
    /// order whose deadline passed before `from`, and either open arrears at the criminal threshold
    /// or a mass-incident escalation about the contractor, the first missing condition named — and
    /// its configured term when `until` is nil.
    public func add(
        contractor uscc: USCC, measure: SanctionMeasure, basis: String, department: String, from: LocalDate,
        until: LocalDate?, region: String? = nil, on connection: Connection
    ) throws -> SanctionRecord {
        try connection.transaction { tx in
            let employer = try contractor(uscc, region: region, on: tx)
            let id: SanctionID = try WagewatchError.throughDoor {
                try tx.query("""
                    SELECT ww_add_sanction(\(employer.region), \(employer.id), \(measure.rawValue), \(basis), \(department),
                                           \(from), \(until)) AS id
                    """).one().decode("id")
            }
            return try find(id, on: tx)
        }
    }

    public func find(_ id: SanctionID, on connection: Connection) throws -> SanctionRecord {
        guard let row = try connection.query(SanctionRecord.selectColumns + " WHERE s.id = \(id)").first else {
            throw WagewatchError.notFound("no sanction \(id)")
        }
        return try SanctionRecord(row: row)
    }

    /// Every recorded measure, oldest first.
    public func list(on connection: Connection) throws -> [SanctionRecord] {
        try connection.query(SanctionRecord.selectColumns + " ORDER BY s.valid_from, s.id").map(SanctionRecord.init(row:))
    }

    /// Lifts a measure as of `today` (the database's day for anyone but the service account),
    /// through `ww_lift_sanction`: a blacklisting only once the contractor has paid everything
    /// and the configured months have passed since (S2).
    public func lift(_ id: SanctionID, reason: String, today: LocalDate, on connection: Connection) throws -> SanctionRecord {
        try connection.transaction { tx in
            try WagewatchError.throughDoor { try tx.query("SELECT ww_lift_sanction(\(id), \(reason), \(today))") }
            return try find(id, on: tx)
        }
    }
}
