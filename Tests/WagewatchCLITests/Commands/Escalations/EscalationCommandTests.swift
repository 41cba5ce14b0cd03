import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

#if canImport(Glibc)
import Glibc
#endif

// MARK: - Helpers

/// 2026-02-13 10:30 in Beijing: half an hour after the complaints below were received, so the
/// catch-up of `deliver` neither promotes nor reminds.
private let environment = ["WAGEWATCH_NOW": "2026-02-13T02:30:00Z", "WAGEWATCH_USER": "juzhang_wang"]
/// The delivery job and data entry run as the service account (no user): officials only acknowledge.
private let service = ["WAGEWATCH_NOW": "2026-02-13T02:30:00Z"]
/// Inspectors resolve escalations; officials may not.
private let inspector = ["WAGEWATCH_NOW": "2026-02-13T02:30:00Z", "WAGEWATCH_USER": "zhang_jiancha"]

/// Takes a complaint in directly (the CLI's `complaint add` is tested elsewhere).
@discardableResult
private func addComplaint(
    _ db: Connection, employer: String = "郑州宏达建筑劳务有限公司", uscc: String? = nil, project: String? = nil,
    workers: Int = 12, amount: String = "30000", absconded: Bool = false
) throws -> IntakeResult {
    let fields: [String: String?] = [
        "received_at": "2026-02-13 10:00", "region_code": "410102", "channel": "12333", "employer_name": employer,
        "employer_uscc": uscc, "project_code": project, "workers_involved": String(workers), "amount_owed": amount,
        "employer_absconded": absconded ? "true" : nil,
    ]
    return try ComplaintIntake().add(try ComplaintInput.parse { fields[$0].flatMap { $0 } }.get(), on: db)
}

private func count(_ db: Connection, _ sql: SQL) throws -> Int {
    Int(try db.query(sql).one().decode("n", as: Int64.self))
}

/// A folder of its own for one test (the working directory of the commands), removed afterwards.
private func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ww-esc-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Writes `folder/wagewatch.toml`.
private func writeConfiguration(_ toml: String, in folder: URL) throws {
    try toml.write(to: folder.appendingPathComponent("wagewatch.toml"), atomically: true, encoding: .utf8)
}

/// A stand-in for sendmail that stores each message as `folder/mail/*.eml`, and fails (exit 75)
/// once, the first time, when `failFirst` is set.
private func fakeSendmail(in folder: URL, failFirst: Bool = false) throws -> String {
    let mail = folder.appendingPathComponent("mail")
    try FileManager.default.createDirectory(at: mail, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent("sendmail").path
    try """
        #!/bin/sh
        if [ \(failFirst ? 1 : 0) = 1 ] && [ ! -e "\(folder.path)/failed-once" ]; then
            touch "\(folder.path)/failed-once"; echo "451 try again later" >&2; exit 75
        fi
        printf '%s\\n' "$*" > "\(mail.path)/$$.args"
        cat > "\(mail.path)/$$.tmp" && mv "\(mail.path)/$$.tmp" "\(mail.path)/$$.eml"
        """.write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o755)
    return path
}

private func mails(in folder: URL) throws -> [String] {
    let mail = folder.appendingPathComponent("mail")
    return try FileManager.default.contentsOfDirectory(atPath: mail.path).filter { $0.hasSuffix(".eml") }.sorted()
        .map { try String(contentsOf: mail.appendingPathComponent($0), encoding: .utf8) }
}

/// A webhook receiver on 127.0.0.1: a small Python 3 HTTP server, run in the background, that
/// answers 500 to its first `failFirst` requests and 200 afterwards and records every request
/// (status, headers that matter, body) as a line of `requests.jsonl`. It stops when told, when
/// its folder is removed, or after a minute at the latest.
final class WebhookReceiver {
    let folder: URL
    let port: Int
    private let pid: pid_t

    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let script = """
        import http.server, json, os, signal, sys, time
        # Started from a thread that blocks signals: unblock SIGTERM so the test can stop it.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        folder, fail_first = sys.argv[1], int(sys.argv[2])
        seen = [0]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                seen[0] += 1
                status = 500 if seen[0] <= fail_first else 200
                record = {"status": status, "path": self.path, "content_type": self.headers.get("Content-Type"),
                          "outbox_id": self.headers.get("X-Wagewatch-Outbox-Id"), "body": body.decode("utf-8")}
                with open(os.path.join(folder, "requests.jsonl"), "a", encoding="utf-8") as f:
                    f.write(json.dumps(record, ensure_ascii=False) + "\\n")
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *args):
                pass
        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        server.timeout = 0.5
        with open(os.path.join(folder, "port.tmp"), "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
        deadline = time.time() + 900  # a safety net: the test stops it when done
        while time.time() < deadline and os.path.isdir(folder) and not os.path.exists(os.path.join(folder, "stop")):
            server.handle_request()
        """

