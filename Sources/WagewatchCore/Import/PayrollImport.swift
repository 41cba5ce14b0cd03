import Foundation
import PostgresClient

/// Imports payroll sheets (工资表, SPEC §5 `payroll`: one line per worker per project per month)
/// all or nothing. A line for a (project, month, worker) already stored replaces it, so a
/// corrected sheet can be imported again.
public struct PayrollImport: Sendable {
    public init() {}

    public static let schema = CSVSchema(
        required: ["project_code", "period", "id_number", "days_worked", "wage_due", "wage_paid"],
        optional: ["paid_on", "signed"])

    public func run(path: String, dryRun: Bool, on connection: Connection, progress: ImportProgress? = nil) throws
        -> ImportSummary
    {
        do {
            return try connection.transaction { tx in
                try tx.executeScript(unsafeSQL: """
                    CREATE TEMP TABLE IF NOT EXISTS payroll_staging (
                        line integer NOT NULL, project_code text NOT NULL, period date NOT NULL, id_number text NOT NULL,
                        days_worked integer NOT NULL, wage_due_fen bigint NOT NULL, wage_paid_fen bigint NOT NULL,
                        paid_on date, signed boolean NOT NULL) ON COMMIT DELETE ROWS;
                    -- Inside an outer transaction (a savepoint) rows of an earlier import may still be here.
                    DELETE FROM payroll_staging
                    """)
                var reader = try openCSV(path, Self.schema)
                var problems = ImportProblems()
                var rows = 0
                var lastReport = 0
                try tx.copyIn("""
                    COPY payroll_staging (line, project_code, period, id_number, days_worked, wage_due_fen, wage_paid_fen,
                        paid_on, signed) FROM STDIN
                    """) { writer in
                    while let record = reader.nextGood(collectingProblemsIn: &problems) {
                        rows += 1
                        if let progress, reader.bytesRead - lastReport > reader.fileSize / 100 {
                            lastReport = reader.bytesRead
                            progress(reader.bytesRead, reader.fileSize)
                        }
                        var row = RowCheck(record)
                        let projectCode = row.text("project_code", required: true, maxLength: 40)
                        let period = row.parse("period", required: true) { try DateInput.month($0, field: "period") }
                        let idNumber = row.parse("id_number", required: true) { try ResidentID(parsing: $0, field: "id_number").value }
                        let days = row.parse("days_worked", required: true) { text throws(ValidationError) -> Int in
                            guard let days = Int(FullWidth.cleaned(text)), (0...31).contains(days) else {
                                throw ValidationError(field: "days_worked", value: text, problem: "is not a whole number of days from 0 to 31")
                            }
                            return days
                        }
                        let due = row.parse("wage_due", required: true) { try Money.parseYuan($0, field: "wage_due") }
                        let paid = row.parse("wage_paid", required: true) { try Money.parseYuan($0, field: "wage_paid") }
                        let paidOn = row.parse("paid_on") { try DateInput.date($0, field: "paid_on") }
                        if let paid, paid > 0, paidOn == nil, record["paid_on"] == nil {
                            row.fail("paid_on", "", "is required when wage_paid is more than 0")
                        }
                        let signed = row.parse("signed") { text throws(ValidationError) -> Bool in
                            switch text.lowercased() {
                            case "true": return true
                            case "false": return false
                            default: throw ValidationError(field: "signed", value: text, problem: "is not true, false or empty")
                            }
                        } ?? false
                        problems.add(row)
                        guard problems.isEmpty, let projectCode, let period, let idNumber, let days, let due, let paid else {
                            continue
                        }
                        try writer.writeRow([
                            String(record.line), projectCode, period.firstDay.description, idNumber, String(days),
                            String(due), String(paid), paidOn?.description, signed ? "t" : "f",
                        ])
                    }
                    if !problems.isEmpty { throw problems }
                }
                progress?(reader.fileSize, reader.fileSize)
                try tx.executeScript(unsafeSQL: "ANALYZE payroll_staging")

                // Unknown projects and workers, and a worker listed twice for one project and month.
                try StagedRows.throwUnresolved(on: tx, """
                    WITH \(unsafeRaw: StagedRows.projectsByCode(in: "payroll_staging")),
                    staged AS (
                        SELECT s.*, min(s.line) OVER (PARTITION BY s.project_code, s.period, s.id_number) AS first_line
                        FROM payroll_staging s)
                    SELECT s.line, problem.column_name, problem.text, count(*) OVER () AS total
                    FROM staged s
                    JOIN staged_projects p ON p.code = s.project_code
                    LEFT JOIN workers w ON p.n = 1 AND w.region_code = p.region_code AND w.id_number = s.id_number
                    CROSS JOIN LATERAL (VALUES
                        ('project_code', \(unsafeRaw: StagedRows.projectProblem("s.project_code"))),
                        ('id_number', CASE WHEN p.n = 1 AND w.id IS NULL
                            THEN format('no worker "%s" registered in region %s', s.id_number, p.region_code) END),
                        ('id_number', CASE WHEN s.first_line <> s.line
                            THEN format('"%s" repeats line %s (same project and period)', s.id_number, s.first_line) END)
                    ) AS problem (column_name, text)
                    WHERE problem.text IS NOT NULL
                    """)

                let counts = try tx.query("""
                    WITH \(unsafeRaw: StagedRows.projectsByCode(in: "payroll_staging")),
                    upserted AS (
                        INSERT INTO payroll AS y (region_code, project_id, period, worker_id, days_worked, wage_due_fen,
                                                  wage_paid_fen, paid_on, signed)
                        SELECT p.region_code, p.id, s.period, w.id, s.days_worked, s.wage_due_fen, s.wage_paid_fen,
                               s.paid_on, s.signed
                        FROM payroll_staging s
                        JOIN staged_projects p ON p.code = s.project_code AND p.n = 1
                        JOIN workers w ON w.region_code = p.region_code AND w.id_number = s.id_number
                        ON CONFLICT (region_code, project_id, period, worker_id) DO UPDATE
                            SET days_worked = EXCLUDED.days_worked, wage_due_fen = EXCLUDED.wage_due_fen,
                                wage_paid_fen = EXCLUDED.wage_paid_fen, paid_on = EXCLUDED.paid_on, signed = EXCLUDED.signed
                            WHERE (y.days_worked, y.wage_due_fen, y.wage_paid_fen, y.paid_on, y.signed)
                                  IS DISTINCT FROM (EXCLUDED.days_worked, EXCLUDED.wage_due_fen, EXCLUDED.wage_paid_fen,
                                                    EXCLUDED.paid_on, EXCLUDED.signed)
                        RETURNING (xmax = 0) AS inserted
                    )
                    SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
                    FROM upserted
                    """).one()
                let inserted: Int = try counts.decode("inserted")
                let updated: Int = try counts.decode("updated")
                let summary = ImportSummary(
                    kind: "payroll", rows: rows, dryRun: dryRun,
                    counts: ["inserted": inserted, "updated": updated, "unchanged": rows - inserted - updated])
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}
