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
