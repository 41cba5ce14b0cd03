/// One piece of the report document, in reading order. Markdown and HTML walk the same list
/// (``ReportRenderer/blocks``), so the two documents can never disagree on what they show;
/// Markdown leaves out the charts and the page breaks.
enum ReportBlock {
    /// The zero-report notice (零报告).
    case notice(String)
    case paragraph(String, lead: Bool)
    case heading(String)
    /// A table under a heading of `level` (2 or 3).
    case table(ReportTable, level: Int)
    case chart(title: String, items: [(label: String, value: Int64, text: String)])
    /// A new printed page (A4) in HTML.
    case pageBreak
}

extension ReportRenderer {
    /// The document below the title and the header lines.
    var blocks: [ReportBlock] {
        let r = report
        var blocks: [ReportBlock] = []
        if r.zeroReport { blocks.append(.notice(zeroText)) }
        blocks += [
            .paragraph(totalsSentence(r.totals, yearToDate: false), lead: true),
            .paragraph(totalsSentence(r.yearToDate, yearToDate: true), lead: false),
            .table(totalsTable, level: 2),
            .chart(title: t("近12周投诉（起）", "Complaints, last 12 weeks"),
                   items: r.trend.map { ($0.week, $0.complaints, "\($0.complaints)") }),
            .chart(title: t("近12周欠薪金额", "Amounts owed, last 12 weeks"),
                   items: r.trend.map { ($0.week, $0.owedFen, amount($0.owedFen)) }),
            .pageBreak,
            .table(escalationTable, level: 2),
        ]
        var byLevel: [String: Int64] = [:]
        for e in r.escalations { byLevel[e.level, default: 0] += e.raised }
        blocks.append(.chart(
            title: t("本周新增升级事项（按级别）", "Escalations raised this week, by level"),
            items: WeeklyReport.levelOrder.map { (level($0), byLevel[$0] ?? 0, "\(byLevel[$0] ?? 0)") }))
        blocks += [.table(openEscalationTable, level: 3), .pageBreak, .table(flagTable, level: 2)]
        var byDepartment: [String: Int64] = [:]
        for f in r.flagsByDepartment { byDepartment[f.department, default: 0] += f.backlog }
        let flagDepartments = WeeklyReport.departmentOrder.filter { byDepartment[$0] != nil }
        blocks.append(.chart(
            title: t("待处理风险预警（按部门）", "Open risk flags, by department"),
            items: flagDepartments.map { (department($0), byDepartment[$0]!, "\(byDepartment[$0]!)") }))
        blocks += [
            .table(deadlineTable, level: 2),
            .pageBreak,
            .heading(t("直接支付、惩戒与欠薪逃匿企业", "Direct pay, sanctions and absconded employers")),
            .paragraph(directPayText, lead: false),
            .table(sanctionTable, level: 3),
            .paragraph(abscondedText, lead: false),
            .table(abscondedTable(yearToDate: false), level: 3),
            .table(abscondedTable(yearToDate: true), level: 3),
            .pageBreak,
            .table(scorecardTable, level: 2),
            .table(trendTable, level: 2),
        ]
        return blocks
    }
}
