import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// The import form (`GET /imports/new`, `POST /imports`) and the administrators' user list
/// (`GET /admin/users`, `POST /admin/users`) of SPEC §8. Both run as the signed-in user: an
/// import through the same engine as `wagewatch import` (all or nothing, every bad line
/// listed), a new user through the same door as `wagewatch user add`.
struct AdminRoutes: Sendable {
    let app: WebApp

    /// The largest file the import form takes (the CLI has no limit; a province's file goes there).
    static let maxImportBytes = 64 << 20

    func add(to router: Router<WebContext>) {
        router.get("/imports/new") { request, context in
            let query = request.query
            return try await app.asUser(request, context) { session, signed in
                try Self.mayImport(session)
                // After a file was taken (303 here): what it came to, as the POST put it in the address.
                let summary = Self.summary(from: query, session)
                return importPage(session, signed, kind: query.value("kind"), dryRun: summary?.dryRun ?? false, summary: summary)
            }
        }
        router.post("/imports") { request, context in try await importFile(request, context) }
        router.get("/admin/users") { request, context in
            let added = request.query.value("added")
            return try await app.asUser(request, context) { session, signed in
                try usersPage(session, signed, typed: Form(), problems: [], notices: [], added: added)
            }
        }
        router.post("/admin/users") { request, context in try await addUser(request, context) }
    }

    // MARK: Imports

    /// Inspectors and administrators import (SPEC §8): those who may call the imports' doors
    /// (sql/functions/import_*.sql). What a file may write is still up to the doors, the grants
    /// and row security, line by line.
    static func mayImport(_ session: Session) throws {
        guard try session.may(call: "ww_import_employers()") else {
            throw WagewatchError.denied("permission denied: only inspectors and administrators import files")
        }
    }

    private func importPage(_ session: Session, _ signed: Signed, kind: String?, dryRun: Bool, fileProblem: String? = nil,
                            summary: ImportSummary? = nil, problems: [CSVError] = [], more: Int = 0, alerts: [String] = [],
                            status: HTTPResponse.Status = .ok) -> Response {
        let lang = signed.lang
        func w(_ key: String) -> String { Words.text(key, lang) }
        let kinds = ImportKinds.all(session)
        let names = kinds.map { type(of: $0).kind }
        let fields = [
            Field(name: "kind", label: w("import_kind"), kind: .select(names.map { ($0, Self.kindLabel($0, lang)) }),
                  value: kind ?? names[0], required: true),
            Field(name: "dry_run", label: w("dry_run"), kind: .checkbox, value: dryRun ? "true" : ""),
        ]
        var view: [String: Any] = [
            "csrf": signed.csrf, "fields": fields.map(\.view), "alerts": alerts, "notices": [String](),
            "fileProblem": fileProblem ?? false,
            "kinds": kinds.map { k -> [String: Any] in
                let schema = type(of: k).schema
                return ["label": Self.kindLabel(type(of: k).kind, lang), "columns": (schema.required + schema.optional).joined(separator: ",")]
            },
            "hasProblems": !problems.isEmpty,
            "problems": problems.map { ["line": $0.line == 0 ? "—" : String($0.line), "column": $0.column ?? "", "problem": $0.problem] },
            "more": more > 0 ? (lang == .zh ? "另有 \(more) 处错误未列出" : "… and \(more) more") : "",
        ]
        if let summary {
            view["summary"] = [
                "heading": w(summary.dryRun ? "would_import_heading" : "imported_heading") + " · " + Self.kindLabel(summary.kind, lang)
                    + " · " + (lang == .zh ? "\(summary.rows) 行" : "\(summary.rows) rows"),
                "counts": summary.counts.sorted { $0.key < $1.key }.map { ["key": $0.key, "label": Words.text("count_" + $0.key, lang, otherwise: $0.key), "value": $0.value] },
            ] as [String: Any]
        }
        return app.pages.page("import", view, chrome: app.chrome(signed, path: "/imports/new", title: w("import_csv")), status: status)
    }

    static func kindLabel(_ kind: String, _ lang: ReportLanguage) -> String {
        let zh = ["employers": "用人单位", "projects": "工程项目", "workers": "农民工实名信息", "complaints": "投诉",
                  "payroll": "工资表", "attendance": "考勤", "transfers": "资金往来", "calendar": "节假日与调休"]
        return lang == .zh ? "\(zh[kind] ?? kind)（\(kind)）" : kind
    }

