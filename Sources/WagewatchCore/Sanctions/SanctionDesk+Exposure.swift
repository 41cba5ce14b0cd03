import Foundation
import PostgresClient

extension SanctionDesk {
    /// S3: one row per contractor under a blacklisting or public-exposure measure in force on
    /// `asOf`: its name, USCC, what it still owes (or owed, once paid), the workers involved and
    /// the decision date. No worker's personal data is read.
    public func exposure(asOf: LocalDate, on connection: Connection) throws -> [ExposureRow] {
        try connection.query("""
            WITH listed AS (
                SELECT s.region_code, s.employer_id, min(s.valid_from) AS decided_on
                FROM sanctions s
                WHERE s.measure IN ('blacklist', 'public_exposure') AND s.valid_from <= \(asOf)
                  AND (s.valid_until IS NULL OR s.valid_until >= \(asOf))
                  AND (s.lifted_on IS NULL OR s.lifted_on > \(asOf))
                GROUP BY s.region_code, s.employer_id
            )
            SELECT e.name, e.uscc, l.decided_on,
                   CASE WHEN a.outstanding > 0 THEN a.outstanding ELSE a.owed END AS amount_fen,
                   CASE WHEN a.outstanding > 0 THEN a.workers_outstanding ELSE a.workers END AS workers
            FROM listed l
            JOIN employers e ON e.region_code = l.region_code AND e.id = l.employer_id
            CROSS JOIN LATERAL (
                SELECT coalesce(sum(t.owed_fen), 0)::bigint AS owed,
                       coalesce(sum(t.owed_fen - t.recovered_fen) FILTER (WHERE t.owed_fen > t.recovered_fen), 0)::bigint AS outstanding,
                       coalesce(sum(t.workers_involved), 0)::integer AS workers,
                       coalesce(sum(t.workers_involved) FILTER (WHERE t.owed_fen > t.recovered_fen), 0)::integer AS workers_outstanding
                FROM cases c JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.id
                WHERE c.region_code = l.region_code AND c.employer_id = l.employer_id
            ) a
            ORDER BY l.decided_on, e.uscc, e.name
            """).map { row in
            ExposureRow(contractorName: try row.decode("name"), uscc: try row.decode("uscc"),
                        amountFen: try row.decode("amount_fen"), workers: try row.decode("workers"),
                        decisionDate: try row.decode("decided_on"))
        }
    }
}
