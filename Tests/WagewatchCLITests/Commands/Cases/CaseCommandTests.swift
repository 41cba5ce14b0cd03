import Foundation
import Testing
import TestSupport

@Suite("wagewatch case and other id arguments, through the binary")
struct CaseCommandTests {
    let env = ["WAGEWATCH_REGION": "410102", "WAGEWATCH_USER": "zhang_jiancha", "WAGEWATCH_NOW": "2026-03-10T02:00:00Z"]

    @Test("a case id that is not a number is refused (exit 3) naming the field; a number that is no case is not found (exit 4)")
    func nonNumericCaseID() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let bad = try CLI.run(["case", "show", "abc"], database: conninfo, environment: env)
            #expect(bad.status == 3)
            #expect(bad.stderr.contains("case: \"abc\" is not a case id"), "\(bad.stderr)")
            #expect(bad.stdout.isEmpty)

            let missing = try CLI.run(["case", "show", "99"], database: conninfo, environment: env)
            #expect(missing.status == 4)
            #expect(missing.stderr.contains("no case 99"), "\(missing.stderr)")
        }
    }

    /// Two complaints against the G107 contractor on its project, the first accepted on Tuesday
    /// 2026-03-10 (WAGEWATCH_NOW), the second merged into its case (C4).
    func caseOfTwoComplaints(_ conninfo: String) throws -> (caseID: String, complaintIDs: [String]) {
        let employers = try csvFile(CountyFixture.employersCSV([CountyFixture.owner, CountyFixture.contractor]))
        for setup in [["import", "employers", employers], CountyFixture.projectAdd(code: "ZZ-G107", name: "G107改建工程")] {
            let done = try CLI.run(setup, database: conninfo, environment: env)
            try #require(done.status == 0, "\(setup): \(done.stderr)")
        }
        var ids: [String] = []
        for (workers, amount, received) in [("3", "1.2万", "2026-03-09 09:00"), ("5", "2万", "2026-03-10 08:00")] {
            let added = try CLI.run(["complaint", "add", "--employer-uscc", CountyFixture.contractorUSCC,
                                     "--employer-name", CountyFixture.contractor.name, "--project", "ZZ-G107",
                                     "--workers", workers, "--amount", amount, "--received-at", received, "--json"],
                                    database: conninfo, environment: env)
            try #require(added.status == 0, "\(added.stderr)")
            ids.append(try #require(try jsonObject(added.stdout)["id"] as? String))
        }
        let accepted = try CLI.run(["complaint", "decide", ids[0], "--accept", "--json"], database: conninfo, environment: env)
        try #require(accepted.status == 0, "\(accepted.stderr)")
        let caseID = try #require(try jsonObject(accepted.stdout)["case_id"] as? String)
        let merged = try CLI.run(["complaint", "decide", ids[1], "--merge", caseID], database: conninfo, environment: env)
        try #require(merged.status == 0, "\(merged.stderr)")
        return (caseID, ids)
    }

    @Test("case list --json carries every key SPEC §5 names, each with its value worked by hand")
    func caseListKeys() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let (caseID, complaintIDs) = try caseOfTwoComplaints(conninfo)
            let list = try CLI.run(["case", "list", "--json"], database: conninfo, environment: env)
            #expect(list.status == 0, "\(list.stderr)")
            let cases = try jsonArray(list.stdout)
            #expect(cases.count == 1)
            let record = try #require(cases.first)
            let spec = ["id", "status", "employer_uscc", "project_code", "complaint_ids", "workers_involved", "owed_fen",
                        "recovered_fen", "investigation_due"]
            for key in spec { #expect(record.keys.contains(key), "missing \(key)") }
            #expect(record["id"] as? String == caseID)
            #expect(record["status"] as? String == "open")
            #expect(record["employer_uscc"] as? String == CountyFixture.contractorUSCC)
            #expect(record["project_code"] as? String == "ZZ-G107")
            #expect(record["complaint_ids"] as? [String] == complaintIDs)
            #expect(record["workers_involved"] as? Int == 8)
            #expect(record["owed_fen"] as? Int == 3_200_000)
            #expect(record["recovered_fen"] as? Int == 0)
            // 60 working days from Wednesday 03-11: 15 in March, 18 in April (Apr 6 is Qingming),
            // 22 in May (May 1–5 off, Saturday May 9 调休 on), then June 1–5.
            #expect(record["investigation_due"] as? String == "2026-06-05")
        }
    }

    @Test("C5 through the binary: an extension with an empty approver or reason exits 3 and changes nothing; without the option, 2")
    func extensionNeedsApproverAndReason() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let (caseID, _) = try caseOfTwoComplaints(conninfo)
            for (approver, reason, field) in [("", "多级分包需核查", "approver"), ("wang_juzhang", " ", "reason")] {
                let refused = try CLI.run(["case", "extend", caseID, "--days", "30", "--approver", approver, "--reason", reason],
                                          database: conninfo, environment: env)
                #expect(refused.status == 3, "\(refused.stderr)")
                #expect(refused.stderr.contains(field), "\(refused.stderr)")
            }
            let missing = try CLI.run(["case", "extend", caseID, "--days", "30", "--reason", "多级分包需核查"],
                                      database: conninfo, environment: env)
            #expect(missing.status == 2, "\(missing.stderr)")
            let row = try db.query("SELECT investigation_due::text AS due, extended_days FROM cases").one()
            #expect(try row.decode("due", as: String.self) == "2026-06-05")
            #expect(try row.decode("extended_days", as: Int32.self) == 0)
            #expect(try db.query("SELECT count(*) AS n FROM case_extensions").one().decode("n", as: Int64.self) == 0)
        }
    }

    @Test("every command taking a record id refuses a non-number with exit 3 naming its field", arguments: [
        (["case", "close", "x1", "--disposition", "referred_court", "--reason", "已移送法院"], "case: \"x1\" is not a case id"),
        (["directpay", "approve", "x1"], "batch: \"x1\" is not a batch id"),
        (["sanction", "lift", "x1", "--reason", "已全额支付"], "sanction: \"x1\" is not a sanction id"),
        (["complaint", "decide", "TS-20260213-0001", "--merge", "x1"], "merge: \"x1\" is not a case id"),
    ])
    func nonNumericIDs(arguments: [String], message: String) async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let result = try CLI.run(arguments, database: conninfo, environment: env)
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}
