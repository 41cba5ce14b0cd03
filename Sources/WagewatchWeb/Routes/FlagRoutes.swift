import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// The sector departments' flag pages (SPEC §8): the list with its filters, one flag with its
/// evidence as a table and its reviews, and the review form of the lead department. What a
/// user sees and may review is row security's and the flag desk's to decide: a flag of another
/// department is not found, and a review it may not make is refused.
struct FlagRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/flags") { request, context in try await list(request, context) }
        router.get("/flags/:id") { request, context in
            let id = try context.recordID() as FlagID
            let reviewed = request.query.value("reviewed") != nil
            return try await app.asUser(request, context) { session, signed in
                try show(session, signed, id, reviewed: reviewed)
            }
        }
        router.post("/flags/:id/review") { request, context in try await review(request, context) }
    }


    /// Only the roles whose grants read flags get past here (the hotline does not).
    static func mayRead(_ session: Session) throws {
        guard try session.may("SELECT", on: "flags") else {
            throw WagewatchError.denied("permission denied: risk flags are for the sector departments, inspectors and officials")
        }
    }

    /// The words for a flag's E2 clock: days left, due today, or overdue (escalated).
    static func deadline(_ d: FlagReviewDeadline?, _ lang: ReportLanguage) -> (text: String, late: Bool) {
        guard let d else { return (Words.text("not_escalating", lang), false) }
        if d.overdue { return (d.dueOn.description + " · " + Words.text("review_overdue", lang), true) }
        if d.workingDaysLeft == 0 { return (d.dueOn.description + " · " + Words.text("due_today", lang), true) }
        let left = lang == .zh ? "剩 \(d.workingDaysLeft) 个工作日" : "\(d.workingDaysLeft) working day\(d.workingDaysLeft == 1 ? "" : "s") left"
        return (d.dueOn.description + " · " + left, false)
    }

    // MARK: List

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = request.query
        let page = Format.page(query)
        return try await app.asUser(request, context) { session, signed in
            try Self.mayRead(session)
            let lang = signed.lang
            var filter = FlagFilter()
            filter.department = query.value("dept").flatMap { Department(rawValue: $0)?.rawValue }
            // No `status` at all (the menu's link): what waits, the open flags; `status=` chosen empty: all.
            filter.status = query.fields["status"] == nil
                ? FlagStatus.open.rawValue : query.value("status").flatMap { FlagStatus(rawValue: $0)?.rawValue }
            filter.severity = query.value("severity").flatMap { FlagSeverity(rawValue: $0)?.rawValue }
            filter.rule = query.value("rule").flatMap { r in RiskRule.all.first { $0.name == r || $0.id == r }?.name }
            filter.limit = Format.pageSize + 1
            let paging = Format.paging(query, page: page)
            filter.after = paging.after.map(FlagID.init)
            filter.before = paging.before.map(FlagID.init)
            filter.offset = paging.offset
            let found = Format.keysetPage(
                try session.flags.list(filter, on: session.connection), backwards: paging.backwards, page: page,
                path: "/flags", query: query, id: { $0.id.description }, lang)
            let shown = found.rows
            let deadlines = try session.flags.reviewDeadlines(shown, today: session.today, configuration: session.configuration,
                                                              on: session.connection)
            let rows: [[String: Any]] = shown.map { f in
                let due = Self.deadline(deadlines[f.id], lang)
                return [
                    "id": f.id.description, "severity": f.severity.rawValue,
                    "severityLabel": Format.label(.severity, f.severity.rawValue, lang),
                    "rule": Format.label(.rule, f.rule, lang), "project": f.projectCode ?? false, "contractor": f.contractorName,
                    "department": Format.label(.department, f.department.rawValue, lang)
                        + (f.coDepartment.map { " · " + Format.label(.department, $0.rawValue, lang) } ?? ""),
                    "raised": Format.minute(f.raisedAt), "status": Format.label(.flagStatus, f.status.rawValue, lang),
                    "due": due.text, "late": due.late, "cleared": f.conditionCleared,
                ]
            }
            let all = Words.text("all", lang)
            let view: [String: Any] = [
                "departments": Format.options(.department, Department.allCases.map(\.rawValue), selected: filter.department,
                                              all: all, lang),
                "statuses": Format.options(.flagStatus, FlagStatus.allCases.map(\.rawValue), selected: filter.status, all: all, lang),
                "severities": Format.options(.severity, FlagSeverity.allCases.map(\.rawValue), selected: filter.severity,
                                             all: all, lang),
                "rules": Format.options(.rule, RiskRule.all.map(\.name), selected: filter.rule, all: all, lang),
                "sector": signed.role == .sector,
                "dueHint": Self.dueHint(session, lang),
                "rows": rows, "hasRows": !rows.isEmpty,
                "pager": found.pager ?? false,
            ]
            return app.pages.page("flags", view, chrome: app.chrome(signed, path: "/flags", title: Words.text("flags", lang)))
        }
    }

    /// E2's rule in words, with the configuration's number.
    static func dueHint(_ session: Session, _ lang: ReportLanguage) -> String {
        Words.text("review_due_hint", lang)
            .replacingOccurrences(of: "%d", with: String(session.configuration.escalations.e2.redFlagReviewDays))
    }

    // MARK: One flag

    /// The review form's fields, as typed, with the problem beside its field.
    private func reviewFields(_ typed: Form, _ lang: ReportLanguage, problems: [ValidationError]) -> ([Field], [String]) {
        func w(_ key: String) -> String { Words.text(key, lang) }
        var fields = [
            Field(name: "action", label: w("action"), kind: .select(["ack", "confirm", "dismiss"].map { ($0, w($0)) }),
                  value: typed.fields["action"] ?? "ack", required: true),
            Field(name: "confirm_action", label: w("confirm_action"),
                  kind: .select([("", w("choose"))] + Format.choices(.confirmAction, ConfirmAction.allCases.map(\.rawValue), lang)),
                  value: typed.typed("confirm_action"), hint: w("confirm_action_hint")),
            Field(name: "reason", label: w("review_reason"), kind: .textarea, value: typed.typed("reason"),
                  hint: w("review_reason_hint")),
        ]
        let stray = fields.place(problems, lang)
        return (fields, stray)
    }

    func show(_ session: Session, _ signed: Signed, _ id: FlagID, reviewed: Bool = false, typed: Form = Form(),
              problems: [ValidationError] = [], alerts: [String] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        try Self.mayRead(session)
        let lang = signed.lang
        func w(_ key: String) -> String { Words.text(key, lang) }
        let f = try session.flags.find(id, on: session.connection)
        let deadline = try session.flags.reviewDeadlines([f], today: session.today, configuration: session.configuration,
                                                         on: session.connection)[f.id]
        let due = Self.deadline(deadline, lang)
        let reviews = try session.flags.reviews(of: f.id, on: session.connection)
        // The project's name where the user may read the project (row security decides).
        let project = f.projectCode.flatMap { try? session.projects.find($0, on: session.connection) }
        let reviewable = f.status == .open || f.status == .acknowledged
        let canReview = reviewable && (signed.role == .sector || signed.role == .admin)
        let (fields, stray) = reviewFields(typed, lang, problems: problems)
        var notices: [String] = []
        if reviewed {
            notices.append(w("reviewed_notice") + " " + Format.label(.flagStatus, f.status.rawValue, lang)
                + (f.reviewAction.map { " · " + Format.label(.confirmAction, $0.rawValue, lang) } ?? ""))
            if f.reviewAction == .directPay, project?.directPayMode == true {
                notices.append(w("direct_pay_on"))
            }
        }
        let view: [String: Any] = [
            "id": f.id.description, "csrf": signed.csrf,
            "notices": notices, "warnings": [String](),
            "alerts": (problems.isEmpty ? [] : [w("fix_fields")]) + stray + alerts,
            "rule": Format.label(.rule, f.rule, lang),
            "ruleID": RiskRule.all.first { $0.name == f.rule }?.id ?? f.rule,
            "severity": f.severity.rawValue, "severityLabel": Format.label(.severity, f.severity.rawValue, lang),
            "status": Format.label(.flagStatus, f.status.rawValue, lang),
            "projectCode": f.projectCode ?? false, "projectName": project?.name ?? "",
            "contractor": f.contractorName, "contractorUSCC": f.contractorUSCC ?? "",
            "department": Format.label(.department, f.department.rawValue, lang)
                + (f.coDepartment.map { " · " + Format.label(.department, $0.rawValue, lang) } ?? ""),
            "period": Evidence.period(f.period, lang), "raised": Format.minute(f.raisedAt), "raisedOn": f.raisedOn.description,
            "due": due.text, "late": due.late, "dueHint": Self.dueHint(session, lang),
            "escalates": deadline != nil, "cleared": f.conditionCleared,
            "reviewAction": f.reviewAction.map { Format.label(.confirmAction, $0.rawValue, lang) } ?? false,
            "reviewReason": f.reviewReason ?? false, "reviewedBy": f.reviewedBy ?? false,
            "evidence": Evidence.view(f, caseLinks: try session.may("SELECT", on: "cases"),
                                      accountLinks: try session.may("SELECT", on: "transfers"), lang),
            "reviews": reviews.map { r in
                [
                    "at": Format.minute(r.at), "reviewer": r.reviewer,
                    "department": Format.label(.department, r.department.rawValue, lang),
                    "action": w("review_" + r.action)
                        + (r.confirmAction.map { " · " + Format.label(.confirmAction, $0.rawValue, lang) } ?? ""),
                    "reason": r.reason ?? "",
                ] as [String: Any]
            },
            "hasReviews": !reviews.isEmpty,
            "canReview": canReview, "reviewFields": fields.views,
        ]
        return app.pages.page("flag", view,
                              chrome: app.chrome(signed, path: "/flags/\(f.id)", title: "\(w("flag")) \(f.id) · \(Format.label(.rule, f.rule, lang))"),
                              status: status)
    }

    // MARK: Review

    private func review(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try context.recordID() as FlagID
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            try Self.mayRead(session)
            // A flag the user may not read is not there for them (row security): 404, nothing written.
            _ = try session.flags.find(id, on: session.connection)
            let review: FlagReview
            switch form.value("action") {
            case "ack": review = .acknowledge
            case "confirm": review = .confirm(action: form.value("confirm_action") ?? "")
            case "dismiss": review = .dismiss(reason: form.value("reason") ?? "")
            default:
                return try show(session, signed, id, typed: form,
                                problems: [ValidationError(field: "action", value: form.typed("action"),
                                                           problem: "is not ack, confirm or dismiss")],
                                status: .unprocessableContent)
            }
            do {
                _ = try session.connection.transaction { tx in
                    try session.flags.review(id, review, reviewer: session.actor, on: tx)
                }
                return Response(status: .seeOther, headers: [.location: "/flags/\(id)?reviewed=1"])
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict, .notFound].contains(refusal.kind) else { throw error }
                // The desk names the field first: `reason: …`, or `confirm: …` for the action ordered.
                var problem = ValidationError.beside(refusal, fields: ["reason", "confirm_action"], typed: form)
                if problem == nil, refusal.message.hasPrefix("confirm:") {
                    let renamed = WagewatchError.invalid("confirm_action:" + refusal.message.dropFirst("confirm:".count))
                    problem = ValidationError.beside(renamed, fields: ["confirm_action"], typed: form)
                }
                return try show(session, signed, id, typed: form, problems: problem.map { [$0] } ?? [],
                                alerts: problem == nil ? [refusal.text(signed.lang)] : [],
                                status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }
}
