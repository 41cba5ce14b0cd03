import Foundation
import PostgresClient

/// A case as `case list --json` prints it (SPEC §5).
public struct CaseRecord: Sendable, Codable, Equatable {
    public let id: CaseID
    public let regionCode: String
    public let status: CaseStatus
    @ExplicitNull public private(set) var employerUSCC: String?
    public let employerName: String
    @ExplicitNull public private(set) var projectCode: String?
    public let complaintIDs: [ComplaintID]
    public let workersInvolved: Int
    public let owedFen: Int64
    public let recoveredFen: Int64
    public let acceptedOn: LocalDate
    public let investigationDue: LocalDate
    public let extendedDays: Int
    @ExplicitNull public private(set) var assignedTo: String?
    @ExplicitNull public private(set) var closedAt: Date?
    @ExplicitNull public private(set) var closeReason: String?
    /// How the case ended (SPEC §10 N3); nil while open, and for cases closed before dispositions.
    @ExplicitNull public private(set) var disposition: CaseDisposition?

    enum CodingKeys: String, CodingKey {
        case id, status, employerUSCC = "employer_uscc", projectCode = "project_code", complaintIDs = "complaint_ids"
        case workersInvolved = "workers_involved", owedFen = "owed_fen", recoveredFen = "recovered_fen"
        case investigationDue = "investigation_due", regionCode = "region_code", employerName = "employer_name"
        case acceptedOn = "accepted_on", extendedDays = "extended_days", assignedTo = "assigned_to"
        case closedAt = "closed_at", closeReason = "close_reason", disposition
    }

    static let selectColumns: SQL = select(from: "cases")

    /// The record's columns over `source`, a table or subquery of cases named `c`: a list picks
    /// its page of cases first and joins the totals for those alone.
    static func select(from source: SQL) -> SQL {
        "SELECT c.id, c.region_code, c.status, e.uscc AS employer_uscc, e.name AS employer_name, c.project_code, "
            + "t.complaint_ids, t.workers_involved, t.owed_fen, t.recovered_fen, c.accepted_on, "
            + "c.investigation_due, c.extended_days, c.assigned_to, c.closed_at, c.close_reason, c.disposition "
            + "FROM " + source + " c "
            + "JOIN employers e ON e.region_code = c.region_code AND e.id = c.employer_id "
            + "JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.id"
    }

    init(row: Row) throws {
        self = try RowDecoder(row: row).decode()
    }
}

/// What one worker is owed on a case and what has been recovered.
public struct WorkerBalance: Sendable, Encodable, Equatable {
    public let idNumber: String
    public let workerName: String?
    public let owedFen: Int64?
    public let recoveredFen: Int64
    /// The ID number as the database masks it (`ww_mask_id`, the one definition).
    let idNumberMasked: String

    enum CodingKeys: String, CodingKey {
        case idNumber = "id_number", workerName = "worker_name", owedFen = "owed_fen", recoveredFen = "recovered_fen"
    }

    /// The same balance with the ID number masked (SPEC §6).
    public func masked() -> WorkerBalance {
        WorkerBalance(idNumber: idNumberMasked, workerName: workerName, owedFen: owedFen, recoveredFen: recoveredFen,
                      idNumberMasked: idNumberMasked)
    }
}

/// One recovery on a case.
public struct RecoveryRecord: Sendable, Encodable, Equatable {
    public let id: RecoveryID
    public let idNumber: String
    public let recoveredOn: LocalDate
    public let amountFen: Int64
    public let source: RecoverySource
    public let createdBy: String
    /// The ID number as the database masks it.
    let idNumberMasked: String

    enum CodingKeys: String, CodingKey {
        case id, idNumber = "id_number", recoveredOn = "recovered_on", amountFen = "amount_fen", source
        case createdBy = "created_by"
    }

    public func masked() -> RecoveryRecord {
        RecoveryRecord(id: id, idNumber: idNumberMasked, recoveredOn: recoveredOn, amountFen: amountFen,
                       source: source, createdBy: createdBy, idNumberMasked: idNumberMasked)
    }
}
