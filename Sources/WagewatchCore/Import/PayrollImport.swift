import PostgresClient

/// Imports payroll sheets (工资表, SPEC §5 `payroll`: one line per worker per project per month)
/// all or nothing. A line for a (project, month, worker) already stored replaces it, so a
/// corrected sheet can be imported again.
public struct PayrollImport: ImportKind {
    /// The day the import counts as today: an ID number born after it is refused.
    public let today: LocalDate

    public init(today: LocalDate) {
        self.today = today
    }

    public static let kind = "payroll"
    public static let schema = CSVSchema(
        required: ["project_code", "period", "id_number", "days_worked", "wage_due", "wage_paid"],
        optional: ["paid_on", "signed"])
    public static let staging = StagingTable(
        "payroll_staging",
        columns: ["line", "project_code", "period", "id_number", "days_worked", "wage_due_fen", "wage_paid_fen", "paid_on", "signed"],
        definition: """
            line integer NOT NULL, project_code text NOT NULL, period date NOT NULL, id_number text NOT NULL,
            days_worked integer NOT NULL, wage_due_fen bigint NOT NULL, wage_paid_fen bigint NOT NULL,
            paid_on date, signed boolean NOT NULL
            """)

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        let projectCode = row.text("project_code", required: true, maxLength: 40)
        let period = row.parse("period", required: true) { try DateInput.month($0, field: "period") }
        let idNumber = row.parse("id_number", required: true) { try ResidentID(parsing: $0, field: "id_number", today: today).value }
        let days = row.parse("days_worked", required: true) { text throws(ValidationError) -> Int in
            guard let days = Int(FullWidth.cleaned(text)), (0...31).contains(days) else {
                throw ValidationError(field: "days_worked", value: text, problem: "is not a whole number of days from 0 to 31")
            }
            return days
        }
        let due = row.parse("wage_due", required: true) { try Money.parseYuan($0, field: "wage_due") }
        let paid = row.parse("wage_paid", required: true) { try Money.parseYuan($0, field: "wage_paid") }
        let paidOn = row.parse("paid_on") { try DateInput.date($0, field: "paid_on") }
        if let paid, paid > 0, paidOn == nil, row.record["paid_on"] == nil {
            row.fail("paid_on", "", "is required when wage_paid is more than 0")
        }
        let signed = row.parse("signed") { text throws(ValidationError) -> Bool in
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: throw ValidationError(field: "signed", value: text, problem: "is not true, false or empty")
            }
        } ?? false
        guard let projectCode, let period, let idNumber, let days, let due, let paid else { return nil }
        return [
            String(row.record.line), projectCode, period.firstDay.description, idNumber, String(days),
            String(due), String(paid), paidOn?.description, signed ? "t" : "f",
        ]
    }

    /// Unknown projects and workers, and a worker listed twice for one project and month.
    public func resolve(on tx: Connection, trace: ImportTrace) throws {
        try StagedRows.throwUnresolvedProjectWorkers(on: tx, table: Self.staging.name, repeatsPerPeriod: true)
    }

    /// Through the door `ww_import_payroll` (sql/functions/import_payroll.sql): each line of a
    /// project of the caller's region; a line already stored for the project, month and worker is replaced.
    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        try StagedRows.upsertThroughDoor(on: tx, rows: rows, "ww_import_payroll()")
    }
}
