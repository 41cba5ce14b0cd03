import Foundation
import PostgresClient
import WagewatchCore

/// The county the tests work in (region 410102): its named employers and projects, and builders
/// that register them, open their wage accounts and put money in, in plain SQL or through the
/// ledger; and, for the CLI tests, the same employers as an import file and the same projects as
/// `project add` arguments. A test that needs data of its own describes it with these builders.
public enum CountyFixture {
    public static let region = "410102"

    /// The owner's USCC in most tests (郑州市交通运输局建设处).
    public static let ownerUSCC = "91350100M000100Y43"
    /// The general contractor's USCC in most tests (河南路桥建设集团有限公司).
    public static let contractorUSCC = "91110000100010433L"
    /// A second firm: the labour subcontractor, or the water project's contractor.
    public static let laborFirmUSCC = "91440300708461136T"
    /// A small enterprise; valid, and registered nowhere unless a test registers it.
    public static let enterpriseUSCC = "91110108551385082Q"

    // MARK: - Employers

    /// An employer as the `employers` table and the employer import file hold it.
    public struct Employer: Sendable {
        public var uscc: String
        public var name: String
        public var nameKey: String
        public var kind: String?
        public var legalRep: String?
        public var phone: String?

        /// `nameKey` defaults to the name itself.
        public init(uscc: String, name: String, nameKey: String? = nil, kind: String?, legalRep: String? = nil,
                    phone: String? = nil) {
            self.uscc = uscc
            self.name = name
            self.nameKey = nameKey ?? name
            self.kind = kind
            self.legalRep = legalRep
            self.phone = phone
        }

        /// The same employer under another name (its name key follows unless given).
        public func named(_ name: String, key: String? = nil) -> Employer {
            var copy = self
            copy.name = name
            copy.nameKey = key ?? name
            return copy
        }

        /// The same employer with a legal representative and a phone (as the import file gives them).
        public func contact(_ legalRep: String?, _ phone: String?) -> Employer {
            var copy = self
            copy.legalRep = legalRep
            copy.phone = phone
            return copy
        }
    }

    public static let owner = Employer(uscc: ownerUSCC, name: "郑州市交通运输局建设处", kind: "owner")
    public static let contractor = Employer(uscc: contractorUSCC, name: "河南路桥建设集团有限公司", kind: "general_contractor")
    public static let laborFirm = Employer(uscc: laborFirmUSCC, name: "深圳宏达建筑劳务有限公司", kind: "subcontractor")
    public static let waterContractor = Employer(uscc: laborFirmUSCC, name: "深圳宏达水利工程有限公司", kind: "general_contractor")
    public static let enterprise = Employer(uscc: enterpriseUSCC, name: "郑州锦绣服装来料加工点", kind: "enterprise")

    /// Inserts `employers` into `region`, in order (so their ids follow the list).
    public static func register(_ employers: [Employer], region: String = region, on db: Connection) throws {
        for e in employers {
            try db.query("""
                INSERT INTO employers (region_code, uscc, name, name_key, kind, legal_rep, phone)
                VALUES (\(region), \(e.uscc), \(e.name), \(e.nameKey), \(e.kind), \(e.legalRep), \(e.phone))
                """)
        }
    }

    /// The employer import file (`uscc,name,kind,region_code,legal_rep,phone`) for `employers`.
    public static func employersCSV(_ employers: [Employer], region: String = region) -> String {
        "uscc,name,kind,region_code,legal_rep,phone\n" + employers.map {
            "\($0.uscc),\($0.name),\($0.kind ?? ""),\(region),\($0.legalRep ?? ""),\($0.phone ?? "")\n"
        }.joined()
    }

    // MARK: - Projects

    /// A project as the `projects` table holds it, owner and contractor named by USCC. Dates are
    /// `YYYY-MM-DD`; `started` sets the status to started with that actual start.
    public struct Project: Sendable {
        public var code: String
        public var name: String
        public var type: String
        public var funding: String
        public var owner: String
        public var contractor: String
        public var contractValueFen: Int64
        public var signed: String
        public var plannedStart: String
        public var plannedEnd: String
        public var cycleDays: Int32
        public var allocationFen: Int64
        public var started: String?

        public init(code: String, name: String, type: String = "gov_transport", funding: String = "government",
                    owner: String = ownerUSCC, contractor: String = contractorUSCC, contractValueFen: Int64,
                    signed: String, plannedStart: String, plannedEnd: String = "2026-12-31", cycleDays: Int32 = 30,
                    allocationFen: Int64, started: String? = nil) {
            self.code = code
            self.name = name
            self.type = type
            self.funding = funding
            self.owner = owner
            self.contractor = contractor
            self.contractValueFen = contractValueFen
            self.signed = signed
            self.plannedStart = plannedStart
            self.plannedEnd = plannedEnd
            self.cycleDays = cycleDays
            self.allocationFen = allocationFen
            self.started = started
        }

