/// One table of the report, shared by the Markdown and HTML renderers.
struct ReportTable {
    let title: String
    let header: [String]
    let rows: [[String]]
    /// Columns holding numbers (right-aligned).
    let numeric: Set<Int>
    /// What to print instead of an empty table ("" prints the empty table).
    let empty: String
}

extension ReportRenderer {
    var totalsTable: ReportTable {
        let w = report.totals, y = report.yearToDate
        func row(_ label: String, _ a: String, _ b: String) -> [String] { [label, a, b] }
        return ReportTable(
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

    var escalationTable: ReportTable {
        ReportTable(
            title: t("升级事项（按级别，群体性风险优先）", "Escalations by level (mass-incident risks first)"),
            header: [t("级别", "Level"), t("群体性风险", "Mass incident"), t("本周新增", "Raised"),
                     t("本周签收", "Acknowledged"), t("未签收", "Open"), t("最久未签收（小时）", "Oldest open (hours)")],
            rows: report.escalations.map {
                [level($0.level), $0.massIncident ? t("是", "yes") : t("否", "no"), "\($0.raised)", "\($0.acknowledged)",
                 "\($0.open)", $0.oldestOpenHours.map(String.init) ?? "—"]
            },
            numeric: [2, 3, 4, 5], empty: t("无升级事项。", "No escalations."))
    }

    var openEscalationTable: ReportTable {
        ReportTable(
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

    var flagTable: ReportTable {
        ReportTable(
            title: t("风险预警（按部门和等级）", "Risk flags by department and severity"),
            header: [t("部门", "Department"), t("等级", "Severity"), t("本周新增", "Raised"), t("本周处理", "Reviewed"),
                     t("待处理", "Backlog"), t("超期未处理", "Overdue reviews")],
            rows: report.flagsByDepartment.map {
                [department($0.department), severity($0.severity), "\($0.raised)", "\($0.reviewed)", "\($0.backlog)",
                 "\($0.overdueReviews)"]
            },
            numeric: [2, 3, 4, 5], empty: t("无风险预警。", "No risk flags."))
    }

    var deadlineTable: ReportTable {
        ReportTable(
            title: t("超期情况（按部门）", "Deadlines breached by department"),
            header: [t("部门", "Department"), t("规则", "Rule"), t("本周超期", "Breached this week"),
                     t("仍超期未办", "Still outstanding")],
            rows: report.deadlinesBreached.map {
                [department($0.department), rule($0.rule), "\($0.breached)", "\($0.outstanding)"]
            },
            numeric: [2, 3], empty: t("无超期事项。", "No deadlines breached."))
    }

    var scorecardTable: ReportTable {
        ReportTable(
            title: t("部门绩效考核（今年以来）", "Department scorecard (year to date)"),
            header: ["department", "complaints", "cases", "flags", "recovered_share", "closed_paid"].map {
                Labels.text(.scorecardColumn, $0, language)
            },
            rows: report.scorecard.map {
                [department($0.department),
                 "\(percent($0.complaintsOnTimePermille)) (\($0.complaintsOnTime)/\($0.complaintsDue))",
                 "\(percent($0.casesOnTimePermille)) (\($0.casesOnTime)/\($0.casesDue))",
                 "\(percent($0.flagsOnTimePermille)) (\($0.flagsOnTime)/\($0.flagsDue))",
                 percent($0.recoveredPermille),
                 "\(percent($0.closedPaidPermille)) (\($0.casesClosedPaid)/\($0.casesClosed))"]
            },
            numeric: [1, 2, 3, 4, 5], empty: "")
    }

    var sanctionTable: ReportTable {
        ReportTable(
            title: t("本周惩戒措施", "Sanctions issued this week"),
            header: [t("编号", "Id"), t("企业", "Employer"), t("措施", "Measure"), t("部门", "Department"),
                     t("起始日期", "From"), t("截止日期", "Until")],
            rows: report.sanctions.map {
                [$0.id, $0.employerName, measure($0.measure), department($0.department), $0.validFrom, $0.validUntil ?? "—"]
            },
            numeric: [], empty: t("本周无新增惩戒。", "No sanctions issued this week."))
    }

    /// The week's absconded employers (`yearToDate` false) or the year's.
    func abscondedTable(yearToDate: Bool) -> ReportTable {
        ReportTable(
            title: yearToDate ? t("今年以来欠薪逃匿企业", "Absconded employers, year to date")
                : t("本周欠薪逃匿企业", "Absconded employers this week"),
            header: [t("企业", "Employer"), t("投诉（起）", "Complaints"), t("涉及农民工（人）", "Workers"), t("金额", "Amount"),
                     t("首次报告", "First reported")],
            rows: (yearToDate ? report.abscondedYearToDate : report.abscondedEmployers).map {
                [$0.employerName, "\($0.complaints)", "\($0.workersInvolved)", amount($0.owedFen), $0.firstReportedOn]
            },
            numeric: [1, 2, 3],
            empty: yearToDate ? t("今年以来无欠薪逃匿企业。", "No absconded employers this year.")
                : t("本周无欠薪逃匿企业。", "No absconded employers this week."))
    }

    var trendTable: ReportTable {
        ReportTable(
            title: t("近12周趋势", "The last 12 weeks"),
            header: [t("周", "Week"), t("投诉（起）", "Complaints"), t("金额", "Amount")],
            rows: report.trend.map { [$0.week, "\($0.complaints)", amount($0.owedFen)] },
            numeric: [1, 2], empty: "")
    }
}
