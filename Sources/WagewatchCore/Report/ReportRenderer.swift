import Foundation
import PostgresClient

/// The version printed in reports (an input of the renderer, so golden files can pin it).
public enum WagewatchVersion {
    public static let current = "0.1.0"
}

/// The language a report is written in: Chinese by default, English on request.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zh, en
}

/// Renders a ``WeeklyReport`` as Markdown, CSV, JSON or one self-contained HTML page.
///
/// Every input that could vary — the report, the version string, the generation time and the
/// language — is passed in, and every list is sorted explicitly, so the same inputs give
/// byte-identical output (golden files compare against it).
public struct ReportRenderer: Sendable {
    public let report: WeeklyReport
    public let version: String
    public let generatedAt: Date
    public let language: ReportLanguage

    public init(report: WeeklyReport, version: String, generatedAt: Date, language: ReportLanguage) {
        self.report = report
        self.version = version
        self.generatedAt = generatedAt
        self.language = language
    }

    // MARK: Words

    private var zh: Bool { language == .zh }
    private func t(_ zh: String, _ en: String) -> String { self.zh ? zh : en }

    private var title: String {
        t("欠薪问题周报 \(report.week)（\(report.week.monday) 至 \(report.week.sunday)）",
          "Weekly wage-arrears report \(report.week) (\(report.week.monday) to \(report.week.sunday))")
    }
    private var regionText: String { report.region ?? t("全部地区", "all regions") }
    private var generatedText: String { DateInput.shanghaiMinute(of: generatedAt) + " (Asia/Shanghai)" }
    private var zeroText: String {
        t("零报告：本周无新增欠薪投诉、案件、预警、升级、超期、直接支付和惩戒事项。",
          "Zero report: nothing to report this week")
    }

    /// Amounts as officials read them: 万元 with two decimals from 1万 up, else ¥ with separators.
    func amount(_ fen: Int64) -> String {
        if fen.magnitude >= UInt64(Money.fenPerWan) {
            return zh ? "\(Money.wan(fen))万元" : "¥\(Money.yuanGrouped(fen)) (\(Money.wan(fen)) wan)"
        }
        return "¥\(Money.yuanGrouped(fen))"
    }

    /// An integer per-mille as a percentage with one decimal; "—" when nothing was due.
    func percent(_ permille: Int64?) -> String {
        guard let p = permille else { return "—" }
        return "\(p / 10).\(p % 10)%"
    }

    func department(_ code: String) -> String {
        guard let d = report.departments.first(where: { $0.code == code }) else { return code }
        return zh ? d.nameZh : d.nameEn
    }

    func level(_ code: String) -> String {
        switch code {
        case "county": return t("县级（两办）", "County")
        case "bureau": return t("局级", "Bureau")
        case "township": return t("乡镇", "Township")
        default: return code
        }
    }

    func severity(_ code: String) -> String {
        switch code {
        case "red": return t("红色", "Red")
        case "orange": return t("橙色", "Orange")
        case "yellow": return t("黄色", "Yellow")
        default: return code
        }
    }

    func reason(_ code: String) -> String {
        switch code {
        case "mass_incident_workers": return t("涉及人数多（群体性）", "Many workers (mass incident risk)")
        case "employer_absconded": return t("企业主失联", "Employer absconded")
        case "protest_keywords": return t("过激言行/聚集", "Protest or extreme act reported")
        case "criminal_threshold": return t("达到拒不支付劳动报酬罪标准", "Criminal threshold reached")
        case "decision_overdue": return t("受理决定超期", "Acceptance decision overdue")
        case "investigation_overdue": return t("案件调查超期", "Investigation overdue")
        case "flag_unreviewed": return t("红色预警未处理", "Red flag unreviewed")
        default: return code
        }
    }

    func rule(_ code: String) -> String {
        switch code {
        case "C2": return t("C2 受理决定超期", "C2 acceptance decision late")
        case "C5": return t("C5 案件调查超期", "C5 investigation late")
        case "E3": return t("E3 升级未及时签收", "E3 escalation not acknowledged in time")
        default: return code
        }
    }

