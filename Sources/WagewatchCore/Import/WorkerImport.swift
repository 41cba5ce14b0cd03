import Foundation
import PostgresClient

/// Imports the real-name register (实名制, SPEC §5 `workers`) all or nothing. Each worker is
/// registered in the region of their project; a worker already registered there (same ID
/// number) is updated, so a worker moving to another project follows the file.
public struct WorkerImport: Sendable {
    public init() {}

    public static let schema = CSVSchema(
        required: ["id_number", "name", "employer_uscc", "project_code", "joined"],
        optional: ["phone", "bank", "bank_account", "left"])

    public func run(path: String, dryRun: Bool, on connection: Connection, progress: ImportProgress? = nil) throws
        -> ImportSummary
    {
        do {
            return try connection.transaction { tx in
                try tx.executeScript(unsafeSQL: """
                    CREATE TEMP TABLE IF NOT EXISTS worker_staging (
                        line integer NOT NULL, id_number text NOT NULL, name text NOT NULL, phone text, bank text,
                        bank_account text, employer_uscc text NOT NULL, project_code text NOT NULL, joined date NOT NULL,
                        "left" date) ON COMMIT DELETE ROWS;
                    -- Inside an outer transaction (a savepoint) rows of an earlier import may still be here.
                    DELETE FROM worker_staging
                    """)
                var reader = try openCSV(path, Self.schema)
                var problems = ImportProblems()
                var firstLine: [String: Int] = [:]
                var rows = 0
                var lastReport = 0
                try tx.copyIn("""
                    COPY worker_staging (line, id_number, name, phone, bank, bank_account, employer_uscc, project_code,
                        joined, "left") FROM STDIN
                    """) { writer in
                    while let record = reader.nextGood(collectingProblemsIn: &problems) {
                        rows += 1
                        if let progress, reader.bytesRead - lastReport > reader.fileSize / 100 {
                            lastReport = reader.bytesRead
                            progress(reader.bytesRead, reader.fileSize)
                        }
                        var row = RowCheck(record)
                        let idNumber = row.parse("id_number", required: true) { try ResidentID(parsing: $0, field: "id_number").value }
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
                                firstLine[idNumber] = record.line
                            }
                        }
                        problems.add(row)
                        guard problems.isEmpty, let idNumber, let name, let uscc, let projectCode, let joined else { continue }
                        try writer.writeRow([
                            String(record.line), idNumber, name, phone, bank, bankAccount, uscc, projectCode,
                            joined.description, left?.description,
                        ])
                    }
                    if !problems.isEmpty { throw problems }
                }
                progress?(reader.fileSize, reader.fileSize)
                try tx.executeScript(unsafeSQL: "ANALYZE worker_staging")

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

                let counts = try tx.query("""
                    WITH \(unsafeRaw: StagedRows.projectsByCode(in: "worker_staging")),
                    upserted AS (
                        INSERT INTO workers AS w (region_code, id_number, name, phone, bank, bank_account, employer_id,
                                                  project_id, joined, "left")
                        SELECT p.region_code, s.id_number, s.name, s.phone, s.bank, s.bank_account, e.id, p.id, s.joined, s."left"
                        FROM worker_staging s
                        JOIN staged_projects p ON p.code = s.project_code AND p.n = 1
                        JOIN employers e ON e.region_code = p.region_code AND e.uscc = s.employer_uscc
                        ORDER BY s.line
                        ON CONFLICT (region_code, id_number) DO UPDATE
                            SET name = EXCLUDED.name, phone = EXCLUDED.phone, bank = EXCLUDED.bank,
                                bank_account = EXCLUDED.bank_account, employer_id = EXCLUDED.employer_id,
                                project_id = EXCLUDED.project_id, joined = EXCLUDED.joined, "left" = EXCLUDED."left"
                            WHERE (w.name, w.phone, w.bank, w.bank_account, w.employer_id, w.project_id, w.joined, w."left")
                                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phone, EXCLUDED.bank, EXCLUDED.bank_account,
                                                    EXCLUDED.employer_id, EXCLUDED.project_id, EXCLUDED.joined, EXCLUDED."left")
                        RETURNING (xmax = 0) AS inserted
                    )
                    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
                    FROM upserted
                    """).one()
                let inserted: Int = try counts.decode("inserted")
                let updated: Int = try counts.decode("updated")
                let summary = ImportSummary(
                    kind: "workers", rows: rows, dryRun: dryRun,
                    counts: ["inserted": inserted, "updated": updated, "unchanged": rows - inserted - updated])
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}

/// A bank card or account number: 8 to 30 digits, spaces and hyphens as typed dropped.
enum BankAccountNumber {
    static func parse(_ text: String, field: String) throws(ValidationError) -> String {
        let digits = String(FullWidth.cleaned(text).filter { $0 != " " && $0 != "-" })
        guard (8...30).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ValidationError(field: field, value: text, problem: "is not a bank account number (8 to 30 digits)")
        }
        return digits
    }
}

