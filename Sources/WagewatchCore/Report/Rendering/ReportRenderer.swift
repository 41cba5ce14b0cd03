import Foundation

/// Renders a ``WeeklyReport`` as Markdown, CSV, JSON or one self-contained HTML page (one file
/// per format beside this one; the sections both documents show are in `ReportBlock.swift`).
///
/// Every input that could vary — the report, the version string, the generation time and the
/// language — is passed in, and every list is sorted explicitly, so the same inputs give
/// byte-identical output (golden files compare against it). Codes are printed through
/// ``Labels`` and money through ``Money/forOfficials(_:in:)``.
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

    var zh: Bool { language == .zh }
    func t(_ zh: String, _ en: String) -> String { self.zh ? zh : en }

    var title: String {
        t("欠薪问题周报 \(report.week)（\(report.week.monday) 至 \(report.week.sunday)）",
          "Weekly wage-arrears report \(report.week) (\(report.week.monday) to \(report.week.sunday))")
    }
    var regionText: String { report.region ?? t("全部地区", "all regions") }
    var generatedText: String { DateInput.shanghaiMinute(of: generatedAt) + " (Asia/Shanghai)" }
    var zeroText: String {
        t("零报告：本周无新增欠薪投诉、案件、预警、升级、超期、直接支付和惩戒事项。",
          "Zero report: nothing to report this week")
    }

    /// The report's header lines (label, value), in the Markdown list and the HTML page alike.
    var metaLines: [(String, String)] {
        [(t("地区", "Region"), regionText), (t("统计截至", "As of"), report.asOf.description),
         (t("生成时间", "Generated"), generatedText), (t("版本", "Version"), "wagewatch \(version)")]
    }

    /// Amounts as officials write them, in the report's language.
    func amount(_ fen: Int64) -> String { Money.forOfficials(fen, in: language) }

    /// An integer per-mille as a percentage with one decimal; "—" when nothing was due.
    func percent(_ permille: Int64?) -> String { ScorecardRow.percent(permille) }

    func department(_ code: String) -> String { Labels.text(.department, code, language) }
    func level(_ code: String) -> String { Labels.text(.escalationLevel, code, language) }
    func severity(_ code: String) -> String { Labels.text(.severity, code, language) }
    func reason(_ code: String) -> String { Labels.text(.escalationReason, code, language) }
    func rule(_ code: String) -> String { Labels.text(.deadlineRule, code, language) }
    func measure(_ code: String) -> String { Labels.text(.sanctionMeasure, code, language) }

    /// The officials' sentence: “本周新受理欠薪投诉N起，涉及农民工N人，金额298万元；已追回56.1万元”.
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

    /// SPEC §3 in the officials' words: “今年以来企业主欠薪逃匿的已经有6家（本周1家）”.
    var abscondedText: String {
        let year = report.abscondedYearToDate.count, week = report.abscondedEmployers.count
        guard year > 0 else { return t("今年以来没有企业主欠薪逃匿。", "No employer has absconded owing wages this year.") }
        return t("今年以来企业主欠薪逃匿的已经有\(year)家（本周\(week)家）。",
                 "This year \(year) employer(s) have absconded owing wages (\(week) this week).")
    }

    var directPayText: String {
        t("本周直接支付（代发工资）\(report.directPayments)笔，共\(amount(report.directPayFen))。",
          "Direct pay disbursed this week: \(report.directPayments) payment(s), \(amount(report.directPayFen)).")
    }
}