        /// The same project under another code and name.
        public func coded(_ code: String, name: String) -> Project {
            var copy = self
            copy.code = code
            copy.name = name
            return copy
        }

        /// The same project of another type and funding.
        public func typed(_ type: String, funding: String) -> Project {
            var copy = self
            copy.type = type
            copy.funding = funding
            return copy
        }
    }

    /// G107改建工程: a started government road, ¥1.2 million, 48万 allocated every 30 days.
    public static let g107 = Project(
        code: "ZZ-G107", name: "G107改建工程", contractValueFen: 120_000_000, signed: "2026-01-10",
        plannedStart: "2026-03-01", allocationFen: 48_000_000, started: "2026-03-01")

    /// Inserts `projects` into `region`, in order, finding owner and contractor by USCC there.
    public static func register(_ projects: [Project], region: String = region, on db: Connection) throws {
        for p in projects {
            var sql: SQL = """
                INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                                      contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen
                """
            sql.append(p.started == nil ? ")" : ", status, actual_start)")
            sql.append("""

                SELECT \(region), \(p.code), \(p.name), \(p.type), \(p.funding),
                       (SELECT id FROM employers WHERE region_code = \(region) AND uscc = \(p.owner)),
                       (SELECT id FROM employers WHERE region_code = \(region) AND uscc = \(p.contractor)),
                       \(p.contractValueFen), \(day(p.signed)), \(day(p.plannedStart)), \(day(p.plannedEnd)),
                       \(p.cycleDays), \(p.allocationFen)
                """)
            if let started = p.started { sql.append(", 'started', \(day(started))") }
            try db.query(sql)
        }
    }

    /// `wagewatch project add` for a government project of the CLI tests: the owner's, built by
    /// `contractor`, 1.2亿 signed on 2026-01-10, planned 2026-03-01 to 2026-12-31, 48万 every 30 days.
    public static func projectAdd(
        code: String, name: String, type: String = "gov_transport", funding: String = "government",
        contractor: String = contractorUSCC
    ) -> [String] {
        [
            "project", "add", "--code", code, "--name", name, "--type", type, "--funding", funding,
            "--owner", ownerUSCC, "--contractor", contractor, "--contract-value", "120000000",
            "--signed", "2026-01-10", "--planned-start", "2026-03-01", "--planned-end", "2026-12-31",
            "--allocation-amount", "48万",
        ]
    }

    // MARK: - Money

    /// Opens `code`'s wage account.
    public static func openWageAccount(
        _ code: String, bank: String = "农行", number: String = "16010101040012345", openedOn: String = "2026-02-20",
        region: String = region, on db: Connection
    ) throws {
        _ = try Ledger(defaultRegion: region).open(.wage(project: code), bank: bank, number: number,
                                                  openedOn: day(openedOn), on: db)
    }

    /// Money from the treasury (财政) into `code`'s fund (key `fund`), then `allocatedFen` of it
    /// into the wage account (key `alloc`), at fixed instants.
    public static func fundAndAllocate(
        _ code: String, treasuryFen: Int64, allocatedFen: Int64, region: String = region, on db: Connection
    ) throws {
        let ledger = Ledger(defaultRegion: region)
        _ = try ledger.transfer(key: "fund", from: .external(name: "财政"), to: .fund(project: code), amountFen: treasuryFen,
                                occurredAt: Date(timeIntervalSince1970: 1_772_000_000), memo: nil, on: db)
        _ = try ledger.transfer(key: "alloc", from: .fund(project: code), to: .wage(project: code), amountFen: allocatedFen,
                                occurredAt: Date(timeIntervalSince1970: 1_772_100_000), memo: nil, on: db)
    }

    /// The direct-pay county: the owner (交通局建设处) and the contractor, G107 with its wage
    /// account opened on 2026-02-20, `treasuryFen` in its fund and `allocatedFen` of it allocated.
    public static func directPayProject(treasuryFen: Int64, allocatedFen: Int64, on db: Connection) throws {
        try register([owner.named("交通局建设处"), contractor], on: db)
        try register([g107], on: db)
        try openWageAccount(g107.code, on: db)
        try fundAndAllocate(g107.code, treasuryFen: treasuryFen, allocatedFen: allocatedFen, on: db)
    }

    // MARK: - Values

    /// A valid resident ID number of `region`, born on `birth`, with sequence `sequence`.
    public static func residentID(birth: LocalDate, sequence: Int, region: String = region) -> String {
        ResidentID.make(region: try! RegionCode(parsing: region), birth: birth, sequence: sequence).value
    }

    /// `YYYY-MM-DD` as a date (a test's literal, so a bad one is a programming error).
    public static func day(_ iso: String) -> LocalDate {
        guard let date = LocalDate(iso: iso) else { preconditionFailure("not a date: \(iso)") }
        return date
    }
}

extension LocalDate {
    /// The day tests parse ID numbers against when the day itself does not matter (a birth date
    /// after it is refused).
    public static let testToday = LocalDate(year: 2026, month: 12, day: 31)!
}
