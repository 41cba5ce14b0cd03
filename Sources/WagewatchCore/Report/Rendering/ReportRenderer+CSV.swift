extension ReportRenderer {
    /// One CSV file for the whole report. Columns: `section` (meta, totals, trend, escalations,
    /// open_escalations, flags, deadlines, scorecard, direct_pay, sanctions, absconded,
    /// absconded_year_to_date, whose first row counts the employers), `item`
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
            add("scorecard", s.department, "cases_closed", "\(s.casesClosed)", label)
            add("scorecard", s.department, "cases_closed_paid", "\(s.casesClosedPaid)", label)
            add("scorecard", s.department, "cases_closed_paid_permille", opt(s.closedPaidPermille), label)
        }
        add("direct_pay", "week", "direct_pay_fen", "\(report.directPayFen)", t("直接支付", "Direct pay"))
        add("direct_pay", "week", "payments", "\(report.directPayments)", t("直接支付", "Direct pay"))
        for s in report.sanctions {
            add("sanctions", s.id, "measure", s.measure, s.employerName)
            add("sanctions", s.id, "department", s.department, s.employerName)
            add("sanctions", s.id, "valid_from", s.validFrom, s.employerName)
            add("sanctions", s.id, "valid_until", s.validUntil ?? "", s.employerName)
        }
        add("absconded_year_to_date", "year_to_date", "employers", "\(report.abscondedYearToDate.count)", abscondedText)
        for (section, rows) in [("absconded", report.abscondedEmployers), ("absconded_year_to_date", report.abscondedYearToDate)] {
            for a in rows {
                add(section, a.employerName, "complaints", "\(a.complaints)", a.employerName)
                add(section, a.employerName, "workers_involved", "\(a.workersInvolved)", a.employerName)
                add(section, a.employerName, "owed_fen", "\(a.owedFen)", a.employerName)
                add(section, a.employerName, "first_reported_on", a.firstReportedOn, a.employerName)
            }
        }
        return rows.map { $0.map(TextEscaping.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
