import Foundation
import PostgresClient

/// Imports daily attendance (SPEC §5 `attendance`: one line per worker per day on a project) all
/// or nothing. Files run to millions of lines, so rows stream through COPY into a staging table
/// and go into `attendance` in one INSERT … SELECT; a day already recorded is counted as a
/// duplicate, not an error.
public struct AttendanceImport: Sendable {
    public init() {}

    public static let schema = CSVSchema(required: ["project_code", "date", "id_number"])

    public func run(path: String, dryRun: Bool, on connection: Connection, progress: ImportProgress? = nil) throws
        -> ImportSummary
    {
        do {
            return try connection.transaction { tx in
                try tx.executeScript(unsafeSQL: """
                    CREATE TEMP TABLE IF NOT EXISTS attendance_staging (
                        line integer NOT NULL, project_code text NOT NULL, day date NOT NULL, id_number text NOT NULL
                    ) ON COMMIT DELETE ROWS;
                    -- Inside an outer transaction (a savepoint) rows of an earlier import may still be here.
                    DELETE FROM attendance_staging
                    """)
                var reader = try openCSV(path, Self.schema)
                var problems = ImportProblems()
                var rows = 0
                var lastReport = 0
                try tx.copyIn("COPY attendance_staging (line, project_code, day, id_number) FROM STDIN") { writer in
                    while let record = reader.nextGood(collectingProblemsIn: &problems) {
                        rows += 1
                        if let progress, reader.bytesRead - lastReport > reader.fileSize / 100 {
                            lastReport = reader.bytesRead
                            progress(reader.bytesRead, reader.fileSize)
                        }
                        var row = RowCheck(record)
                        let projectCode = row.text("project_code", required: true, maxLength: 40)
                        let day = row.parse("date", required: true) { try DateInput.date($0, field: "date") }
                        let idNumber = row.parse("id_number", required: true) { try ResidentID(parsing: $0, field: "id_number").value }
                        problems.add(row)
                        guard problems.isEmpty, let projectCode, let day, let idNumber else { continue }
                        try writer.writeRow([String(record.line), projectCode, day.description, idNumber])
                    }
                    if !problems.isEmpty { throw problems }
                }
                progress?(reader.fileSize, reader.fileSize)
                trace("staged \(rows) attendance rows")
                try tx.executeScript(unsafeSQL: "ANALYZE attendance_staging")

                try StagedRows.throwUnresolved(on: tx, """
                    WITH \(unsafeRaw: StagedRows.projectsByCode(in: "attendance_staging"))
                    SELECT s.line, problem.column_name, problem.text, count(*) OVER () AS total
                    FROM attendance_staging s
                    JOIN staged_projects p ON p.code = s.project_code
                    LEFT JOIN workers w ON p.n = 1 AND w.region_code = p.region_code AND w.id_number = s.id_number
                    CROSS JOIN LATERAL (VALUES
                        ('project_code', \(unsafeRaw: StagedRows.projectProblem("s.project_code"))),
                        ('id_number', CASE WHEN p.n = 1 AND w.id IS NULL
                            THEN format('no worker "%s" registered in region %s', s.id_number, p.region_code) END)
                    ) AS problem (column_name, text)
                    WHERE problem.text IS NOT NULL
                    """)
                trace("resolved projects and workers")

                let inserted: Int = try tx.query("""
                    WITH \(unsafeRaw: StagedRows.projectsByCode(in: "attendance_staging")),
                    inserted AS (
                        INSERT INTO attendance (region_code, project_id, day, worker_id)
                        SELECT p.region_code, p.id, s.day, w.id
                        FROM attendance_staging s
                        JOIN staged_projects p ON p.code = s.project_code AND p.n = 1
                        JOIN workers w ON w.region_code = p.region_code AND w.id_number = s.id_number
                        ON CONFLICT DO NOTHING
                        RETURNING 1
                    )
                    SELECT count(*) AS n FROM inserted
                    """).one().decode("n")
                trace("inserted \(inserted) attendance rows")
                let summary = ImportSummary(
                    kind: "attendance", rows: rows, dryRun: dryRun,
                    counts: ["inserted": inserted, "duplicates": rows - inserted])
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}
