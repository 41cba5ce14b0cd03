import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

// SPEC §10 R13: a wage account's bank statement, imported, matched and compared by rule R13.

private let inspector = ["WAGEWATCH_NOW": "2026-03-20T02:00:00Z", "WAGEWATCH_USER": "zhang_jiancha"]
private let service = ["WAGEWATCH_NOW": "2026-03-20T02:00:00Z"]

private let header = "booked_on,amount,direction,counterparty_name,counterparty_account,reference,balance_after\n"
/// The statement that matches the ledger below line for line.
private let exact = header + """
    2026-02-26,480000,credit,G107改建工程项目资金,,alloc,480000
    2026-03-10,8000,debit,张三,6228480012345678,pay-0310,472000

    """

/// G107 with its wage account: 48万 allocated on 2026-02-26, 8,000 paid out on 2026-03-10.
private func ledger(_ db: Connection) throws {
    try CountyFixture.directPayProject(treasuryFen: 100_000_000, allocatedFen: 48_000_000, on: db)
    _ = try Ledger(defaultRegion: CountyFixture.region).transfer(
        key: "pay-0310", from: .wage(project: "ZZ-G107"), to: .external(name: "张三"), amountFen: 800_000,
        occurredAt: PostgresTimestamp.parse("2026-03-10T10:00:00+08:00")!, memo: nil, on: db)
}

private func importBank(_ csv: String, _ conninfo: String, account: String = "wage:ZZ-G107") throws -> CLIResult {
    try CLI.run(["import", "bank", try csvFile(csv), "--account", account, "--json"], database: conninfo, environment: inspector)
}

/// The R13 flags after a run as of `day`, as `flags list --json` prints them.
private func flags(asOf day: String, _ conninfo: String) throws -> [[String: Any]] {
    let run = try CLI.run(["rules", "run", "--rule", "R13", "--as-of", day], database: conninfo, environment: service)
    #expect(run.status == 0, "\(run.stderr)")
    let list = try CLI.run(["flags", "list", "--rule", "bank_mismatch", "--json"], database: conninfo, environment: service)
    #expect(list.status == 0, "\(list.stderr)")
    return try jsonArray(list.stdout).filter { $0["status"] as? String == "open" }
}

private func count(_ db: Connection, _ sql: SQL) throws -> Int {
    Int(try db.query(sql).one().decode("n", as: Int64.self))
}

@Suite("SPEC §10 R13: import bank and bank_mismatch, through the binary")
struct BankStatementCommandTests {
    @Test("a statement that matches exactly: every line matched, no flag, account show says it agrees; a re-import changes nothing")
    func exactAndReimport() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try ledger(db)
            let first = try importBank(exact, conninfo)
            #expect(first.status == 0, "\(first.stderr)")
            let counts = try #require(try jsonObject(first.stdout)["counts"] as? [String: Int])
            #expect(counts == ["inserted": 2, "duplicates": 0, "matched": 2, "unmatched": 0])
            let matched = try db.query("""
                SELECT b.reference, t.idempotency_key FROM bank_statement_lines b
                JOIN transfers t ON t.region_code = b.region_code AND t.id = b.transfer_id ORDER BY b.booked_on
                """).map { "\(try $0.decode("reference", as: String.self))=\(try $0.decode("idempotency_key", as: String.self))" }
            #expect(matched == ["alloc=alloc", "pay-0310=pay-0310"])
            #expect(try flags(asOf: "2026-03-20", conninfo).isEmpty)

