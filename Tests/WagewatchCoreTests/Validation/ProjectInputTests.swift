import Testing
import TestSupport
@testable import WagewatchCore

/// SPEC P3 at input: an allocation amount or a share (exactly one), a cycle of at most a month.
@Suite("Project input: the allocation plan (P3)")
struct ProjectInputTests {
    /// A valid project's fields, with `changes` applied (nil removes a field).
    func parse(_ changes: [String: String?]) -> Result<ProjectInput, ValidationProblems> {
        var fields: [String: String] = [
            "code": "ZZ-G107", "name": "G107改建工程", "type": "gov_transport", "funding": "government",
            "region_code": "410102", "owner_uscc": CountyFixture.ownerUSCC, "contractor_uscc": CountyFixture.contractorUSCC,
            "contract_value": "1.2亿", "contract_signed": "2026-01-10", "planned_start": "2026-03-01",
            "planned_end": "2026-12-31", "allocation_cycle_days": "30", "allocation_amount": "48万",
        ]
        for (field, value) in changes { fields[field] = value }
        return ProjectInput.parse { fields[$0] }
    }

    func problems(_ changes: [String: String?]) -> [ValidationError] {
        guard case .failure(let invalid) = parse(changes) else { return [] }
        return invalid.errors
    }

    @Test("a share is read as basis points: 20 → 2000, 12.5 → 1250, 0.01 → 1, 100 and 12.50% too")
    func shares() throws {
        for (text, basisPoints) in [("20", 2_000), ("12.5", 1_250), ("12.50%", 1_250), ("0.01", 1), ("100", 10_000),
                                    ("１２．５", 1_250), (" 7 ", 700)] {
            let input = try parse(["allocation_amount": nil, "allocation_share": text]).get()
            #expect(input.allocationShareBasisPoints == basisPoints, "\(text)")
            #expect(input.allocationAmountFen == nil, "\(text)")
        }
        let amount = try parse([:]).get()
        #expect(amount.allocationAmountFen == 48_000_000 && amount.allocationShareBasisPoints == nil)
        #expect(Share.percent(1_250) == "12.5%" && Share.percent(2_000) == "20%" && Share.percent(1) == "0.01%"
                && Share.percent(1_205) == "12.05%")
    }

    @Test("a share that is no percentage, 0, above 100 or with 3 decimals is refused naming the field and the value")
    func badShares() {
        for text in ["0", "0.00", "100.01", "12.555", "abc", "-5", "12.", ".5", "1e2", "1000"] {
            let found = problems(["allocation_amount": nil, "allocation_share": text])
            #expect(found.count == 1, "\(text): \(found)")
            #expect(found.first?.field == "allocation_share", "\(text)")
            #expect(found.first?.value == text, "\(text)")
        }
    }

    @Test("both an amount and a share, or neither, is refused")
    func exactlyOne() {
        let both = problems(["allocation_share": "20"])
        #expect(both == [ValidationError(field: "allocation_share", value: "20",
                                         problem: "is given with allocation_amount 48万: give one of the two")])
        let neither = problems(["allocation_amount": nil])
        #expect(neither.map(\.field) == ["allocation_amount"])
        let empty = problems(["allocation_amount": "", "allocation_share": ""])
        #expect(empty.map(\.field) == ["allocation_amount"])
    }

    @Test("the allocation cycle is at most a month: 31 days pass, 32 and 0 are refused naming the field and the value")
    func cycleAtMostAMonth() throws {
        #expect(try parse(["allocation_cycle_days": "31"]).get().allocationCycleDays == 31)
        #expect(try parse(["allocation_cycle_days": "1"]).get().allocationCycleDays == 1)
        for text in ["32", "0", "60", "一个月"] {
            #expect(problems(["allocation_cycle_days": text])
                    == [ValidationError(field: "allocation_cycle_days", value: text, problem: "must be 1 to 31 days (at most a month)")])
        }
    }
}
