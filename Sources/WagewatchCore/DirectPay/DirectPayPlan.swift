import Foundation
import PostgresClient

/// One worker's line in a direct-pay batch.
public struct DirectPayLine: Sendable, Encodable, Equatable {
    public let line: Int
    public let idNumber: String
    public let workerName: String
    public let bank: String
    public let bankAccount: String
    public let amountFen: Int64
    public let status: DirectPayLineStatus
    /// The ID number and account as the database masks them (`ww_mask_id`, the one definition).
    let idNumberMasked: String
    let bankAccountMasked: String

    enum CodingKeys: String, CodingKey {
        case line, idNumber = "id_number", workerName = "worker_name", bank, bankAccount = "bank_account"
        case amountFen = "amount_fen", status
    }

    /// The line with personal data masked, for screens and JSON (the bank file keeps it whole).
    public func masked() -> DirectPayLine {
        DirectPayLine(line: line, idNumber: idNumberMasked, workerName: workerName, bank: bank,
                      bankAccount: bankAccountMasked, amountFen: amountFen, status: status,
                      idNumberMasked: idNumberMasked, bankAccountMasked: bankAccountMasked)
    }
}

/// A payroll line that cannot be paid directly, and why.
public struct DirectPayException: Sendable, Encodable, Equatable {
    public let idNumber: String
    public let workerName: String
    public let amountFen: Int64
    public let reason: String
    /// The ID number as the database masks it.
    let idNumberMasked: String

    enum CodingKeys: String, CodingKey { case idNumber = "id_number", workerName = "worker_name", amountFen = "amount_fen", reason }
}

/// A batch as `directpay plan --json` prints it: `{batch_id, lines, total_fen, exceptions}`.
public struct DirectPayPlan: Sendable, Encodable {
    public let batchID: BatchID
    public let projectCode: String
    public let period: String
    public let status: DirectPayBatchStatus
    public let source: DirectPaySource
    public let lines: [DirectPayLine]
    public let totalFen: Int64
    public let exceptions: [DirectPayException]

    enum CodingKeys: String, CodingKey {
        case batchID = "batch_id", projectCode = "project_code", period, status, source, lines, totalFen = "total_fen", exceptions
    }

    public func masked() -> DirectPayPlan {
        DirectPayPlan(batchID: batchID, projectCode: projectCode, period: period, status: status, source: source,
                      lines: lines.map { $0.masked() }, totalFen: totalFen,
                      exceptions: exceptions.map { DirectPayException(idNumber: $0.idNumberMasked, workerName: $0.workerName,
                                                                      amountFen: $0.amountFen, reason: $0.reason,
                                                                      idNumberMasked: $0.idNumberMasked) })
    }
}
