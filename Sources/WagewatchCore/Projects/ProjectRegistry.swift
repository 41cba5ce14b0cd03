import Foundation
import PostgresClient

/// A project as `project list|show --json` prints it.
public struct ProjectRecord: Sendable, Encodable, Equatable {
    public let id: String
    public let code: String
    public let name: String
    public let type: String
    public let funding: String
    public let regionCode: String
    public let leadDepartment: Department
    public let coDepartment: Department?
    public let ownerUSCC: String?
    public let ownerName: String
    public let contractorUSCC: String?
    public let contractorName: String
    public let contractValueFen: Int64
    public let contractSigned: LocalDate
    public let plannedStart: LocalDate
    public let plannedEnd: LocalDate
    public let status: ProjectStatus
    public let actualStart: LocalDate?
    public let actualEnd: LocalDate?
    public let allocationCycleDays: Int
    /// P3: the allocation per cycle in fen, or (exactly one is set) the share of each project
    /// payment in basis points.
    @ExplicitNull public private(set) var allocationAmountFen: Int64?
    @ExplicitNull public private(set) var allocationShareBasisPoints: Int?
    public let depositRequiredFen: Int64
    public let wageAccount: String?
    public let forcedStartReason: String?
    public let directPayMode: Bool

    enum CodingKeys: String, CodingKey {
        case id, code, name, type, funding, regionCode = "region_code", leadDepartment = "lead_department"
        case coDepartment = "co_department", ownerUSCC = "owner_uscc", ownerName = "owner_name"
        case contractorUSCC = "contractor_uscc", contractorName = "contractor_name", contractValueFen = "contract_value_fen"
        case contractSigned = "contract_signed", plannedStart = "planned_start", plannedEnd = "planned_end", status
        case actualStart = "actual_start", actualEnd = "actual_end", allocationCycleDays = "allocation_cycle_days"
        case allocationAmountFen = "allocation_amount_fen", allocationShareBasisPoints = "allocation_share_bp"
        case depositRequiredFen = "deposit_required_fen"
        case wageAccount = "wage_account", forcedStartReason = "forced_start_reason", directPayMode = "direct_pay_mode"
    }

    static let select: SQL = """
        SELECT p.id, p.code, p.name, p.type, p.funding, p.region_code, t.lead_department, t.co_department,
               o.uscc AS owner_uscc, o.name AS owner_name, c.uscc AS contractor_uscc, c.name AS contractor_name,
               p.contract_value_fen, p.contract_signed, p.planned_start, p.planned_end, p.status, p.actual_start,
               p.actual_end, p.allocation_cycle_days, p.allocation_amount_fen, p.allocation_share_bp,
               CASE WHEN p.deposit_exempt THEN 0 ELSE p.contract_value_fen * p.deposit_rate_bp / 10000 END AS deposit_required_fen,
               w.name AS wage_account, p.forced_start_reason, p.direct_pay_mode
        FROM projects p
        JOIN project_types t ON t.type = p.type
        JOIN employers o ON o.region_code = p.region_code AND o.id = p.owner_id
        JOIN employers c ON c.region_code = p.region_code AND c.id = p.contractor_id
        LEFT JOIN ledger_accounts w ON w.region_code = p.region_code AND w.kind = 'wage' AND w.ref = p.code
        """

    init(row: Row) throws {
        id = String(try row.decode("id", as: Int64.self))
        code = try row.decode("code"); name = try row.decode("name"); type = try row.decode("type")
        funding = try row.decode("funding"); regionCode = try row.decode("region_code")
        leadDepartment = try row.decode("lead_department"); coDepartment = try row.decode("co_department")
        ownerUSCC = try row.decode("owner_uscc"); ownerName = try row.decode("owner_name")
        contractorUSCC = try row.decode("contractor_uscc"); contractorName = try row.decode("contractor_name")
        contractValueFen = try row.decode("contract_value_fen"); contractSigned = try row.decode("contract_signed")
        plannedStart = try row.decode("planned_start"); plannedEnd = try row.decode("planned_end")
        status = try row.decode("status"); actualStart = try row.decode("actual_start"); actualEnd = try row.decode("actual_end")
        allocationCycleDays = try row.decode("allocation_cycle_days"); allocationAmountFen = try row.decode("allocation_amount_fen")
        allocationShareBasisPoints = try row.decode("allocation_share_bp")
        depositRequiredFen = try row.decode("deposit_required_fen"); wageAccount = try row.decode("wage_account")
        forcedStartReason = try row.decode("forced_start_reason"); directPayMode = try row.decode("direct_pay_mode")
    }
}

/// Registers projects and moves them through planned → started → finished, enforcing P2 at
/// the door: a construction project cannot start without its wage account unless forced with a
/// recorded reason (which the rules then flag).
public struct ProjectRegistry: Sendable {
    public let configuration: Configuration
    /// The region a project code is looked up in (the Session's default region; nil: any, if unique).
    public let region: String?