    /// POST /imports: `kind`, `file` (multipart), `dry_run`. The file goes to a private temporary
    /// file and through the import engine on a connection of its own (its staging tables belong
    /// to this user's role and must not stay in a pooled session). A refused file answers 422 with
    /// every bad line and writes nothing.
    private func importFile(_ request: Request, _ context: WebContext) async throws -> Response {
        guard let boundary = Multipart.boundary(contentType: request.headers[.contentType]) else {
            throw WagewatchError.invalid("file: the import form is sent as multipart/form-data")
        }
        let buffer = try await request.body.collect(upTo: Self.maxImportBytes)
        let form: Multipart
        do {
            form = try Multipart(body: Array(buffer.readableBytesView), boundary: boundary)
        } catch {
            throw WagewatchError.invalid("file: \(error)")
        }
        let kind = form.value("kind") ?? ""
        let dryRun = form.value("dry_run") == "true"
        let file = form.part("file")
        return try await app.asUser(request, context, csrf: form.value("_csrf") ?? "", ownConnection: true) { session, signed in
            try Self.mayImport(session)
            guard let file, !file.bytes.isEmpty else {
                return importPage(session, signed, kind: kind, dryRun: dryRun, fileProblem: Words.text("no_file", signed.lang),
                                  status: .unprocessableContent)
            }
            let importer: any ImportKind
            do {
                importer = try ImportKinds.named(kind, session)
            } catch {
                return importPage(session, signed, kind: nil, dryRun: dryRun, alerts: [WagewatchError.from(error).text(signed.lang)],
                                  status: .unprocessableContent)
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("wagewatch-import-\(UUID().uuidString).csv").path
            guard FileManager.default.createFile(atPath: path, contents: Data(file.bytes), attributes: [.posixPermissions: 0o600]) else {
                throw WagewatchError.failure("could not keep the uploaded file")
            }
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                let summary = try importer.run(path: path, dryRun: dryRun, on: session.connection)
                return Response(status: .seeOther, headers: [.location: Self.resultAddress(summary)])
            } catch let problems as ImportProblems {
                return importPage(session, signed, kind: kind, dryRun: dryRun, problems: problems.errors,
                                  more: problems.count - problems.errors.count, status: .unprocessableContent)
            } catch let error as CSVError {
                return importPage(session, signed, kind: kind, dryRun: dryRun, problems: [error], status: .unprocessableContent)
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict, .notFound].contains(refusal.kind) else { throw error }
                return importPage(session, signed, kind: kind, dryRun: dryRun, alerts: [refusal.text(signed.lang)],
                                  status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }

    /// `/imports/new?kind=employers&rows=3&dry_run=false&n_inserted=3…`: where a taken file's
    /// POST sends the browser (SPEC §8: 303 after a successful POST), the summary in the address.
    static func resultAddress(_ summary: ImportSummary) -> String {
        var query = ["kind=\(summary.kind)", "rows=\(summary.rows)", "dry_run=\(summary.dryRun)"]
        query += summary.counts.sorted { $0.key < $1.key }.map { "n_\($0.key)=\($0.value)" }
        return "/imports/new?" + query.joined(separator: "&")
    }

    /// The summary `resultAddress` wrote, for a known kind; nil for the bare form.
    static func summary(from query: Form, _ session: Session) -> ImportSummary? {
        guard let kind = query.value("kind"), let rows = query.value("rows").flatMap(Int.init), rows >= 0,
              ImportKinds.all(session).contains(where: { type(of: $0).kind == kind }) else { return nil }
        var counts: [String: Int] = [:]
        for (key, value) in query.fields where key.hasPrefix("n_") {
            if let n = Int(value) { counts[String(key.dropFirst(2))] = n }
        }
        return ImportSummary(kind: kind, rows: rows, dryRun: query.value("dry_run") == "true", counts: counts)
    }

    // MARK: Users

    private func userFields(_ typed: Form, _ lang: ReportLanguage) -> [Field] {
        func w(_ key: String) -> String { Words.text(key, lang) }
        let departments = Department.allCases.map(\.rawValue)
        return [
            Field(name: "name", label: w("username"), value: typed.typed("name"), hint: "a-z 0-9 _", required: true),
            Field(name: "role", label: w("role"), kind: .select(Format.choices(.userRole, UserDirectory.roles, lang)),
                  value: typed.fields["role"] ?? "intake", required: true),
            Field(name: "department", label: w("user_department"), kind: .select(Format.choices(.department, departments, lang)),
                  value: typed.fields["department"] ?? "labor", required: true),
            Field(name: "region", label: w("region_code"), value: typed.typed("region"), hint: w("region_hint"), inputMode: "numeric"),
            Field(name: "password", label: w("password"), kind: .password, hint: w("password_hint"), required: true,
                  autocomplete: "new-password"),
        ]
    }

    private func usersPage(_ session: Session, _ signed: Signed, typed: Form, problems: [ValidationError], notices: [String],
                           alerts: [String] = [], added: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = signed.lang
        // Only administrators manage users: the roles the grants let read the sign-in sessions.
        guard try session.may("SELECT", on: "web_sessions") else {
            throw WagewatchError.denied("permission denied: only administrators manage users")
        }
        var fields = userFields(typed, lang)
        let stray = fields.place(problems, signed.lang)
        let logins = try session.users.logins(on: session.connection)
        var notices = notices
        if let added, logins.contains(where: { $0.user.name == added }) {
            notices.append(Words.text("user_added", lang) + " " + added)
        }
        let rows = logins.map { login -> [String: Any] in
            let u = login.user
            return ["name": u.name, "role": Labels.text(.userRole, u.role.rawValue, lang),
                    "department": Labels.text(.department, u.department.rawValue, lang), "region": u.regionCode ?? "—",
                    "disabled": login.disabledAt != nil, "state": Words.text(login.disabledAt == nil ? "login_active" : "login_disabled", lang),
                    "lastSignIn": login.lastSignIn.map(Format.minute) ?? Words.text("never", lang)]
        }
        return app.pages.page(
            "users",
            ["csrf": signed.csrf, "rows": rows, "fields": fields.map(\.view), "notices": notices,
             "alerts": (problems.isEmpty ? [] : [Words.text("fix_fields", lang)]) + stray + alerts],
            chrome: app.chrome(signed, path: "/admin/users", title: Words.text("admin_users", lang)), status: status)
    }

    /// The form's `password`, checked and hashed (slowly, on purpose) off the event loop and
    /// before the request's transaction; a short one is the `password` field's problem.
    static func hashed(_ password: String, app: WebApp) async throws -> Result<String, ValidationError> {
        do {
            return .success(try await app.pool.compute { try Passwords.hash(password) })
        } catch let short as Passwords.PasswordTooShort {
            return .failure(ValidationError(field: "password", value: "", problem: "is shorter than \(short.minimum) characters"))
        }
    }

    /// POST /admin/users: `name`, `role`, `department`, `region`, `password`, through the door of
    /// `wagewatch user add` (the database refuses anyone but an administrator).
    private func addUser(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let password = form.fields["password"] ?? ""
        let hash = try await Self.hashed(password, app: app)
        return try await app.asUser(request, context, form: form) { session, signed in
            var problems: [ValidationError] = []
            let region: String?
            do {
                region = try form.value("region").map { try RegionCode(parsing: $0, field: "region").value }
            } catch let error as ValidationError {
                problems.append(error)
                region = nil
            }
            if case .failure(let problem) = hash { problems.append(problem) }
            guard problems.isEmpty, case .success(let hashed) = hash else {
                return try usersPage(session, signed, typed: form, problems: problems, notices: [], status: .unprocessableContent)
            }
            let name = form.value("name") ?? ""
            do {
                let user = try session.connection.transaction { tx in
                    let user = try session.users.add(name: name, role: form.value("role") ?? "", department: form.value("department") ?? "",
                                                     regionCode: region, on: tx)
                    try session.users.setPassword(name: user.name, hash: hashed, password: password, on: tx)
                    return user
                }
                return Response(status: .seeOther, headers: [.location: "/admin/users?added=\(user.name)"])
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict, .notFound].contains(refusal.kind) else { throw error }
                let problem = ValidationError.beside(refusal, fields: ["name", "role", "department", "region"], typed: form)
                return try usersPage(session, signed, typed: form, problems: problem.map { [$0] } ?? [],
                                     notices: [], alerts: problem == nil ? [refusal.text(signed.lang)] : [],
                                     status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }
}
