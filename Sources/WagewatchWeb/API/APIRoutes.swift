import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PostgresClient
import WagewatchCore

/// SPEC §9: `/api/v1` for hotline software, the national clue platform and provincial systems.
/// Every route runs as the bearer token's user (``WebApp/asToken(_:_:_:)``) through the same
/// Session, grants and row security as the desk's pages, and answers the JSON shapes of SPEC §5
/// that the CLI's `--json` prints. The contract is `openapi/wagewatch.json`, served at
/// `/api/v1/openapi.json`.
struct APIRoutes: Sendable {
    let app: WebApp

    /// The fields of `POST /api/v1/complaints`: the `complaints` CSV columns, each with the JSON
    /// type it accepts.
    static let complaintFields: [(String, JSONFields.Kind)] = ComplaintInput.columns.map { column in
        switch column {
        case "workers_involved": (column, .integer)
        case "amount_owed": (column, .yuan)
        case "employer_absconded": (column, .boolean)
        case "owed_since", "owed_until": (column, .date)
        default: (column, .text)
        }
    }

    static let reviewFields: [(String, JSONFields.Kind)] = [("action", .text), ("confirm_action", .text), ("reason", .text)]

    /// One route of the API: its method, its path as the OpenAPI document writes it
    /// (`complaints/{number}`), and what answers it.
    struct Operation: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let handler: @Sendable (Request, WebContext) async throws -> Response

        /// `GET /api/v1/complaints/{number}`, as the document's paths and methods name it.
        var name: String { "\(method.rawValue) /api/v1/\(path)" }

