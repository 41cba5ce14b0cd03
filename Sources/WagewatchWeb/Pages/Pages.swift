import Foundation
import Hummingbird
import Mustache
import WagewatchCore

/// The pages of the desk: Mustache templates (Templates/), rendered inside one layout with the
/// person's menu, in their language. Values are escaped by Mustache (`{{…}}`); only the
/// rendered page body goes into the layout unescaped (`{{{content}}}`).
struct Pages: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in Templates.all {
            do {
                try library.register(text, named: name)
            } catch {
                preconditionFailure("template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// Who the page is for and in which language.
    struct Chrome: Sendable {
        var language: ReportLanguage
        var signed: Signed?
        /// The path the page is at (for the menu's current item and the language switch).
        var path: String
        var title: String
    }

    /// An HTML answer: `template` rendered with `view` (plus `t`, the words) inside the layout.
    func page(_ template: String, _ view: [String: Any], chrome: Chrome, status: HTTPResponse.Status = .ok) -> Response {
        var view = view
        view["t"] = Words.all(chrome.language)
        let content = library.render(view, withTemplate: template) ?? ""
        let html = library.render(layout(chrome, content: content), withTemplate: "layout") ?? ""
        return Self.html(html, status: status)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private func layout(_ chrome: Chrome, content: String) -> [String: Any] {
        let lang = chrome.language
        var view: [String: Any] = [
            "t": Words.all(lang),
            "htmlLang": lang == .zh ? "zh-CN" : "en",
            "title": chrome.title,
            "content": content,
            "otherLang": lang == .zh ? "en" : "zh",
            "otherLangHref": chrome.path + "?lang=" + (lang == .zh ? "en" : "zh"),
        ]
        if let signed = chrome.signed {
            view["user"] = [
                "name": signed.name,
                "role": Labels.text(.userRole, signed.role.rawValue, lang),
                "csrf": signed.csrf,
                "nav": Self.menu(for: signed.role).map { item in
                    [
                        "href": item.path, "label": Words.text(item.word, lang),
                        "current": item.path == "/" ? chrome.path == "/" : chrome.path.hasPrefix(item.path)
                            && !(item.path == "/complaints" && chrome.path == "/complaints/new"),
                    ] as [String: Any]
                },
            ] as [String: Any]
        }
        return view
    }

    /// The menu of a role: where its work is. What a page shows is still decided by the
    /// database; a link missing here is only a link missing.
    static func menu(for role: UserRole) -> [(path: String, word: String)] {
        switch role {
        case .intake: [("/", "desk"), ("/complaints/new", "new_complaint"), ("/complaints", "complaints"), ("/cases", "cases")]
        case .inspector: [("/", "desk"), ("/complaints", "complaints"), ("/complaints/new", "new_complaint"), ("/cases", "cases"), ("/projects", "projects"),
                          ("/flags", "flags"), ("/escalations", "escalations"), ("/reports/weekly", "weekly_report"), ("/directpay", "direct_pay"), ("/sanctions", "sanctions"),
                          ("/imports/new", "imports")]
        case .official: [("/", "desk"), ("/escalations", "escalations"), ("/complaints", "complaints"), ("/cases", "cases"), ("/projects", "projects"),
                         ("/flags", "flags"), ("/reports/weekly", "weekly_report"), ("/directpay", "direct_pay")]
        case .admin: [("/", "desk"), ("/complaints", "complaints"), ("/cases", "cases"), ("/projects", "projects"), ("/flags", "flags"),
                      ("/escalations", "escalations"), ("/reports/weekly", "weekly_report"), ("/sanctions", "sanctions"),
                      ("/imports/new", "imports"),
                      ("/admin/users", "admin_users"), ("/admin/configuration", "configuration"), ("/admin/audit", "audit_verify")]
        case .sector: [("/", "desk"), ("/flags", "flags"), ("/projects", "projects")]
        }
    }
}
