import Foundation
import PostgresClient
import WagewatchCore

/// A flag's evidence (the JSON its rule wrote) as a reader sees it: one labelled row per fact —
/// money as officials write it (``Format/money(_:_:)``), days as days, dates in Beijing time,
/// codes through the label table — and a table for each list of records (the workers a
/// payroll paid, the transfer that raised R9). Never the JSON itself.
enum Evidence {
    /// `facts`: rows of label and value; `tables`: a caption, columns and rows of cells.
    /// `caseLinks`: whether the reader may open cases (R7's case is a link then); `accountLinks`:
    /// whether they may read the ledger (R9's fund is a link then, not a link to a 403).
    static func view(_ flag: FlagRecord, caseLinks: Bool = false, accountLinks: Bool = false, _ lang: ReportLanguage) -> [String: Any] {
        guard case .object(let fields) = flag.evidence else {
            return ["facts": [fact("evidence", text(flag.evidence, key: "", lang), lang)], "tables": [[String: Any]](),
                    "hasTables": false]
        }
        var facts: [[String: Any]] = []
        var tables: [[String: Any]] = []
        if flag.rule == "fund_diversion" {
            tables.append(transfer(fields, flag, accountLinks: accountLinks, lang))
        }
        for key in order(fields.keys) {
            guard let value = fields[key] else { continue }
            // The project is the flag's own (shown above); R9's transfer has its table.
            if key == "project_code" || (flag.rule == "fund_diversion" && transferKeys.contains(key)) { continue }
            if case .array(let items) = value, let table = records(key, items, lang) {
                tables.append(table)
                continue
            }
            var row = fact(key, text(value, key: key, lang), num: isAmount(key) || isCount(key), lang)
            if key == "case_id", caseLinks, case .string(let id) = value, Int64(id) != nil { row["href"] = "/cases/" + id }
            facts.append(row)
        }
        return ["facts": facts, "hasFacts": !facts.isEmpty, "tables": tables, "hasTables": !tables.isEmpty]
    }

    /// The keys in the order a reader takes them in: what, when, how much; the rest after, by name.
    private static let preferred = [
        "booked_on", "occurred_on", "month", "period", "due_on", "due_by", "days_overdue", "contract_signed", "actual_start", "days_since_contract",
        "forced_start_reason", "last_activity", "days_idle", "workers_on_attendance", "attendance_days", "unpaid_workers",
        "unpaid_worker_ids", "workers", "workers_over_threshold", "employer_name", "complaints", "window_days",
        "complaint_numbers", "case_id", "cumulative_due_fen", "allocated_fen", "payroll_due_fen", "balance_fen",
        "required_fen", "deposited_fen", "owed_fen", "recovered_fen", "outstanding_fen", "sanction_id", "measure",
    ]

    private static func order<S: Sequence<String>>(_ keys: S) -> [String] {
        keys.sorted { a, b in
            let i = preferred.firstIndex(of: a) ?? preferred.count, j = preferred.firstIndex(of: b) ?? preferred.count
            return i != j ? i < j : a < b
        }
    }

    private static let transferKeys: Set<String> = ["transfer_id", "amount_fen", "to", "occurred_at", "key"]

    /// R9: the transfer out of the project's fund that nobody registered, as a ledger line.
    private static func transfer(_ fields: [String: JSONValue], _ flag: FlagRecord, accountLinks: Bool, _ lang: ReportLanguage) -> [String: Any] {
        func value(_ key: String) -> String { fields[key].map { text($0, key: key, lang) } ?? "" }
        let from = flag.projectCode.map { "fund:" + $0 } ?? ""
        return table(
            "ev_transfers", columns: [("date", false), ("key", false), ("from", false), ("to", false), ("amount", true)],
            rows: [[cell(value("occurred_at")), cell(value("key")),
                    cell(from, href: from.isEmpty || !accountLinks ? nil : "/accounts/" + from), cell(value("to")), cell(value("amount_fen"), num: true)]],
            lang)
    }

