import Foundation
import HTTPTypes
import Logging
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

@Suite("Web desk: signing in (SPEC §8)")
struct SignInTests {
    @Test("an anonymous page request goes to /login?next=…, an anonymous POST is 401 and writes nothing")
    func anonymous() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            for path in ["/", "/complaints", "/complaints/new", "/cases", "/cases/1", "/projects", "/complaints/1"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther, "\(path)")
                let expected = path == "/" ? "/login" : "/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                #expect(page.location == expected, "\(path)")
            }
            let login = try await browser.get("/login")
            #expect(login.status == .ok)
            #expect(login.body.contains("id=\"username\"") && login.body.contains("id=\"password\""))
            let before = try web.count("SELECT count(*) AS n FROM complaints")
            let post = try await browser.post("/complaints", complaintForm())
            #expect(post.status == .unauthorized)
            #expect(try web.count("SELECT count(*) AS n FROM complaints") == before)
        }
    }

    @Test("every page of the route table, opened signed out, goes to /login?next= with its path and query; signing in there lands on it")
    func everyRouteKeepsNext() async throws {
        try await WebHarness.with { web, client in
            // Pages anyone may open, and the API (401 JSON, SPEC §9): not pages that need a user.
            // (`/status` is the complainant's own look-up, SPEC §10; `**` any other path, 404.)
            let open = ["/login", "/healthz", "/static/", "/status", "/**"], api = "/api/"
            let routes = web.server.router(logger: Logger(label: "routes")).routes
                .filter { $0.method == .get }.map { $0.path.description }
            #expect(routes.contains("/accounts/{account}") && routes.count > 20, "the table is read: \(routes)")
            var walked = 0
            for route in routes where !open.contains(where: { route.hasPrefix($0) }) && !route.hasPrefix(api) && route != "/" {
                // Each parameter a value of the kind a person's link carries (an account has a colon).
                let path = route.split(separator: "/", omittingEmptySubsequences: false).map { part in
                    part.hasPrefix("{") ? (part == "{account}" ? "wage:P-2026" : "12") : String(part)
                }.joined(separator: "/")
                let target = path + "?lang=en&q=%E9%83%91%E5%B7%9E&page=2"
                let page = try await Browser(client).get(target)
                #expect(page.status == .seeOther, "\(route)")
                #expect(page.location == "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                        "\(route): \(page.location ?? "no location")")
                walked += 1
            }
            #expect(walked > 20)
            // The login form carries it, and signing in leads there.
            let browser = Browser(client)
            let login = try await browser.get("/login?next=" + ("/accounts/wage:P-2026?page=2".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(login.body.contains("value=\"/accounts/wage:P-2026?page=2\""), "\(login.body)")
            let there = try await browser.signIn(WebHarness.inspector, next: "/accounts/wage:P-2026?page=2")
            #expect(there.location == "/accounts/wage:P-2026?page=2")
        }
    }

    @Test("a good password sets an HttpOnly, SameSite=Lax session cookie and answers 303; the database keeps only its hash")
    func goodPassword() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            _ = try await browser.get("/login")
            let answer = try await browser.post("/login", [("username", WebHarness.intake), ("password", WebHarness.password)])
            #expect(answer.status == .seeOther)
            #expect(answer.location == "/")
            let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("ww_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"), "plain http without an https --public-url")
            let token = try #require(browser.sessionCookie)
            #expect(token.count >= 43, "256 random bits, base64url")
            let stored = try web.db.connection.query("SELECT encode(token_hash, 'hex') AS h FROM web_sessions").map { try $0.decode("h", as: String.self) }
            #expect(stored.count == 1)
            #expect(!stored.contains(token))
            #expect(stored == [Secrets.hash(token: token).map { String(format: "%02x", $0) }.joined()])
            let desk = try await browser.get("/")
            #expect(desk.status == .ok)
            #expect(desk.body.contains(WebHarness.intake))
            // The sign-in is in the audit log.
            #expect(try web.count("""
                SELECT count(*) AS n FROM audit_log WHERE table_name = 'sign_in_events'
                AND after->>'event' = 'login' AND after->>'user_name' = \(WebHarness.intake)
                """) == 1)
        }
    }

    @Test("a wrong password and an unknown name both answer 401 with the form, and both are recorded")
    func wrongPassword() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            let wrong = try await browser.signIn(WebHarness.intake, password: "not-the-password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("id=\"username\""))
            #expect(browser.sessionCookie == nil)
            let unknown = try await browser.signIn("nobody_here", password: "whatever-1")
            #expect(unknown.status == .unauthorized)
            #expect(try web.count("SELECT count(*) AS n FROM sign_in_events WHERE event = 'failure'") == 2)
            #expect(try web.count("SELECT count(*) AS n FROM web_sessions") == 0)
        }
    }

    @Test("after 5 failures a name is refused with 429 even with the right password; another name is not")
    func lockout() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            for attempt in 1...5 {
                let page = try await browser.signIn(WebHarness.intake, password: "wrong-\(attempt)")
                #expect(page.status == .unauthorized, "attempt \(attempt)")
            }
            let locked = try await browser.signIn(WebHarness.intake)
            #expect(locked.status == .tooManyRequests)
            #expect(browser.sessionCookie == nil)
            #expect(try web.count("SELECT count(*) AS n FROM sign_in_events WHERE event = 'locked'") == 1)
            let other = Browser(client)
            #expect(try await other.signIn(WebHarness.inspector).status == .seeOther)
            // The window passes: the failures are older than 15 minutes.
            try web.db.connection.query("UPDATE sign_in_events SET at = at - interval '16 minutes' WHERE event = 'failure'")
            #expect(try await browser.signIn(WebHarness.intake).status == .seeOther)
        }
    }

    @Test("a session ends after 30 idle minutes and after 12 hours; the expiry is recorded")
    func expiry() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            try await browser.signIn(WebHarness.intake)
            #expect(try await browser.get("/").status == .ok)
            try web.db.connection.query("UPDATE web_sessions SET last_seen_at = now() - interval '31 minutes'")
            let idle = try await browser.get("/complaints")
            #expect(idle.status == .seeOther)
            #expect(idle.location == "/login?next=%2Fcomplaints")
            #expect(try web.count("SELECT count(*) AS n FROM web_sessions WHERE ended_why = 'idle'") == 1)
            #expect(try web.count("SELECT count(*) AS n FROM sign_in_events WHERE event = 'expired'") == 1)

            try await browser.signIn(WebHarness.intake)
            try web.db.connection.query(
                "UPDATE web_sessions SET created_at = now() - interval '721 minutes' WHERE ended_at IS NULL")
            #expect(try await browser.get("/").status == .seeOther)
            #expect(try web.count("SELECT count(*) AS n FROM web_sessions WHERE ended_why = 'expired'") == 1)

            // Used within the idle time, a session goes on.
            try await browser.signIn(WebHarness.intake)
            try web.db.connection.query("UPDATE web_sessions SET last_seen_at = now() - interval '29 minutes' WHERE ended_at IS NULL")
            #expect(try await browser.get("/").status == .ok)
        }
    }

    @Test("reading a session writes nothing within a minute of its last recorded use; after that a request moves it")
    func sessionTouchedOncePerMinute() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            try await browser.signIn(WebHarness.intake)
            let seen: SQL = "SELECT (extract(epoch FROM last_seen_at) * 1000000)::bigint AS n FROM web_sessions WHERE ended_at IS NULL"
            try web.db.connection.query("UPDATE web_sessions SET last_seen_at = now() - interval '20 seconds' WHERE ended_at IS NULL")
            let before = try web.count(seen)
            #expect(try await browser.get("/").status == .ok)
            #expect(try await browser.get("/complaints").status == .ok)
            #expect(try web.count(seen) == before, "a session used within the minute was written again")
            try web.db.connection.query("UPDATE web_sessions SET last_seen_at = now() - interval '5 minutes' WHERE ended_at IS NULL")
            let old = try web.count(seen)
            #expect(try await browser.get("/").status == .ok)
            #expect(try web.count(seen) > old + 240_000_000, "a request after the minute did not record its use")
        }
    }

    @Test("POST /logout ends the session: the old cookie no longer opens a page; a logout without the CSRF token is 403")
    func logout() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            try await browser.signIn(WebHarness.intake)
            let token = try #require(browser.sessionCookie)
            #expect(try await browser.post("/logout", [], csrf: false).status == .forbidden)
            #expect(try await browser.get("/").status == .ok)
            let out = try await browser.post("/logout", [])
            #expect(out.status == .seeOther)
            #expect(out.location?.hasPrefix("/login") == true)
            #expect(try web.count("SELECT count(*) AS n FROM web_sessions WHERE ended_why = 'logout'") == 1)
            #expect(try web.count("SELECT count(*) AS n FROM sign_in_events WHERE event = 'logout'") == 1)
            // The same token again (a copied cookie) opens nothing.
            let copy = Browser(client)
            _ = try await copy.get("/login")
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: "ww_session=\(token)"])
            #expect(page.status == .seeOther)
        }
    }

    @Test("next= leads only to a path of this desk")
    func nextIsRelative() async throws {
        #expect(SignInRoutes.safeNext("/cases/12") == "/cases/12")
        #expect(SignInRoutes.safeNext("/complaints?status=pending&page=2") == "/complaints?status=pending&page=2")
        #expect(SignInRoutes.safeNext("/accounts/wage:P-1?q=%E9%83%91") == "/accounts/wage:P-1?q=%E9%83%91")
        for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil", "/login",
                        "/a\r\nSet-Cookie: x=1", "/a b", "/\u{90D1}", ""] {
            #expect(SignInRoutes.safeNext(hostile) == "/", "\(hostile)")
        }
        try await WebHarness.with { _, client in
            let browser = Browser(client)
            let there = try await browser.signIn(WebHarness.inspector, next: "/cases")
            #expect(there.location == "/cases")
            let away = Browser(client)
            let home = try await away.signIn(WebHarness.intake, next: "//evil.example/steal")
            #expect(home.location == "/")
        }
    }

    @Test("the login form without its CSRF token is 403 and signs nobody in")
    func loginCSRF() async throws {
        try await WebHarness.with { web, client in
            let browser = Browser(client)
            let page = try await browser.post("/login", [("username", WebHarness.intake), ("password", WebHarness.password)], csrf: false)
            #expect(page.status == .forbidden)
            #expect(try web.count("SELECT count(*) AS n FROM web_sessions") == 0)
        }
    }

    @Test("?lang=en switches the pages to English and the session remembers it")
    func language() async throws {
        try await WebHarness.with { _, client in
            let browser = Browser(client)
            try await browser.signIn(WebHarness.intake)
            #expect(try await browser.get("/").body.contains("退出登录"))
            #expect(try await browser.get("/?lang=en").body.contains("Sign out"))
            let later = try await browser.get("/complaints")
            #expect(later.body.contains("Sign out"))
            #expect(later.body.contains("<html lang=\"en\">"))
        }
    }

    @Test("every answer carries the strict Content-Security-Policy, nosniff and Referrer-Policy; /healthz says ok")
    func headers() async throws {
        try await WebHarness.with { _, client in
            let browser = Browser(client)
            try await browser.signIn(WebHarness.inspector)
            for path in ["/login", "/", "/complaints", "/complaints/new", "/cases", "/projects", "/static/wagewatch.css", "/no-such-page"] {
                let page = try await browser.get(path)
                let csp = try #require(page.headers[.contentSecurityPolicy], "\(path)")
                #expect(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(path)")
                #expect(!page.body.contains("<script>") && !page.body.contains(" style=\""), "no inline script or style: \(path)")
            }
            let health = try await browser.get("/healthz")
            #expect(health.status == .ok)
            #expect(health.body == "ok\n")
        }
    }

    @Test("one log line per request: method, path without the query, status, ms and user; never a password, token or phone")
    func requestLog() async throws {
        let log = LogLines()
        try await WebHarness.with(now: webNow, log: log) { _, client in
            let browser = Browser(client)
            try await browser.signIn(WebHarness.intake)
            _ = try await browser.post("/complaints", complaintForm(phone: "13812345678"))
            _ = try await browser.get("/complaints?q=13812345678")
            _ = try await browser.get("/accounts/worker:110101199003074514")
            let token = try #require(browser.sessionCookie)
            let lines = log.all.filter { $0.contains("ms user=") }
            #expect(lines.contains { $0.contains("POST /login 303") && $0.hasSuffix("user=\(WebHarness.intake)") })
            #expect(lines.contains { $0.contains("GET /complaints 200") })
            #expect(lines.contains { $0.contains("POST /complaints 303") })
            #expect(lines.contains { $0.contains("GET /accounts/worker:* ") })
            for line in log.all {
                #expect(!line.contains(WebHarness.password))
                #expect(!line.contains(token))
                #expect(!line.contains("13812345678"))
                #expect(!line.contains("110101199003074514"))
            }
        }
    }
}