    public init(configuration: Configuration = .defaults, region: String? = nil) {
        self.configuration = configuration
        self.region = region
    }

    public static let schema = CSVSchema(required: ProjectInput.columns, optional: ProjectInput.optionalColumns)
    /// The session's staging table projects are stored from, by `project add` and `import projects`.
    public static let staging = StagingTable(
        "project_staging",
        columns: ["line", "code", "name", "type", "funding", "region_code", "owner_uscc", "contractor_uscc",
                  "contract_value_fen", "contract_signed", "planned_start", "planned_end", "allocation_cycle_days",
                  "allocation_amount_fen", "allocation_share_bp"],
        definition: """
            line integer NOT NULL, code text NOT NULL, name text NOT NULL, type text NOT NULL, funding text NOT NULL,
            region_code text NOT NULL, owner_uscc text NOT NULL, contractor_uscc text NOT NULL,
            contract_value_fen bigint NOT NULL, contract_signed date NOT NULL, planned_start date NOT NULL,
            planned_end date NOT NULL, allocation_cycle_days integer NOT NULL, allocation_amount_fen bigint,
            allocation_share_bp integer
            """)

    /// A project's cells in the order of ``staging``'s columns.
    static func stagingRow(line: Int, _ p: ProjectInput) -> [String?] {
        [
            String(line), p.code, p.name, p.type, p.funding, p.regionCode, p.ownerUSCC, p.contractorUSCC,
            String(p.contractValueFen), p.contractSigned.description, p.plannedStart.description,
            p.plannedEnd.description, String(p.allocationCycleDays), p.allocationAmountFen.map { String($0) },
            p.allocationShareBasisPoints.map { String($0) },
        ]
    }

    /// Stores projects (one from `project add`) in one set-based statement, as `import projects`
    /// stores a file: staged, checked by ``checkStaged(on:)``, written by ``insertStaged(on:)``.
    @discardableResult
    public func store(_ projects: [(line: Int, input: ProjectInput)], on connection: Connection) throws -> Int {
        try connection.transaction { tx in
            try Self.staging.prepare(on: tx)
            try tx.copyIn(Self.staging.copy) { writer in
                for (line, input) in projects { try writer.writeRow(Self.stagingRow(line: line, input)) }
            }
            try checkStaged(on: tx)
            let stored = try insertStaged(on: tx)
            try tx.executeScript(unsafeSQL: "DELETE FROM \(Self.staging.name)")
            return stored
        }
    }

    /// Throws every staged project whose owner or contractor is not a registered employer of its
    /// region or whose code is already registered there or repeated; a single staged project that
    /// is already registered is a conflict.
    func checkStaged(on tx: Connection) throws {
        var problems = ImportProblems()
        var staged = 0
        for row in try tx.query("""
            SELECT s.line, s.region_code,
                   CASE WHEN o.id IS NULL THEN s.owner_uscc END AS missing_owner,
                   CASE WHEN c.id IS NULL THEN s.contractor_uscc END AS missing_contractor,
                   EXISTS (SELECT 1 FROM projects p WHERE p.region_code = s.region_code AND p.code = s.code) AS exists_,
                   count(*) OVER (PARTITION BY s.region_code, s.code) AS copies,
                   (SELECT count(*) FROM project_staging) AS staged
            FROM project_staging s
            LEFT JOIN employers o ON o.region_code = s.region_code AND o.uscc = s.owner_uscc
            LEFT JOIN employers c ON c.region_code = s.region_code AND c.uscc = s.contractor_uscc
            WHERE o.id IS NULL OR c.id IS NULL
               OR EXISTS (SELECT 1 FROM projects p WHERE p.region_code = s.region_code AND p.code = s.code)
               OR (SELECT count(*) FROM project_staging d WHERE d.region_code = s.region_code AND d.code = s.code) > 1
            ORDER BY s.line
            """) {
            let line: Int = try row.decode("line")
            let region: String = try row.decode("region_code")
            staged = try row.decode("staged")
            if let uscc = try row.decode("missing_owner", as: String?.self) {
                problems.add(line: line, column: "owner_uscc", problem: "no employer \"\(uscc)\" in region \(region): import employers first")
            }
            if let uscc = try row.decode("missing_contractor", as: String?.self) {
                problems.add(line: line, column: "contractor_uscc", problem: "no employer \"\(uscc)\" in region \(region): import employers first")
            }
            if try row.decode("exists_", as: Bool.self) {
                problems.add(line: line, column: "code", problem: "project already registered")
            } else if try row.decode("copies", as: Int.self) > 1 {
                problems.add(line: line, column: "code", problem: "appears more than once in the file")
            }
        }
        guard !problems.isEmpty else { return }
        if staged == 1 && problems.errors.allSatisfy({ $0.problem == "project already registered" }) {
            let code: String = try tx.query("SELECT code FROM project_staging").one().decode("code")
            throw WagewatchError.conflict("project \(code) is already registered")
        }
        throw problems
    }

