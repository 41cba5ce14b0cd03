import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresClient
import Testing
import TestSupport
import WagewatchCore
@testable import WagewatchWeb

/// SPEC §8's import form and user administration, through the router with a real PostgreSQL.
@Suite("Web desk: imports in the browser and the administrators' users")
struct AdminPageTests {
    static let employers = """
        uscc,name,kind,region_code,legal_rep,phone
        11410102MB0T48211D,郑州市中原区交通运输局,owner,410102,赵建华,0371-67180000
        91410102MA9G2K37XK,河南豫通路桥工程有限公司,general_contractor,410102,陈国强,13903710000
        91410102MA45R8N12W,郑州宏达建筑劳务有限公司,subcontractor,410102,刘宏达,13703710000

        """

    /// A multipart/form-data POST of the import form, as a browser sends it.
    static func upload(_ browser: Browser, kind: String, file: String, dryRun: Bool = false, csrf: Bool = true,
                       filename: String = "employers.csv") async throws -> Browser.Page {
        let boundary = "----wagewatch\(UUID().uuidString.prefix(8))"
        var body = ""
        func field(_ name: String, _ value: String) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        if csrf, let token = browser.csrf { field("_csrf", token) }
        field("kind", kind)
        if dryRun { field("dry_run", "true") }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n"
        body += file + "\r\n--\(boundary)--\r\n"
        return try await browser.send("/imports", method: .post, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    @Test("an inspector imports a CSV file through the form: checked first with a dry run, then written, all or nothing")
    func importEmployers() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            let form = try await inspector.get("/imports/new")
            #expect(form.status == .ok)
            #expect(form.body.contains(#"enctype="multipart/form-data""#))
            #expect(form.body.contains("uscc,name,kind,region_code,legal_rep,phone"))

            let checked = try await Self.upload(inspector, kind: "employers", file: Self.employers, dryRun: true)
            #expect(checked.status == .seeOther)
            let dry = try await inspector.get(try #require(checked.location))
            #expect(dry.body.contains("检查通过（未写入）"))
            #expect(try web.count("SELECT count(*)::int AS n FROM employers") == 0)

            let taken = try await Self.upload(inspector, kind: "employers", file: Self.employers)
            #expect(taken.status == .seeOther, "\(taken.body.suffix(800))")
            let done = try await inspector.get(try #require(taken.location))
            #expect(done.body.contains("已导入"))
            #expect(done.field("count-inserted") == "3")
            #expect(try web.count("SELECT count(*)::int AS n FROM employers") == 3)
            // Written as the inspector: the audit log names them.
            #expect(try web.count("SELECT count(*)::int AS n FROM audit_log WHERE table_name = 'employers' AND actor = 'zhang_jiancha'") == 3)

            // One bad line: every problem listed, nothing written (still 3).
            let bad = Self.employers.replacingOccurrences(of: "91410102MA45R8N12W", with: "91410102MA45R8N12X")
                + "914101020000000000,无名公司,bogus,410102,,\n"
            let refused = try await Self.upload(inspector, kind: "projects", file: "code,name\nX,Y\n")
            #expect(refused.status == .unprocessableContent)
            let refusedEmployers = try await Self.upload(inspector, kind: "employers", file: bad)
            #expect(refusedEmployers.status == .unprocessableContent)
            #expect(refusedEmployers.body.contains("未写入任何数据"))
            #expect(refusedEmployers.body.contains("<td class=\"num\">4</td>"))
            #expect(refusedEmployers.body.contains("<td class=\"num\">5</td>"))
            #expect(try web.count("SELECT count(*)::int AS n FROM employers") == 3)
            // An unknown kind and a missing file are named, nothing written.
            #expect(try await Self.upload(inspector, kind: "salaries", file: Self.employers).status == .unprocessableContent)
            #expect(try await Self.upload(inspector, kind: "employers", file: "").status == .unprocessableContent)
        }
    }

    @Test("the hotline may not import; a form without its CSRF token writes nothing")
    func importRefusals() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let hotline = Browser(client)
            try await hotline.signIn(WebHarness.intake)
            #expect(try await hotline.get("/imports/new").status == .forbidden)
            #expect(try await Self.upload(hotline, kind: "employers", file: Self.employers).status == .forbidden)
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            #expect(try await Self.upload(inspector, kind: "employers", file: Self.employers, csrf: false).status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM employers") == 0)
        }
    }

    @Test("an administrator adds a user who can then sign in; bad fields are named; nobody else may")
    func addUser() async throws {
        try await WebHarness.with(now: webNow) { web, client in
            let admin = Browser(client)
            try await admin.signIn(WebHarness.admin)
            let page = try await admin.get("/admin/users")
            #expect(page.status == .ok)
            #expect(page.field("user-\(WebHarness.inspector)") == WebHarness.inspector)

            let short = try await admin.post("/admin/users", [("name", "zhao_rexian"), ("role", "intake"), ("department", "labor"),
                                                              ("region", "410122"), ("password", "short")])
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains(#"id="password-problem""#))
            let badName = try await admin.post("/admin/users", [("name", "Zhao Rexian"), ("role", "intake"), ("department", "labor"),
                                                                ("password", "long-enough-1")])
            #expect(badName.status == .unprocessableContent)
            #expect(badName.body.contains(#"id="name-problem""#))
            let badRegion = try await admin.post("/admin/users", [("name", "zhao_rexian"), ("role", "intake"), ("department", "labor"),
                                                                  ("region", "41"), ("password", "long-enough-1")])
            #expect(badRegion.status == .unprocessableContent)
            #expect(badRegion.body.contains(#"id="region-problem""#))
            #expect(try web.count("SELECT count(*)::int AS n FROM users WHERE name = 'zhao_rexian'") == 0)

            let added = try await admin.post("/admin/users", [("name", "zhao_rexian"), ("role", "intake"), ("department", "labor"),
                                                              ("region", "410122"), ("password", "zhao-password-1")])
            #expect(added.status == .seeOther)
            #expect(try await admin.get(try #require(added.location)).body.contains("已新增用户 zhao_rexian"))
            #expect(try web.count("""
                SELECT count(*)::int AS n FROM users WHERE name = 'zhao_rexian' AND role = 'intake' AND region_code = '410122'
                """) == 1)
            // The new user signs in with that password, and the hotline's desk is theirs.
            let newcomer = Browser(client)
            #expect(try await newcomer.signIn("zhao_rexian", password: "zhao-password-1").status == .seeOther)
            #expect(try await newcomer.get("/complaints/new").status == .ok)
            // Twice is a conflict.
            let again = try await admin.post("/admin/users", [("name", "zhao_rexian"), ("role", "intake"), ("department", "labor"),
                                                              ("password", "zhao-password-1")])
            #expect(again.status == .conflict || again.status == .unprocessableContent)

            // An inspector neither sees the page nor adds anyone, however the form is made.
            let inspector = Browser(client)
            try await inspector.signIn(WebHarness.inspector)
            #expect(try await inspector.get("/admin/users").status == .forbidden)
            let forged = try await inspector.post("/admin/users", [("name", "sneaky"), ("role", "admin"), ("department", "labor"),
                                                                   ("password", "sneaky-pass-1")])
            #expect(forged.status == .forbidden)
            #expect(try web.count("SELECT count(*)::int AS n FROM users WHERE name = 'sneaky'") == 0)
        }
    }
}