            let audited = try count(db, "SELECT count(*) AS n FROM audit_log")
            let again = try importBank(exact, conninfo)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try jsonObject(again.stdout)["counts"] as? [String: Int] == ["inserted": 0, "duplicates": 2, "matched": 0, "unmatched": 0])
            #expect(try count(db, "SELECT count(*) AS n FROM bank_statement_lines") == 2)
            #expect(try count(db, "SELECT count(*) AS n FROM audit_log") == audited)
            #expect(try flags(asOf: "2026-03-20", conninfo).isEmpty)

            let show = try CLI.run(["account", "show", "wage:ZZ-G107"], database: conninfo, environment: inspector)
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("last reconciled statement: to 2026-03-10, 2 line(s); bank ¥472,000.00, ledger ¥472,000.00 that day; agrees"),
                    "\(show.stdout)")
            let json = try jsonObject(try CLI.run(["account", "show", "wage:ZZ-G107", "--json"], database: conninfo, environment: inspector).stdout)
            let statement = try #require(json["statement"] as? [String: Any])
            #expect(statement["last_day"] as? String == "2026-03-10")
            #expect(statement["bank_balance_fen"] as? Int == 47_200_000)
            #expect(statement["agrees"] as? Bool == true)
        }
    }

    @Test("a line with no ledger transfer: orange only once 2 working days have passed, red for the closing balance at once")
    func missingTransfer() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try ledger(db)
            // Booked on Thursday 2026-03-12; 2 working days later is Monday 03-16.
            let result = try importBank(exact + "2026-03-12,5000,debit,李四,6228480087654321,,467000\n", conninfo)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try jsonObject(result.stdout)["counts"] as? [String: Int] == ["inserted": 3, "duplicates": 0, "matched": 2, "unmatched": 1])
            let early = try flags(asOf: "2026-03-16", conninfo)
            #expect(early.map { $0["severity"] as? String } == ["red"])
            let later = try flags(asOf: "2026-03-17", conninfo)
            #expect(Set(later.compactMap { $0["severity"] as? String }) == ["red", "orange"])
            let orange = try #require(later.first { $0["severity"] as? String == "orange" })
            #expect(orange["department"] as? String == "transport")
            #expect(orange["project_code"] as? String == "ZZ-G107")
            let evidence = try #require(orange["evidence"] as? [String: Any])
            let lines = try #require(evidence["unmatched_lines"] as? [[String: Any]])
            #expect(lines.count == 1)
            #expect(lines.first?["booked_on"] as? String == "2026-03-12")
            #expect(lines.first?["amount_fen"] as? Int == 500_000)
            #expect((evidence["unmatched_transfers"] as? [Any])?.isEmpty == true)
            #expect(evidence["bank_balance_fen"] as? Int == 46_700_000)
            #expect(evidence["ledger_balance_fen"] as? Int == 47_200_000)
        }
    }

    @Test("every line matched but the closing balance differs: red, no orange")
    func closingBalanceDiffers() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try ledger(db)
            let statement = exact.replacingOccurrences(of: ",pay-0310,472000", with: ",pay-0310,471000")
            let result = try importBank(statement, conninfo)
            #expect(result.status == 0, "\(result.stderr)")
            let found = try flags(asOf: "2026-03-20", conninfo)
            #expect(found.map { $0["severity"] as? String } == ["red"])
            let evidence = try #require(found.first?["evidence"] as? [String: Any])
            #expect(evidence["statement_last_day"] as? String == "2026-03-10")
            #expect(evidence["bank_balance_fen"] as? Int == 47_100_000)
            #expect(evidence["ledger_balance_fen"] as? Int == 47_200_000)
            #expect(evidence["difference_fen"] as? Int == -100_000)
            #expect(found.first?["period"] as? String == "balance:2026-03-10")
        }
    }

    @Test("bad lines are each named, line N: column: problem, exit 3, and nothing is written; an unopened account is exit 4")
    func badLines() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try ledger(db)
            let bad = header + """
                2026-02-26,12.345,credit,某单位,,alloc,480000
                2026-03-10,8000,out,张三,,pay-0310,472000
                2026-13-01,8000,debit,张三,,,472000
                2026-03-11,8000,debit,张三,,,

                """
            let result = try importBank(exact + bad.dropFirst(header.count), conninfo)
            #expect(result.status == 3)
            for expected in ["line 4: amount:", "line 5: direction:", "line 6: booked_on:", "line 7: balance_after:"] {
                #expect(result.stderr.contains(expected), "\(expected) in \(result.stderr)")
            }
            #expect(!result.stderr.contains("line 2:") && !result.stderr.contains("line 3:"))
            #expect(try count(db, "SELECT count(*) AS n FROM bank_statement_lines") == 0)
            let unopened = try importBank(exact, conninfo, account: "wage:ZZ-NONE")
            #expect(unopened.status == 4, "\(unopened.stderr)")
            let notWage = try importBank(exact, conninfo, account: "deposit:ZZ-G107")
            #expect(notWage.status == 3, "\(notWage.stderr)")
            let noAccount = try CLI.run(["import", "bank", try csvFile(exact)], database: conninfo, environment: inspector)
            #expect(noAccount.status == 2)
            #expect(try count(db, "SELECT count(*) AS n FROM bank_statement_lines") == 0)
        }
    }
}
