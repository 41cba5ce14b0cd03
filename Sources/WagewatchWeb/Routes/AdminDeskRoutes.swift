import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// The rest of the administrators' desk (issue 16, item 5), beside `/admin/users`:
/// - `GET /admin/users/NAME`: one user, their login's state and sign-ins; `POST
///   /admin/users/NAME/password` (`password`), `POST /admin/users/NAME/disable`, `POST
///   /admin/users/NAME/enable`, through the doors of `wagewatch user passwd / disable / enable`;
/// - `GET /admin/sign-ins`: the newest sign-in events;
/// - `GET /admin/configuration`: every key in force with its value and default (read-only);
/// - `GET /admin/audit`: `wagewatch audit verify`, through the same Core code.
/// Every page runs as the administrator's own role, and only an administrator's grants open it.
struct AdminDeskRoutes: Sendable {
    let app: WebApp

    static let signInsShown = 100

    func add(to router: Router<WebContext>) {
        router.get("/admin/users/:name") { request, context in
            let name = context.parameters.get("name") ?? ""
            let done = request.query.value("done")
            return try await app.asUser(request, context) { session, signed in
                try userPage(session, signed, name: name, done: done)
            }
        }
        router.post("/admin/users/:name/password") { request, context in try await resetPassword(request, context) }
        router.post("/admin/users/:name/disable") { request, context in try await setDisabled(request, context, true) }
        router.post("/admin/users/:name/enable") { request, context in try await setDisabled(request, context, false) }
        router.get("/admin/sign-ins") { request, context in
            try await app.asUser(request, context) { session, signed in
                try Self.mayAdminister(session)
                let lang = signed.lang
                let events = try session.users.signIns(limit: Self.signInsShown, on: session.connection)
                return app.pages.page("sign_ins", ["rows": Self.eventRows(events, lang, withName: true), "shown": Self.signInsShown],
                                      chrome: app.chrome(signed, path: "/admin/sign-ins", title: Words.text("sign_ins", lang)))
            }
        }
        router.get("/admin/configuration") { request, context in
            try await app.asUser(request, context) { session, signed in
                try Self.mayAdminister(session)
                let entries = session.configuration.entries
                let rows = entries.map { e -> [String: Any] in
                    ["key": e.key, "value": e.value, "default": e.defaultValue, "changed": !e.isDefault]
                }
                return app.pages.page(
                    "configuration",
                    ["rows": rows, "keys": entries.count, "changed": entries.filter { !$0.isDefault }.count],
                    chrome: app.chrome(signed, path: "/admin/configuration", title: Words.text("configuration", signed.lang)))
            }
        }
        router.get("/admin/audit") { request, context in
            try await app.asUser(request, context) { session, signed in
                try Self.mayAdminister(session)
                let lang = signed.lang
                let result = try session.audit.verify(on: session.connection)
                var view: [String: Any] = [
                    "intact": result.intact, "rows": Money.thousands(result.rowsVerified), "lastHash": result.lastHash,
                    "checkedAt": Format.minute(session.now),
                ]
                if !result.intact {
                    view["broken"] = ["id": result.firstBrokenID ?? "?", "problem": result.problem?.rawValue ?? "broken",
                                      "detail": result.detail ?? ""]
                }
                return app.pages.page("audit", view,
                                      chrome: app.chrome(signed, path: "/admin/audit", title: Words.text("audit_verify", lang)))
            }
        }
    }

    /// Only administrators: the roles the grants let read the sign-in sessions.
    static func mayAdminister(_ session: Session) throws {
        guard try session.may("SELECT", on: "web_sessions") else {
            throw WagewatchError.denied("permission denied: only administrators manage users, the configuration and the audit log")
        }
    }

    static func eventRows(_ events: [UserDirectory.SignInEvent], _ lang: ReportLanguage, withName: Bool) -> [[String: Any]] {
        events.map { e in
            ["at": Format.minute(e.at), "name": e.userName, "known": withName,
             "event": Words.text("sign_in_event_" + e.event, lang, otherwise: e.event), "eventCode": e.event,
             "address": e.address ?? "—", "bad": ["failure", "locked", "disabled"].contains(e.event)]
        }
    }

    private func userPage(_ session: Session, _ signed: Signed, name: String, done: String?, problems: [ValidationError] = [],
                          alerts: [String] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        try Self.mayAdminister(session)
        let lang = signed.lang
        func w(_ key: String) -> String { Words.text(key, lang) }
        guard let login = try session.users.logins(on: session.connection).first(where: { $0.user.name == name }) else {
            throw WagewatchError.notFound("no user \(name)")
        }
        let events = try session.users.signIns(limit: 20, user: name, on: session.connection)
        var fields = [Field(name: "password", label: w("new_password"), kind: .password, hint: w("password_hint"), required: true,
                            autocomplete: "new-password")]
        let stray = fields.place(problems, signed.lang)
        var notices: [String] = []
        if let done, ["password", "disabled", "enabled"].contains(done) { notices.append(w("user_done_" + done)) }
        let user = login.user
        let view: [String: Any] = [
            "csrf": signed.csrf, "name": user.name, "role": Labels.text(.userRole, user.role.rawValue, lang),
            "department": Labels.text(.department, user.department.rawValue, lang), "region": user.regionCode ?? w("all_regions"),
            "lastSignIn": login.lastSignIn.map(Format.minute) ?? w("never"),
            "disabled": login.disabledAt != nil,
            "disabledSince": Format.minute(login.disabledAt), "disabledBy": login.disabledBy ?? "",
            "self": user.name == signed.name,
            "fields": fields.map(\.view), "events": Self.eventRows(events, lang, withName: false), "hasEvents": !events.isEmpty,
            "notices": notices, "alerts": (problems.isEmpty ? [] : [w("fix_fields")]) + stray + alerts,
        ]
        return app.pages.page("user", view, chrome: app.chrome(signed, path: "/admin/users/\(user.name)", title: w("user") + " " + user.name),
                              status: status)
    }

    /// POST /admin/users/NAME/password: `password`, through the door of `wagewatch user passwd`
    /// (their web sessions end; their database login gets the same password).
    private func resetPassword(_ request: Request, _ context: WebContext) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let form = try await Form.read(request, context: context)
        let password = form.fields["password"] ?? ""
        let hash = try await AdminRoutes.hashed(password, app: app)
        return try await app.asUser(request, context, form: form) { session, signed in
            try Self.mayAdminister(session)
            switch hash {
            case .failure(let problem):
                return try userPage(session, signed, name: name, done: nil, problems: [problem], status: .unprocessableContent)
            case .success(let hashed):
                try session.users.setPassword(name: name, hash: hashed, password: password, on: session.connection)
                return Response(status: .seeOther, headers: [.location: "/admin/users/\(name)?done=password"])
            }
        }
    }

    /// POST /admin/users/NAME/disable and …/enable, through the door of `wagewatch user disable / enable`.
    private func setDisabled(_ request: Request, _ context: WebContext, _ disabled: Bool) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            try Self.mayAdminister(session)
            do {
                // A savepoint: a refusal leaves the request's transaction usable for the page that names it.
                try session.connection.transaction { tx in try session.users.setDisabled(name: name, disabled, on: tx) }
            } catch {
                let refusal = WagewatchError.from(error)
                guard refusal.kind == .conflict else { throw error }
                return try userPage(session, signed, name: name, done: nil, alerts: [refusal.text(signed.lang)], status: .conflict)
            }
            return Response(status: .seeOther, headers: [.location: "/admin/users/\(name)?done=\(disabled ? "disabled" : "enabled")"])
        }
    }
}