    func measure(_ code: String) -> String {
        switch code {
        case "restrict_bidding": return t("限制招投标", "Bidding restricted")
        case "blacklist": return t("列入失信联合惩戒名单", "Blacklisted")
        case "restrict_credit": return t("限制融资信贷", "Credit restricted")
        case "restrict_travel": return t("限制高消费", "Travel restricted")
        case "public_exposure": return t("公开曝光", "Public exposure")
        default: return t("其他", "Other")
        }
    }

    /// The officials' sentence: “本周新受理欠薪投诉N起，涉及农民工N人，金额N万元；已追回N万元”.
    func totalsSentence(_ totals: ReportTotals, yearToDate: Bool) -> String {
        if zh {
            let lead = yearToDate ? "今年以来累计受理欠薪投诉" : "本周新受理欠薪投诉"
            return "\(lead)\(totals.complaints)起，涉及农民工\(totals.workersInvolved)人，金额\(amount(totals.owedFen))；"
                + "已追回\(amount(totals.recoveredFen))。立案\(totals.casesAccepted)件，结案\(totals.casesClosed)件。"
        }
        let lead = yearToDate ? "Year to date" : "This week"
        return "\(lead): \(totals.complaints) complaint(s) received, involving \(totals.workersInvolved) migrant worker(s), "
            + "amount \(amount(totals.owedFen)); recovered \(amount(totals.recoveredFen)). "
            + "\(totals.casesAccepted) case(s) accepted, \(totals.casesClosed) closed."
    }

    // MARK: Tables shared by Markdown and HTML

    private struct Table {
        let title: String
        let header: [String]
        let rows: [[String]]
        /// Columns holding numbers (right-aligned in HTML).
        let numeric: Set<Int>
        let empty: String
    }

    private var totalsTable: Table {
        let w = report.totals, y = report.yearToDate
        func row(_ label: String, _ a: String, _ b: String) -> [String] { [label, a, b] }
        return Table(
            title: t("总体情况", "Totals"), header: [t("项目", "Item"), t("本周", "This week"), t("今年以来", "Year to date")],
            rows: [
                row(t("受理投诉（起）", "Complaints received"), "\(w.complaints)", "\(y.complaints)"),
                row(t("立案（件）", "Cases accepted"), "\(w.casesAccepted)", "\(y.casesAccepted)"),
                row(t("结案（件）", "Cases closed"), "\(w.casesClosed)", "\(y.casesClosed)"),
                row(t("涉及农民工（人）", "Workers involved"), "\(w.workersInvolved)", "\(y.workersInvolved)"),
                row(t("欠薪金额", "Amount owed"), amount(w.owedFen), amount(y.owedFen)),
                row(t("已追回金额", "Amount recovered"), amount(w.recoveredFen), amount(y.recoveredFen)),
            ],
            numeric: [1, 2], empty: "")
    }

    private var escalationTable: Table {
        Table(
            title: t("升级事项（按级别，群体性风险优先）", "Escalations by level (mass-incident risks first)"),
            header: [t("级别", "Level"), t("群体性风险", "Mass incident"), t("本周新增", "Raised"),
                     t("本周签收", "Acknowledged"), t("未签收", "Open"), t("最久未签收（小时）", "Oldest open (hours)")],
            rows: report.escalations.map {
                [level($0.level), $0.massIncident ? t("是", "yes") : t("否", "no"), "\($0.raised)", "\($0.acknowledged)",
                 "\($0.open)", $0.oldestOpenHours.map(String.init) ?? "—"]
            },
            numeric: [2, 3, 4, 5], empty: t("无升级事项。", "No escalations."))
    }

