import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("wagewatch rules and flags, through the binary")
struct FlagsCommandTests {
    // Data entry and rule runs go as the service account (cron's); reviews name their user with --as.
    let env = ["WAGEWATCH_REGION": "410102", "WAGEWATCH_NOW": "2026-03-05T02:00:00Z"]

    /// The keys SPEC §5 fixes for `flags list --json`.
    static let specKeys: Set<String> = [
        "id", "rule", "severity", "status", "subject_kind", "subject_id", "project_code", "contractor_uscc",
        "department", "period", "raised_at", "evidence",
    ]

    /// Two government projects signed on 2026-01-10 with no wage account and 48万 due every 30
    /// days from 2026-03-01: as of 2026-03-05 each has a red R1 and an orange R2 flag.
    func seed(_ conninfo: String) throws {
        let employers = try csvFile(CountyFixture.employersCSV([
            CountyFixture.owner, CountyFixture.contractor.contact("张某", "13812345678"), CountyFixture.waterContractor,
        ]))
        let imported = try CLI.run(["import", "employers", employers], database: conninfo, environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        for (code, type, contractor) in [("ZZ-G107", "gov_transport", CountyFixture.contractorUSCC),
                                         ("SW-001", "gov_water", CountyFixture.laborFirmUSCC)] {
            let add = try CLI.run(CountyFixture.projectAdd(code: code, name: code + "工程", type: type, contractor: contractor),
                                  database: conninfo, environment: env)
            #expect(add.status == 0, "\(add.stderr)")
        }
    }

    /// A sector department's user: a database login in wagewatch_sector and a users row.
    func addUser(_ db: Connection, _ name: String, department: String) throws {
        _ = try UserDirectory().add(name: name, role: "sector", department: department, regionCode: nil, on: db)
    }

    func run(_ arguments: [String], _ conninfo: String) throws -> CLIResult {
        try CLI.run(arguments, database: conninfo, environment: env)
    }

    func list(_ filters: [String], _ conninfo: String) throws -> [[String: Any]] {
        let result = try run(["flags", "list", "--json"] + filters, conninfo)
        #expect(result.status == 0, "\(result.stderr)")
        return try jsonArray(result.stdout)
    }

    @Test("rules run --as-of --json reports the run and what each of R1–R12 found, raised and cleared")
    func runJSON() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            let result = try run(["rules", "run", "--as-of", "2026-03-05", "--json"], conninfo)
            #expect(result.status == 0, "\(result.stderr)")
            let report = try jsonObject(result.stdout)
            #expect(report["as_of"] as? String == "2026-03-05")
            #expect(report["ran"] as? Bool == true)
            #expect((report["run_id"] as? String)?.isEmpty == false)
            let outcomes = report["outcomes"] as? [[String: Any]] ?? []
            #expect(outcomes.map { $0["rule"] as? String } == (1...13).map { "R\($0)" })
            for outcome in outcomes {
                #expect(Set(outcome.keys).isSuperset(of: ["rule", "name", "findings", "raised", "cleared"]))
            }
            let r1 = try #require(outcomes.first { $0["rule"] as? String == "R1" })
            #expect(r1["name"] as? String == "no_wage_account")
            #expect(r1["findings"] as? Int == 2)
            #expect(r1["raised"] as? Int == 2)
            #expect(r1["cleared"] as? Int == 0)
            let r2 = try #require(outcomes.first { $0["rule"] as? String == "R2" })
            #expect(r2["raised"] as? Int == 2)

            // Again as of the same day: nothing new.
            let again = try jsonObject(try run(["rules", "run", "--as-of", "2026-03-05", "--json"], conninfo).stdout)
            let raisedAgain = (again["outcomes"] as? [[String: Any]] ?? []).compactMap { $0["raised"] as? Int }
            #expect(raisedAgain == Array(repeating: 0, count: 13))
        }
    }

    @Test("flags list --json prints SPEC §5's keys, and filters by department, severity and rule")
    func listJSON() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            let ran = try run(["rules", "run", "--as-of", "2026-03-05"], conninfo)
            #expect(ran.status == 0, "\(ran.stderr)")

            let all = try list([], conninfo)
            #expect(all.count == 4)
            for flag in all {
                #expect(Set(flag.keys).isSuperset(of: Self.specKeys), "\(flag.keys.sorted())")
            }
            // Red first.
            #expect(all.map { $0["severity"] as? String } == ["red", "red", "orange", "orange"])
            let r1 = try #require(all.first { $0["rule"] as? String == "no_wage_account" && $0["project_code"] as? String == "ZZ-G107" })
            #expect(r1["id"] is String)
            #expect(r1["subject_id"] is String)
            #expect(r1["subject_kind"] as? String == "project")
            #expect(r1["status"] as? String == "open")
            #expect(r1["contractor_uscc"] as? String == "91110000100010433L")
            #expect(r1["department"] as? String == "transport")
            #expect(r1["period"] as? String == "once")
            #expect((r1["raised_at"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) } != nil)
            let evidence = try #require(r1["evidence"] as? [String: Any])
            #expect(evidence["days_since_contract"] as? Int == 54)
            #expect(evidence["project_code"] as? String == "ZZ-G107")
            let r2 = try #require(all.first { $0["rule"] as? String == "allocation_overdue" && $0["project_code"] as? String == "SW-001" })
            #expect(r2["period"] as? String == "2026-03-01")
            #expect(r2["department"] as? String == "water")
            #expect(r2["contractor_uscc"] as? String == "91440300708461136T")

            let transport = try list(["--dept", "transport"], conninfo)
            #expect(Set(transport.compactMap { $0["project_code"] as? String }) == ["ZZ-G107"])
            #expect(transport.count == 2)
            let water = try list(["--dept", "water"], conninfo)
            #expect(Set(water.compactMap { $0["project_code"] as? String }) == ["SW-001"])
            let labor = try list(["--dept", "labor"], conninfo)
            #expect(labor.isEmpty)
            let orange = try list(["--severity", "orange"], conninfo)
            #expect(orange.map { $0["rule"] as? String } == ["allocation_overdue", "allocation_overdue"])
            let byID = try list(["--rule", "R1"], conninfo)
            let byName = try list(["--rule", "no_wage_account"], conninfo)
            #expect(byID.count == 2)
            #expect(byID.map { $0["id"] as? String } == byName.map { $0["id"] as? String })
            let waterRed = try list(["--dept", "water", "--severity", "red", "--rule", "R1"], conninfo)
            #expect(waterRed.map { $0["project_code"] as? String } == ["SW-001"])
            let none = try list(["--rule", "R6"], conninfo)
            #expect(none.isEmpty)
        }
    }

    @Test("flags review: another department's user exits 6, the lead department's exits 0; dismiss needs a reason")
    func review() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try seed(conninfo)
            try addUser(db, "li_jiaotong", department: "transport")
            try addUser(db, "wang_shuiwu", department: "water")
            _ = try run(["rules", "run", "--as-of", "2026-03-05"], conninfo)
            let flags = try list(["--dept", "transport", "--rule", "R1"], conninfo)
            let id = try #require(flags.first?["id"] as? String)

            let denied = try run(["flags", "review", id, "--ack", "--as", "wang_shuiwu"], conninfo)
            #expect(denied.status == 6, "\(denied.stderr)")
            #expect(denied.stderr.contains("transport"))
            let unknown = try run(["flags", "review", id, "--ack", "--as", "nobody"], conninfo)
            #expect(unknown.status == 6)

            let acked = try run(["flags", "review", id, "--ack", "--as", "li_jiaotong", "--json"], conninfo)
            #expect(acked.status == 0, "\(acked.stderr)")
            let ackedRecord = try jsonObject(acked.stdout)
            #expect(ackedRecord["status"] as? String == "acknowledged")
            let confirmed = try run(["flags", "review", id, "--confirm", "direct_pay", "--as", "li_jiaotong", "--json"], conninfo)
            #expect(confirmed.status == 0, "\(confirmed.stderr)")
            let record = try jsonObject(confirmed.stdout)
            #expect(record["status"] as? String == "confirmed")
            #expect(record["review_action"] as? String == "direct_pay")
            let again = try run(["flags", "review", id, "--ack", "--as", "li_jiaotong"], conninfo)
            #expect(again.status == 5)

            let other = try #require(try list(["--dept", "transport", "--rule", "R2"], conninfo).first?["id"] as? String)
            let noReason = try run(["flags", "review", other, "--dismiss", "--as", "li_jiaotong"], conninfo)
            #expect(noReason.status == 3, "\(noReason.stderr)")
            let dismissed = try run(["flags", "review", other, "--dismiss", "--reason", "已于3月6日拨付", "--as", "li_jiaotong"], conninfo)
            #expect(dismissed.status == 0, "\(dismissed.stderr)")
            let neither = try run(["flags", "review", other, "--as", "li_jiaotong"], conninfo)
            #expect(neither.status == 2)

            let confirmedList = try list(["--status", "confirmed"], conninfo)
            #expect(confirmedList.map { $0["id"] as? String } == [id])
            let audited: Int64 = try db.query("""
                SELECT count(*) AS n FROM audit_log WHERE table_name = 'flags' AND action = 'update' AND actor = 'li_jiaotong'
                """).one().decode("n")
            #expect(audited == 3)
        }
    }

    @Test("rules run --rule R99 is invalid input (exit 3) naming the rule; --rule R1 runs only R1")
    func unknownRule() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            let bad = try run(["rules", "run", "--rule", "R99", "--as-of", "2026-03-05"], conninfo)
            #expect(bad.status == 3)
            #expect(bad.stderr.contains("R99"))
            let badDate = try run(["rules", "run", "--as-of", "2026-02-30"], conninfo)
            #expect(badDate.status == 3)
            let one = try run(["rules", "run", "--rule", "R1", "--as-of", "2026-03-05", "--json"], conninfo)
            #expect(one.status == 0, "\(one.stderr)")
            let outcomes = try jsonObject(one.stdout)["outcomes"] as? [[String: Any]] ?? []
            #expect(outcomes.map { $0["rule"] as? String } == ["R1"])
        }
    }
}
