import Foundation
import PostgresClient
import Testing
import WagewatchCore
import TestSupport

/// The door of `import bank` (sql/functions/bank.sql) runs as the schema's owner, so it checks
/// who calls it itself (issue 21): an inspector of another region, or a member acting as their
/// group role, cannot load a statement into an account of a region that is not theirs.
@Suite("A bank statement is imported only by an inspector or administrator of the account's region")
struct BankDoorTests {
    @Test("another region's inspector and a group role are refused, and nothing is written")
    func otherRegionRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            try CountyFixture.directPayProject(treasuryFen: 100_000_000, allocatedFen: 5_000_000, on: db)
            _ = try UserDirectory().add(name: "bankdoor_410181", role: "inspector", department: "labor", regionCode: "410181", on: db)
            let account = try db.query("SELECT region_code, id FROM ledger_accounts WHERE kind = 'wage'").one()
            let region: String = try account.decode("region_code")
            let id: Int64 = try account.decode("id")
            #expect(region != "410181")
            let line = #"[{"booked_on": "2026-03-02", "amount_fen": 100, "direction": "credit", "balance_after_fen": 100}]"#
            let call = "SELECT * FROM ww_import_bank_lines('\(region)', \(id), '\(line)'::jsonb, now())"
            let other = try GuardTests.login("bankdoor_410181", db)
            defer { other.close() }
            #expect(performing: { try other.query(SQL(unsafeSQL: call)) }, throws: { error in
                (error as? PostgresError)?.message == "account: no ledger account \(id) in region \(region)"
            })
            try other.query("SET ROLE wagewatch_inspector")
            #expect(performing: { try other.query(SQL(unsafeSQL: call)) }, throws: { error in
                (error as? PostgresError)?.code == .insufficientPrivilege
            })
            #expect(try db.query("SELECT count(*) AS n FROM bank_statement_lines").one().decode("n", as: Int.self) == 0)
            // The account's own inspector (every region) loads it.
            let own = try GuardTests.login("zhang_jiancha", db)
            defer { own.close() }
            try own.query(SQL(unsafeSQL: call))
            #expect(try db.query("SELECT count(*) AS n FROM bank_statement_lines").one().decode("n", as: Int.self) == 1)
        }
    }
}