    private var openEscalationTable: Table {
        Table(
            title: t("未签收的升级事项", "Open escalations"),
            header: [t("编号", "Id"), t("级别", "Level"), t("原因", "Reason"), t("企业", "Employer"),
                     t("人数", "Workers"), t("金额", "Amount"), t("已持续（小时）", "Age (hours)")],
            rows: report.openEscalations.map {
                [$0.id, level($0.level) + ($0.massIncident ? t("（群体性）", " (mass)") : ""), reason($0.reason),
                 $0.employerName ?? "—", $0.workersInvolved.map(String.init) ?? "—", $0.amountFen.map(amount) ?? "—",
                 "\($0.ageHours)"]
            },
            numeric: [4, 5, 6], empty: t("无。", "None."))
    }

    private var flagTable: Table {
        Table(
            title: t("风险预警（按部门和等级）", "Risk flags by department and severity"),
            header: [t("部门", "Department"), t("等级", "Severity"), t("本周新增", "Raised"), t("本周处理", "Reviewed"),
                     t("待处理", "Backlog"), t("超期未处理", "Overdue reviews")],
            rows: report.flagsByDepartment.map {
                [department($0.department), severity($0.severity), "\($0.raised)", "\($0.reviewed)", "\($0.backlog)",
                 "\($0.overdueReviews)"]
            },
            numeric: [2, 3, 4, 5], empty: t("无风险预警。", "No risk flags."))
    }

    private var deadlineTable: Table {
        Table(
            title: t("超期情况（按部门）", "Deadlines breached by department"),
            header: [t("部门", "Department"), t("规则", "Rule"), t("本周超期", "Breached this week"),
                     t("仍超期未办", "Still outstanding")],
            rows: report.deadlinesBreached.map {
                [department($0.department), rule($0.rule), "\($0.breached)", "\($0.outstanding)"]
            },
            numeric: [2, 3], empty: t("无超期事项。", "No deadlines breached."))
    }

    private var scorecardTable: Table {
        Table(
            title: t("部门绩效考核（今年以来）", "Department scorecard (year to date)"),
            header: [t("部门", "Department"), t("投诉按时受理", "Complaints decided on time"),
                     t("案件按时办结", "Cases closed on time"), t("预警按时处理", "Flags reviewed on time"),
                     t("欠薪追回率", "Arrears recovered")],
            rows: report.scorecard.map {
                [department($0.department),
                 "\(percent($0.complaintsOnTimePermille)) (\($0.complaintsOnTime)/\($0.complaintsDue))",
                 "\(percent($0.casesOnTimePermille)) (\($0.casesOnTime)/\($0.casesDue))",
                 "\(percent($0.flagsOnTimePermille)) (\($0.flagsOnTime)/\($0.flagsDue))",
                 percent($0.recoveredPermille)]
            },
            numeric: [1, 2, 3, 4], empty: "")
    }

    private var sanctionTable: Table {
        Table(
            title: t("本周惩戒措施", "Sanctions issued this week"),
            header: [t("编号", "Id"), t("企业", "Employer"), t("措施", "Measure"), t("部门", "Department"),
                     t("起始日期", "From"), t("截止日期", "Until")],
            rows: report.sanctions.map {
                [$0.id, $0.employerName, measure($0.measure), department($0.department), $0.validFrom, $0.validUntil ?? "—"]
            },
            numeric: [], empty: t("本周无新增惩戒。", "No sanctions issued this week."))
    }

    private var abscondedTable: Table {
        Table(
            title: t("失联企业", "Absconded employers"),
            header: [t("企业", "Employer"), t("投诉（起）", "Complaints"), t("涉及农民工（人）", "Workers"), t("金额", "Amount")],
            rows: report.abscondedEmployers.map {
                [$0.employerName, "\($0.complaints)", "\($0.workersInvolved)", amount($0.owedFen)]
            },
            numeric: [1, 2, 3], empty: t("本周无失联企业。", "No absconded employers this week."))
    }

    private var trendTable: Table {
        Table(
            title: t("近12周趋势", "The last 12 weeks"),
            header: [t("周", "Week"), t("投诉（起）", "Complaints"), t("金额", "Amount")],
            rows: report.trend.map { [$0.week, "\($0.complaints)", amount($0.owedFen)] },
            numeric: [1, 2], empty: "")
    }