    /// A list of records (R5's workers and what each was paid) as a table with a column per
    /// key; nil for a list of plain values, which reads as one fact.
    private static func records(_ key: String, _ items: [JSONValue], _ lang: ReportLanguage) -> [String: Any]? {
        var objects: [[String: JSONValue]] = []
        for item in items {
            guard case .object(let o) = item else { return nil }
            objects.append(o)
        }
        guard !objects.isEmpty else { return nil }
        let keys = order(Set(objects.flatMap(\.keys)))
        return table(
            "ev_" + key + "_list", columns: keys.map { (word($0), isAmount($0) || isCount($0)) },
            rows: objects.map { o in keys.map { k in cell(o[k].map { text($0, key: k, lang) } ?? "", num: isAmount(k) || isCount(k)) } },
            lang)
    }

    /// A flag's period in words: a month as is, `transfer:2159` as "转账记录 2159".
    static func period(_ period: String, _ lang: ReportLanguage) -> String {
        // A period that is one word (R13's `unmatched`).
        if !period.contains(":"), Words.table["period_" + period] != nil { return Words.text("period_" + period, lang) }
        let parts = period.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, Words.table["period_" + parts[0]] != nil else { return period }
        return Words.text("period_" + parts[0], lang) + " " + parts[1]
    }

    private static func isAmount(_ key: String) -> Bool { key.hasSuffix("_fen") }
    private static func isCount(_ key: String) -> Bool {
        ["workers", "workers_on_attendance", "attendance_days", "unpaid_workers", "workers_over_threshold", "complaints",
         "days_overdue", "days_since_contract", "days_idle", "window_days"].contains(key)
    }

    /// One value in words.
    static func text(_ value: JSONValue, key: String, _ lang: ReportLanguage) -> String {
        let zh = lang == .zh
        switch value {
        case .null: return "—"
        case .bool(let b): return Words.text(b ? "yes" : "no", lang)
        case .integer(let n):
            if isAmount(key) { return Format.money(n, lang) }
            if key.hasPrefix("days_") || key == "window_days" { return zh ? "\(n) 天" : "\(n) days" }
            if key.hasSuffix("workers") || key == "workers_on_attendance" || key == "workers_over_threshold" {
                return zh ? "\(n) 人" : "\(n)"
            }
            if key == "complaints" { return zh ? "\(n) 件" : "\(n)" }
            return String(n)
        case .number(let d): return "\(d)"
        case .string(let s):
            if key == "measure" { return Labels.text(.sanctionMeasure, s, lang) }
            if key == "direction", Words.table["direction_" + s] != nil { return Words.text("direction_" + s, lang) }
            if key.hasSuffix("_at"), let instant = PostgresTimestamp.parse(s) { return Format.minute(instant) }
            return s
        case .array(let items):
            if items.isEmpty { return Words.text("none", lang, otherwise: "—") }
            return Format.list(items.map { text($0, key: key, lang) }, lang)
        case .object(let o):
            return o.keys.sorted().map { k in Words.text(word(k), lang) + " " + text(o[k]!, key: k, lang) }
                .joined(separator: zh ? "；" : "; ")
        }
    }

    private static func fact(_ key: String, _ value: String, num: Bool = false, _ lang: ReportLanguage) -> [String: Any] {
        ["label": Words.text(word(key), lang), "value": value, "num": num, "href": false]
    }

    /// The word for an evidence key (`ev_…` in ``Words``); a key without one reads as itself.
    private static func word(_ key: String) -> String {
        Words.table["ev_" + key] == nil ? key : "ev_" + key
    }

    private static func cell(_ text: String, href: String? = nil, num: Bool = false) -> [String: Any] {
        ["text": text, "href": href ?? false, "num": num]
    }

    private static func table(_ caption: String, columns: [(String, Bool)], rows: [[[String: Any]]], _ lang: ReportLanguage) -> [String: Any] {
        [
            "caption": Words.text(caption, lang),
            "columns": columns.map { ["label": Words.text($0.0, lang), "num": $0.1] as [String: Any] },
            "rows": rows.map { ["cells": $0] as [String: Any] },
        ]
    }
}
