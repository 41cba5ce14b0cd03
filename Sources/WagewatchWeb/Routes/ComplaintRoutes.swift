import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// The hotline's pages: the complaint list and search, the new-complaint form, a complaint
/// with its timeline, and the inspector's decision (SPEC §8).
struct ComplaintRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/complaints") { request, context in try await list(request, context) }
        router.get("/complaints/new") { request, context in
            try await app.asUser(request, context) { session, signed in
                guard try session.may("INSERT", on: "complaints") else {
                    throw WagewatchError.denied("permission denied: only the hotline and inspectors log complaints")
                }
                return newForm(session, signed, typed: Form(), problems: [], alerts: [], status: .ok)
            }
        }
        router.post("/complaints") { request, context in try await create(request, context) }
        router.get("/complaints/:id") { request, context in
            let reference = try Self.reference(context)
            let logged = request.query.value("logged") != nil
            return try await app.asUser(request, context) { session, signed in
                try show(session, signed, reference, logged: logged)
            }
        }
        router.post("/complaints/:id/decision") { request, context in try await decide(request, context) }
    }

    static func reference(_ context: WebContext, parameter: String = "id") throws -> ComplaintReference {
        guard let text = context.parameters.get(parameter), !text.isEmpty, text.count <= 40 else {
            throw WagewatchError.notFound("no such complaint")
        }
        return ComplaintReference(parsing: text)
    }

    // MARK: List

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = request.query
        let page = Format.page(query)
        return try await app.asUser(request, context) { session, signed in
            let lang = signed.lang
            var filter = ComplaintFilter()
            filter.search = query.value("q")
            filter.status = query.value("status").flatMap { ComplaintStatus(rawValue: $0)?.rawValue }
            filter.outcome = query.value("outcome").flatMap { ComplaintOutcome(rawValue: $0)?.rawValue }
            filter.employerUSCC = query.value("employer")
            let overdue = query.value("overdue") == "true"
            if overdue { filter.overdueOn = session.today }
            filter.order = .newest
            filter.limit = Format.pageSize + 1
            let paging = Format.paging(query, page: page)
            filter.after = paging.after.map(ComplaintID.init)
            filter.before = paging.before.map(ComplaintID.init)
            filter.offset = paging.offset
            let found = Format.keysetPage(
                try session.complaints.list(filter, on: session.connection), backwards: paging.backwards, page: page,
                path: "/complaints", query: query, id: { $0.id.description }, lang)
            let today = session.today
            let rows: [[String: Any]] = found.rows.map { c in
                [
                    "id": c.id.description, "number": c.number, "received": Format.minute(c.receivedAt),
                    "employer": c.employerName, "project": c.projectCode ?? "", "workers": c.workersInvolved,
                    "amount": Format.money(c.amountFen, lang), "phone": c.callerPhone ?? "",
                    "state": c.outcome.map { Format.label(.complaintOutcome, $0.rawValue, lang) }
                        ?? Format.label(.complaintStatus, c.status.rawValue, lang),
                    "due": c.decisionDue.description, "overdue": c.status == .pending && c.decisionDue < today,
                    "caseID": c.caseID?.description ?? false,
                ]
            }
            let view: [String: Any] = [
                "q": query.typed("q"), "employer": query.typed("employer"), "overdue": overdue,
                "statuses": Format.options(.complaintStatus, ComplaintStatus.allCases.map(\.rawValue), selected: filter.status,
                                           all: Words.text("all", lang), lang),
                "outcomes": Format.options(.complaintOutcome, ComplaintOutcome.allCases.map(\.rawValue), selected: filter.outcome,
                                           all: Words.text("all", lang), lang),
                "rows": rows, "hasRows": !rows.isEmpty,
                "pager": found.pager ?? false,
            ]
            return app.pages.page("complaints", view, chrome: app.chrome(signed, path: "/complaints", title: Words.text("complaints", lang)))
        }
    }

    // MARK: New

    /// The channels of the form, in the order the hotline meets them.
    static let channels = ["12333", "walk_in", "online", "letter"]

    private func fields(_ typed: Form, _ session: Session, _ lang: ReportLanguage) -> [String: [Field]] {
        func w(_ key: String) -> String { Words.text(key, lang) }
        func value(_ name: String, _ otherwise: String = "") -> String {
            typed.fields[name] ?? otherwise
        }
        let caller: [Field] = [
            Field(name: "received_at", label: w("received_at"), value: value("received_at", DateInput.shanghaiMinute(of: session.now)),
                  hint: w("received_at_hint"), required: true),
            Field(name: "region_code", label: w("region_code"), value: value("region_code", session.defaultRegion ?? ""),
                  required: true, inputMode: "numeric"),
            Field(name: "channel", label: w("channel"), kind: .select(Format.choices(.channel, Self.channels, lang)),
                  value: value("channel", "12333"), required: true),
            Field(name: "caller_name", label: w("caller_name"), value: value("caller_name")),
            Field(name: "caller_phone", label: w("caller_phone"), value: value("caller_phone"), hint: w("phone_hint"),
                  inputMode: "tel"),
        ]
        let employer: [Field] = [
            Field(name: "employer_name", label: w("employer_name"), value: value("employer_name"), required: true),
            Field(name: "employer_uscc", label: w("employer_uscc"), value: value("employer_uscc"), hint: w("uscc_hint")),
            Field(name: "project_code", label: w("project_code"), value: value("project_code")),
            Field(name: "employer_absconded", label: w("employer_absconded"), kind: .checkbox,
                  value: value("employer_absconded") == "true" ? "true" : ""),
        ]
        let arrears: [Field] = [
            Field(name: "workers_involved", label: w("workers_involved"), value: value("workers_involved"), required: true,
                  inputMode: "numeric"),
            Field(name: "amount_owed", label: w("amount_owed"), value: value("amount_owed"), hint: w("amount_hint"),
                  required: true, inputMode: "decimal"),
            Field(name: "owed_since", label: w("owed_since"), kind: .date, value: value("owed_since")),
            Field(name: "owed_until", label: w("owed_until"), kind: .date, value: value("owed_until")),
            Field(name: "text", label: w("text"), kind: .textarea, value: value("text")),
        ]
        return ["caller": caller, "employer": employer, "arrears": arrears]
    }

    private func newForm(_ session: Session, _ signed: Signed, typed: Form, problems: [ValidationError], alerts: [String],
                         status: HTTPResponse.Status) -> Response {
        let lang = signed.lang
        var groups = fields(typed, session, lang)
        for key in ["caller", "employer", "arrears"] { _ = groups[key]!.place(problems, signed.lang) }
        let names = Set(groups.values.flatMap { $0 }.map(\.name))
        let stray = problems.filter { !names.contains($0.field) }.map { $0.text(signed.lang) }
        let allAlerts = (problems.isEmpty ? [] : [Words.text("fix_fields", lang)]) + stray + alerts
        return app.pages.page(
            "complaint_new",
            ["csrf": signed.csrf, "alerts": allAlerts, "notices": [String](),
             "callerFields": groups["caller"]!.views, "employerFields": groups["employer"]!.views,
             "arrearsFields": groups["arrears"]!.views],
            chrome: app.chrome(signed, path: "/complaints/new", title: Words.text("new_complaint", lang)), status: status)
    }

    private func create(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            switch ComplaintInput.parse({ form.value($0) }) {
            case .failure(let problems):
                return newForm(session, signed, typed: form, problems: problems.errors, alerts: [], status: .unprocessableContent)
            case .success(let input):
                do {
                    let result = try session.connection.transaction { tx in try session.intake.add(input, on: tx) }
                    return Response(status: .seeOther, headers: [.location: "/complaints/\(result.id)?logged=1"])
                } catch {
                    let refusal = WagewatchError.from(error)
                    guard refusal.kind == .invalidInput || refusal.kind == .notFound || refusal.kind == .conflict else { throw error }
                    // A refusal that names a field of the form goes beside it.
                    let problem = ValidationError.beside(refusal, fields: ComplaintInput.columns, typed: form)
                    return newForm(session, signed, typed: form, problems: problem.map { [$0] } ?? [],
                                   alerts: problem == nil ? [refusal.text(signed.lang)] : [],
                                   status: HTTPResponse.Status(code: refusal.kind.httpStatus))
                }
            }
        }
    }

    // MARK: One complaint

    private func decisionFields(_ typed: Form, _ lang: ReportLanguage, problem: (field: String, text: String)? = nil) -> [Field] {
        func w(_ key: String) -> String { Words.text(key, lang) }
        var fields = [
            Field(name: "decision", label: w("decision"),
                  kind: .select(["accept", "refuse", "refer", "merge"].map { ($0, w($0)) }), value: typed.fields["decision"] ?? "accept"),
            Field(name: "reason", label: w("reason"), value: typed.typed("reason")),
            Field(name: "target", label: w("target"), value: typed.typed("target")),
            Field(name: "case", label: w("case_id"), value: typed.typed("case"), inputMode: "numeric"),
        ]
        if let problem, let i = fields.firstIndex(where: { $0.name == problem.field }) { fields[i].problem = problem.text }
        return fields
    }

    func show(_ session: Session, _ signed: Signed, _ reference: ComplaintReference, logged: Bool = false,
              alerts: [String] = [], typed: Form = Form(), problem: (field: String, text: String)? = nil,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = signed.lang
        let c = try session.complaints.find(reference, on: session.connection)
        var filter = EscalationFilter()
        filter.complaintID = c.id
        let escalations = try session.escalations.list(filter, now: session.now, on: session.connection)
        let timeline = Timeline.view(try session.timelines.complaint(c.id, on: session.connection), lang)
        let mayDecide = try session.may(call: "ww_decide_complaint(text, bigint, text, text, bigint, date, timestamptz)")
        var notices: [String] = [], warnings: [String] = []
        if logged {
            notices.append(Words.text("logged", lang) + " " + c.number)
            if c.outcome == .merged, let caseID = c.caseID { notices.append(Words.text("merged_into", lang) + " \(caseID)") }
            if c.outcome == .refused, c.reason == "time_barred" { notices.append(Words.text("time_barred_notice", lang)) }
            if !escalations.isEmpty {
                warnings.append(Words.text("escalated_notice", lang) + " " + escalations.map {
                    Labels.text(.escalationLevel, $0.level.rawValue, lang) + " · " + Labels.text(.escalationReason, $0.reason.rawValue, lang)
                }.joined(separator: "；"))
            }
        }
        let view: [String: Any] = [
            "id": c.id.description, "number": c.number, "csrf": signed.csrf, "notices": notices, "alerts": alerts,
            "warnings": warnings,
            "state": Format.label(.complaintStatus, c.status.rawValue, lang),
            "outcome": c.outcome.map { Format.label(.complaintOutcome, $0.rawValue, lang) } ?? "—",
            "reason": c.reason.map { Format.label(.refusalReason, $0, lang) } ?? false,
            "referredTo": c.referredTo ?? false,
            "due": c.decisionDue.description, "overdue": c.status == .pending && c.decisionDue < session.today,
            "caseID": c.caseID?.description ?? false,
            "received": Format.minute(c.receivedAt), "channel": Format.label(.channel, c.channel, lang), "region": c.regionCode,
            "callerName": c.callerName ?? "", "callerPhone": c.callerPhone ?? "", "employerName": c.employerName,
            "employerUSCC": c.employerUSCC ?? "", "projectCode": c.projectCode ?? false, "workers": c.workersInvolved,
            "amount": Format.money(c.amountFen, lang), "owedSince": c.owedSince?.description ?? "",
            "owedUntil": c.owedUntil?.description ?? "",
            "absconded": Words.text(c.employerAbsconded ? "yes" : "no", lang), "text": c.text ?? "",
            "escalations": escalations.map { e in
                [
                    "level": Labels.text(.escalationLevel, e.level.rawValue, lang),
                    "reason": Labels.text(.escalationReason, e.reason.rawValue, lang),
                    "status": Labels.text(.escalationStatus, e.status.rawValue, lang),
                    "raised": Format.minute(e.raisedAt), "mass": e.massIncident,
                ] as [String: Any]
            },
            "hasEscalations": !escalations.isEmpty,
            "canDecide": c.status == .pending && signed.role != .intake && mayDecide,
            "decisionFields": decisionFields(typed, lang, problem: problem).views,
            "timeline": timeline, "hasTimeline": !timeline.isEmpty,
        ]
        return app.pages.page("complaint", view, chrome: app.chrome(signed, path: "/complaints/\(c.id)", title: c.number), status: status)
    }

    private func decide(_ request: Request, _ context: WebContext) async throws -> Response {
        let reference = try Self.reference(context)
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            let decision: ComplaintDecision
            switch form.value("decision") {
            case "accept": decision = .accept
            case "refuse": decision = .refuse(reason: form.value("reason") ?? "")
            case "refer": decision = .refer(target: form.value("target") ?? "")
            case "merge":
                guard let text = form.value("case"), let id = Int64(text), id > 0 else {
                    return try show(session, signed, reference, typed: form,
                                    problem: ("case", "case: \"\(form.typed("case"))\" is not a case number"), status: .unprocessableContent)
                }
                decision = .merge(caseID: CaseID(id))
            default:
                return try show(session, signed, reference, typed: form,
                                problem: ("decision", "decision: \"\(form.typed("decision"))\" is not accept, refuse, refer or merge"),
                                status: .unprocessableContent)
            }
            do {
                let decided = try session.connection.transaction { tx in
                    try session.complaints.decide(reference, decision, today: session.today, at: session.now, on: tx)
                }
                return Response(status: .seeOther, headers: [.location: "/complaints/\(decided.id)"])
            } catch {
                let refusal = WagewatchError.from(error)
                guard refusal.kind != .failure, refusal.kind != .usage else { throw error }
                if refusal.kind == .notFound, case .merge = decision {
                    return try show(session, signed, reference, typed: form, problem: ("case", refusal.text(signed.lang)), status: .unprocessableContent)
                }
                if refusal.kind == .permissionDenied { throw error }
                // The desk's messages start with the field or the decision they are about.
                let field = refusal.message.hasPrefix("refuse:") ? "reason"
                    : refusal.message.hasPrefix("refer:") ? "target"
                    : ["reason", "target", "case"].first { refusal.message.hasPrefix($0 + ":") }
                return try show(session, signed, reference, alerts: field == nil ? [refusal.text(signed.lang)] : [], typed: form,
                                problem: field.map { ($0, refusal.text(signed.lang)) }, status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }
}

/// A timeline in words: when, who, and what changed.
enum Timeline {
    static func view(_ entries: [TimelineEntry], _ lang: ReportLanguage) -> [[String: Any]] {
        entries.map { ["at": Format.minute($0.at), "actor": $0.actor, "what": describe($0, lang)] }
    }

    private static func describe(_ entry: TimelineEntry, _ lang: ReportLanguage) -> String {
        let zh = lang == .zh
        func text(_ key: String) -> String? { entry.text(key) }
        func money(_ key: String) -> String? { entry.fen(key).map { Format.money($0, lang) } }
        switch (entry.table, entry.action) {
        case ("complaints", "insert"):
            return (zh ? "登记投诉" : "Complaint logged")
                + (text("outcome").map { " · " + Labels.text(.complaintOutcome, $0, lang) } ?? "")
                + (text("case_id").map { (zh ? " · 案件 " : " · case ") + $0 } ?? "")
        case ("complaints", _):
            var parts: [String] = []
            if let outcome = text("outcome") { parts.append(Labels.text(.complaintOutcome, outcome, lang)) }
            if let reason = text("reason") { parts.append(Labels.text(.refusalReason, reason, lang)) }
            if let target = text("referred_to") { parts.append((zh ? "移送至 " : "referred to ") + target) }
            if let caseID = text("case_id") { parts.append((zh ? "案件 " : "case ") + caseID) }
            return (zh ? "作出决定：" : "Decided: ") + parts.joined(separator: " · ")
        case ("escalations", "insert"):
            return (zh ? "即时上报 " : "Escalated ") + Labels.text(.escalationLevel, text("level") ?? "", lang)
                + " · " + Labels.text(.escalationReason, text("reason") ?? "", lang)
        case ("escalations", _):
            if let level = text("level") { return (zh ? "逐级上报至 " : "Moved up to ") + Labels.text(.escalationLevel, level, lang) }
            if let status = text("status") { return (zh ? "预警" : "Escalation ") + Labels.text(.escalationStatus, status, lang) }
            return zh ? "预警更新" : "Escalation updated"
        case ("cases", "insert"):
            return (zh ? "立案，调查期限 " : "Case opened, investigation due ") + (text("investigation_due") ?? "")
        case ("cases", _):
            if let status = text("status") {
                return Labels.text(.caseStatus, status, lang) + (text("close_reason").map { " · " + $0 } ?? "")
            }
            if let due = text("investigation_due") { return (zh ? "调查期限改为 " : "Investigation now due ") + due }
            if let who = text("assigned_to") { return (zh ? "指派承办人 " : "Assigned to ") + who }
            return zh ? "案件更新" : "Case updated"
        case ("claims", _):
            return (zh ? "登记欠薪 " : "Claim ") + (text("worker_name") ?? "") + " " + (money("owed_fen") ?? "")
        case ("recoveries", _):
            return (zh ? "追回 " : "Recovered ") + (money("amount_fen") ?? "") + " · "
                + Labels.text(.recoverySource, text("source") ?? "", lang) + " · " + (text("recovered_on") ?? "")
        case ("case_extensions", _):
            return (zh ? "延期 " : "Extended by ") + (text("days") ?? "") + (zh ? " 个工作日，批准人 " : " working days, approved by ")
                + (text("approver") ?? "") + " · " + (text("reason") ?? "")
        default:
            return entry.table + " " + entry.action
        }
    }
}
