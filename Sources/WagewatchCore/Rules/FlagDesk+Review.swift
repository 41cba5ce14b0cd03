import Foundation
import PostgresClient

/// When an unreviewed red flag escalates (SPEC E2): the last working day a review is on time.
/// The same deadline `ww_escalation_catch_up` raises `flag_unreviewed` at — N working days
/// (``Configuration/Escalations/DeadlineBreach/redFlagReviewDays``) after the Beijing date
/// the flag was raised, on the working-day calendar — so a desk shows what the job will do.
public struct FlagReviewDeadline: Sendable, Equatable {
    /// The end of the last working day the review is on time.
    public let dueOn: LocalDate
    /// Working days left after today up to `dueOn` (0 on the day itself, and once overdue).
    public let workingDaysLeft: Int
    /// Past `dueOn`: the catch-up job escalates it (or already has).
    public let overdue: Bool
}

/// One review of a flag, as `flag_reviews` records it (an acknowledgement, then a confirmation
/// or a dismissal).
public struct FlagReviewEntry: Sendable, Equatable {
    public let at: Date
    public let reviewer: String
    public let department: Department
    /// `ack`, `confirm` or `dismiss`.
    public let action: String
    public let confirmAction: ConfirmAction?
    public let reason: String?
}

extension FlagDesk {
    /// E2's deadline for each flag that can still escalate — open and red — and nil for the
    /// others (reviewed, or not red). One calendar read for the whole list.
    public func reviewDeadlines(_ flags: [FlagRecord], today: LocalDate, configuration: Configuration,
                                on connection: Connection) throws -> [FlagID: FlagReviewDeadline] {
        let waiting = flags.filter { $0.status == .open && $0.severity == .red }
        guard !waiting.isEmpty else { return [:] }
        let calendar = try WorkingCalendar.load(connection)
        let days = configuration.escalations.e2.redFlagReviewDays
        var deadlines: [FlagID: FlagReviewDeadline] = [:]
        for flag in waiting {
            let due = calendar.adding(workingDays: days, to: DateInput.shanghaiDate(of: flag.raisedAt))
            let overdue = due < today
            deadlines[flag.id] = FlagReviewDeadline(
                dueOn: due, workingDaysLeft: overdue ? 0 : max(0, calendar.workingDays(from: today, to: due)), overdue: overdue)
        }
        return deadlines
    }

    /// The reviews of flag `id`, oldest first, as row security lets the user read them.
    public func reviews(of id: FlagID, on connection: Connection) throws -> [FlagReviewEntry] {
        try connection.query("""
            SELECT at, reviewer, department, action, confirm_action, reason FROM flag_reviews
            WHERE flag_id = \(id) ORDER BY at, id
            """).map { row in
            FlagReviewEntry(
                at: try row.decode("at"), reviewer: try row.decode("reviewer"), department: try row.decode("department"),
                action: try row.decode("action"), confirmAction: try row.decode("confirm_action"), reason: try row.decode("reason"))
        }
    }
}
