import Foundation
import PostgresClient

/// What intake decided for one complaint.
public struct IntakeResult: Sendable, Equatable {
    public let id: ComplaintID
    public let number: String
    /// nil while the acceptance decision is pending; `refused` when time-barred, `merged` when it
    /// joined an open case.
    public let outcome: ComplaintOutcome?
    public let caseID: CaseID?
    public let decisionDue: LocalDate
}

/// Takes complaints in (C1, C3, C4): numbers them gap-free per region and day, refuses the
/// time-barred, merges those about an employer with an open case, and sets the C2 deadline.
///
/// One complaint and a whole CSV file go through the same set-based SQL (`ww_intake_staged`):
/// rows are staged in the session's temporary table and processed in one statement
/// (`ww_intake_one` does both for a single complaint in one round trip).
public struct ComplaintIntake: Sendable {
    public let configuration: Configuration

    public init(configuration: Configuration = .defaults) {
        self.configuration = configuration
    }

    /// Takes one complaint in: one statement, atomic on its own (or part of the caller's transaction).
    public func add(_ input: ComplaintInput, on connection: Connection) throws -> IntakeResult {
        let c = configuration.complaints
        let row = try connection.queryPrepared("""
            SELECT o_id, o_number, o_outcome, o_case_id, o_decision_due FROM ww_intake_one(
                \(input.regionCode), \(input.receivedAt), \(input.channel), \(input.callerName), \(input.callerPhone),
                \(input.employerUSCC), \(input.employerName), \(input.employerNameKey), \(input.projectCode),
                \(Int32(input.workersInvolved)), \(input.amountOwedFen), \(input.owedSince), \(input.owedUntil),
                \(input.employerAbsconded), \(input.text),
                \(Int32(c.decisionDays)), \(Int32(c.timeBarMonths)), \(Int32(c.mergeWindowDays)))
            """).one()
        return IntakeResult(
            id: try row.decode("o_id"), number: try row.decode("o_number"), outcome: try row.decode("o_outcome"),
            caseID: try row.decode("o_case_id"), decisionDue: try row.decode("o_decision_due"))
    }

    /// Creates the session's staging table if this connection has none yet.
    func prepareStaging(_ connection: Connection) throws {
        try connection.query("SELECT ww_create_intake_staging()")
    }
}
