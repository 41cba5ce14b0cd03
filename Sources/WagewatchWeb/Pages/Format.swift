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

    /// Items as one line of text: "甲、乙" / "a, b".
    static func list(_ items: [String], _ language: ReportLanguage) -> String {
        items.joined(separator: language == .zh ? "、" : ", ")
    }

    /// How long ago, from minutes: 3天4小时, 2小时15分, 5分 (3 d 4 h, 2 h 15 min, 5 min).
    static func age(minutes: Int, _ language: ReportLanguage) -> String {
        let m = max(minutes, 0), days = m / 1440, hours = m % 1440 / 60, rest = m % 60
        switch language {
        case .zh: return days > 0 ? "\(days)天\(hours)小时" : hours > 0 ? "\(hours)小时\(rest)分" : "\(rest)分"
        case .en: return days > 0 ? "\(days) d \(hours) h" : hours > 0 ? "\(hours) h \(rest) min" : "\(rest) min"
        }
    }

    static func label(_ kind: Labels.Kind, _ code: String?, _ language: ReportLanguage) -> String {
        code.map { Labels.text(kind, $0, language) } ?? ""
    }

    /// The page asked for (`page=`), from 1.
    static func page(_ query: Form) -> Int { max(1, min(Int(query.value("page") ?? "") ?? 1, 100_000)) }

    /// Links to the pages before and after, keeping the other query fields.
    static func pager(path: String, query: Form, page: Int, hasNext: Bool, _ language: ReportLanguage) -> [String: Any]? {
        guard page > 1 || hasNext else { return nil }
        var view: [String: Any] = ["label": pageLabel(page, language)]
        if page > 1 { view["previous"] = link(path, query, ["page": String(page - 1)]) }
        if hasNext { view["next"] = link(path, query, ["page": String(page + 1)]) }
        return view
    }

    /// One page of a list paged by keyset: the next page starts `after=` the last row shown, the
    /// page before ends `before=` the first, so a deep page costs what the first does; `page=`
    /// only numbers them (and, alone, still reaches a page by counting rows).
    struct KeysetPage<Row> {
        let rows: [Row]
        let pager: [String: Any]?
    }

    /// The paging a list request asks for: the page after a row (`after=ID`), the page before one
    /// (`before=ID`, when there is no `after`), or else the page's number as an offset.
    struct Paging {
        let after: Int64?
        let before: Int64?
        let offset: Int
        var backwards: Bool { before != nil }
    }

    static func paging(_ query: Form, page: Int) -> Paging {
        func cursor(_ name: String) -> Int64? { query.value(name).flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil } }
        let after = cursor("after"), before = after == nil ? cursor("before") : nil
        return Paging(after: after, before: before, offset: after == nil && before == nil ? (page - 1) * pageSize : 0)
    }

    /// Cuts what a keyset query found (one row more than a page, to know whether there are more)
    /// to a page, and links its neighbours. `found` is in the list's order either way; going
    /// backwards, the extra row is the first.
    static func keysetPage<Row>(
        _ found: [Row], backwards: Bool, page: Int, path: String, query: Form, id: (Row) -> String,
        _ language: ReportLanguage
    ) -> KeysetPage<Row> {
        let more = found.count > pageSize
        let rows = backwards ? Array(found.suffix(pageSize)) : Array(found.prefix(pageSize))
        let hasPrevious = backwards ? more : page > 1
        let hasNext = backwards ? true : more
        let number = backwards && !more ? 1 : page
        guard (hasPrevious || hasNext), let first = rows.first, let last = rows.last else {
            return KeysetPage(rows: rows, pager: nil)
        }
        var view: [String: Any] = ["label": pageLabel(number, language)]
        if hasPrevious {
            view["previous"] = number - 1 <= 1
                ? link(path, query, [:]) : link(path, query, ["page": String(number - 1), "before": id(first)])
        }
        if hasNext { view["next"] = link(path, query, ["page": String(number + 1), "after": id(last)]) }
        return KeysetPage(rows: rows, pager: view)
    }

    private static func pageLabel(_ page: Int, _ language: ReportLanguage) -> String {
        language == .zh ? "第 \(page) 页" : "Page \(page)"
    }

    /// `path?query`, the query's fields but the paging ones, with `set` over them.
    private static func link(_ path: String, _ query: Form, _ set: [String: String]) -> String {
        var fields = query.fields
        for name in ["page", "after", "before"] { fields[name] = nil }
        fields.merge(set) { $1 }
        guard !fields.isEmpty else { return path }
        let encoded = fields.sorted { $0.key < $1.key }.map { key, value in
            (key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "="
                + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return path + "?" + encoded.joined(separator: "&")
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
