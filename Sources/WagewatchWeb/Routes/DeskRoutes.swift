import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// GET /: the person's own desk, what waits for them, overdue first (SPEC §8). Each section is
/// read as the user, so a section shows only what their grants and row security let them see.
struct DeskRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/") { request, context in
            try await app.asUser(request, context) { session, signed in
                let lang = signed.lang
                var sections: [[String: Any]] = []
                switch signed.role {
                case .intake:
                    sections.append(try recentComplaints(session, lang))
                case .inspector:
                    sections.append(try pendingDecisions(session, lang))
                    sections.append(try casesDue(session, lang))
                case .official, .admin:
                    sections.append(try openEscalations(session, lang))
                    sections.append(try pendingDecisions(session, lang))
                case .sector:
                    sections.append(try openFlags(session, signed, lang))
                }
                // Officials (and the bureau's inspectors and administrators) read the week's report and scorecard.
                let reports = [.official, .inspector, .admin].contains(signed.role)
                return app.pages.page("desk", ["intake": signed.role == .intake, "sections": sections, "reports": reports],
                                      chrome: app.chrome(signed, path: "/", title: Words.text("desk", lang)))
            }
        }
    }

    static let shown = 20

    /// The count beside a heading: exact up to what is shown, "20+" beyond (one row more is read).
    static func count(_ found: Int) -> String { found > shown ? "\(shown)+" : String(found) }

    private func section(_ key: String, _ heading: String, columns: [(String, Bool)], rows: [[[String: Any]]],
                         late: [Bool], count: String?, more: (String, String)?) -> [String: Any] {
        [
            "key": key, "heading": heading, "count": count ?? false,
            "columns": columns.map { ["label": $0.0, "num": $0.1] as [String: Any] },
            "rows": zip(rows, late).map { cells, late in ["cells": cells, "late": late] as [String: Any] },
            "hasRows": !rows.isEmpty, "more": more?.0 ?? false, "moreLabel": more?.1 ?? "",
        ]
    }

    private func cell(_ text: String, href: String? = nil, num: Bool = false, late: Bool = false, _ lang: ReportLanguage) -> [String: Any] {
        ["text": text, "href": href ?? false, "num": num, "late": late, "lateWord": Words.text("overdue", lang)]
    }

    private func recentComplaints(_ session: Session, _ lang: ReportLanguage) throws -> [String: Any] {
        var filter = ComplaintFilter()
        filter.order = .newest
        filter.limit = Self.shown
        let found = try session.complaints.list(filter, on: session.connection)
        func w(_ key: String) -> String { Words.text(key, lang) }
        return section(
            "recent", w("recent_complaints"),
            columns: [(w("number"), false), (w("received"), false), (w("employer"), false), (w("workers"), true),
                      (w("amount"), true), (w("outcome"), false)],
            rows: found.map { c in
                [cell(c.number, href: "/complaints/\(c.id)", lang), cell(Format.minute(c.receivedAt), lang), cell(c.employerName, lang),
                 cell(String(c.workersInvolved), num: true, lang), cell(Format.money(c.amountFen, lang), num: true, lang),
                 cell(c.outcome.map { Format.label(.complaintOutcome, $0.rawValue, lang) } ?? Format.label(.complaintStatus, c.status.rawValue, lang), lang)]
            },
            late: found.map { _ in false }, count: nil, more: ("/complaints", w("complaints")))
    }

    private func pendingDecisions(_ session: Session, _ lang: ReportLanguage) throws -> [String: Any] {
        var filter = ComplaintFilter()
        filter.status = ComplaintStatus.pending.rawValue
        filter.order = .decisionDue
        filter.limit = Self.shown + 1
        // By due date, overdue first: the decision deadline is the order an inspector works in.
        let found = try session.complaints.list(filter, on: session.connection)
        let today = session.today
        func w(_ key: String) -> String { Words.text(key, lang) }
        let shown = found.prefix(Self.shown)
        return section(
            "pending", w("pending_decisions"),
            columns: [(w("number"), false), (w("decision_due"), false), (w("employer"), false), (w("workers"), true), (w("amount"), true)],
            rows: shown.map { c in
                [cell(c.number, href: "/complaints/\(c.id)", lang), cell(c.decisionDue.description, late: c.decisionDue < today, lang),
                 cell(c.employerName, lang), cell(String(c.workersInvolved), num: true, lang), cell(Format.money(c.amountFen, lang), num: true, lang)]
            },
            late: shown.map { $0.decisionDue < today }, count: nil,
            more: ("/complaints?status=pending", w("complaints")))
    }

    private func casesDue(_ session: Session, _ lang: ReportLanguage) throws -> [String: Any] {
        var filter = CaseFilter()
        filter.status = CaseStatus.open.rawValue
        filter.dueFirst = true
        filter.limit = Self.shown
        let found = try session.cases.list(filter, on: session.connection)
        let today = session.today
        func w(_ key: String) -> String { Words.text(key, lang) }
        return section(
            "due", w("cases_due"),
            columns: [(w("case_id"), false), (w("investigation_due"), false), (w("employer"), false), (w("owed"), true), (w("recovered"), true)],
            rows: found.map { c in
                [cell(c.id.description, href: "/cases/\(c.id)", lang), cell(c.investigationDue.description, late: c.investigationDue < today, lang),
                 cell(c.employerName, lang), cell(Format.money(c.owedFen, lang), num: true, lang), cell(Format.money(c.recoveredFen, lang), num: true, lang)]
            },
            late: found.map { $0.investigationDue < today }, count: nil, more: ("/cases?status=open", w("cases")))
    }

    private func openEscalations(_ session: Session, _ lang: ReportLanguage) throws -> [String: Any] {
        var filter = EscalationFilter()
        filter.status = EscalationStatus.open.rawValue
        filter.limit = Self.shown + 1
        // One row per subject, as on the board.
        let found = try session.escalations.subjects(filter, now: session.now, on: session.connection)
        func w(_ key: String) -> String { Words.text(key, lang) }
        let shown = found.prefix(Self.shown)
        return section(
            "escalations", w("open_escalations"),
            columns: [(w("at"), false), (w("level"), false), (w("reason"), false), (w("employer"), false), (w("workers"), true)],
            rows: shown.map { e in
                [cell(Format.minute(e.raisedAt), href: e.complaintID.map { "/complaints/\($0)" } ?? e.caseID.map { "/cases/\($0)" }, lang),
                 cell(Labels.text(.escalationLevel, e.level.rawValue, lang), lang),
                 cell(Format.list(e.reasons.map { Labels.text(.escalationReason, $0.rawValue, lang) }, lang), lang),
                 cell(e.employerName ?? "", lang), cell(e.workersInvolved.map(String.init) ?? "", num: true, lang)]
            },
            late: shown.map(\.massIncident), count: Self.count(found.count), more: nil)
    }

    private func openFlags(_ session: Session, _ signed: Signed, _ lang: ReportLanguage) throws -> [String: Any] {
        var filter = FlagFilter()
        filter.status = FlagStatus.open.rawValue
        filter.limit = Self.shown + 1   // red first, then the oldest (FlagDesk's order)
        let found = try session.flags.list(filter, on: session.connection)
        func w(_ key: String) -> String { Words.text(key, lang) }
        let shown = Array(found.prefix(Self.shown))
        // E2: the working days left before an unreviewed red flag escalates.
        let deadlines = try session.flags.reviewDeadlines(shown, today: session.today, configuration: session.configuration,
                                                          on: session.connection)
        return section(
            "flags", w("open_flags"),
            columns: [(w("at"), false), (w("severity"), false), (w("rule"), false), (w("project"), false), (w("flag_employer"), false),
                      (w("review_due"), false)],
            rows: shown.map { f in
                let due = FlagRoutes.deadline(deadlines[f.id], lang)
                return [cell(Format.minute(f.raisedAt), href: "/flags/\(f.id)", lang), cell(Labels.text(.severity, f.severity.rawValue, lang), lang),
                        cell(Labels.text(.rule, f.rule, lang), href: "/flags/\(f.id)", lang), cell(f.projectCode ?? "", lang),
                        cell(f.contractorName, lang), cell(due.text, lang)]
            },
            late: shown.map { $0.severity == .red }, count: Self.count(found.count), more: ("/flags", w("flags")))
    }
}
