import Foundation
import Hummingbird
import WagewatchCore

/// The weekly report in the browser (SPEC §8 `GET /reports/weekly`): any week, zh or en, shown in
/// the page, with every format to download; the same report the CLI writes, built in the
/// request's session, so what the signed-in user may not read is not in it (or the page is 403).
struct ReportRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/reports/weekly") { request, context in try await weekly(request, context) }
        router.get("/reports/scorecard") { request, context in try await scorecard(request, context) }
    }

    /// GET /reports/scorecard?week=: the department scorecard (绩效考核, SPEC §3) of the weekly
    /// report of that week, year to date, one row per department: the report's own rows
    /// (`WeeklyReport.scorecard`), so the page and every download say the same numbers.
    private func scorecard(_ request: Request, _ context: WebContext) async throws -> Response {
        let requested = try request.query.value("week").map { text throws -> ISOWeek in
            do { return try ISOWeek(parsing: text, field: "week") } catch { throw WagewatchError.from(error) }
        }
        return try await app.asUser(request, context) { session, signed in
            let lang = signed.lang
            let week = requested ?? ISOWeek.containing(session.today)
            let report = try WeeklyReport.build(week: week, region: nil, now: session.now, on: session.connection)
            let current = ISOWeek.containing(session.today)
            func link(_ week: ISOWeek) -> String { "/reports/scorecard?week=\(week)" }
            func share(_ part: Int64, _ whole: Int64, _ permille: Int64?) -> [String: Any] {
                ["percent": ScorecardRow.percent(permille), "of": "\(part)/\(whole)"]
            }
            let rows = report.scorecard.map { s -> [String: Any] in
                ["code": s.department, "department": Labels.text(.department, s.department, lang),
                 "complaints": share(s.complaintsOnTime, s.complaintsDue, s.complaintsOnTimePermille),
                 "cases": share(s.casesOnTime, s.casesDue, s.casesOnTimePermille),
                 "flags": share(s.flagsOnTime, s.flagsDue, s.flagsOnTimePermille),
                 "owed": Format.money(s.owedFen, lang), "recovered": Format.money(s.recoveredFen, lang),
                 "recoveredShare": ScorecardRow.percent(s.recoveredPermille),
                 "closedPaid": share(s.casesClosedPaid, s.casesClosed, s.closedPaidPermille)]
            }
            // The headers from Core's label table, the same words as the weekly report's scorecard.
            let headers = Self.scorecardColumns.map { code -> [String: Any] in
                ["label": Labels.text(.scorecardColumn, code, lang), "num": code != "department"]
            }
            var view: [String: Any] = [
                "week": week.description, "monday": week.monday.description, "sunday": week.sunday.description,
                "yearStart": "\(week.sunday.year)-01-01", "asOf": report.asOf.description, "rows": rows, "hasRows": !rows.isEmpty, "headers": headers,
                "previous": link(week.adding(weeks: -1)), "reportHref": "/reports/weekly?week=\(week)",
            ]
            if week < current { view["next"] = link(week.adding(weeks: 1)) }
            if week != current { view["thisWeek"] = link(current) }
            return app.pages.page("scorecard", view, chrome: app.chrome(signed, path: "/reports/scorecard",
                                                                    title: Words.text("scorecard", lang) + " " + week.description))
        }
    }

    /// The scorecard page's columns, in order (codes of `Labels.Kind.scorecardColumn`).
    static let scorecardColumns = ["department", "complaints", "cases", "flags", "owed", "recovered", "recovered_share", "closed_paid"]

    /// The downloads: format, file extension and content type.
    static let downloads: [(format: String, ext: String, type: String)] = [
        ("pdf", "pdf", "application/pdf"), ("md", "md", "text/markdown; charset=utf-8"),
        ("csv", "csv", "text/csv; charset=utf-8"), ("json", "json", "application/json"),
    ]

    private func weekly(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = request.query
        let format = (query.value("format") ?? "html").lowercased()
        guard format == "html" || Self.downloads.contains(where: { $0.format == format }) else {
            throw WagewatchError.invalid("format: \"\(query.value("format") ?? "")\" is not one of html, pdf, md, csv, json")
        }
        let requested = try query.value("week").map { text throws -> ISOWeek in
            do { return try ISOWeek(parsing: text, field: "week") } catch { throw WagewatchError.from(error) }
        }
        // Chromium is looked for before the report is built: a missing one costs no query.
        let browser = format == "pdf" ? try ReportPDF.findBrowser() : nil
        return try await app.asUser(request, context) { session, signed in
            let lang = signed.lang
            let week = requested ?? ISOWeek.containing(session.today)
            let report = try WeeklyReport.build(week: week, region: nil, now: session.now, on: session.connection)
            let renderer = ReportRenderer(report: report, version: WagewatchVersion.current, generatedAt: session.now, language: lang)
            if let download = Self.downloads.first(where: { $0.format == format }) {
                let data: Data = switch download.format {
                case "pdf": try ReportPDF.print(html: renderer.html(), browser: browser!)
                case "md": Data(renderer.markdown().utf8)
                case "csv": Data(renderer.csv().utf8)
                default: Data(try renderer.json().utf8)
                }
                let name = "weekly-\(week)-\(lang.rawValue).\(download.ext)"
                return Response(status: .ok, headers: [
                    .contentType: download.type, .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"\(name)\"",
                ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
            let current = ISOWeek.containing(session.today)
            func link(_ week: ISOWeek, format: String? = nil) -> String {
                "/reports/weekly?week=\(week)" + (format.map { "&format=" + $0 } ?? "")
            }
            var view: [String: Any] = [
                "week": week.description, "monday": week.monday.description, "sunday": week.sunday.description,
                "scorecardHref": "/reports/scorecard?week=\(week)",
                "previous": link(week.adding(weeks: -1)), "report": renderer.htmlBody(), "zero": report.zeroReport,
                "downloads": Self.downloads.map { ["href": link(week, format: $0.format), "label": $0.format.uppercased()] },
            ]
            if week < current { view["next"] = link(week.adding(weeks: 1)) }
            if week != current { view["thisWeek"] = link(current) }
            return app.pages.page("report", view, chrome: app.chrome(signed, path: "/reports/weekly",
                                                                 title: Words.text("weekly_report", lang) + " " + week.description))
        }
    }
}
