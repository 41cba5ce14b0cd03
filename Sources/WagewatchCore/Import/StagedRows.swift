import PostgresClient

/// Set-based checks and writes over an import's staging table, shared by the kinds.
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

    /// Throws every staged row whose project is unknown or ambiguous or whose worker is not
    /// registered in the project's region; with `repeatsPerPeriod`, also a worker listed twice for
    /// one project and period.
    static func throwUnresolvedProjectWorkers(on tx: Connection, table: String, repeatsPerPeriod: Bool = false) throws {
        let source: SQL = repeatsPerPeriod
            ? "(SELECT s.*, min(s.line) OVER (PARTITION BY s.project_code, s.period, s.id_number) AS first_line FROM \(unsafeRaw: table) s)"
            : "\(unsafeRaw: table)"
        let repeats: SQL = repeatsPerPeriod
            ? """
              ,
                  ('id_number', CASE WHEN s.first_line <> s.line
                      THEN format('"%s" repeats line %s (same project and period)', s.id_number, s.first_line) END)
              """
            : ""
        try throwUnresolved(on: tx, """
            WITH \(unsafeRaw: projectsByCode(in: table))
            SELECT s.line, problem.column_name, problem.text, count(*) OVER () AS total
            FROM \(source) s
            JOIN staged_projects p ON p.code = s.project_code
            LEFT JOIN workers w ON p.n = 1 AND w.region_code = p.region_code AND w.id_number = s.id_number
            CROSS JOIN LATERAL (VALUES
                ('project_code', \(unsafeRaw: projectProblem("s.project_code"))),
                ('id_number', CASE WHEN p.n = 1 AND w.id IS NULL
                    THEN format('no worker "%s" registered in region %s', s.id_number, p.region_code) END)\(repeats)
            ) AS problem (column_name, text)
            WHERE problem.text IS NOT NULL
            """)
    }

    /// Runs an `INSERT … ON CONFLICT DO UPDATE … WHERE changed` of the staged rows and counts
    /// what it inserted, updated and left unchanged.
    static func upsert(on tx: Connection, rows: Int, _ statement: SQL) throws -> [String: Int] {
        let counts = try tx.query("""
            WITH upserted AS (\(statement)
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
            FROM upserted
            """).one()
        return try summary(counts, rows: rows)
    }

    /// Calls the door `door` of an import (issue 21: a SECURITY DEFINER function of
    /// sql/functions/import_*.sql that reads the session's staging table, checks the caller and
    /// the region of every row, writes, and returns `o_inserted, o_updated`) and counts what it
    /// inserted, updated and left unchanged. Its refusals come back as `WagewatchError`s.
    static func upsertThroughDoor(on tx: Connection, rows: Int, _ door: SQL) throws -> [String: Int] {
        try summary(WagewatchError.throughDoor { try tx.query("SELECT o_inserted AS inserted, o_updated AS updated FROM \(door)").one() },
                    rows: rows)
    }

    private static func summary(_ counts: Row, rows: Int) throws -> [String: Int] {
        let inserted: Int = try counts.decode("inserted")
        let updated: Int = try counts.decode("updated")
        return ["inserted": inserted, "updated": updated, "unchanged": rows - inserted - updated]
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
