import Foundation
import PostgresClient

/// Imports ledger transfers (SPEC §5 `transfers`, P6, P7) all or nothing. Every row is posted
/// through `ww_post_transfer`, the ledger's single door, in order of `occurred_at` then line, so
/// a file keeps every invariant a single `account transfer` keeps: a wage account never goes
/// below zero, a key replayed with the same payload changes nothing, and money leaving a
/// government project's fund for an unregistered party is marked as a diversion.
///
/// The region of each transfer is found as `Ledger` finds it: the project's (a code used in several
/// regions must be in `defaultRegion`), else the registered worker's, else `defaultRegion`.
public struct TransferImport: ImportKind {
    /// The region for transfers tied to no project or registered worker (`WAGEWATCH_REGION`).
    public let defaultRegion: String?
    /// The day the import counts as today: a worker account's ID number born after it is refused.
    public let today: LocalDate

    public init(defaultRegion: String? = nil, today: LocalDate) {
        self.defaultRegion = defaultRegion
        self.today = today
    }

    public static let schema = CSVSchema(
        required: ["key", "occurred_at", "from_account", "to_account", "amount"], optional: ["memo"])

    /// The default region, checked, once ``start()`` has run.
    private var region: String?

    public static let kind = "transfers"
    public static let staging = StagingTable(
        "transfer_staging",
        columns: ["line", "key", "occurred_at", "from_kind", "from_ref", "to_kind", "to_ref", "amount_fen", "memo",
                  "payload", "project_code", "project_column"],
        definition: """
            line integer NOT NULL, key text NOT NULL, occurred_at timestamptz NOT NULL,
            from_kind text NOT NULL, from_ref text NOT NULL, to_kind text NOT NULL, to_ref text NOT NULL,
            amount_fen bigint NOT NULL, memo text, payload text NOT NULL,
            project_code text, project_column text, region_code text
            """)

    public mutating func start() throws {
        guard let defaultRegion, !defaultRegion.isEmpty else { return }
        do {
            region = try RegionCode(parsing: defaultRegion, field: "WAGEWATCH_REGION").value
        } catch {
            throw WagewatchError.invalid(error.description)
        }
    }

    public mutating func stage(_ row: inout RowCheck) -> [String?]? {
        let record = row.record
        let key = row.text("key", required: true, maxLength: 200)
        let occurredAt = row.parse("occurred_at", required: true) { try Self.occurredAt($0, field: "occurred_at") }
        let from = row.parse("from_account", required: true) { try AccountRef(parsing: $0, field: "from_account", today: today) }
        let to = row.parse("to_account", required: true) { try AccountRef(parsing: $0, field: "to_account", today: today) }
        if let from, let to, from == to {
            row.fail("to_account", record["to_account"] ?? "", "is the same account as from_account")
        }
        let amount = row.parse("amount", required: true) { text throws(ValidationError) -> Int64 in
            let fen = try Money.parseYuan(text, field: "amount")
            guard fen > 0 else { throw ValidationError(field: "amount", value: text, problem: "must be more than 0") }
            return fen
        }
        let memo = row.text("memo", maxLength: 1000)
        guard !row.isBad, let key, let occurredAt, let from, let to, let amount else { return nil }
        let at = PostgresTimestamp.format(occurredAt)
        let projectCode = from.projectCode ?? to.projectCode
        return [
            String(record.line), key, at, from.kind, from.ref, to.kind, to.ref, String(amount), memo,
            [from.description, to.description, String(amount), at, memo ?? ""].joined(separator: "\u{1F}"),
            projectCode, projectCode == nil ? nil : (from.projectCode != nil ? "from_account" : "to_account"),
        ]
    }