    init(failFirst: Int, in parent: URL) throws {
        folder = parent.appendingPathComponent("webhook")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scriptPath = folder.appendingPathComponent("receiver.py").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let python = try #require(Self.python)
        let started = try ChildProcess.run([
            "/bin/sh", "-c", "\"$0\" \"$1\" \"$2\" \"$3\" >\"$2/receiver.log\" 2>&1 & echo $!",
            python, scriptPath, folder.path, String(failFirst),
        ])
        pid = pid_t(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let portFile = folder.appendingPathComponent("port").path
        // Waits for the receiver's port file; the timeout is only a safety net.
        _ = poll(timeout: 300, interval: 0.02) { FileManager.default.fileExists(atPath: portFile) }
        let text = (try? String(contentsOfFile: portFile, encoding: .utf8)) ?? ""
        guard let port = Int(text) else {
            let log = (try? String(contentsOf: folder.appendingPathComponent("receiver.log"), encoding: .utf8)) ?? ""
            throw WagewatchError.failure("the webhook receiver did not start: \(log)")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Every request received so far.
    func requests() throws -> [[String: Any]] {
        let path = folder.appendingPathComponent("requests.jsonl").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    func stop() {
        FileManager.default.createFile(atPath: folder.appendingPathComponent("stop").path, contents: nil)
        if pid > 0 { kill(pid, SIGTERM) }
    }

    deinit { stop() }
}

/// A header's value, unfolded, with RFC 2047 `=?UTF-8?B?…?=` words decoded.
private func header(_ name: String, in message: String) -> String? {
    let head = message.components(separatedBy: "\n\n").first ?? ""
    var unfolded: [String] = []
    for line in head.components(separatedBy: "\n") {
        if line.hasPrefix(" ") || line.hasPrefix("\t"), !unfolded.isEmpty {
            unfolded[unfolded.count - 1] += line
        } else {
            unfolded.append(line)
        }
    }
    guard let line = unfolded.first(where: { $0.lowercased().hasPrefix(name.lowercased() + ":") }) else { return nil }
    let value = String(line.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces)
    guard value.contains("=?UTF-8?B?") else { return value }
    return value.components(separatedBy: .whitespaces).filter { !$0.isEmpty }.map { word -> String in
        guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
              let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
        else { return word }
        return String(decoding: data, as: UTF8.self)
    }.joined()
}

private func body(of message: String) -> String {
    let encoded = message.components(separatedBy: "\n\n").dropFirst().joined().filter { !$0.isWhitespace }
    return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? ""
}

/// Starts `escalations watch arguments…` and waits until its session has run LISTEN (it is
/// ready), or it ended. Both waits are for the event; the timeouts are only safety nets.
private func startWatch(_ arguments: [String], _ conninfo: String) throws -> BackgroundProcess {
    let app = "ww-watch-\(UUID().uuidString.prefix(8).lowercased())"
    let watch = try CLI.start(["escalations", "watch"] + arguments, database: conninfo,
                              environment: environment.merging(["PGAPPNAME": app]) { $1 })
    let observer = try Connection(conninfo)
    defer { observer.close() }
    _ = try poll(timeout: 600, interval: 0.02) {
        try watch.status != nil || count(observer, """
            SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = \(app) AND query LIKE 'LISTEN%'
            """) > 0
    }
    try #require(watch.status == nil, "the watch ended before it listened: \(watch.stderr)")
    return watch
}

/// Waits for a watch to end (it stops after --count events or its --timeout): the result.
private func finish(_ watch: BackgroundProcess) throws -> CLIResult {
    let status = try #require(watch.wait(timeout: 900), "the watch did not end: \(watch.stderr)")
    return CLIResult(status: status, stdout: watch.stdout, stderr: watch.stderr)
}

// MARK: - Tests

@Suite("wagewatch escalations, through the binary")
struct EscalationCommandTests {
    @Test("escalations list --json prints SPEC §5's keys; ack, then resolve --reason, change the status")
    func listAckResolve() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let added = try CLI.run([
                "complaint", "add", "--region", "410102", "--employer-name", "郑州宏达建筑劳务有限公司",
                "--employer-uscc", "91350100M000100Y43", "--project", "XM-001", "--workers", "12", "--amount", "3万",
                "--received-at", "2026-02-13 10:00", "--text", "工人们说明天去县政府上　访",
            ], database: conninfo, environment: service)
            #expect(added.status == 0, "\(added.stderr)")
            let complaintID = try db.query("SELECT id FROM complaints").one().decode("id", as: Int64.self)

            let list = try CLI.run(["escalations", "list", "--json"], database: conninfo, environment: environment)
            #expect(list.status == 0, "\(list.stderr)")
            let escalations = try jsonArray(list.stdout)
            #expect(escalations.count == 2)
            #expect(Set(escalations.compactMap { $0["reason"] as? String }) == ["mass_incident_workers", "protest_keywords"])
            let first = try #require(escalations.first { $0["reason"] as? String == "mass_incident_workers" })
            for key in ["id", "level", "reason", "status", "complaint_id", "case_id", "employer_uscc", "project_code",
                        "workers_involved", "amount_fen", "raised_at", "acknowledged_at"] {
                #expect(first.keys.contains(key), "missing \(key)")
            }
            let id = try #require(first["id"] as? String)
            #expect(first["level"] as? String == "county")
            #expect(first["status"] as? String == "open")
            #expect(first["complaint_id"] as? String == String(complaintID))
            #expect(first["case_id"] is NSNull)
            #expect(first["employer_uscc"] as? String == "91350100M000100Y43")
            #expect(first["project_code"] as? String == "XM-001")
            #expect(first["workers_involved"] as? Int == 12)
            #expect(first["amount_fen"] as? Int == 3_000_000)
            #expect(first["raised_at"] as? String == "2026-02-13T02:00:00Z")
            #expect(first["acknowledged_at"] is NSNull)

            let ack = try CLI.run(["escalations", "ack", id], database: conninfo, environment: environment)
            #expect(ack.status == 0, "\(ack.stderr)")
            #expect(ack.stdout.contains("acknowledged by juzhang_wang"))
            let again = try CLI.run(["escalations", "ack", id], database: conninfo, environment: environment)
            #expect(again.status == 5)
            let acknowledged = try jsonArray(try CLI.run(["escalations", "list", "--json", "--status", "acknowledged"],
                                                         database: conninfo, environment: environment).stdout)
            #expect(acknowledged.map { $0["id"] as? String } == [id])
            #expect(acknowledged.first?["acknowledged_at"] as? String == "2026-02-13T02:30:00Z")

            let noReason = try CLI.run(["escalations", "resolve", id], database: conninfo, environment: inspector)
            #expect(noReason.status == 2)
            let blankReason = try CLI.run(["escalations", "resolve", id, "--reason", "  "], database: conninfo, environment: inspector)
            #expect(blankReason.status == 3)
            let resolve = try CLI.run(["escalations", "resolve", id, "--reason", "已责令限期支付，工人情绪稳定", "--json"],
                                      database: conninfo, environment: inspector)
            #expect(resolve.status == 0, "\(resolve.stderr)")
            #expect(try jsonObject(resolve.stdout)["status"] as? String == "resolved")
            let unknown = try CLI.run(["escalations", "ack", "999999"], database: conninfo, environment: environment)
            #expect(unknown.status == 4)
        }
    }

    @Test("deliver sends each event to the webhook exactly once although the first attempt fails",
          .enabled(if: WebhookReceiver.python != nil, "needs python3 for the webhook receiver"))
    func webhookRetried() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { db, conninfo in
                let receiver = try WebhookReceiver(failFirst: 1, in: folder)
                defer { receiver.stop() }
                try writeConfiguration("[escalations.delivery]\nwebhook_url = \"\(receiver.url)\"\n", in: folder)
                try addComplaint(db, employer: "甲公司", workers: 12)
                try addComplaint(db, employer: "乙公司", workers: 3, absconded: true)
                let payloads = try db.query("SELECT id, payload::text AS p FROM escalation_outbox ORDER BY id").map {
                    (String(try $0.decode("id", as: Int64.self)), try $0.decode("p", as: String.self))
                }
                #expect(payloads.count == 2)

                let first = try CLI.run(["escalations", "deliver", "--json"], database: conninfo, environment: service,
                                        workingDirectory: folder)
                #expect(first.status == 0, "\(first.stderr)")
                let report = try jsonObject(first.stdout)
                let delivery = try #require(report["delivery"] as? [String: Any])
                #expect(delivery["sent"] as? Int == 1)
                #expect(delivery["failed"] as? Int == 1)
                #expect(delivery["pending"] as? Int == 1)
                #expect((report["catch_up"] as? [String: Any])?["raised"] as? Int == 0)
                #expect(first.stderr.contains("HTTP 500"))
                let failed = try db.query("""
                    SELECT id, attempts, last_error, next_attempt_at > now() AS later, sent_at IS NULL AS unsent
                    FROM escalation_outbox WHERE last_error IS NOT NULL
                    """).one()
                #expect(String(try failed.decode("id", as: Int64.self)) == payloads[0].0)
                #expect(try failed.decode("attempts", as: Int.self) == 1)
                #expect(try failed.decode("last_error", as: String.self).contains("HTTP 500"))
                #expect(try failed.decode("later", as: Bool.self))
                #expect(try failed.decode("unsent", as: Bool.self))

                let tooEarly = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service,
                                           workingDirectory: folder)
                #expect(tooEarly.status == 0, "\(tooEarly.stderr)")
                #expect(tooEarly.stdout.contains("delivery: 0 sent, 0 failed, 1 pending"))

                try db.query("UPDATE escalation_outbox SET next_attempt_at = now() WHERE sent_at IS NULL")
                let second = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service,
                                         workingDirectory: folder)
                #expect(second.status == 0, "\(second.stderr)")
                #expect(second.stdout.contains("delivery: 1 sent, 0 failed, 0 pending"))
                let third = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service,
                                        workingDirectory: folder)
                #expect(third.stdout.contains("delivery: 0 sent, 0 failed, 0 pending"))

