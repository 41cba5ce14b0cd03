import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// GET/POST /login and POST /logout (SPEC §8). Before sign-in the form's CSRF token is a
/// random value in a short-lived cookie of its own, echoed by the form (double submit).
struct SignInRoutes: Sendable {
    let app: WebApp
    static let loginCSRFCookie = "ww_login_csrf"

    func add(to router: Router<WebContext>) {
        router.get("/login") { request, _ in
            let query = request.query
            let language = query.value("lang").flatMap(ReportLanguage.init(rawValue:)) ?? .zh
            return loginPage(language: language, next: Self.safeNext(query.value("next")), username: "",
                             alerts: [], status: .ok,
                             notices: query.value("signed_out") != nil ? [Words.text("signed_out", language)] : [])
        }
        router.post("/login") { request, context in try await signIn(request, context) }
        router.post("/logout") { request, context in try await signOut(request, context) }
    }

    /// `next=` only ever leads to a path of this desk: one leading `/`, no `//` or `/\`
    /// (another host), no scheme, no control characters or spaces; any other character a path or
    /// query may carry as it arrives (RFC 3986's pchar and query: `/accounts/wage:P1`,
    /// `/complaints?q=%E9%83%91`) is kept, so that a signed-out person lands where they were going.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || Self.pathCharacters.contains($0)) }),
              !next.hasPrefix("/login"), !next.hasPrefix("/logout") else { return "/" }
        return next
    }

    /// What besides letters and digits a relative path with its query may hold (RFC 3986).
    private static let pathCharacters = CharacterSet(charactersIn: "/-_.~?=&%+!$'()*,;:@")

    private func loginPage(language: ReportLanguage, next: String, username: String, alerts: [String],
                           status: HTTPResponse.Status, notices: [String] = []) -> Response {
        let csrf = Secrets.token()
        var response = app.pages.page(
            "login",
            ["csrf": csrf, "next": next, "lang": language.rawValue, "username": username, "alerts": alerts, "notices": notices],
            chrome: .init(language: language, signed: nil, path: "/login", title: Words.text("sign_in", language)),
            status: status)
        response.setCookie(Cookie(name: Self.loginCSRFCookie, value: csrf, maxAge: 3600, path: "/login",
                                  secure: app.options.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    private func signIn(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let language = form.value("lang").flatMap(ReportLanguage.init(rawValue:)) ?? .zh
        let next = Self.safeNext(form.value("next"))
        guard let sent = form.value("_csrf"), let expected = request.cookies[Self.loginCSRFCookie]?.value,
              Secrets.same(sent, expected) else {
            return app.pages.page("error", ["heading": Words.text("sign_in", language), "message": Words.text("bad_csrf", language)],
                                  chrome: .init(language: language, signed: nil, path: "/login", title: Words.text("sign_in", language)),
                                  status: .forbidden)
        }
        let name = form.value("username") ?? ""
        let password = form.fields["password"] ?? ""
        let address = context.address
        // The lockout and the hash, as the server's own login (the sign-in doors).
        let (locked, hash): (Bool, String?) = try await app.asServer { tx in
            let row = try tx.query("SELECT locked, hash FROM ww_web_password(\(name), \(address))").one()
            return (try row.decode("locked"), try row.decode("hash"))
        }
        if locked {
            return loginPage(language: language, next: next, username: name,
                             alerts: [Words.text("locked_out", language)], status: .tooManyRequests)
        }
        // One full bcrypt computation whether or not the name exists, off the event loop.
        let matched = try await app.pool.compute { Secrets.verify(password, hash: hash) }
        guard matched else {
            _ = try await app.asServer { tx in try tx.query("SELECT ww_web_sign_in_failed(\(name), \(address))") }
            return loginPage(language: language, next: next, username: name,
                             alerts: [Words.text("sign_in_failed", language)], status: .unauthorized)
        }
        let token = Secrets.token()
        let tokenHash = Data(Secrets.hash(token: token))
        let csrf = Secrets.token()
        _ = try await app.asServer { tx in
            try tx.query("SELECT ww_web_sign_in(\(name), \(tokenHash), \(csrf), \(language.rawValue), \(address))")
        }
        context.userName.name = name
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(Cookie(name: WebApp.sessionCookie, value: token, path: "/",
                                  secure: app.options.secureCookies, httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: Self.loginCSRFCookie, value: "", maxAge: 0, path: "/login",
                                  secure: app.options.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    private func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        // The CSRF check of every POST: a forged form cannot sign anyone out.
        let signed = try await app.asUser(request, context, form: form) { _, signed in signed }
        if let token = request.cookies[WebApp.sessionCookie]?.value {
            let tokenHash = Data(Secrets.hash(token: token))
            let address = context.address
            _ = try await app.asServer { tx in try tx.query("SELECT ww_web_sign_out(\(tokenHash), \(address))") }
        }
        var response = Response(status: .seeOther, headers: [.location: "/login?signed_out=1&lang=\(signed.lang.rawValue)"])
        response.setCookie(Cookie(name: WebApp.sessionCookie, value: "", maxAge: 0, path: "/",
                                  secure: app.options.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }
}
