import Foundation
import PostgresClient

/// A direct-pay batch as a list shows it: no lines, no personal data.
public struct DirectPayBatchSummary: Sendable, Encodable, Equatable {
    public let batchID: BatchID
    public let projectCode: String
    public let projectName: String
    public let period: String
    public let status: DirectPayBatchStatus
    public let totalFen: Int64
    public let lines: Int
    public let plannedBy: String
    public let plannedAt: Date
    @ExplicitNull public var approvedBy: String?
    @ExplicitNull public var executedAt: Date?

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", projectCode = "project_code", projectName = "project_name", period, status
        case totalFen = "total_fen", lines, plannedBy = "planned_by", plannedAt = "planned_at", approvedBy = "approved_by"
        case executedAt = "executed_at"
    }
}

extension DirectPayDesk {
    /// The batches the user may read, those waiting for someone first (planned, then approved),
    /// newest first within each; at most `limit`.
    public func list(limit: Int = 100, on connection: Connection) throws -> [DirectPayBatchSummary] {
        try connection.query("""
            SELECT b.id, p.code, p.name, b.period, b.status, b.total_fen, b.planned_by, b.planned_at, b.approved_by, b.executed_at,
                   (SELECT count(*)::int FROM direct_pay_lines l WHERE l.region_code = b.region_code AND l.batch_id = b.id) AS lines
            FROM direct_pay_batches b JOIN projects p ON p.region_code = b.region_code AND p.id = b.project_id
            ORDER BY CASE b.status WHEN 'planned' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END, b.id DESC
            LIMIT \(limit)
            """).map { r in
            DirectPayBatchSummary(
                batchID: try r.decode("id"), projectCode: try r.decode("code"), projectName: try r.decode("name"),
                period: Month(containing: try r.decode("period", as: LocalDate.self)).description, status: try r.decode("status"),
                totalFen: try r.decode("total_fen"), lines: try r.decode("lines"), plannedBy: try r.decode("planned_by"),
                plannedAt: try r.decode("planned_at"), approvedBy: try r.decode("approved_by"), executedAt: try r.decode("executed_at"))
        }
    }
}
