import Foundation
import WagewatchCore

/// How values read on a page: money as officials write it, times in Beijing time, codes
/// through the one label table, pages of 50.
enum Format {
    static let pageSize = 50

    static func money(_ fen: Int64?, _ language: ReportLanguage) -> String {
        fen.map { Money.forOfficials($0, in: language) } ?? ""
    }

    static func minute(_ instant: Date?) -> String { instant.map(DateInput.shanghaiMinute(of:)) ?? "" }

    static func label(_ kind: Labels.Kind, _ code: String?, _ language: ReportLanguage) -> String {
        code.map { Labels.text(kind, $0, language) } ?? ""
    }

    /// The page asked for (`page=`), from 1.
    static func page(_ query: Form) -> Int { max(1, min(Int(query.value("page") ?? "") ?? 1, 100_000)) }

    /// Links to the pages before and after, keeping the other query fields.
    static func pager(path: String, query: Form, page: Int, hasNext: Bool, _ language: ReportLanguage) -> [String: Any]? {
        guard page > 1 || hasNext else { return nil }
        func link(_ n: Int) -> String {
            var fields = query.fields
            fields["page"] = String(n)
            let encoded = fields.sorted { $0.key < $1.key }.map { key, value in
                (key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "="
                    + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            }
            return path + "?" + encoded.joined(separator: "&")
        }
        var view: [String: Any] = ["label": language == .zh ? "第 \(page) 页" : "Page \(page)"]
        if page > 1 { view["previous"] = link(page - 1) }
        if hasNext { view["next"] = link(page + 1) }
        return view
    }

    /// Options of a select: `codes` labelled through the table, after an "all" choice when given.
    static func options(_ kind: Labels.Kind, _ codes: [String], selected: String?, all: String?, _ language: ReportLanguage)
        -> [[String: Any]]
    {
        var list: [[String: Any]] = []
        if let all { list.append(["value": "", "label": all, "selected": selected == nil]) }
        for code in codes {
            list.append(["value": code, "label": Labels.text(kind, code, language), "selected": code == selected])
        }
        return list
    }

    static func choices(_ kind: Labels.Kind, _ codes: [String], _ language: ReportLanguage) -> [(value: String, label: String)] {
        codes.map { ($0, Labels.text(kind, $0, language)) }
    }
}

extension WebApp {
    func chrome(_ signed: Signed, path: String, title: String) -> Pages.Chrome {
        Pages.Chrome(language: signed.lang, signed: signed, path: path, title: title)
    }
}