/// Checks one record's cells, collecting every problem so the import can report them all.
struct RowCheck {
    let record: CSVRecord
    private(set) var errors: [ValidationError] = []

    init(_ record: CSVRecord) { self.record = record }

    var isBad: Bool { !errors.isEmpty }

    mutating func fail(_ column: String, _ value: String, _ problem: String) {
        errors.append(ValidationError(field: column, value: value, problem: problem))
    }

    /// The cell's text; a problem when a required cell is empty or the text is too long, counted
    /// in characters as PostgreSQL counts them (code points: 🇨🇳 is two), as the columns' CHECKs do.
    mutating func text(_ column: String, required: Bool = false, maxLength: Int) -> String? {
        guard let text = record[column] else {
            if required { fail(column, "", "is required") }
            return nil
        }
        guard text.unicodeScalars.count <= maxLength else {
            fail(column, text, "is longer than \(maxLength) characters")
            return nil
        }
        return text
    }

    /// The cell parsed by `parse`, nil (with the problem recorded) when it fails.
    mutating func parse<T>(_ column: String, required: Bool = false, _ parse: (String) throws -> T) -> T? {
        guard let text = record[column] else {
            if required { fail(column, "", "is required") }
            return nil
        }
        do {
            return try parse(text)
        } catch let error as ValidationError {
            errors.append(error)
        } catch {
            fail(column, text, "\(error)")
        }
        return nil
    }
}

extension ImportProblems {
    mutating func add(_ row: RowCheck) {
        for error in row.errors { add(line: row.record.line, error) }
    }
}

/// Set-based checks over an import's staging table, shared by the project-ledger imports.
enum StagedRows {
    /// A CTE `staged_projects (code, region_code, id, n, regions)`: each project code the staging
    /// table names, with how many projects carry it (0: unknown; more than 1: ambiguous across regions).
    static func projectsByCode(in table: String, column: String = "project_code") -> String {
        """
        staged_projects AS (
            SELECT c.code, min(p.region_code) AS region_code, min(p.id) AS id, count(p.id) AS n,
                   string_agg(p.region_code, ', ' ORDER BY p.region_code) AS regions
            FROM (SELECT DISTINCT \(column) AS code FROM \(table) WHERE \(column) IS NOT NULL) c
            LEFT JOIN projects p ON p.code = c.code
            GROUP BY c.code)
        """
    }

    /// The problem text for a project code joined to `staged_projects p`, NULL when it is fine.
    static func projectProblem(_ code: String) -> String {
        """
        CASE WHEN p.n = 0 THEN format('no project "%s"', \(code))
             WHEN p.n > 1 THEN format('project "%s" exists in several regions (%s)', \(code), p.regions) END
        """
    }

    /// Runs a query returning `line, column_name, text, total` (one row per problem) and throws
    /// the problems, if any. Only the lowest-numbered `ImportProblems.limit` rows are fetched;
    /// the rest are counted, so a file with millions of unknown workers costs one small result.
    static func throwUnresolved(on connection: Connection, _ query: SQL) throws {
        var problems = ImportProblems()
        let rows = try connection.query(
            "\(query) ORDER BY 1, 2 LIMIT \(unsafeRaw: String(problems.limit))")
        guard let last = rows.last else { return }
        for row in rows {
            problems.add(line: try row.decode("line"), column: try row.decode("column_name"), problem: try row.decode("text"))
        }
        let total: Int = try last.decode("total")
        let lastLine: Int = try last.decode("line")
        // Lines after the last one listed: counted for "… and N more", never kept.
        for _ in rows.count..<max(rows.count, total) {
            problems.add(line: lastLine, column: nil, problem: "")
        }
        throw problems
    }
}
