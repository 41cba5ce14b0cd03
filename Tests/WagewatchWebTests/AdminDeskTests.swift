import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// The administrators' desk beside /admin/users (issue 16, item 5): one user's page, resetting a
/// password, disabling and enabling a login, the sign-ins, the configuration in force and
/// audit verify — each as the administrator's own role, each refused to every other role.
@Suite("Web desk: the administrators' desk")
struct AdminDeskTests {
    @Test("an administrator disables a login: its open session ends, it cannot sign in, its API token and --as are refused, in the database; enabled again, all work")
    func disableAndEnable() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            // A login of this test's own: roles are cluster-wide, and the shared test users serve
            // every other test's database at the same time.
            let who = "dis_" + UUID().uuidString.prefix(8).lowercased()
            _ = try UserDirectory().add(name: who, role: "sector", department: "transport", regionCode: nil, on: web.db.connection)
            try UserDirectory().setPassword(name: who, hash: WebHarness.passwordHash, on: web.db.connection)
            let token = try APITests.token(web, who)
            let api = APITests.Client(client: client, token: token)
            #expect(try await api.send("/api/v1/flags").status == .ok)
            let sector = Browser(client)
            try await sector.signIn(who)
            #expect(try await sector.get("/flags").status == .ok)

            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            let page = try await admin.get("/admin/users/\(who)")
            #expect(page.status == .ok)
            #expect(page.field("login-state") == "正常")
            let disabled = try await admin.post("/admin/users/\(who)/disable", [])
            #expect(disabled.status == .seeOther)
            let after = try await admin.get(try #require(disabled.location))
            #expect(after.body.contains("账号已停用"))
            #expect(after.body.contains(#"data-field="login-state"><strong class="late">已停用"#))
            #expect(try await admin.get("/admin/users").field("state-\(who)") == "已停用")

            // The open session is over, a new sign-in is refused, and so is the token.
            #expect(try await sector.get("/flags").status == .seeOther)
            #expect(try await Browser(client).signIn(who).status == .unauthorized)
            let refused = try await api.send("/api/v1/flags")
            #expect(refused.status == .unauthorized)
            #expect("\(refused.error["message"] ?? "")".contains("disabled"))
            // In the database: NOLOGIN, and neither the server's login nor the administrators may become it.
            #expect(try web.count("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = \(who) AND NOT rolcanlogin") == 1)
            #expect(try web.count("""
                SELECT (pg_has_role('wagewatch_authenticator', \(who)::text, 'MEMBER')::int
                        + pg_has_role('wagewatch_admin', \(who)::text, 'MEMBER')::int) AS n
                """) == 0)
            #expect(throws: WagewatchError.self) {
                try UserDirectory().act(as: who, on: web.db.connection)
            }
            try web.db.connection.query("RESET ROLE")
            // In the audit log, as the administrator.
            #expect(try web.count("""
                SELECT count(*)::int AS n FROM audit_log
                WHERE table_name = 'users' AND action = 'update' AND actor = 'admin_sun' AND after ->> 'disabled_by' = 'admin_sun'
                """) == 1)
            #expect(try web.count("""
                SELECT count(*)::int AS n FROM audit_log
                WHERE table_name = 'sign_in_events' AND actor = 'admin_sun' AND after ->> 'event' = 'disabled'
                """) == 1)
            // Twice is a conflict; an administrator's UPDATE past the door is refused.
            let twice = try await admin.post("/admin/users/\(who)/disable", [])
            #expect(twice.status == .conflict, "\(twice.status) \(twice.body.suffix(600))")
            let asAdmin = try Connection(web.conninfo)
            try asAdmin.query("SET ROLE admin_sun")
            #expect(throws: (any Error).self) {
                try asAdmin.query("UPDATE users SET disabled_at = NULL WHERE name = \(who)")
            }

            let enabled = try await admin.post("/admin/users/\(who)/enable", [])
            #expect(enabled.status == .seeOther)
            #expect(try await admin.get(try #require(enabled.location)).body.contains("账号已重新启用"))
            #expect(try await Browser(client).signIn(who).status == .seeOther)
            #expect(try await api.send("/api/v1/flags").status == .ok)
            #expect(try web.count("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = \(who) AND rolcanlogin") == 1)
            #expect(try web.count("""
                SELECT (pg_has_role('wagewatch_authenticator', \(who)::text, 'MEMBER')::int
                        + pg_has_role('wagewatch_admin', \(who)::text, 'MEMBER')::int) AS n
                """) == 2)
            #expect(try await admin.post("/admin/users/\(who)/enable", []).status == .conflict)
        }
    }

    @Test("an administrator cannot disable their own login; an unknown user is 404")
    func ownLoginAndUnknown() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            let own = try await admin.get("/admin/users/\(WebHarness.admin)")
            #expect(own.body.contains("不能由自己停用"))
            #expect(!own.body.contains("/disable\""))
            #expect(try await admin.post("/admin/users/\(WebHarness.admin)/disable", []).status == .conflict)
            #expect(try web.count("SELECT count(*)::int AS n FROM users WHERE disabled_at IS NOT NULL") == 0)
            #expect(try await admin.get("/admin/users/nobody").status == .notFound)
            #expect(try await admin.post("/admin/users/nobody/disable", []).status == .notFound)
        }
    }

    @Test("an administrator resets a password: the person's sessions end, the old password fails, the new one works; too short is named")
    func resetPassword() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            let short = try await admin.post("/admin/users/\(WebHarness.inspector)/password", [("password", "short")])
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains(#"id="password-problem""#))
            #expect(try await inspector.get("/cases").status == .ok)

            let reset = try await admin.post("/admin/users/\(WebHarness.inspector)/password", [("password", "new-password-22")])
            #expect(reset.status == .seeOther)
            #expect(try await admin.get(try #require(reset.location)).body.contains("密码已重置"))
            #expect(try await inspector.get("/cases").status == .seeOther)
            #expect(try await Browser(client).signIn(WebHarness.inspector).status == .unauthorized)
            #expect(try await Browser(client).signIn(WebHarness.inspector, password: "new-password-22").status == .seeOther)
            #expect(try web.count("""
                SELECT count(*)::int AS n FROM audit_log
                WHERE table_name = 'sign_in_events' AND actor = 'admin_sun' AND after ->> 'event' = 'password_set'
                """) == 1)
        }
    }

    @Test("who signed in when: each user's last sign-in on the list, the recent sign-ins newest first")
    func signIns() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            _ = try await Browser(client).signIn(WebHarness.official)
            _ = try await Browser(client).signIn(WebHarness.official, password: "wrong-password")
            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            let users = try await admin.get("/admin/users")
            let last = try web.db.connection.query("""
                SELECT max(at) AS at FROM sign_in_events WHERE user_name = 'wang_juzhang' AND event = 'login'
                """).one().decode("at", as: Date.self)
            #expect(users.field("last-\(WebHarness.official)") == Format.minute(last))
            #expect(users.field("last-\(WebHarness.intake)") == "从未登录")
            let list = try await admin.get("/admin/sign-ins")
            #expect(list.status == .ok)
            let events = list.body.components(separatedBy: "data-event=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(events.prefix(3) == ["login", "failure", "login"])
            let mine = try await admin.get("/admin/users/\(WebHarness.official)")
            #expect(mine.field("last-sign-in") == Format.minute(last))
            #expect(mine.body.contains(#"data-event="failure""#))
        }
    }

    @Test("the configuration in force: every key the loader knows, its value and its default, a changed key marked")
    func configuration() async throws {
        let changed = try Configuration.load(toml: "[complaints]\ndecision_days = 7\n[rules.r7]\none_worker = \"8000.50\"\n", source: "test.toml")
        try await WebHarness.with(configuration: changed, now: webNow) { _, client in
            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            let page = try await admin.get("/admin/configuration")
            #expect(page.status == .ok)
            let entries = changed.entries
            #expect(entries.count > 30)
            #expect(page.field("config-keys") == String(entries.count))
            #expect(page.field("config-changed") == "2")
            for entry in entries {
                #expect(page.body.contains(#"data-field="value-\#(entry.key)"><code>\#(Self.escaped(entry.value))</code>"#), "\(entry.key)")
                #expect(page.body.contains(#"data-field="default-\#(entry.key)"><code>\#(Self.escaped(entry.defaultValue))</code>"#))
            }
            #expect(page.body.contains(#"data-field="value-complaints.decision_days"><code>7</code> <strong>"#))
            #expect(page.body.contains(#"data-field="default-complaints.decision_days"><code>5</code>"#))
            #expect(page.body.contains(#"data-field="value-rules.r7.one_worker"><code>&quot;8000.50&quot;</code>"#))
        }
    }

    /// Mustache's escaping of a value.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    @Test("audit verify in the page: the result and the last hash, the same as wagewatch audit verify's; a broken chain is named")
    func audit() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            let page = try await admin.get("/admin/audit")
            #expect(page.status == .ok)
            let verified = try AuditChain().verify(on: web.db.connection)
            #expect(verified.intact)
            #expect(page.field("audit-result") == "操作日志完整，未被改动。")
            #expect(page.field("audit-last-hash") == verified.lastHash)
            #expect(verified.lastHash.count == 64)
            // A row changed behind the program's back (as the superuser, triggers off): named at once.
            try web.db.connection.query("ALTER TABLE audit_log DISABLE TRIGGER USER")
            try web.db.connection.query("UPDATE audit_log SET actor = 'someone_else' WHERE id = (SELECT max(id) FROM audit_log)")
            try web.db.connection.query("ALTER TABLE audit_log ENABLE TRIGGER USER")
            let broken = try await admin.get("/admin/audit")
            #expect(broken.status == .ok)
            #expect(broken.field("audit-result")?.hasPrefix("操作日志校验失败") == true)
            #expect(broken.body.contains(#"data-field="audit-broken""#))
        }
    }

    /// Every route of the administrators' desk, for every role: an administrator gets in, every
    /// other role is refused (403) and a POST changes nothing.
    @Test("role matrix of the administrators' desk: 200 or 303 for an administrator, 403 for every other role, nothing written")
    func roleMatrix() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let gets = ["/admin/users", "/admin/users/\(WebHarness.official)", "/admin/sign-ins", "/admin/configuration", "/admin/audit"]
            let posts: [(String, [(String, String)])] = [
                ("/admin/users/\(WebHarness.official)/password", [("password", "forged-password-1")]),
                ("/admin/users/\(WebHarness.official)/disable", []),
                ("/admin/users", [("name", "forged_user"), ("role", "admin"), ("department", "labor"), ("password", "forged-password-1")]),
            ]
            let eventsBefore = try web.count("SELECT count(*)::int AS n FROM sign_in_events WHERE event IN ('password_set', 'disabled')")
            for name in [WebHarness.intake, WebHarness.inspector, WebHarness.official, WebHarness.sector] {
                let browser = Browser(client)
                try await browser.signIn(name)
                for path in gets {
                    #expect(try await browser.get(path).status == .forbidden, "\(name) GET \(path)")
                }
                for (path, fields) in posts {
                    #expect(try await browser.post(path, fields).status == .forbidden, "\(name) POST \(path)")
                }
            }
            #expect(try web.count("SELECT count(*)::int AS n FROM users WHERE disabled_at IS NOT NULL OR name = 'forged_user'") == 0)
            #expect(try web.count("SELECT count(*)::int AS n FROM sign_in_events WHERE event IN ('password_set', 'disabled')") == eventsBefore)
            // The official whose login the forged forms aimed at still signs in with the old password.
            #expect(try await Browser(client).signIn(WebHarness.official).status == .seeOther)

            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            for path in gets {
                #expect(try await admin.get(path).status == .ok, "admin GET \(path)")
            }
            // Anonymous: to the sign-in page.
            for path in gets {
                #expect(try await Browser(client).get(path).status == .seeOther, "anonymous GET \(path)")
            }
            // Without the form's CSRF token, even an administrator's POST changes nothing.
            #expect(try await admin.post("/admin/users/\(WebHarness.official)/disable", [], csrf: false).status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM users WHERE disabled_at IS NOT NULL") == 0)
        }
    }
}
