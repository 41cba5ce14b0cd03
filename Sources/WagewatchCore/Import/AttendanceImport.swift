import PostgresClient

/// Imports daily attendance (SPEC §5 `attendance`: one line per worker per day on a project) all
/// or nothing. Files run to millions of lines, so rows stream through COPY into a staging table
/// and go into `attendance` through the door's one INSERT … SELECT; a day already recorded is
/// counted as a duplicate, not an error.
public struct AttendanceImport: ImportKind {
    /// The day the import counts as today: an ID number born after it is refused.
    public let today: LocalDate

    public init(today: LocalDate) {
        self.today = today
    }

    public static let kind = "attendance"
    public static let schema = CSVSchema(required: ["project_code", "date", "id_number"])
    public static let staging = StagingTable(
        "attendance_staging", columns: ["line", "project_code", "day", "id_number"],
        definition: "line integer NOT NULL, project_code text NOT NULL, day date NOT NULL, id_number text NOT NULL")

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        let projectCode = row.text("project_code", required: true, maxLength: 40)
        let day = row.parse("date", required: true) { try DateInput.date($0, field: "date") }
        let idNumber = row.parse("id_number", required: true) { try ResidentID(parsing: $0, field: "id_number", today: today).value }
        guard let projectCode, let day, let idNumber else { return nil }
        return [String(row.record.line), projectCode, day.description, idNumber]
    }

    public func resolve(on tx: Connection, trace: ImportTrace) throws {
        try StagedRows.throwUnresolvedProjectWorkers(on: tx, table: Self.staging.name)
        trace("resolved projects and workers")
    }

    /// Through the door `ww_import_attendance` (sql/functions/import_attendance.sql): each day of
    /// a project of the caller's region; a day already recorded is a duplicate.
    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        let inserted: Int = try WagewatchError.throughDoor {
            try tx.query("SELECT ww_import_attendance() AS n").one().decode("n")
        }
        trace("inserted \(inserted) attendance rows")
        return ["inserted": inserted, "duplicates": rows - inserted]
    }
}