                let requests = try receiver.requests()
                #expect(requests.map { $0["status"] as? Int } == [500, 200, 200])
                #expect(requests.allSatisfy { $0["content_type"] as? String == "application/json" && $0["path"] as? String == "/hook" })
                let accepted = requests.filter { $0["status"] as? Int == 200 }
                #expect(accepted.compactMap { $0["outbox_id"] as? String }.sorted() == payloads.map(\.0).sorted())
                for (outboxID, payload) in payloads {
                    let bodies = accepted.filter { $0["outbox_id"] as? String == outboxID }.compactMap { $0["body"] as? String }
                    #expect(bodies.count == 1)
                    let sentObject = try JSONSerialization.jsonObject(with: Data((bodies.first ?? "").utf8)) as? NSDictionary
                    let storedObject = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? NSDictionary
                    #expect(sentObject == storedObject)
                }
                let unsent = try count(db, "SELECT count(*) AS n FROM escalation_outbox WHERE sent_at IS NULL")
                #expect(unsent == 0)
            }
        }
    }

    @Test("deliver mails each event through sendmail -t, To: and an encoded Subject, a Chinese body")
    func mailThroughSendmail() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { db, conninfo in
                let sendmail = try fakeSendmail(in: folder)
                try writeConfiguration("""
                    [escalations.delivery]
                    mail_to = ["liangban@example.gov.cn", "juzhang@example.gov.cn"]
                    sendmail_path = "\(sendmail)"
                    """, in: folder)
                try addComplaint(db, employer: "郑州宏达建筑劳务有限公司", uscc: "91350100M000100Y43", project: "XM-001",
                                 workers: 3, amount: "8600", absconded: true)
                let result = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service,
                                         workingDirectory: folder)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stdout.contains("delivery: 1 sent, 0 failed, 0 pending"))
                let messages = try mails(in: folder)
                #expect(messages.count == 1)
                let message = try #require(messages.first)
                let args = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("mail").path)
                    .filter { $0.hasSuffix(".args") }
                    .map { try String(contentsOf: folder.appendingPathComponent("mail").appendingPathComponent($0), encoding: .utf8) }
                #expect(args == ["-t -i\n"])
                #expect(header("To", in: message) == "liangban@example.gov.cn, juzhang@example.gov.cn")
                #expect(header("MIME-Version", in: message) == "1.0")
                #expect(header("Content-Type", in: message) == "text/plain; charset=UTF-8")
                let subject = try #require(header("Subject", in: message))
                #expect(subject == "【欠薪预警】新预警 · 县两办 · 用人单位欠薪逃匿 · 郑州宏达建筑劳务有限公司")
                let text = body(of: message)
                #expect(text.contains("预警原因：用人单位欠薪逃匿（employer_absconded）"))
                #expect(text.contains("用人单位：郑州宏达建筑劳务有限公司（统一社会信用代码 91350100M000100Y43）"))
                #expect(text.contains("涉及人数：3人"))
                #expect(text.contains("涉及金额：8,600元"))
                #expect(text.contains("预警时间：2026-02-13 10:00（北京时间）"))
            }
        }
    }

    @Test("with webhook and mail, an event the webhook took is not posted again while mail is retried",
          .enabled(if: WebhookReceiver.python != nil, "needs python3 for the webhook receiver"))
    func partialDeliveryRetried() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { db, conninfo in
                let receiver = try WebhookReceiver(failFirst: 0, in: folder)
                defer { receiver.stop() }
                let sendmail = try fakeSendmail(in: folder, failFirst: true)
                try writeConfiguration("""
                    [escalations.delivery]
                    webhook_url = "\(receiver.url)"
                    mail_to = ["liangban@example.gov.cn"]
                    sendmail_path = "\(sendmail)"
                    """, in: folder)
                try addComplaint(db, workers: 3, absconded: true)
                let first = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service, workingDirectory: folder)
                #expect(first.stdout.contains("delivery: 0 sent, 1 failed, 1 pending"), "\(first.stdout)\(first.stderr)")
                #expect(first.stderr.contains("mail: ") && first.stderr.contains("451 try again later"))
                try db.query("UPDATE escalation_outbox SET next_attempt_at = now()")
                let second = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service, workingDirectory: folder)
                #expect(second.stdout.contains("delivery: 1 sent, 0 failed, 0 pending"), "\(second.stdout)\(second.stderr)")
                let posted = try receiver.requests().count
                let mailed = try mails(in: folder).count
                #expect(posted == 1)
                #expect(mailed == 1)
            }
        }
    }

    @Test("deliver with no target configured says so, sends nothing and leaves the outbox pending")
    func noTargets() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { db, conninfo in
                try addComplaint(db, workers: 15)
                let result = try CLI.run(["escalations", "deliver", "--json"], database: conninfo, environment: service,
                                         workingDirectory: folder)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stderr.contains("no delivery target configured"))
                let delivery = try #require(try jsonObject(result.stdout)["delivery"] as? [String: Any])
                #expect(delivery["sent"] as? Int == 0)
                #expect(delivery["pending"] as? Int == 1)
            }
        }
    }

    @Test("a webhook_url that is not http(s) or a mail_to that is not an address exits 3 naming the key")
    func badDeliveryConfiguration() async throws {
        try await withFolder { folder in
            try await TestDatabase.withFresh { _, conninfo in
                try writeConfiguration("[escalations.delivery]\nwebhook_url = \"ftp://127.0.0.1/hook\"\n", in: folder)
                let url = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service, workingDirectory: folder)
                #expect(url.status == 3)
                #expect(url.stderr.contains("escalations.delivery.webhook_url"))
                try writeConfiguration("[escalations.delivery]\nmail_to = [\"liangban@example.gov.cn\\nBcc: x@y.z\"]\n", in: folder)
                let mail = try CLI.run(["escalations", "deliver"], database: conninfo, environment: service, workingDirectory: folder)
                #expect(mail.status == 3)
                #expect(mail.stderr.contains("escalations.delivery.mail_to[0]"))
            }
        }
    }

    @Test("watch --json prints each event raised meanwhile as one JSON object per line and stops after --count")
    func watchJSON() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            // --timeout is a safety net only: the watch ends after its two events.
            let watch = try startWatch(["--json", "--count", "2", "--timeout", "600"], conninfo)
            try addComplaint(db, employer: "甲公司", workers: 20, absconded: true)
            let result = try finish(watch)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            let events = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
            #expect(Set(events.compactMap { $0["reason"] as? String }) == ["mass_incident_workers", "employer_absconded"])
            #expect(events.allSatisfy { $0["event"] as? String == "raised" && $0["level"] as? String == "county" })
            let ids = try db.query("SELECT id FROM escalations ORDER BY id").map { String(try $0.decode("id", as: Int64.self)) }
            #expect(events.compactMap { $0["id"] as? String }.sorted() == ids)
        }
    }

    @Test("watch prints a readable line per event, and --timeout ends a quiet watch")
    func watchReadableAndTimeout() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let watch = try startWatch(["--count", "1", "--timeout", "600"], conninfo)
            try addComplaint(db, employer: "郑州宏达建筑劳务有限公司", workers: 11, amount: "30000")
            let result = try finish(watch)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("新预警 raised"))
            #expect(result.stdout.contains("县两办 county"))
            #expect(result.stdout.contains("mass_incident_workers"))
            #expect(result.stdout.contains("郑州宏达建筑劳务有限公司"))
            #expect(result.stdout.contains("11人"))
            #expect(result.stdout.contains("2026-02-13 10:00"))

            // Nothing is raised now: the watch ends by its --timeout (finish waits for it to end).
            let quiet = try finish(try CLI.start(["escalations", "watch", "--timeout", "1"], database: conninfo,
                                                 environment: environment))
            #expect(quiet.status == 0, "\(quiet.stderr)")
            #expect(quiet.stdout.isEmpty)
        }
    }
}