    /// Each transfer's region, then every unknown project, unopened account and replayed key
    /// with another payload; then the accounts that exist implicitly are created.
    public func resolve(on tx: Connection, trace: ImportTrace) throws {
        // Each transfer's region: its project's, else a registered worker's, else the default.
        try tx.execute("""
            WITH \(unsafeRaw: StagedRows.projectsByCode(in: "transfer_staging")),
            staged_workers AS (
                SELECT DISTINCT ON (w.id_number) w.id_number, w.region_code
                FROM workers w
                WHERE w.id_number IN (SELECT from_ref FROM transfer_staging WHERE from_kind = 'worker'
                                      UNION SELECT to_ref FROM transfer_staging WHERE to_kind = 'worker')
                ORDER BY w.id_number, w.region_code),
            resolved AS (
                SELECT s.line,
                       CASE WHEN s.project_code IS NULL THEN coalesce(wf.region_code, wt.region_code, \(region)::text)
                            WHEN p.n = 1 THEN p.region_code
                            -- A code used in several regions: the one in the default region, never a guess.
                            WHEN p.n > 1 AND \(region)::text = ANY (string_to_array(p.regions, ', ')) THEN \(region)::text
                       END AS region_code
                FROM transfer_staging s
                LEFT JOIN staged_projects p ON p.code = s.project_code
                LEFT JOIN staged_workers wf ON s.from_kind = 'worker' AND wf.id_number = s.from_ref
                LEFT JOIN staged_workers wt ON s.to_kind = 'worker' AND wt.id_number = s.to_ref)
            UPDATE transfer_staging s SET region_code = r.region_code
            FROM resolved r
            WHERE r.line = s.line AND r.region_code IS NOT NULL
            """)

        try StagedRows.throwUnresolved(on: tx, """
            WITH \(unsafeRaw: StagedRows.projectsByCode(in: "transfer_staging")),
            staged AS (
                SELECT s.*, first_value(s.line) OVER same_key AS first_line,
                       first_value(s.payload) OVER same_key AS first_payload
                FROM transfer_staging s
                WINDOW same_key AS (PARTITION BY s.key ORDER BY s.line))
            SELECT s.line, problem.column_name, problem.text, count(*) OVER () AS total
            FROM staged s
            LEFT JOIN staged_projects p ON p.code = s.project_code
            LEFT JOIN ledger_accounts fa ON fa.region_code = s.region_code AND fa.kind = s.from_kind AND fa.ref = s.from_ref
            LEFT JOIN ledger_accounts ta ON ta.region_code = s.region_code AND ta.kind = s.to_kind AND ta.ref = s.to_ref
            LEFT JOIN projects fp ON s.from_kind = 'fund' AND fp.region_code = s.region_code AND fp.code = s.from_ref
            LEFT JOIN projects tp ON s.to_kind = 'fund' AND tp.region_code = s.region_code AND tp.code = s.to_ref
            CROSS JOIN LATERAL (VALUES
                ('key', CASE WHEN s.first_line <> s.line AND s.first_payload <> s.payload
                    THEN format('"%s" repeats line %s with a different transfer', s.key, s.first_line) END),
                (coalesce(s.project_column, 'from_account'), CASE WHEN s.project_code IS NOT NULL AND s.region_code IS NULL
                    THEN CASE WHEN p.n = 0 THEN format('no project "%s"', s.project_code)
                              ELSE format('project "%s" exists in several regions (%s); set WAGEWATCH_REGION to choose one',
                                          s.project_code, p.regions) END END),
                ('from_account', CASE WHEN s.project_code IS NULL AND s.region_code IS NULL
                    THEN 'neither account belongs to a project or a registered worker; set WAGEWATCH_REGION to the region code' END),
                ('from_account', \(unsafeRaw: Self.accountProblem(side: "from", account: "fa", project: "fp"))),
                ('to_account', \(unsafeRaw: Self.accountProblem(side: "to", account: "ta", project: "tp")))
            ) AS problem (column_name, text)
            WHERE problem.text IS NOT NULL
            """)

        // Accounts that exist implicitly (Ledger.accountID): a project's fund, a worker's
        // account, the emergency fund and external parties, created on first use.
        try tx.execute("""
            SELECT ww_implicit_account(a.region_code, a.kind, a.ref)
            FROM (SELECT region_code, from_kind AS kind, from_ref AS ref FROM transfer_staging
                  UNION SELECT region_code, to_kind, to_ref FROM transfer_staging) a
            WHERE a.kind IN ('fund', 'worker', 'emergency', 'external')
              AND NOT EXISTS (SELECT 1 FROM ledger_accounts x
                              WHERE x.region_code = a.region_code AND x.kind = a.kind AND x.ref = a.ref)
            ORDER BY a.region_code, a.kind, a.ref
            """)
        trace("resolved regions and accounts")

    }

    public func apply(on tx: Connection, rows: Int, trace: ImportTrace) throws -> [String: Int] {
        let posted = try tx.query("SELECT n_posted, n_replayed, n_diversions FROM ww_post_staged_transfers()").one()
        trace("posted transfers")
        return ["posted": try posted.decode("n_posted"), "replayed": try posted.decode("n_replayed"),
                "diversions": try posted.decode("n_diversions")]
    }

    /// `YYYY-MM-DD` (midnight in Asia/Shanghai), or a time as `DateInput.receivedAt` reads it.
    static func occurredAt(_ text: String, field: String) throws(ValidationError) -> Date {
        if FullWidth.cleaned(text).utf8.count == 10 {
            let day = try DateInput.date(text, field: field)
            return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch * 86_400 - DateInput.shanghaiOffsetSeconds))
        }
        return try DateInput.receivedAt(text, field: field)
    }

    /// The problem with one side's account, NULL when it exists or can be created: a wage or
    /// deposit account must have been opened, and a fund belongs to a project of the region.
    private static func accountProblem(side: String, account: String, project: String) -> String {
        """
        CASE WHEN s.region_code IS NULL OR \(account).id IS NOT NULL THEN NULL
             WHEN s.\(side)_kind IN ('wage', 'deposit')
                 THEN format('"%1$s:%2$s" was never opened; open it with: wagewatch account open %1$s:%2$s --bank … --number … --opened …',
                             s.\(side)_kind, s.\(side)_ref)
             WHEN s.\(side)_kind = 'fund' AND \(project).id IS NULL
                 THEN format('no project "%s" in region %s', s.\(side)_ref, s.region_code) END
        """
    }
}
