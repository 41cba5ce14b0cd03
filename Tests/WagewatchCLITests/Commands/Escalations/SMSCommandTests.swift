import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

#if canImport(Glibc)
import Glibc
#endif

// SPEC §10 N1: the complainant's SMS, raised in the database and sent by `escalations deliver`.

private let hotline = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_USER": "hotline_li"]
private let inspector = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_USER": "zhang_jiancha"]
/// The delivery job runs as the service account.
private let service = ["WAGEWATCH_NOW": "2026-02-16T02:05:00Z"]

private func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ww-sms-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

private func count(_ db: Connection, _ sql: SQL) throws -> Int {
    Int(try db.query(sql).one().decode("n", as: Int64.self))
}

/// A command gateway: stores the JSON it is given on stdin as `folder/sms/*.json`. With a barrier,
/// each of the first two messages waits until two are in flight at once (a message that never
/// meets another fails, exit 75), so two delivery jobs that never overlapped cannot pass.
private func commandGateway(in folder: URL, barrier: Bool = false) throws -> String {
    let out = folder.appendingPathComponent("sms")
    let gate = folder.appendingPathComponent("gate")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: gate, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("sms-gateway").path
    try """
        #!/bin/sh
        gate="\(gate.path)"
        if [ \(barrier ? 1 : 0) = 1 ] && [ ! -e "$gate/open" ]; then
            : > "$gate/waiting-$$"
            n=0
            while [ "$(ls "$gate" | grep -c '^waiting-')" -lt 2 ] && [ ! -e "$gate/open" ]; do
                n=$((n + 1))
                if [ "$n" -gt 60000 ]; then rm -f "$gate/waiting-$$"; echo "no second job in flight" >&2; exit 75; fi
                sleep 0.01
            done
            : > "$gate/open"
        fi
        f="\(out.path)/$(date +%s%N)-$$"
        cat > "$f.tmp" && mv "$f.tmp" "$f.json"
        """.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o755)
    return path
}

/// The messages the command gateway received, each as its JSON object.
private func received(in folder: URL) throws -> [[String: String]] {
    let out = folder.appendingPathComponent("sms")
    return try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".json") }.sorted()
        .map { try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent($0))) as? [String: String] ?? [:] }
}

private func writeConfiguration(_ toml: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent("wagewatch.toml").path
    try toml.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o644)
    return path
}

private func run(_ arguments: [String], _ conninfo: String, _ environment: [String: String], in folder: URL? = nil) throws -> CLIResult {
    let result = try CLI.run(arguments, database: conninfo, environment: environment, workingDirectory: folder)
    #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
    return result
}

