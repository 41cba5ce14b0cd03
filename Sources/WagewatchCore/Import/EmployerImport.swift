import PostgresClient

/// Imports employers (SPEC §5 `employers`: owners, general contractors, subcontractors and
/// enterprises) all or nothing. An employer already known by its USCC in the region is updated;
/// one known only by name from earlier complaints gets its USCC attached.
public struct EmployerImport: ImportKind {
    /// The first line of each region and USCC in the file, so a repeat names it.
    private var firstLine: [String: Int] = [:]

    public init() {}

    public static let kinds: Set<String> = ["owner", "general_contractor", "subcontractor", "enterprise"]
    public static let kind = "employers"
    public static let schema = CSVSchema(required: ["uscc", "name", "kind", "region_code"], optional: ["legal_rep", "phone"])
    public static let staging = StagingTable(
        "employer_staging",
        columns: ["line", "uscc", "name", "name_key", "kind", "region_code", "legal_rep", "phone"],
        definition: """
            line integer NOT NULL, uscc text NOT NULL, name text NOT NULL, name_key text NOT NULL, kind text NOT NULL,
            region_code text NOT NULL, legal_rep text, phone text
            """)

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        // An empty USCC or region is worded by its parser, as a wrong one is.
        let uscc = row.parse("uscc", emptyAs: "") { try USCC(parsing: $0, field: "uscc").value }
        let region = row.parse("region_code", emptyAs: "") { try RegionCode(parsing: $0, field: "region_code").value }
        let phone = row.parse("phone") { try PhoneNumber(parsing: $0, field: "phone").value }
        let name = row.record["name"] ?? ""
        // Characters as PostgreSQL counts them (code points), as the column's CHECK does.
        if name.isEmpty || name.unicodeScalars.count > 200 {
            row.fail("name", name, "must be 1 to 200 characters")
        }
        let kind = row.record["kind"] ?? ""
        if !Self.kinds.contains(kind) {
            row.fail("kind", kind, "is not one of owner, general_contractor, subcontractor, enterprise")
        }
        if let uscc, let region {
            if let first = firstLine["\(region)/\(uscc)"] {
                row.fail("uscc", uscc, "repeats line \(first)")
            } else {
                firstLine["\(region)/\(uscc)"] = row.record.line
            }
        }
        guard !row.isBad, let uscc, let region else { return nil }
        return [String(row.record.line), uscc, name, EmployerName.normalise(name), kind, region, row.record["legal_rep"], phone]
    }

    /// Through the door `ww_import_employers` (sql/functions/import_employers.sql): each row of
    /// the caller's region; USCCs attached to employers known so far only by name, then upserted
    /// by USCC.
    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        try StagedRows.upsertThroughDoor(on: tx, rows: rows, "ww_import_employers()")
    }
}