    /// Inserts the staged projects (checked by ``checkStaged(on:)``); how many. P4 exempts a
    /// project under the threshold whose contractor had no arrears complaint in the prior year.
    func insertStaged(on tx: Connection) throws -> Int {
        let threshold = configuration.projects.depositExemptBelowFen
        return try tx.execute("""
            INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen,
                allocation_share_bp, deposit_rate_bp, deposit_exempt)
            SELECT s.region_code, s.code, s.name, s.type, s.funding, o.id, c.id, s.contract_value_fen,
                   s.contract_signed, s.planned_start, s.planned_end, s.allocation_cycle_days, s.allocation_amount_fen,
                   s.allocation_share_bp, \(Int32(configuration.projects.depositRateBasisPoints)),
                   s.contract_value_fen < \(threshold) AND NOT EXISTS (
                       SELECT 1 FROM complaints k
                       WHERE k.region_code = s.region_code AND k.employer_id = c.id
                         AND k.outcome IN ('accepted', 'merged')
                         AND k.received_on BETWEEN s.contract_signed - 365 AND s.contract_signed)
            FROM project_staging s
            JOIN employers o ON o.region_code = s.region_code AND o.uscc = s.owner_uscc
            JOIN employers c ON c.region_code = s.region_code AND c.uscc = s.contractor_uscc
            ORDER BY s.line
            """)
    }

    public func find(_ code: String, on connection: Connection) throws -> ProjectRecord {
        try find(try ProjectResolver(region: region).resolve(code, on: connection), on: connection)
    }

    public func find(_ key: ProjectKey, on connection: Connection) throws -> ProjectRecord {
        guard let row = try connection.query(
            ProjectRecord.select + " WHERE p.region_code = \(key.regionCode) AND p.id = \(key.id)").first
        else {
            throw WagewatchError.notFound("no project \(key.code)")
        }
        return try ProjectRecord(row: row)
    }

    /// Projects by region and code; `limit` and `offset` page the list (the web desk's 50).
    public func list(department: String?, status: String?, limit: Int? = nil, offset: Int = 0,
                     on connection: Connection) throws -> [ProjectRecord] {
        var sql = ProjectRecord.select + " WHERE true"
        if let department { sql.append(" AND (t.lead_department = \(department) OR t.co_department = \(department))") }
        if let status { sql.append(" AND p.status = \(status)") }
        sql.append(" ORDER BY p.region_code, p.code")
        if let limit { sql.append(" LIMIT \(limit) OFFSET \(offset)") }
        return try connection.query(sql).map(ProjectRecord.init(row:))
    }

    /// P2: a construction project starts only with its wage account open, unless forced with a
    /// reason, which is recorded (R1 flags it).
    public func start(_ code: String, on date: LocalDate, force: Bool, reason: String?, on connection: Connection) throws
        -> ProjectRecord
    {
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, forUpdate: true, on: tx)
            guard let row = try tx.query("""
                SELECT p.region_code, p.id, p.status, t.construction,
                       EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.region_code = p.region_code AND a.kind = 'wage'
                               AND a.ref = p.code AND a.opened_on <= \(date)) AS has_wage_account
                FROM projects p JOIN project_types t ON t.type = p.type
                WHERE p.region_code = \(key.regionCode) AND p.id = \(key.id)
                """).first else {
                throw WagewatchError.notFound("no project \(code)")
            }
            guard try row.decode("status", as: ProjectStatus.self) == .planned else {
                throw WagewatchError.conflict("project \(code) has already started")
            }
            var forcedReason: String?
            if try row.decode("construction", as: Bool.self), try !row.decode("has_wage_account", as: Bool.self) {
                let reason = reason?.trimmingCharacters(in: .whitespaces) ?? ""
                guard force, !reason.isEmpty else {
                    throw WagewatchError.conflict(
                        "project \(code) has no wage account (农民工工资专用账户) opened by \(date): open one with `wagewatch account open wage:\(code) …`, or start with --force --reason TEXT (it will be flagged)")
                }
                forcedReason = reason
            }
            try tx.query("""
                UPDATE projects SET status = 'started', actual_start = \(date), forced_start_reason = \(forcedReason)
                WHERE region_code = \(key.regionCode) AND id = \(key.id)
                """)
            return try find(key, on: tx)
        }
    }

    public func finish(_ code: String, on date: LocalDate, on connection: Connection) throws -> ProjectRecord {
        try connection.transaction { tx in
            let key = try ProjectResolver(region: region).resolve(code, forUpdate: true, on: tx)
            let record = try find(key, on: tx)
            guard record.status == .started else {
                throw WagewatchError.conflict("project \(code) is \(record.status); only a started project can finish")
            }
            guard let start = record.actualStart, date >= start else {
                throw WagewatchError.invalid("date: \"\(date)\" is before the project started")
            }
            try tx.query("""
                UPDATE projects SET status = 'finished', actual_end = \(date)
                WHERE region_code = \(key.regionCode) AND id = \(key.id)
                """)
            return try find(key, on: tx)
        }
    }
}
