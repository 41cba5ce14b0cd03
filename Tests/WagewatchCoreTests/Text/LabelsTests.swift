import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("Labels: every code's words in one table")
struct LabelsTests {
    @Test("every kind has words in both languages, and none is blank")
    func complete() {
        for kind in Labels.Kind.allCases {
            let labels = try? #require(Labels.table[kind])
            #expect(labels?.isEmpty == false, "\(kind)")
            for (code, label) in labels ?? [:] {
                #expect(!label.zh.isEmpty && !label.en.isEmpty, "\(kind) \(code)")
            }
        }
    }

    @Test("the codes the CHECK constraints allow all have words")
    func checkedCodes() {
        let codes: [(Labels.Kind, [String])] = [
            (.severity, ["red", "orange", "yellow"]),
            (.escalationLevel, ["township", "bureau", "county"]),
            (.escalationReason, ["mass_incident_workers", "employer_absconded", "protest_keywords", "criminal_threshold",
                                 "decision_overdue", "investigation_overdue", "flag_unreviewed"]),
            (.sanctionMeasure, ["restrict_bidding", "blacklist", "restrict_credit", "restrict_travel", "public_exposure", "other"]),
            (.recoverySource, ["employer", "general_contractor", "project_owner", "guarantee_deposit", "emergency_fund", "direct_pay"]),
            (.confirmAction, ["rectify", "stop_work", "direct_pay", "sanction"]),
            (.department, WeeklyReport.departmentOrder),
        ]
        for (kind, list) in codes {
            for code in list { #expect(Labels.label(kind, code) != nil, "\(kind) \(code)") }
        }
        #expect(Labels.table[.rule]?.count == 13)
    }

    @Test("an absconded employer is 用人单位欠薪逃匿 in the report and the mail alike; an unknown code prints as itself")
    func oneTerm() {
        #expect(Labels.text(.escalationReason, "employer_absconded") == "用人单位欠薪逃匿")
        #expect(Labels.text(.escalationReason, "employer_absconded", .en) == "Employer absconded")
        #expect(Labels.text(.severity, "purple", .en) == "purple")
    }

    @Test("department words are the departments reference table's")
    func departmentsMatchTheDatabase() async throws {
        try await TestDatabase.withFresh { db, _ in
            let rows = try db.query("SELECT code, name_zh, name_en FROM departments ORDER BY code")
            #expect(rows.count == Labels.table[.department]?.count)
            for row in rows {
                let code: String = try row.decode("code")
                let label = try #require(Labels.label(.department, code))
                #expect(label.zh == (try row.decode("name_zh", as: String.self)), "\(code)")
                #expect(label.en == (try row.decode("name_en", as: String.self)), "\(code)")
            }
        }
    }
}
