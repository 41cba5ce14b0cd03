import Foundation
import PostgresClient

/// Imports employers (SPEC §5 `employers`: owners, general contractors, subcontractors and
/// enterprises) all or nothing. An employer already known by its USCC in the region is updated;
/// one known only by name from earlier complaints gets its USCC attached.
public struct EmployerImport: Sendable {
    public init() {}

    public static let kinds: Set<String> = ["owner", "general_contractor", "subcontractor", "enterprise"]
    public static let schema = CSVSchema(required: ["uscc", "name", "kind", "region_code"], optional: ["legal_rep", "phone"])

    public func run(path: String, dryRun: Bool, on connection: Connection, progress: ImportProgress? = nil) throws
        -> ImportSummary
    {
        do {
            return try connection.transaction { tx in
                try tx.executeScript(unsafeSQL: """
                    CREATE TEMP TABLE IF NOT EXISTS employer_staging (
                        line integer, uscc text, name text, name_key text, kind text, region_code text,
                        legal_rep text, phone text) ON COMMIT DELETE ROWS
                    """)
                var reader: CSVReader
                reader = try openCSV(path, Self.schema)
                var problems = ImportProblems()
                var seen: [String: Int] = [:]
                var rows = 0
                try tx.copyIn("COPY employer_staging FROM STDIN") { writer in
                    while let record = reader.nextGood(collectingProblemsIn: &problems) {
                        rows += 1
                        if rows % 10_000 == 0 { progress?(reader.bytesRead, reader.fileSize) }
                        var bad = false
                        func check<T>(_ body: () throws(ValidationError) -> T) -> T? {
                            do { return try body() } catch {
                                problems.add(line: record.line, error)
                                bad = true
                                return nil
                            }
                        }
                        let uscc = check { () throws(ValidationError) in try USCC(parsing: record["uscc"] ?? "", field: "uscc").value }
                        let region = check { () throws(ValidationError) in
                            try RegionCode(parsing: record["region_code"] ?? "", field: "region_code").value
                        }
                        let phone = record["phone"].flatMap { text in
                            check { () throws(ValidationError) in try PhoneNumber(parsing: text, field: "phone").value }
                        }
                        let name = record["name"] ?? ""
                        // Characters as PostgreSQL counts them (code points), as the column's CHECK does.
                        if name.isEmpty || name.unicodeScalars.count > 200 {
                            problems.add(line: record.line, column: "name", problem: "\(ValidationError.quoted(name)) must be 1 to 200 characters")
                            bad = true
                        }
                        let kind = record["kind"] ?? ""
                        if !Self.kinds.contains(kind) {
                            problems.add(line: record.line, column: "kind",
                                         problem: "\"\(kind)\" is not one of owner, general_contractor, subcontractor, enterprise")
                            bad = true
                        }
                        if let uscc, let region {
                            if let first = seen["\(region)/\(uscc)"] {
                                problems.add(line: record.line, column: "uscc", problem: "\"\(uscc)\" repeats line \(first)")
                                bad = true
                            } else {
                                seen["\(region)/\(uscc)"] = record.line
                            }
                        }
                        guard !bad, problems.isEmpty else { continue }
                        try writer.writeRow([String(record.line), uscc, name, EmployerName.normalise(name), kind, region,
                                             record["legal_rep"], phone])
                    }
                    if !problems.isEmpty { throw problems }
                }
                // Attach USCCs to employers known so far only by name, then upsert by USCC.
                let attached = try tx.execute("""
                    UPDATE employers e SET uscc = s.uscc, name = s.name, kind = s.kind, legal_rep = s.legal_rep, phone = s.phone
                    FROM employer_staging s
                    WHERE e.region_code = s.region_code AND e.uscc IS NULL AND e.name_key = s.name_key
                      AND NOT EXISTS (SELECT 1 FROM employers x WHERE x.region_code = s.region_code AND x.uscc = s.uscc)
                    """)
                let upserted = try tx.query("""
                    INSERT INTO employers AS e (region_code, uscc, name, name_key, kind, legal_rep, phone)
                    SELECT region_code, uscc, name, name_key, kind, legal_rep, phone FROM employer_staging
                    ON CONFLICT (region_code, uscc) WHERE uscc IS NOT NULL DO UPDATE
                        SET name = EXCLUDED.name, name_key = EXCLUDED.name_key, kind = EXCLUDED.kind,
                            legal_rep = EXCLUDED.legal_rep, phone = EXCLUDED.phone
                        WHERE (e.name, e.kind, e.legal_rep, e.phone) IS DISTINCT FROM
                              (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.legal_rep, EXCLUDED.phone)
                    RETURNING (xmax = 0) AS inserted
                    """)
                let inserted = try upserted.filter { try $0.decode("inserted", as: Bool.self) }.count
                let summary = ImportSummary(
                    kind: "employers", rows: rows, dryRun: dryRun,
                    counts: ["inserted": inserted, "updated": upserted.count - inserted + attached,
                             "unchanged": rows - upserted.count - attached])
                if dryRun { throw DryRunRollback(summary: summary) }
                return summary
            }
        } catch let rollback as DryRunRollback {
            return rollback.summary
        }
    }
}