        /// The path as Hummingbird's router reads it: `{number}` is `:number`.
        var routerPath: String {
            path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        }
    }

    /// Every route of the API: the server registers exactly these, and a test compares them with
    /// the OpenAPI document's paths.
    var operations: [Operation] {
        let app = self.app
        return [
            Operation(method: .get, path: "openapi.json") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                         body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
            },
            Operation(method: .post, path: "complaints") { request, context in try await fileComplaint(request, context) },
            Operation(method: .get, path: "complaints/{number}") { request, context in
                let reference = try ComplaintRoutes.reference(context, parameter: "number")
                return try await app.asToken(request, context) { session, _ in
                    try Self.json(try session.complaints.find(reference, on: session.connection).masked())
                }
            },
            Operation(method: .get, path: "cases/{id}") { request, context in
                let id = try context.recordID() as CaseID
                return try await app.asToken(request, context) { session, _ in
                    try Self.json(try session.cases.detail(id, on: session.connection).masked())
                }
            },
            Operation(method: .get, path: "flags") { request, context in
                let query = request.query
                var filter = FlagFilter()
                filter.department = query.value("department"); filter.status = query.value("status")
                filter.severity = query.value("severity"); filter.rule = query.value("rule")
                filter.projectCode = query.value("project"); filter.contractorUSCC = query.value("contractor")
                let chosen = filter
                return try await app.asToken(request, context) { session, _ in
                    try Self.json(try session.flags.list(chosen, on: session.connection))
                }
            },
            Operation(method: .post, path: "flags/{id}/review") { request, context in try await reviewFlag(request, context) },
            Operation(method: .get, path: "escalations") { request, context in
                let query = request.query
                var filter = EscalationFilter()
                filter.level = query.value("level")
                filter.status = query.value("status")
                let chosen = filter
                return try await app.asToken(request, context) { session, _ in
                    try Self.json(try session.escalations.list(chosen, now: session.now, on: session.connection))
                }
            },
            Operation(method: .get, path: "reports/weekly") { request, context in try await weeklyReport(request, context) },
        ]
    }

    func add(to router: Router<WebContext>, logger: Logger) {
        let api = router.group("api/v1")
        api.add(middleware: APIErrorMiddleware(logger: logger))
        for operation in operations {
            api.on(RouterPath(operation.routerPath), method: operation.method, use: operation.handler)
        }
        // Anything else under /api/v1 is a JSON 404, not the desk's page.
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            api.on("**", method: method) { _, _ -> Response in throw WagewatchError.notFound("no such API route") }
        }
    }

    private func weeklyReport(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = request.query
        // A parameter given empty is a bad value, not a missing one.
        let week = try query.fields["week"].map { text throws -> ISOWeek in
            do { return try ISOWeek(parsing: text, field: "week") } catch { throw WagewatchError.from(error) }
        }
        let lang = try query.fields["lang"].map { text throws -> ReportLanguage in
            guard let lang = ReportLanguage(rawValue: text) else {
                throw ValidationError(field: "lang", value: text, problem: "is not zh or en")
            }
            return lang
        } ?? .zh
        return try await app.asToken(request, context) { session, _ in
            let report = try WeeklyReport.build(week: week ?? ISOWeek.containing(session.today), region: nil,
                                                now: session.now, on: session.connection)
            let renderer = ReportRenderer(report: report, version: WagewatchVersion.current, generatedAt: session.now, language: lang)
            return Self.json(text: try renderer.json())
        }
    }

    // MARK: Answers

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        json(text: try JSONShapes.text(value, pretty: false), status: status)
    }

    static func json(text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The request body, at most 1 MB (413 beyond).
    static func body(_ request: Request) async throws -> [UInt8] {
        let limit = Configuration.Web.apiMaxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw APIError.tooLarge(limit) }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit)
        }
    }

    // MARK: POST /api/v1/complaints

    /// Files one complaint as the hotline's form does (the same validation and intake), 201 with
    /// the complaint. With `Idempotency-Key`: the same key and body again answer the first
    /// complaint (200), another body 409; two retries at once file one complaint.
    private func fileComplaint(_ request: Request, _ context: WebContext) async throws -> Response {
        let bytes = try await Self.body(request)
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        let fields = try JSONFields.read(bytes, fields: Self.complaintFields)
        let input: ComplaintInput
        switch ComplaintInput.parse({ fields.values[$0] }) {
        case .failure(let problems): throw problems
        case .success(let parsed): input = parsed
        }
        let requestHash = Data(Secrets.hash(token: fields.canonical))
        return try await app.asToken(request, context) { session, _ in
            if let key {
                let row = try session.connection.query(
                    "SELECT state, response FROM ww_api_idempotency_begin(\(key), \(requestHash))").one()
                switch try row.decode("state", as: String.self) {
                case "replay":
                    return Self.json(text: try row.decode("response", as: String.self), status: .ok, headers: [HTTPField.Name("Idempotent-Replayed")!: "true"])
                case "conflict":
                    throw WagewatchError.conflict("Idempotency-Key: \(key) was used with another body; use a new key for a new complaint")
                default: break
                }
            }
            let result = try session.intake.add(input, on: session.connection)
            let complaint = try session.complaints.find(result.id, on: session.connection).masked()
            let text = try JSONShapes.text(complaint, pretty: false)
            if let key {
                try session.connection.query("SELECT ww_api_idempotency_finish(\(key), \(result.id.value), \(text))")
            }
            return Self.json(text: text, status: .created, headers: [.location: "/api/v1/complaints/\(complaint.number)"])
        }
    }

    // MARK: POST /api/v1/flags/ID/review

    /// `{"action": "ack" | "confirm" | "dismiss", "confirm_action": …, "reason": …}`, the fields of
    /// the flag page's review form; answers the flag as reviewed.
    private func reviewFlag(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try context.recordID() as FlagID
        let bytes = try await Self.body(request)
        let fields = try JSONFields.read(bytes, fields: Self.reviewFields)
        let review: FlagReview
        switch fields.values["action"] {
        case "ack": review = .acknowledge
        case "confirm": review = .confirm(action: fields.values["confirm_action"] ?? "")
        case "dismiss": review = .dismiss(reason: fields.values["reason"] ?? "")
        default:
            throw ValidationError(field: "action", value: fields.values["action"] ?? "", problem: "is not ack, confirm or dismiss")
        }
        return try await app.asToken(request, context) { session, _ in
            // A flag the user may not read is not there for them (row security): 404, nothing written.
            _ = try session.flags.find(id, on: session.connection)
            let flag = try session.flags.review(id, review, reviewer: session.actor, on: session.connection)
            return try Self.json(flag)
        }
    }
}