    private var directPayText: String {
        t("本周直接支付（代发工资）\(report.directPayments)笔，共\(amount(report.directPayFen))。",
          "Direct pay disbursed this week: \(report.directPayments) payment(s), \(amount(report.directPayFen)).")
    }

    // MARK: Markdown

    public func markdown() -> String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        func table(_ table: Table, level: String = "##") -> String {
            var out = "\(level) \(table.title)\n\n"
            if table.rows.isEmpty && !table.empty.isEmpty { return out + table.empty + "\n\n" }
            out += "| " + table.header.map(cell).joined(separator: " | ") + " |\n"
            out += "|" + table.header.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
            for row in table.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
            return out + "\n"
        }
        var out = "# \(title)\n\n"
        out += "- \(t("地区", "Region")): \(regionText)\n"
        out += "- \(t("统计截至", "As of")): \(report.asOf)\n"
        out += "- \(t("生成时间", "Generated")): \(generatedText)\n"
        out += "- \(t("版本", "Version")): wagewatch \(version)\n\n"
        if report.zeroReport { out += "> **\(zeroText)**\n\n" }
        out += totalsSentence(report.totals, yearToDate: false) + "\n\n"
        out += totalsSentence(report.yearToDate, yearToDate: true) + "\n\n"
        out += table(totalsTable)
        out += table(escalationTable)
        out += table(openEscalationTable, level: "###")
        out += table(flagTable)
        out += table(deadlineTable)
        out += "## \(t("直接支付、惩戒与失联企业", "Direct pay, sanctions and absconded employers"))\n\n\(directPayText)\n\n"
        out += table(sanctionTable, level: "###")
        out += table(abscondedTable, level: "###")
        out += table(scorecardTable)
        out += table(trendTable)
        return out
    }

    // MARK: CSV

    /// One CSV file for the whole report. Columns: `section` (meta, totals, trend, escalations,
    /// open_escalations, flags, deadlines, scorecard, direct_pay, sanctions, absconded), `item`
    /// (what the row is about: a period, week, level, department/severity, id…), `metric` (a
    /// snake_case name as in the JSON), `value` (an integer, money in fen, or text) and `label` (a
    /// human-readable name of the item in the report's language). Rows are in report order; UTF-8
    /// without a BOM, LF line endings, fields quoted only when they hold a comma, quote or newline.
    public func csv() -> String {
        var rows: [[String]] = [["section", "item", "metric", "value", "label"]]
        func add(_ section: String, _ item: String, _ metric: String, _ value: String, _ label: String = "") {
            rows.append([section, item, metric, value, label])
        }
        add("meta", "report", "week", report.week.description)
        add("meta", "report", "week_start", report.week.monday.description)
        add("meta", "report", "week_end", report.week.sunday.description)
        add("meta", "report", "region", report.region ?? "", regionText)
        add("meta", "report", "as_of", report.asOf.description)
        add("meta", "report", "generated_at", generatedText)
        add("meta", "report", "version", version)
        add("meta", "report", "language", language.rawValue)
        add("meta", "report", "zero_report", report.zeroReport ? "true" : "false", report.zeroReport ? zeroText : "")
        for (item, totals, label) in [("week", report.totals, t("本周", "This week")),
                                      ("year_to_date", report.yearToDate, t("今年以来", "Year to date"))] {
            add("totals", item, "complaints", "\(totals.complaints)", label)
            add("totals", item, "cases_accepted", "\(totals.casesAccepted)", label)
            add("totals", item, "cases_closed", "\(totals.casesClosed)", label)
            add("totals", item, "workers_involved", "\(totals.workersInvolved)", label)
            add("totals", item, "owed_fen", "\(totals.owedFen)", label)
            add("totals", item, "recovered_fen", "\(totals.recoveredFen)", label)
        }
        for p in report.trend {
            add("trend", p.week, "complaints", "\(p.complaints)")
            add("trend", p.week, "owed_fen", "\(p.owedFen)")
        }
        for e in report.escalations {
            let item = e.level + (e.massIncident ? "/mass_incident" : "")
            let label = level(e.level) + (e.massIncident ? t("（群体性）", " (mass incident)") : "")
            add("escalations", item, "raised", "\(e.raised)", label)
            add("escalations", item, "acknowledged", "\(e.acknowledged)", label)
            add("escalations", item, "open", "\(e.open)", label)
            add("escalations", item, "oldest_open_hours", e.oldestOpenHours.map(String.init) ?? "", label)
        }
        for e in report.openEscalations {
            let label = e.employerName ?? ""
            add("open_escalations", e.id, "level", e.level, label)
            add("open_escalations", e.id, "reason", e.reason, label)
            add("open_escalations", e.id, "mass_incident", e.massIncident ? "true" : "false", label)
            add("open_escalations", e.id, "workers_involved", e.workersInvolved.map(String.init) ?? "", label)
            add("open_escalations", e.id, "amount_fen", e.amountFen.map(String.init) ?? "", label)
            add("open_escalations", e.id, "raised_at", e.raisedAt, label)
            add("open_escalations", e.id, "age_hours", "\(e.ageHours)", label)
        }
        for f in report.flagsByDepartment {
            let item = "\(f.department)/\(f.severity)", label = "\(department(f.department)) \(severity(f.severity))"
            add("flags", item, "raised", "\(f.raised)", label)
            add("flags", item, "reviewed", "\(f.reviewed)", label)
            add("flags", item, "backlog", "\(f.backlog)", label)
            add("flags", item, "overdue_reviews", "\(f.overdueReviews)", label)
        }
        for d in report.deadlinesBreached {
            let item = "\(d.department)/\(d.rule)", label = "\(department(d.department)) \(rule(d.rule))"
            add("deadlines", item, "breached", "\(d.breached)", label)
            add("deadlines", item, "outstanding", "\(d.outstanding)", label)
        }
        for s in report.scorecard {
            let label = department(s.department)
            func opt(_ v: Int64?) -> String { v.map(String.init) ?? "" }
            add("scorecard", s.department, "complaints_due", "\(s.complaintsDue)", label)
            add("scorecard", s.department, "complaints_on_time", "\(s.complaintsOnTime)", label)
            add("scorecard", s.department, "complaints_on_time_permille", opt(s.complaintsOnTimePermille), label)
            add("scorecard", s.department, "cases_due", "\(s.casesDue)", label)
            add("scorecard", s.department, "cases_on_time", "\(s.casesOnTime)", label)
            add("scorecard", s.department, "cases_on_time_permille", opt(s.casesOnTimePermille), label)
            add("scorecard", s.department, "flags_due", "\(s.flagsDue)", label)
            add("scorecard", s.department, "flags_on_time", "\(s.flagsOnTime)", label)
            add("scorecard", s.department, "flags_on_time_permille", opt(s.flagsOnTimePermille), label)
            add("scorecard", s.department, "owed_fen", "\(s.owedFen)", label)
            add("scorecard", s.department, "recovered_fen", "\(s.recoveredFen)", label)
            add("scorecard", s.department, "recovered_permille", opt(s.recoveredPermille), label)
        }
        add("direct_pay", "week", "direct_pay_fen", "\(report.directPayFen)", t("直接支付", "Direct pay"))
        add("direct_pay", "week", "payments", "\(report.directPayments)", t("直接支付", "Direct pay"))
        for s in report.sanctions {
            add("sanctions", s.id, "measure", s.measure, s.employerName)
            add("sanctions", s.id, "department", s.department, s.employerName)
            add("sanctions", s.id, "valid_from", s.validFrom, s.employerName)
            add("sanctions", s.id, "valid_until", s.validUntil ?? "", s.employerName)
        }
        for a in report.abscondedEmployers {
            add("absconded", a.employerName, "complaints", "\(a.complaints)", a.employerName)
            add("absconded", a.employerName, "workers_involved", "\(a.workersInvolved)", a.employerName)
            add("absconded", a.employerName, "owed_fen", "\(a.owedFen)", a.employerName)
        }
        return rows.map { $0.map(TextEscaping.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    /// SPEC §5's shape, keys sorted, plus `version`, `generated_at` and `language`.
    public func json() throws -> String {
        struct Envelope: Encodable {
            let report: WeeklyReport
            let version: String
            let generatedAt: String
            let language: String
            enum Keys: String, CodingKey { case version, generatedAt = "generated_at", language }
            func encode(to encoder: any Encoder) throws {
                try report.encode(to: encoder)
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(version, forKey: .version)
                try c.encode(generatedAt, forKey: .generatedAt)
                try c.encode(language, forKey: .language)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let envelope = Envelope(
            report: report, version: version, generatedAt: PostgresTimestamp.format(generatedAt),
            language: language.rawValue)
        return String(decoding: try encoder.encode(envelope), as: UTF8.self) + "\n"
    }

    // MARK: HTML

    static func escape(_ s: String) -> String { TextEscaping.html(s) }

    /// A horizontal bar chart in inline SVG; bar lengths are integer arithmetic on the values.
    func barChart(_ title: String, _ items: [(label: String, value: Int64, text: String)]) -> String {
        let width: Int64 = 680, labelWidth: Int64 = 200, valueWidth: Int64 = 150, rowHeight: Int64 = 22
        let barSpace = width - labelWidth - valueWidth
        let maxValue = items.map(\.value).max() ?? 0
        let height = rowHeight * Int64(max(items.count, 1)) + 30
        var svg = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" "
            + "width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
        svg += "<text x=\"0\" y=\"16\" class=\"ct\">\(Self.escape(title))</text>"
        for (index, item) in items.enumerated() {
            let y = 26 + rowHeight * Int64(index)
            let length = maxValue > 0 ? max(item.value > 0 ? 1 : 0, item.value.multipliedReportingOverflow(by: barSpace).overflow
                ? item.value / max(maxValue / barSpace, 1) : item.value * barSpace / maxValue) : 0
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(Self.escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(length)\" height=\"\(rowHeight - 6)\" class=\"bar\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\">\(Self.escape(item.text))</text>"
        }
        if items.isEmpty {
            svg += "<text x=\"0\" y=\"44\">\(Self.escape(t("无数据", "No data")))</text>"
        }
        return svg + "</svg></figure>\n"
    }

    private func htmlTable(_ table: Table, heading: String = "h2") -> String {
        var out = "<\(heading)>\(Self.escape(table.title))</\(heading)>\n"
        if table.rows.isEmpty && !table.empty.isEmpty { return out + "<p class=\"none\">\(Self.escape(table.empty))</p>\n" }
        out += "<table>\n<thead><tr>"
        for (i, h) in table.header.enumerated() {
            out += "<th\(table.numeric.contains(i) ? " class=\"n\"" : "")>\(Self.escape(h))</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (i, c) in row.enumerated() {
                out += "<td\(table.numeric.contains(i) ? " class=\"n\"" : "")>\(Self.escape(c))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    public func html() -> String {
        let css = """
            @page { size: A4; margin: 15mm 12mm 15mm 12mm; }
            * { box-sizing: border-box; }
            html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; font-size: 10.5pt; line-height: 1.5;
                   color: #111; margin: 0; }
            main { width: 100%; max-width: 186mm; margin: 0 auto; padding: 0 2mm; }
            h1 { font-size: 17pt; margin: 0 0 4mm; border-bottom: 2px solid #b00; padding-bottom: 2mm; }
            h2 { font-size: 13pt; margin: 5mm 0 2mm; color: #700; }
            h3 { font-size: 11pt; margin: 4mm 0 2mm; }
            section { break-before: page; page-break-before: always; }
            section.first { break-before: auto; page-break-before: auto; }
            .meta { color: #444; font-size: 9pt; margin: 0 0 3mm; padding: 0; list-style: none; }
            .zero { border: 2px solid #b00; color: #b00; font-weight: bold; padding: 3mm; margin: 3mm 0; }
            .lead { font-size: 11.5pt; font-weight: bold; }
            table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 2mm 0 4mm;
                    break-inside: auto; }
            tr { break-inside: avoid; page-break-inside: avoid; }
            th, td { border: 1px solid #888; padding: 1mm 1.5mm; text-align: left; vertical-align: top;
                     overflow-wrap: anywhere; word-break: break-word; }
            th { background: #eee; font-weight: bold; }
            .n { text-align: right; font-variant-numeric: tabular-nums; }
            .none { color: #555; }
            figure { margin: 2mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
            svg { max-width: 100%; height: auto; font-family: inherit; font-size: 12px; }
            svg .ct { font-weight: bold; font-size: 13px; }
            svg .bar { fill: #b22; }
            footer { color: #666; font-size: 8pt; margin-top: 6mm; }
            """
        let r = report
        var body = "<section class=\"first\">\n<h1>\(Self.escape(title))</h1>\n<ul class=\"meta\">"
        body += "<li>\(Self.escape(t("地区", "Region"))): \(Self.escape(regionText))</li>"
        body += "<li>\(Self.escape(t("统计截至", "As of"))): \(r.asOf)</li>"
        body += "<li>\(Self.escape(t("生成时间", "Generated"))): \(Self.escape(generatedText))</li>"
        body += "<li>\(Self.escape(t("版本", "Version"))): wagewatch \(Self.escape(version))</li></ul>\n"
        if r.zeroReport { body += "<p class=\"zero\">\(Self.escape(zeroText))</p>\n" }
        body += "<p class=\"lead\">\(Self.escape(totalsSentence(r.totals, yearToDate: false)))</p>\n"
        body += "<p>\(Self.escape(totalsSentence(r.yearToDate, yearToDate: true)))</p>\n"
        body += htmlTable(totalsTable)
        body += barChart(t("近12周投诉（起）", "Complaints, last 12 weeks"),
                         r.trend.map { ($0.week, $0.complaints, "\($0.complaints)") })
        body += barChart(t("近12周欠薪金额", "Amounts owed, last 12 weeks"),
                         r.trend.map { ($0.week, $0.owedFen, amount($0.owedFen)) })
        body += "</section>\n<section>\n"
        body += htmlTable(escalationTable)
        var byLevel: [String: Int64] = [:]
        for e in r.escalations { byLevel[e.level, default: 0] += e.raised }
        body += barChart(t("本周新增升级事项（按级别）", "Escalations raised this week, by level"),
                         WeeklyReport.levelOrder.map { (level($0), byLevel[$0] ?? 0, "\(byLevel[$0] ?? 0)") })
        body += htmlTable(openEscalationTable, heading: "h3")
        body += "</section>\n<section>\n"
        body += htmlTable(flagTable)
        var byDepartment: [String: Int64] = [:]
        for f in r.flagsByDepartment { byDepartment[f.department, default: 0] += f.backlog }
        let flagDepartments = WeeklyReport.departmentOrder.filter { byDepartment[$0] != nil }
        body += barChart(t("待处理风险预警（按部门）", "Open risk flags, by department"),
                         flagDepartments.map { (department($0), byDepartment[$0]!, "\(byDepartment[$0]!)") })
        body += htmlTable(deadlineTable)
        body += "</section>\n<section>\n"
        body += "<h2>\(Self.escape(t("直接支付、惩戒与失联企业", "Direct pay, sanctions and absconded employers")))</h2>\n"
        body += "<p>\(Self.escape(directPayText))</p>\n"
        body += htmlTable(sanctionTable, heading: "h3")
        body += htmlTable(abscondedTable, heading: "h3")
        body += "</section>\n<section>\n"
        body += htmlTable(scorecardTable)
        body += htmlTable(trendTable)
        body += "<footer>wagewatch \(Self.escape(version)) · \(Self.escape(generatedText))</footer>\n</section>\n"
        return """
            <!DOCTYPE html>
            <html lang="\(zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>
            \(css)
            </style>
            </head>
            <body>
            <main>
            \(body)</main>
            </body>
            </html>

            """
    }
}
