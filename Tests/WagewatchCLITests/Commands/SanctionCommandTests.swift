import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("wagewatch sanction and exposure, through the binary")
struct SanctionCommandTests {
    static let contractor = CountyFixture.contractorUSCC
    static let laborFirm = CountyFixture.laborFirmUSCC
    let env = ["WAGEWATCH_REGION": "410102", "WAGEWATCH_USER": "zhang_jiancha", "WAGEWATCH_NOW": "2026-03-10T02:00:00Z"]

    /// Registers the contractor and a labour firm, and opens a case of 12 workers owed ¥50,000.
    func seed(_ conninfo: String) throws {
        let employers = try csvFile(CountyFixture.employersCSV([
            CountyFixture.contractor.contact("张某", "13812345678"), CountyFixture.laborFirm.contact("王某", "13698765432"),
        ]))
        let imported = try CLI.run(["import", "employers", employers], database: conninfo, environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        let add = try CLI.run([
            "complaint", "add", "--region", "410102", "--employer-name", "河南路桥建设集团有限公司",
            "--employer-uscc", Self.contractor, "--workers", "12", "--amount", "5万", "--caller-name", "王五",
            "--caller-phone", "13912345678", "--received-at", "2026-02-13 10:00", "--text", "春节前工资未发",
        ], database: conninfo, environment: env)
        #expect(add.status == 0, "\(add.stderr)")
        let accept = try CLI.run(["complaint", "decide", "TS-20260213-0001", "--accept"], database: conninfo, environment: env)
        #expect(accept.status == 0, "\(accept.stderr)")
    }

    func run(_ arguments: [String], _ conninfo: String) throws -> CLIResult {
        try CLI.run(arguments, database: conninfo, environment: env)
    }

    func blacklist(_ conninfo: String, from: String) throws -> CLIResult {
        try run(["sanction", "add", Self.contractor, "--measure", "blacklist", "--basis", "《保障农民工工资支付条例》第四十八条",
                 "--department", "labor", "--from", from, "--json"], conninfo)
    }

    @Test("blacklisting through the binary: refused (exit 5) without an order, then recorded for 36 months")
    func blacklistStory() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            let noOrder = try blacklist(conninfo, from: "2026-03-06")
            #expect(noOrder.status == 5)
            #expect(noOrder.stderr.contains("责令限期支付"))

            let order = try run(["sanction", "order", Self.contractor, "--amount", "5万", "--deadline", "2026-03-05",
                                 "--issued", "2026-02-20", "--basis", "劳动保障监察限期整改指令书〔2026〕3号", "--json"], conninfo)
            #expect(order.status == 0, "\(order.stderr)")
            #expect(try jsonObject(order.stdout)["amount_fen"] as? Int == 5_000_000)

            let early = try blacklist(conninfo, from: "2026-03-05")
            #expect(early.status == 5)
            #expect(early.stderr.contains("has not passed"))

            let added = try blacklist(conninfo, from: "2026-03-06")
            #expect(added.status == 0, "\(added.stderr)")
            let record = try jsonObject(added.stdout)
            #expect(record["valid_until"] as? String == "2029-03-05")
            #expect(record["contractor_uscc"] as? String == Self.contractor)
            let id = try #require(record["id"] as? String)

            let list = try run(["sanction", "list", "--json"], conninfo)
            #expect(list.status == 0, "\(list.stderr)")
            #expect(try jsonArray(list.stdout).map { $0["id"] as? String } == [id])

            let unpaid = try run(["sanction", "lift", id, "--reason", "已支付"], conninfo)
            #expect(unpaid.status == 5)
            #expect(unpaid.stderr.contains("still owes"))
        }
    }

    @Test("bad input exits 3, an unknown sanction 4, a restriction without an order is recorded")
    func exitCodes() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            let badMeasure = try run(["sanction", "add", Self.laborFirm, "--measure", "jail", "--basis", "x",
                                      "--department", "labor", "--from", "2026-03-01"], conninfo)
            #expect(badMeasure.status == 3)
            #expect(badMeasure.stderr.contains("measure"))
            let badDepartment = try run(["sanction", "add", Self.laborFirm, "--measure", "restrict_bidding", "--basis", "x",
                                         "--department", "police", "--from", "2026-03-01"], conninfo)
            #expect(badDepartment.status == 3)
            #expect(badDepartment.stderr.contains("police"))
            let badUSCC = try run(["sanction", "add", "91440300708461136X", "--measure", "restrict_bidding", "--basis", "x",
                                   "--department", "labor", "--from", "2026-03-01"], conninfo)
            #expect(badUSCC.status == 3)
            let badDate = try run(["sanction", "add", Self.laborFirm, "--measure", "restrict_bidding", "--basis", "x",
                                   "--department", "labor", "--from", "2026-02-30"], conninfo)
            #expect(badDate.status == 3)
            let unknownSanction = try run(["sanction", "lift", "999", "--reason", "x"], conninfo)
            #expect(unknownSanction.status == 4)
            let unknownContractor = try run(["sanction", "order", "91350100M000100Y43", "--amount", "1000",
                                             "--deadline", "2026-04-01", "--basis", "x"], conninfo)
            #expect(unknownContractor.status == 4)
            let restricted = try run(["sanction", "add", Self.laborFirm, "--measure", "restrict_bidding", "--basis", "限制招投标",
                                      "--department", "construction", "--from", "2026-03-01"], conninfo)
            #expect(restricted.status == 0, "\(restricted.stderr)")
            let badFormat = try run(["exposure", "export", "--out", "/tmp/ww-x.pdf", "--format", "pdf"], conninfo)
            #expect(badFormat.status == 3)
        }
    }

    @Test("exposure export in csv, md and html names the contractor and carries no ID number, phone or bank account")
    func exposureFiles() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            try seed(conninfo)
            _ = try run(["sanction", "order", Self.contractor, "--amount", "5万", "--deadline", "2026-03-05",
                         "--issued", "2026-02-20", "--basis", "限期支付指令书"], conninfo)
            #expect(try blacklist(conninfo, from: "2026-03-06").status == 0)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ww-exposure-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            for format in ["csv", "md", "html"] {
                let out = directory.appendingPathComponent("exposure.\(format)").path
                let result = try run(["exposure", "export", "--out", out, "--format", format], conninfo)
                #expect(result.status == 0, "\(result.stderr)")
                let text = try String(contentsOfFile: out, encoding: .utf8)
                #expect(text.contains("河南路桥建设集团有限公司"), "\(format)")
                #expect(text.contains(Self.contractor), "\(format)")
                #expect(!text.contains("深圳宏达"), "\(format)")
                #expect(!text.contains("王五"), "\(format)")
                let scrubbed = text.replacingOccurrences(of: Self.contractor, with: "")
                for pattern in ["[0-9]{17}[0-9X]", "1[3-9][0-9]{9}", "[0-9]{12,}"] {
                    #expect(scrubbed.range(of: pattern, options: .regularExpression) == nil, "\(format): \(pattern)")
                }
                if format == "csv" {
                    #expect(text == "contractor_name,uscc,amount_yuan,workers,decision_date\n河南路桥建设集团有限公司,91110000100010433L,50000.00,12,2026-03-06\n")
                }
            }
        }
    }
}
