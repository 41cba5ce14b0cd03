import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// SPEC P4: the wage guarantee deposit is the configured 1 %–3 % of the contract value, computed
/// when the project is registered; a project under ¥3,000,000 whose contractor had no arrears
/// (an accepted or merged complaint) in the year before signing is exempt.
@Suite("P4: the wage guarantee deposit and its exemption")
struct DepositTests {
    /// Registers a project signed 2026-01-10 for `yuan` built by `contractor`; its deposit.
    func register(_ code: String, yuan: String, contractor: String = CountyFixture.contractorUSCC,
                  configuration: Configuration = .defaults, on db: Connection) throws -> Int64 {
        let fields: [String: String] = [
            "code": code, "name": code + "工程", "type": "gov_other", "funding": "government", "region_code": "410102",
            "owner_uscc": CountyFixture.ownerUSCC, "contractor_uscc": contractor, "contract_value": yuan,
            "contract_signed": "2026-01-10", "planned_start": "2026-03-01", "planned_end": "2026-12-31",
            "allocation_cycle_days": "30", "allocation_amount": "10万",
        ]
        let input = try ProjectInput.parse(configuration: configuration) { fields[$0] }.get()
        let registry = ProjectRegistry(configuration: configuration, region: "410102")
        try registry.store([(1, input)], on: db)
        return try registry.find(code, on: db).depositRequiredFen
    }

    /// An arrears complaint against `uscc` received on `day`, accepted the next day.
    func arrears(_ uscc: String, name: String, received day: String, on db: Connection) throws {
        let fields: [String: String] = [
            "received_at": "\(day) 09:00", "region_code": "410102", "channel": "12333", "employer_uscc": uscc,
            "employer_name": name, "workers_involved": "2", "amount_owed": "6000",
        ]
        let logged = try ComplaintIntake().add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
        let next = LocalDate(iso: day)!.adding(days: 1)
        _ = try ComplaintDesk().decide(.number(logged.number), .accept, today: next, on: db)
    }

    @Test("the deposit is the configured rate of the contract value: 1 %, 2 % (default) and 3 % of ¥120,000,000")
    func rates() async throws {
        try await TestDatabase.withFresh { db, _ in
            try CountyFixture.register([CountyFixture.owner, CountyFixture.contractor], on: db)
            for (bp, fen) in [(100, Int64(120_000_000)), (200, 240_000_000), (300, 360_000_000)] {
                let configuration = try Configuration.load(toml: "[projects]\ndeposit_rate_basis_points = \(bp)", source: "test")
                #expect(try register("ZZ-R\(bp)", yuan: "1.2亿", configuration: configuration, on: db) == fen, "\(bp) bp")
            }
            // Rounded down to the fen: 2 % of ¥3,000,000.01 is ¥60,000.0002.
            #expect(try register("ZZ-ODD", yuan: "3000000.01", on: db) == 6_000_000)
        }
    }

    @Test("exempt under ¥3,000,000 without arrears in the year before signing; not at ¥3,000,000, nor with arrears 200 days before")
    func exemption() async throws {
        try await TestDatabase.withFresh { db, _ in
            try CountyFixture.register([CountyFixture.owner, CountyFixture.contractor, CountyFixture.laborFirm,
                                        CountyFixture.enterprise], on: db)
            // The labour firm's arrears were accepted 200 days before signing (2025-06-24); the
            // enterprise's 366 days before (2025-01-09), outside the year (2025-01-10 … 2026-01-10).
            try arrears(CountyFixture.laborFirmUSCC, name: CountyFixture.laborFirm.name, received: "2025-06-24", on: db)
            try arrears(CountyFixture.enterpriseUSCC, name: CountyFixture.enterprise.name, received: "2025-01-09", on: db)
            #expect(try register("ZZ-E1", yuan: "2999999.99", on: db) == 0)
            #expect(try register("ZZ-E2", yuan: "300万", on: db) == 6_000_000)
            #expect(try register("ZZ-E3", yuan: "2999999.99", contractor: CountyFixture.laborFirmUSCC, on: db) == 5_999_999)
            #expect(try register("ZZ-E4", yuan: "2999999.99", contractor: CountyFixture.enterpriseUSCC, on: db) == 0)
            let exempt = try db.query("SELECT code FROM projects WHERE deposit_exempt ORDER BY code").map { try $0.decode("code", as: String.self) }
            #expect(exempt == ["ZZ-E1", "ZZ-E4"])
        }
    }
}
