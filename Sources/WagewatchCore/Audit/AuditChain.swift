import Foundation
import PostgresClient

/// What checking the audit log's hash chain found (SPEC §6; `wagewatch audit verify`).
public struct AuditVerification: Sendable, Encodable, Equatable {
    /// How a row breaks the chain (see `ww_audit_verify_page` in sql/functions/audit.sql).
    public enum Problem: String, Sendable, Encodable, Equatable {
        /// A position in the chain is missing: a row was removed (or rows at the end).
        case gap
        /// The row does not follow the row before it.
        case prevHashMismatch = "prev_hash_mismatch"
        /// The row was changed after it was written.
        case contentHashMismatch = "content_hash_mismatch"
        /// The row lies beyond, or the last row differs from, what the chain head records.
        case headMismatch = "head_mismatch"
    }

    /// Rows recomputed and found intact, in id order, before the first broken one.
    public let rowsVerified: Int64
    public let intact: Bool
    /// The first broken row's id (for rows missing at the end, the last id the chain head records).
    public let firstBrokenID: String?
    public let problem: Problem?
    /// The problem in words, naming the row and positions.
    public let detail: String?
    /// The hash of the last intact row, in hex: written down elsewhere (the weekly report, a
    /// letter to the county office), it shows later whether the log up to here was rewritten.
    public let lastHash: String

    enum CodingKeys: String, CodingKey {
        case rowsVerified = "rows_verified", intact, firstBrokenID = "first_broken_id", problem, detail
        case lastHash = "last_hash"
    }

    /// Encodes every field, with explicit nulls, so JSON consumers see a fixed shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rowsVerified, forKey: .rowsVerified)
        try c.encode(intact, forKey: .intact)
        try c.encode(firstBrokenID, forKey: .firstBrokenID)
        try c.encode(problem, forKey: .problem)
        try c.encode(detail, forKey: .detail)
        try c.encode(lastHash, forKey: .lastHash)
    }
}

/// The audit log's hash chain. Each audit row stores the hash of its canonical content chained
/// on to the previous row's hash (sql/functions/audit.sql); verification recomputes every
/// hash in the database with the very functions the audit writers used, one keyset page of
/// rows at a time, so a million-row log never comes into memory.
public struct AuditChain: Sendable {
    /// Rows recomputed per round trip.
    public let pageSize: Int

    public init(pageSize: Int = 10_000) {
        precondition(pageSize > 0, "pageSize must be positive")
        self.pageSize = pageSize
    }

    /// Recomputes the whole chain in id order inside one read-only snapshot and returns the
    /// first broken row, or how many rows were verified. `progress` is told the running count
    /// after each page.
    public func verify(on connection: Connection, progress: ((Int64) -> Void)? = nil) throws -> AuditVerification {
        try connection.transaction(isolation: .repeatableRead, readOnly: true) { tx in
            var afterID: Int64 = 0
            var afterSeq: Int64 = 0
            var afterHash = try tx.query("SELECT ww_audit_genesis() AS h").one().decode("h", as: Data.self)
            var verified: Int64 = 0
            while true {
                let page = try tx.query("""
                    SELECT rows_intact, last_id, last_seq, last_hash, finished, broken_id, problem, detail
                    FROM ww_audit_verify_page(\(afterID), \(afterSeq), \(afterHash), \(pageSize))
                    """).one()
                verified += try page.decode("rows_intact", as: Int64.self)
                afterID = try page.decode("last_id")
                afterSeq = try page.decode("last_seq")
                afterHash = try page.decode("last_hash")
                if let problemCode = try page.decode("problem", as: String?.self) {
                    guard let problem = AuditVerification.Problem(rawValue: problemCode) else {
                        throw WagewatchError.failure("audit log: unknown problem \"\(problemCode)\" from the database")
                    }
                    return AuditVerification(
                        rowsVerified: verified, intact: false,
                        firstBrokenID: try page.decode("broken_id", as: Int64?.self).map(String.init),
                        problem: problem, detail: try page.decode("detail", as: String?.self),
                        lastHash: Self.hex(afterHash))
                }
                progress?(verified)
                if try page.decode("finished", as: Bool.self) {
                    return AuditVerification(
                        rowsVerified: verified, intact: true, firstBrokenID: nil, problem: nil, detail: nil,
                        lastHash: Self.hex(afterHash))
                }
            }
        }
    }

    static func hex(_ data: Data) -> String {
        data.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }
}
