import PostgresClient

/// Imports the real-name register (实名制, SPEC §5 `workers`) all or nothing. Each worker is
/// registered in the region of their project; a worker already registered there (same ID
/// number) is updated, so a worker moving to another project follows the file.
public struct WorkerImport: ImportKind {
    /// The first line of each ID number in the file, so a repeat names it.
    private var firstLine: [String: Int] = [:]

    /// The day the import counts as today: an ID number born after it is refused.
    public let today: LocalDate

    public init(today: LocalDate) {
        self.today = today
    }

    public static let kind = "workers"
    public static let schema = CSVSchema(
        required: ["id_number", "name", "employer_uscc", "project_code", "joined"],
        optional: ["phone", "bank", "bank_account", "left"])
    public static let staging = StagingTable(
        "worker_staging",
        columns: ["line", "id_number", "name", "phone", "bank", "bank_account", "employer_uscc", "project_code", "joined", "\"left\""],
        definition: """
            line integer NOT NULL, id_number text NOT NULL, name text NOT NULL, phone text, bank text,
            bank_account text, employer_uscc text NOT NULL, project_code text NOT NULL, joined date NOT NULL,
            "left" date
            """)

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        let idNumber = row.parse("id_number", required: true) { try ResidentID(parsing: $0, field: "id_number", today: today).value }
        let name = row.text("name", required: true, maxLength: 100)
        let phone = row.parse("phone") { try PhoneNumber(parsing: $0, field: "phone").value }
        let bank = row.text("bank", maxLength: 100)
        let bankAccount = row.parse("bank_account") { try BankAccountNumber.parse($0, field: "bank_account") }
        let uscc = row.parse("employer_uscc", required: true) { try USCC(parsing: $0, field: "employer_uscc").value }
        let projectCode = row.text("project_code", required: true, maxLength: 40)
        let joined = row.parse("joined", required: true) { try DateInput.date($0, field: "joined") }
        let left = row.parse("left") { try DateInput.date($0, field: "left") }
        if let joined, let left, left < joined {
            row.fail("left", left.description, "is before joined \(joined)")
        }
        if let idNumber {
            if let first = firstLine[idNumber] {
                row.fail("id_number", idNumber, "repeats line \(first)")
            } else {
                firstLine[idNumber] = row.record.line
            }
        }
        guard !row.isBad, let idNumber, let name, let uscc, let projectCode, let joined else { return nil }
        return [
            String(row.record.line), idNumber, name, phone, bank, bankAccount, uscc, projectCode,
            joined.description, left?.description,
        ]
    }

    public func resolve(on tx: Connection, trace: ImportTrace) throws {
        try StagedRows.throwUnresolved(on: tx, """
            WITH \(unsafeRaw: StagedRows.projectsByCode(in: "worker_staging"))
            SELECT s.line, problem.column_name, problem.text, count(*) OVER () AS total
            FROM worker_staging s
            JOIN staged_projects p ON p.code = s.project_code
            LEFT JOIN employers e ON p.n = 1 AND e.region_code = p.region_code AND e.uscc = s.employer_uscc
            CROSS JOIN LATERAL (VALUES
                ('project_code', \(unsafeRaw: StagedRows.projectProblem("s.project_code"))),
                ('employer_uscc', CASE WHEN p.n = 1 AND e.id IS NULL
                    THEN format('no employer "%s" in region %s', s.employer_uscc, p.region_code) END)
            ) AS problem (column_name, text)
            WHERE problem.text IS NOT NULL
            """)
    }

    /// Through the door `ww_import_workers` (sql/functions/import_workers.sql): each worker in
    /// the region of their project, which must be the caller's; a worker registered there is updated.
    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        try StagedRows.upsertThroughDoor(on: tx, rows: rows, "ww_import_workers()")
    }
}
