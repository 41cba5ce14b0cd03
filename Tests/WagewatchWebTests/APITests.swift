import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// SPEC §9 through Hummingbird's test client, with a real PostgreSQL behind it: tokens, intake
/// with and without Idempotency-Key, the reads per role, the errors and the limits.
@Suite("API: /api/v1 with bearer tokens")
struct APITests {
    /// One API client: a token and the test client.
    struct Client {
        let client: any TestClientProtocol
        let token: String?

        struct Answer {
            let status: HTTPResponse.Status
            let headers: HTTPFields
            let body: String
            var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
            var list: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [[String: Any]] ?? [] }
            var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
        }

        func send(_ uri: String, method: HTTPRequest.Method = .get, body: String? = nil, key: String? = nil,
                  authorization: String? = nil) async throws -> Answer {
            var headers: HTTPFields = [:]
            if let authorization { headers[.authorization] = authorization } else if let token { headers[.authorization] = "Bearer \(token)" }
            if body != nil { headers[.contentType] = "application/json" }
            if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
            return Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }

        func post(_ uri: String, _ body: String, key: String? = nil) async throws -> Answer {
            try await send(uri, method: .post, body: body, key: key)
        }
    }

    /// A token for `user`, made as the schema's service account (as `wagewatch --as USER token add` does).
    static func token(_ web: WebHarness, _ user: String, name: String? = nil) throws -> String {
        try APITokens().add(name: name ?? "t-" + user.replacingOccurrences(of: "_", with: "-"), user: user, expires: nil,
                            on: web.db.connection)
    }

    static let complaint = """
        {"received_at": "2026-03-02 09:30", "region_code": "410122", "channel": "12333", "caller_name": "王建国",
         "caller_phone": "13812345678", "employer_name": "郑州宏达建筑劳务有限公司", "workers_involved": 3,
         "amount_owed": 86000.50, "owed_since": "2026-01-01", "owed_until": "2026-02-28", "text": "拖欠工资"}
        """

    @Test("a complaint posted by the hotline's token is filed as a call is: 201, its number, the amount to the fen, the call audited")
    func fileComplaint() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let api = Client(client: client, token: try Self.token(web, WebHarness.intake, name: "callcentre"))
            let answer = try await api.post("/api/v1/complaints", Self.complaint)
            #expect(answer.status == .created)
            let body = answer.json
            let number = try #require(body["number"] as? String)
            #expect(number.hasPrefix("TS-20260302-"))
            #expect(answer.headers[.location] == "/api/v1/complaints/\(number)")
            #expect(body["amount_fen"] as? Int == 8_600_050)
            #expect(body["status"] as? String == "pending")
            #expect(body["caller_phone"] as? String == "138****5678")
            #expect(body["decision_due"] as? String != nil)
            #expect(try web.count("SELECT count(*)::int AS n FROM complaints WHERE created_by = 'hotline_li'") == 1)
            // The call, under the token's user and name, and in the audit log as that user.
            #expect(try web.count("""
                SELECT count(*)::int AS n FROM api_calls
                WHERE token_name = 'callcentre' AND user_name = 'hotline_li' AND method = 'POST' AND path = '/api/v1/complaints'
                """) == 1)
            #expect(try web.count("SELECT count(*)::int AS n FROM audit_log WHERE table_name = 'api_calls' AND actor = 'hotline_li'") == 1)
            // The same complaint read back through the API.
            let read = try await api.send("/api/v1/complaints/\(number)")
            #expect(read.status == .ok)
            #expect(read.json["id"] as? String == body["id"] as? String)
            #expect(read.json["amount_fen"] as? Int == 8_600_050)
        }
    }

    @Test("no token, a wrong one, a revoked one and an expired one are all 401 with the error object")
    func unauthorized() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let token = try Self.token(web, WebHarness.inspector, name: "inspector-laptop")
            let api = Client(client: client, token: token)
            #expect(try await api.send("/api/v1/escalations").status == .ok)
            for authorization in ["", "Bearer", "Basic \(token)", "Bearer ww_not-a-token"] {
                let answer = try await api.send("/api/v1/escalations", authorization: authorization)
                #expect(answer.status == .unauthorized, "\(authorization)")
                #expect(answer.error["code"] as? String == "unauthorized")
                #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            let anonymous = Client(client: client, token: nil)
            #expect(try await anonymous.send("/api/v1/flags").status == .unauthorized)
            // Revoked: 401 at once.
            try APITokens().revoke(name: "inspector-laptop", on: web.db.connection)
            let revoked = try await api.send("/api/v1/escalations")
            #expect(revoked.status == .unauthorized)
            #expect((revoked.error["message"] as? String)?.contains("revoked") == true)
            // Expired: a token whose last day has passed.
            let second = try Self.token(web, WebHarness.inspector, name: "inspector-phone")
            try web.db.connection.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'inspector-phone'")
            let expired = try await Client(client: client, token: second).send("/api/v1/escalations")
            #expect(expired.status == .unauthorized)
            #expect((expired.error["message"] as? String)?.contains("expired") == true)
            // Only calls with a live token are recorded.
            #expect(try web.count("SELECT count(*)::int AS n FROM api_calls") == 1)
        }
    }

    @Test("Idempotency-Key: the same body again answers the first complaint (200), another body is 409, one complaint filed")
    func idempotentRetries() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let api = Client(client: client, token: try Self.token(web, WebHarness.intake))
            let first = try await api.post("/api/v1/complaints", Self.complaint, key: "call-20260302-0001")
            #expect(first.status == .created)
            let again = try await api.post("/api/v1/complaints", Self.complaint, key: "call-20260302-0001")
            #expect(again.status == .ok)
            #expect(again.body == first.body)
            // The same members in another order and spacing are the same request.
            let reordered = #"{"workers_involved":3,"amount_owed":86000.50,"text":"拖欠工资","owed_until":"2026-02-28","owed_since":"2026-01-01","#
                + #""employer_name":"郑州宏达建筑劳务有限公司","caller_phone":"13812345678","caller_name":"王建国","channel":"12333","#
                + #""region_code":"410122","received_at":"2026-03-02 09:30"}"#
            #expect(try await api.post("/api/v1/complaints", reordered, key: "call-20260302-0001").status == .ok)
            let other = try await api.post("/api/v1/complaints", Self.complaint.replacingOccurrences(of: "\"workers_involved\": 3", with: "\"workers_involved\": 4"),
                                           key: "call-20260302-0001")
            #expect(other.status == .conflict)
            #expect(other.error["code"] as? String == "conflict")
            #expect(try web.count("SELECT count(*)::int AS n FROM complaints") == 1)
            // Without a key, each post is a complaint of its own.
            #expect(try await api.post("/api/v1/complaints", Self.complaint).status == .created)
            #expect(try web.count("SELECT count(*)::int AS n FROM complaints") == 2)
        }
    }

    @Test("two retries of one key at the same moment file one complaint, and both answer it")
    func concurrentRetries() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let api = Client(client: client, token: try Self.token(web, WebHarness.intake))
            for round in 0..<5 {
                let key = "retry-\(round)"
                async let a = api.post("/api/v1/complaints", Self.complaint, key: key)
                async let b = api.post("/api/v1/complaints", Self.complaint, key: key)
                let answers = try await [a, b]
                #expect(Set(answers.map(\.status.code)) == [200, 201], "round \(round): \(answers.map(\.status.code))")
                #expect(answers[0].json["id"] as? String == answers[1].json["id"] as? String)
            }
            #expect(try web.count("SELECT count(*)::int AS n FROM complaints") == 5)
        }
    }

    @Test("a body with an unknown field, a wrong type, a bad value or no JSON is 422 naming the field, nothing written")
    func invalidBodies() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let api = Client(client: client, token: try Self.token(web, WebHarness.intake))
            let cases: [(body: String, field: String?)] = [
                (Self.complaint.replacingOccurrences(of: "\"text\"", with: "\"caller_mood\""), "caller_mood"),
                (Self.complaint.replacingOccurrences(of: "\"workers_involved\": 3", with: "\"workers_involved\": \"3\""), "workers_involved"),
                (Self.complaint.replacingOccurrences(of: "\"workers_involved\": 3", with: "\"workers_involved\": 2.5"), "workers_involved"),
                (Self.complaint.replacingOccurrences(of: "\"channel\": \"12333\"", with: "\"channel\": 12333"), "channel"),
                (Self.complaint.replacingOccurrences(of: "13812345678", with: "1381234"), "caller_phone"),
                (Self.complaint.replacingOccurrences(of: "86000.50", with: "-5"), "amount_owed"),
                (Self.complaint.replacingOccurrences(of: "\"region_code\": \"410122\", ", with: ""), "region_code"),
                // JSON says "no date" with null; an empty string is not a date (Schemathesis found it accepted).
                (Self.complaint.replacingOccurrences(of: "\"owed_until\": \"2026-02-28\"", with: "\"owed_until\": \"\""), "owed_until"),
                ("[1, 2]", "body"),
                ("{\"received_at\": ", nil),
                ("not json", nil),
                ("", nil),
            ]
            for (body, field) in cases {
                let answer = try await api.post("/api/v1/complaints", body)
                #expect(answer.status == .unprocessableContent, "\(body)")
                #expect(answer.error["code"] as? String == "invalid_input", "\(body)")
                if let field {
                    #expect(answer.error["field"] as? String == field, "\(body): \(answer.body)")
                    #expect((answer.error["message"] as? String)?.hasPrefix(field + ":") == true, "\(answer.body)")
                } else {
                    #expect(answer.error["field"] is NSNull, "\(answer.body)")
                }
            }
            #expect(try web.count("SELECT count(*)::int AS n FROM complaints") == 0)
            // Yuan as a string with 万 reads as the CSV does.
            let wan = try await api.post("/api/v1/complaints", Self.complaint.replacingOccurrences(of: "86000.50", with: "\"8.6万\""))
            #expect(wan.status == .created)
            #expect(wan.json["amount_fen"] as? Int == 8_600_000)
        }
    }

    @Test("a body over 1 MB is 413; more than the minute's requests of a token is 429 with Retry-After")
    func limits() async throws {
        var configuration = Configuration.defaults
        configuration.web.apiRequestsPerMinute = 3
        try await WebHarness.with(configuration: configuration, now: webNow) { web, client in
            let api = Client(client: client, token: try Self.token(web, WebHarness.intake))
            let huge = "{\"text\": \"" + String(repeating: "欠", count: 400_000) + "\"}"
            let tooLarge = try await api.post("/api/v1/complaints", huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.error["field"] as? String == "body")
            // That was the first request of the minute; two more pass, the fourth does not …
            // unless the minute turned over in between, in which case the count starts again.
            var statuses: [UInt16] = []
            for _ in 0..<6 { statuses.append(UInt16(try await api.send("/api/v1/escalations").status.code)) }
            #expect(statuses.contains(429), "\(statuses)")
            let limited = try await api.send("/api/v1/escalations")
            if limited.status == .tooManyRequests {
                #expect(limited.error["code"] as? String == "rate_limited")
                let wait = try #require(limited.headers[.retryAfter].flatMap(Int.init))
                #expect((1...60).contains(wait))
            }
            // Another token has a count of its own.
            let other = Client(client: client, token: try Self.token(web, WebHarness.inspector))
            #expect(try await other.send("/api/v1/escalations").status == .ok)
        }
    }

    @Test("a 10-worker complaint posted through the API raises the county escalation as a hotline call does")
    func massIncident() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let api = Client(client: client, token: try Self.token(web, WebHarness.intake))
            let answer = try await api.post("/api/v1/complaints",
                                            Self.complaint.replacingOccurrences(of: "\"workers_involved\": 3", with: "\"workers_involved\": 10"))
            #expect(answer.status == .created)
            let id = try #require((answer.json["id"] as? String).flatMap(Int64.init))
            #expect(try web.count("""
                SELECT count(*)::int AS n FROM escalations
                WHERE complaint_id = \(id) AND reason = 'mass_incident_workers' AND level = 'county'
                """) == 1)
            let official = Client(client: client, token: try Self.token(web, WebHarness.official))
            let board = try await official.send("/api/v1/escalations")
            #expect(board.status == .ok)
            #expect(board.list.contains { $0["complaint_id"] as? String == String(id) && $0["level"] as? String == "county" })
        }
    }

    @Test("each role's token reads what its grants let it: the sector its own flags, nobody else's; refusals are 403 and 404")
    func roles() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let county = try FlagPageTests.county(web)
            let sector = Client(client: client, token: try Self.token(web, WebHarness.sector))
            let flags = try await sector.send("/api/v1/flags")
            #expect(flags.status == .ok)
            let seen = Set(flags.list.compactMap { ($0["id"] as? String).flatMap(Int64.init) })
            #expect(seen == (try FlagPageTests.ids(web, department: "transport")))
            #expect(!seen.contains(county.waterNoAccount.value))
            // The sector files no complaint and reads none.
            let refused = try await sector.post("/api/v1/complaints", Self.complaint)
            #expect(refused.status == .forbidden)
            #expect(refused.error["code"] as? String == "permission_denied")
            #expect(try web.count("SELECT count(*)::int AS n FROM complaints") == 0)
            // Reviewing: its own flag, yes; another department's is not there for it.
            let ack = try await sector.post("/api/v1/flags/\(county.noAccount)/review", #"{"action": "ack"}"#)
            #expect(ack.status == .ok)
            #expect(ack.json["status"] as? String == "acknowledged")
            let other = try await sector.post("/api/v1/flags/\(county.waterNoAccount)/review", #"{"action": "ack"}"#)
            #expect(other.status == .notFound)
            #expect(other.error["code"] as? String == "not_found")
            let bad = try await sector.post("/api/v1/flags/\(county.diversion)/review", #"{"action": "confirm", "confirm_action": "pray"}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.error["field"] as? String == "confirm_action" || (bad.error["message"] as? String)?.contains("pray") == true)
            #expect(try web.count("SELECT count(*)::int AS n FROM flags WHERE status <> 'open'") == 1)
            // The hotline reads no flags; an unknown complaint or case is 404, a route too.
            let hotline = Client(client: client, token: try Self.token(web, WebHarness.intake))
            #expect(try await hotline.send("/api/v1/flags").status == .forbidden)
            #expect(try await hotline.send("/api/v1/complaints/TS-20260101-9999").error["code"] as? String == "not_found")
            #expect(try await hotline.send("/api/v1/cases/999999").status == .notFound)
            #expect(try await hotline.send("/api/v1/cases/abc").status == .notFound)
            let nowhere = try await hotline.send("/api/v1/nowhere")
            #expect(nowhere.status == .notFound)
            #expect(nowhere.error["code"] as? String == "not_found")
        }
    }

    @Test("the weekly report as JSON for an official; a bad week is 422 naming it")
    func weeklyReport() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let official = Client(client: client, token: try Self.token(web, WebHarness.official))
            let report = try await official.send("/api/v1/reports/weekly?week=2026-W10")
            #expect(report.status == .ok)
            #expect(report.json["week"] as? String == "2026-W10")
            #expect(report.json["zero_report"] as? Bool == true)
            let bad = try await official.send("/api/v1/reports/weekly?week=2026-W99")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.error["field"] as? String == "week")
            let english = try await official.send("/api/v1/reports/weekly?week=2026-W10&lang=en")
            #expect(english.json["language"] as? String == "en")
        }
    }

    @Test("the OpenAPI document is served as it is in the repository, and names every route the server has")
    func openAPIDocument() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let answer = try await Client(client: client, token: nil).send("/api/v1/openapi.json")
            #expect(answer.status == .ok)
            let file = TestDatabase.repositoryRoot.appendingPathComponent("openapi/wagewatch.json")
            #expect(answer.body == (try String(contentsOf: file, encoding: .utf8)))
            let document = answer.json
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in
                operations.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map { "\($0.uppercased()) \(path)" }
            })
            #expect(documented == Set(APIRoutes(app: web.server.app).operations.map(\.name)))
            // The document's codes are the program's own (one place for each code: the Swift enums).
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            func codes(_ schema: String, _ property: String) -> Set<String> {
                let properties = schemas[schema]?["properties"] as? [String: [String: Any]]
                return Set((properties?[property]?["enum"] as? [Any] ?? []).compactMap { $0 as? String })
            }
            #expect(codes("Complaint", "status") == Set(ComplaintStatus.allCases.map(\.rawValue)))
            #expect(codes("Complaint", "outcome") == Set(ComplaintOutcome.allCases.map(\.rawValue)))
            #expect(codes("Flag", "severity") == Set(FlagSeverity.allCases.map(\.rawValue)))
            #expect(codes("Flag", "status") == Set(FlagStatus.allCases.map(\.rawValue)))
            #expect(codes("Escalation", "level") == Set(EscalationLevel.allCases.map(\.rawValue)))
            #expect(codes("Escalation", "reason") == Set(EscalationReason.allCases.map(\.rawValue)))
            #expect(codes("Escalation", "status") == Set(EscalationStatus.allCases.map(\.rawValue)))
            #expect(codes("ComplaintInput", "channel").isEmpty)
            let input = try #require(schemas["ComplaintInput"]?["properties"] as? [String: Any])
            #expect(Set(input.keys) == Set(ComplaintInput.columns))
        }
    }
}