@Suite("SPEC §10 N1: SMS to the complainant, through the binary", .serialized)
struct SMSCommandTests {
    @Test("recorded, decided (accepted, refused, referred) and closed: one SMS each, the texts exact, none without a mobile")
    func storyThroughCommand() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { db, conninfo in
                let gateway = try commandGateway(in: folder)
                _ = try writeConfiguration("[sms]\ncommand = \"\(gateway)\"\n", in: folder)
                func add(_ employer: String, phone: String?) throws {
                    _ = try run(["complaint", "add", "--region", "410102", "--employer-name", employer, "--workers", "2",
                                 "--amount", "12000.50", "--received-at", "2026-02-13 10:00"]
                                + (phone.map { ["--caller-phone", $0] } ?? []), conninfo, hotline)
                }
                try add("甲建筑劳务有限公司", phone: "13812345678")   // TS-20260213-0001: accepted, paid, closed
                try add("乙装饰工程有限公司", phone: "13900001111")   // 0002: refused
                try add("丙市政工程有限公司", phone: "13700002222")   // 0003: referred
                try add("丁建材有限公司", phone: nil)                  // 0004: no phone
                try add("戊物流有限公司", phone: "0371-67180000")      // 0005: a landline takes no SMS
                let accepted = try run(["complaint", "decide", "TS-20260213-0001", "--accept", "--json"], conninfo, inspector)
                let caseID = try #require(try jsonObject(accepted.stdout)["case_id"] as? String)
                _ = try run(["complaint", "decide", "TS-20260213-0002", "--refuse", "不属于劳动关系"], conninfo, inspector)
                _ = try run(["complaint", "decide", "TS-20260213-0003", "--refer", "劳动人事争议仲裁委员会"], conninfo, inspector)
                _ = try run(["complaint", "decide", "TS-20260213-0004", "--accept"], conninfo, inspector)
                // A close refused (money still owed) is rolled back: it sends nothing.
                let early = try CLI.run(["case", "close", caseID, "--disposition", "paid_in_full"], database: conninfo,
                                        environment: inspector)
                #expect(early.status == 5, "\(early.stderr)")
                #expect(try count(db, "SELECT count(*) AS n FROM escalation_outbox WHERE event = 'closed'") == 0)
                _ = try run(["case", "recover", caseID, "--worker", "11010519491231002X", "--amount", "12000.50",
                             "--source", "employer", "--date", "2026-03-01"], conninfo, inspector)
                _ = try run(["case", "close", caseID, "--disposition", "paid_in_full"], conninfo, inspector)

                let first = try run(["escalations", "deliver", "--json"], conninfo, service, in: folder)
                let delivery = try #require(try jsonObject(first.stdout)["delivery"] as? [String: Any])
                #expect(delivery["sent"] as? Int == 7)
                #expect(delivery["pending"] as? Int == 0)
                let again = try run(["escalations", "deliver"], conninfo, service, in: folder)
                #expect(again.stdout.contains("delivery: 0 sent, 0 failed, 0 pending"), "\(again.stdout)")

                let messages = try received(in: folder)
                let byKey = Dictionary(messages.map { ("\($0["complaint_number"] ?? "") \($0["event"] ?? "")", $0) }) { a, _ in a }
                #expect(messages.count == 7 && byKey.count == 7, "\(messages)")
                let expected: [String: (to: String, text: String)] = [
                    "TS-20260213-0001 recorded": ("13812345678", "【劳动保障监察】您的欠薪投诉已登记，编号TS-20260213-0001，将于2026-02-27前决定是否受理。"),
                    "TS-20260213-0001 decided": ("13812345678", "【劳动保障监察】您的欠薪投诉TS-20260213-0001已受理，我们将依法调查处理，请保持电话畅通。"),
                    "TS-20260213-0001 closed": ("13812345678", "【劳动保障监察】您的欠薪投诉TS-20260213-0001已办结：用人单位已全额支付，追回工资12,000.50元。"),
                    "TS-20260213-0002 recorded": ("13900001111", "【劳动保障监察】您的欠薪投诉已登记，编号TS-20260213-0002，将于2026-02-27前决定是否受理。"),
                    "TS-20260213-0002 decided": ("13900001111", "【劳动保障监察】您的欠薪投诉TS-20260213-0002不予受理，原因：不属于劳动关系。"),
                    "TS-20260213-0003 recorded": ("13700002222", "【劳动保障监察】您的欠薪投诉已登记，编号TS-20260213-0003，将于2026-02-27前决定是否受理。"),
                    "TS-20260213-0003 decided": ("13700002222", "【劳动保障监察】您的欠薪投诉TS-20260213-0003已移送劳动人事争议仲裁委员会处理，请与其联系。"),
                ]
                for (key, want) in expected {
                    let got = try #require(byKey[key], "no SMS \(key)")
                    #expect(got["to"] == want.to, "\(key)")
                    #expect(got["text"] == want.text, "\(key)")
                    #expect(Set(got.keys) == ["to", "text", "complaint_number", "event"])
                }
                #expect(messages.allSatisfy { ($0["text"] ?? "").utf16.count <= 70 })
                #expect(!messages.contains { ($0["complaint_number"] ?? "") >= "TS-20260213-0004" })
            }
        }
    }

    @Test("a webhook gateway that fails the first request: every event is POSTed once it succeeds, and only once",
          .enabled(if: WebhookReceiver.python != nil, "needs python3 for the webhook receiver"))
    func webhookRetried() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { db, conninfo in
                let receiver = try WebhookReceiver(failFirst: 1, in: folder)
                defer { receiver.stop() }
                _ = try writeConfiguration("[sms]\nwebhook = \"\(receiver.url)\"\n", in: folder)
                _ = try run(["complaint", "add", "--region", "410102", "--employer-name", "甲建筑劳务有限公司", "--workers", "2",
                             "--amount", "8000", "--received-at", "2026-02-13 10:00", "--caller-phone", "138 1234 5678"],
                            conninfo, hotline)
                _ = try run(["complaint", "decide", "TS-20260213-0001", "--refuse", "time_barred"], conninfo, inspector)
                let first = try run(["escalations", "deliver"], conninfo, service, in: folder)
                #expect(first.stdout.contains("delivery: 1 sent, 1 failed, 1 pending"), "\(first.stdout)")
                #expect(first.stderr.contains("SMS for complaint TS-20260213-0001") && first.stderr.contains("HTTP 500"),
                        "\(first.stderr)")
                try db.query("UPDATE escalation_outbox SET next_attempt_at = now() WHERE sent_at IS NULL")
                let second = try run(["escalations", "deliver"], conninfo, service, in: folder)
                #expect(second.stdout.contains("delivery: 1 sent, 0 failed, 0 pending"), "\(second.stdout)")
                _ = try run(["escalations", "deliver"], conninfo, service, in: folder)
                let requests = try receiver.requests()
                #expect(requests.map { $0["status"] as? Int } == [500, 200, 200])
                let bodies = try requests.filter { $0["status"] as? Int == 200 }.map {
                    try JSONSerialization.jsonObject(with: Data(($0["body"] as? String ?? "").utf8)) as? [String: String] ?? [:]
                }
                #expect(bodies.map { $0["event"] ?? "" }.sorted() == ["decided", "recorded"])
                let refused = try #require(bodies.first { $0["event"] == "decided" })
                #expect(refused == ["to": "13812345678", "complaint_number": "TS-20260213-0001", "event": "decided",
                                    "text": "【劳动保障监察】您的欠薪投诉TS-20260213-0001不予受理，原因：超过两年时效。"])
            }
        }
    }

    @Test("two escalations deliver at once send each SMS exactly once")
    func concurrentJobs() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { db, conninfo in
                let config = try writeConfiguration("[sms]\ncommand = \"\(try commandGateway(in: folder, barrier: true))\"\n",
                                                    in: folder)
                for n in 0..<10 {
                    let fields: [String: String] = [
                        "received_at": "2026-02-13 10:00", "region_code": "410102", "channel": "12333",
                        "employer_name": "公司\(n)", "workers_involved": "2", "amount_owed": "3000",
                        "caller_phone": "1381234\(String(format: "%04d", n))",
                    ]
                    _ = try ComplaintIntake().add(try ComplaintInput.parse { fields[$0] }.get(), on: db)
                }
                #expect(try count(db, "SELECT count(*) AS n FROM escalation_outbox WHERE channel = 'sms'") == 10)
                let jobs = try (0..<2).map { _ in
                    try CLI.start(["escalations", "deliver", "--json", "--config", config], database: conninfo, environment: service)
                }
                var sent = 0
                for job in jobs {
                    let status = try #require(job.wait(timeout: 900), "a delivery job did not end")
                    #expect(status == 0, "\(job.stderr)")
                    sent += (try jsonObject(job.stdout)["delivery"] as? [String: Any])?["sent"] as? Int ?? 0
                }
                let met = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("gate").path)
                    .filter { $0.hasPrefix("waiting-") }
                #expect(met.count == 2, "the two jobs must have had an SMS in flight at once: \(met)")
                #expect(sent == 10)
                let messages = try received(in: folder)
                #expect(messages.count == 10)
                #expect(Set(messages.compactMap { $0["to"] }).count == 10)
                #expect(try count(db, "SELECT count(*) AS n FROM escalation_outbox WHERE sent_at IS NULL") == 0)
            }
        }
    }

    @Test("a template too long for one SMS part, or with an unknown {name}, is refused naming its key; a writable file may not name the command")
    func templatesChecked() async throws {
        try await withFolder { folder in
            let long = String(repeating: "长", count: 50)
            _ = try writeConfiguration("[sms.templates]\nrecorded = \"\(long){number}{deadline}\"\n", in: folder)
            let tooLong = try CLI.run(["escalations", "deliver"], database: nil, workingDirectory: folder)
            #expect(tooLong.status == 3)
            #expect(tooLong.stderr.contains("sms.templates.recorded") && tooLong.stderr.contains("76 characters"), "\(tooLong.stderr)")
            _ = try writeConfiguration("[sms.templates]\nclosed = \"投诉{number}已办结，追回{amonut}\"\n", in: folder)
            let unknown = try CLI.run(["escalations", "deliver"], database: nil, workingDirectory: folder)
            #expect(unknown.status == 3)
            #expect(unknown.stderr.contains("sms.templates.closed") && unknown.stderr.contains("{amonut}"), "\(unknown.stderr)")
            let path = try writeConfiguration("[sms]\ncommand = \"/bin/true\"\n", in: folder)
            chmod(path, 0o666)
            let writable = try CLI.run(["escalations", "deliver"], database: nil, workingDirectory: folder)
            #expect(writable.status == 6)
            #expect(writable.stderr.contains("sms.command"), "\(writable.stderr)")
        }
    }
}
