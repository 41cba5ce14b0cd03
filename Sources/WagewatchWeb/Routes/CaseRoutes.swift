import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// The inspectors' case pages: the list, one case with its workers, and the forms that add a
/// claim, record a recovery, extend and close (SPEC §8). Each refusal is the desk's own message.
struct CaseRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/cases") { request, context in try await list(request, context) }
        router.get("/cases/:id") { request, context in
            let id = try context.recordID() as CaseID
            return try await app.asUser(request, context) { session, signed in try show(session, signed, id) }
        }
        router.post("/cases/:id/claims") { request, context in
            try await write(request, context, form: "claim") { session, id, form in
                let problems = FieldProblems()
                let (worker, amount) = Self.workerAndAmount(form, session, problems)
                guard problems.isEmpty, let worker, let amount else { throw ValidationProblems(problems.errors) }
                _ = try session.cases.claim(id, worker: worker, name: form.value("name"), owedFen: amount, on: session.connection)
            }
        }
        router.post("/cases/:id/recoveries") { request, context in
            try await write(request, context, form: "recovery") { session, id, form in
                let problems = FieldProblems()
                let (worker, amount) = Self.workerAndAmount(form, session, problems)
                let source = problems.required("source", form.value("source")).flatMap { text -> RecoverySource? in
                    guard let source = RecoverySource(rawValue: text) else {
                        problems.add(ValidationError(field: "source", value: text,
                                                     problem: "is not one of \(RecoverySource.allCases.map(\.rawValue).joined(separator: ", "))"))
                        return nil
                    }
                    return source
                }
                let date = problems.required("date", form.value("date")).flatMap { text in
                    problems.attempt { () throws(ValidationError) in try DateInput.date(text, field: "date") }
                }
                guard problems.isEmpty, let worker, let amount, let source, let date else { throw ValidationProblems(problems.errors) }
                // The form's own key: submitting the same form twice records the recovery once.
                _ = try session.cases.recover(id, worker: worker, amountFen: amount, source: source, on: date,
                                              key: form.value("key").map { "web:" + $0 }, on: session.connection)
            }
        }
        router.post("/cases/:id/extension") { request, context in
            try await write(request, context, form: "extension") { session, id, form in
                guard let text = form.value("days"), let days = Int(text) else {
                    throw ValidationProblems([ValidationError(field: "days", value: form.typed("days"), problem: "is not a whole number of working days")])
                }
                _ = try session.cases.extend(id, days: days, approver: form.value("approver") ?? "", reason: form.value("reason") ?? "",
                                             on: session.connection)
            }
        }
        router.post("/cases/:id/close") { request, context in
            try await write(request, context, form: "close") { session, id, form in
                let problems = FieldProblems()
                let disposition = problems.required("disposition", form.value("disposition")).flatMap { text -> CaseDisposition? in
                    guard let code = CaseDisposition(rawValue: text) else {
                        problems.add(ValidationError(field: "disposition", value: text,
                                                     problem: "is not one of \(CaseDisposition.codes.joined(separator: ", "))"))
                        return nil
                    }
                    return code
                }
                guard problems.isEmpty, let disposition else { throw ValidationProblems(problems.errors) }
                _ = try session.cases.close(id, disposition: disposition, reason: form.value("reason"), at: session.now, on: session.connection)
            }
        }
    }

    /// The `id_number` and `amount` (yuan) of a claim or recovery form, each problem recorded.
    static func workerAndAmount(_ form: Form, _ session: Session, _ problems: FieldProblems) -> (ResidentID?, Int64?) {
        let worker = problems.required("id_number", form.value("id_number")).flatMap { text in
            problems.attempt { () throws(ValidationError) in try ResidentID(parsing: text, field: "id_number", today: session.today) }
        }
        let amount = problems.required("amount", form.value("amount")).flatMap { text in
            problems.attempt { () throws(ValidationError) in try Money.parseYuan(text, field: "amount") }
        }
        return (worker, amount)
    }


    /// A POST of one of the case's forms: done in the request's transaction and answered 303 to
    /// the case; refused, the case page again with the form as typed and the reason beside the
    /// field (422) or above the form (409, 404), nothing written.
    private func write(_ request: Request, _ context: WebContext, form name: String,
                       _ body: @escaping @Sendable (Session, CaseID, Form) throws -> Void) async throws -> Response {
        let id = try context.recordID() as CaseID
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            do {
                try session.connection.transaction { _ in try body(session, id, form) }
                return Response(status: .seeOther, headers: [.location: "/cases/\(id)"])
            } catch let problems as ValidationProblems {
                return try show(session, signed, id, typed: (name, form), problems: problems.errors, status: .unprocessableContent)
            } catch let problem as ValidationError {
                return try show(session, signed, id, typed: (name, form), problems: [problem], status: .unprocessableContent)
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict, .notFound].contains(refusal.kind) else { throw error }
                let problem = ValidationError.beside(
                    refusal, fields: ["id_number", "amount", "source", "date", "days", "approver", "reason"], typed: form)
                return try show(session, signed, id, typed: (name, form), problems: problem.map { [$0] } ?? [],
                                alerts: problem == nil ? [refusal.text(signed.lang)] : [], status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }

    // MARK: List

    private func list(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = request.query
        let page = Format.page(query)
        return try await app.asUser(request, context) { session, signed in
            let lang = signed.lang
            var filter = CaseFilter()
            filter.status = query.value("status").flatMap { CaseStatus(rawValue: $0)?.rawValue }
            let overdue = query.value("overdue") == "true"
            if overdue { filter.overdueOn = session.today }
            filter.limit = Format.pageSize + 1
            let paging = Format.paging(query, page: page)
            filter.after = paging.after.map(CaseID.init)
            filter.before = paging.before.map(CaseID.init)
            filter.offset = paging.offset
            filter.dueFirst = true
            let found = Format.keysetPage(
                try session.cases.list(filter, on: session.connection), backwards: paging.backwards, page: page,
                path: "/cases", query: query, id: { $0.id.description }, lang)
            let rows: [[String: Any]] = found.rows.map { c in
                [
                    "id": c.id.description, "employer": c.employerName, "project": c.projectCode ?? "", "workers": c.workersInvolved,
                    "owed": Format.money(c.owedFen, lang), "recovered": Format.money(c.recoveredFen, lang),
                    "due": c.investigationDue.description, "overdue": c.status == .open && c.investigationDue < session.today,
                    "state": Format.label(.caseStatus, c.status.rawValue, lang),
                ]
            }
            let view: [String: Any] = [
                "onlyOpen": filter.status == "open", "overdue": overdue, "rows": rows, "hasRows": !rows.isEmpty,
                "pager": found.pager ?? false,
            ]
            return app.pages.page("cases", view, chrome: app.chrome(signed, path: "/cases", title: Words.text("cases", lang)))
        }
    }

    // MARK: One case

    func show(_ session: Session, _ signed: Signed, _ id: CaseID, typed: (form: String, fields: Form)? = nil,
              problems: [ValidationError] = [], alerts: [String] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = signed.lang
        let detail = try session.cases.detail(id, on: session.connection)
        let c = detail.case
        func w(_ key: String) -> String { Words.text(key, lang) }
        func typedValue(_ form: String, _ field: String, _ otherwise: String = "") -> String {
            typed?.form == form ? typed!.fields.typed(field) : otherwise
        }
        let workerChoices = detail.workers.map { ($0.idNumber, $0.idNumber + ($0.workerName.map { " " + $0 } ?? "")) }
        var claim = [
            Field(name: "id_number", label: w("id_number"), value: typedValue("claim", "id_number"), required: true),
            Field(name: "name", label: w("name"), value: typedValue("claim", "name")),
            Field(name: "amount", label: w("owed") + "（元）", value: typedValue("claim", "amount"), hint: w("amount_hint"),
                  required: true, inputMode: "decimal"),
        ]
        var recovery = [
            workerChoices.isEmpty
                ? Field(name: "id_number", label: w("id_number"), value: typedValue("recovery", "id_number"), required: true)
                : Field(name: "id_number", label: w("worker"), kind: .select(workerChoices),
                        value: typedValue("recovery", "id_number", workerChoices[0].0), required: true),
            Field(name: "amount", label: w("amount") + "（元）", value: typedValue("recovery", "amount"), required: true, inputMode: "decimal"),
            Field(name: "source", label: w("source"), kind: .select(Format.choices(.recoverySource, RecoverySource.allCases.map(\.rawValue), lang)),
                  value: typedValue("recovery", "source", "employer"), required: true),
            Field(name: "date", label: w("date"), kind: .date, value: typedValue("recovery", "date", session.today.description), required: true),
        ]
        var extensionFields = [
            Field(name: "days", label: w("days"), value: typedValue("extension", "days"), required: true, inputMode: "numeric"),
            Field(name: "approver", label: w("approver"), value: typedValue("extension", "approver"), required: true),
            Field(name: "reason", label: w("reason"), value: typedValue("extension", "reason"), required: true),
        ]
        var close = [
            Field(name: "disposition", label: w("disposition"),
                  kind: .select([("", w("choose"))] + Format.choices(.caseDisposition, CaseDisposition.codes, lang)),
                  value: typedValue("close", "disposition", ""), required: true),
            Field(name: "reason", label: w("closed_reason"), kind: .textarea, value: typedValue("close", "reason"), hint: w("close_reason_hint")),
        ]
        var stray: [String] = []
        switch typed?.form {
        case "claim": stray = claim.place(problems, signed.lang)
        case "recovery": stray = recovery.place(problems, signed.lang)
        case "extension": stray = extensionFields.place(problems, signed.lang)
        case "close": stray = close.place(problems, signed.lang)
        default: break
        }
        var complaintFilter = ComplaintFilter()
        complaintFilter.caseID = id
        complaintFilter.regionCode = c.regionCode
        let complaints = try session.complaints.list(complaintFilter, on: session.connection)
        let timeline = Timeline.view(try session.timelines.case(id, on: session.connection), lang)
        let outstanding = c.owedFen - c.recoveredFen
        let mayWork = try session.may(call: "ww_claim_case(bigint, text, text, bigint)")
        let view: [String: Any] = [
            "id": c.id.description, "csrf": signed.csrf, "alerts": (problems.isEmpty ? [] : [w("fix_fields")]) + stray + alerts,
            "notices": [String](),
            "state": Format.label(.caseStatus, c.status.rawValue, lang), "employer": c.employerName, "employerUSCC": c.employerUSCC ?? "",
            "projectCode": c.projectCode ?? false, "acceptedOn": c.acceptedOn.description, "due": c.investigationDue.description,
            "overdue": c.status == .open && c.investigationDue < session.today, "assignedTo": c.assignedTo ?? "—",
            "owed": Format.money(c.owedFen, lang), "recovered": Format.money(c.recoveredFen, lang),
            "outstanding": Format.money(max(0, outstanding), lang),
            "extension": detail.extension_.map { ["days": $0.days, "approver": $0.approver, "reason": $0.reason] as [String: Any] } ?? false,
            "closedReason": c.disposition == nil && c.closeReason == nil ? false as Any
                : [c.disposition.map { Labels.text(.caseDisposition, $0.rawValue, lang) }, c.closeReason].compactMap { $0 }.joined(separator: " — "),
            // Amounts are not personal data (SPEC §6 masks ID numbers, phones and bank accounts):
            // every role that reads the case sees owed, recovered and outstanding alike. A worker
            // paid with no claim recorded (a recovery or direct pay before the claim) says so.
            "workers": detail.workers.map { worker in
                [
                    "idNumber": worker.idNumber, "name": worker.workerName ?? "",
                    "owed": worker.owedFen.map { Format.money($0, lang) } ?? "—",
                    "noClaim": worker.owedFen == nil,
                    "recovered": Format.money(worker.recoveredFen, lang),
                    "outstanding": worker.owedFen.map { Format.money(max(0, $0 - worker.recoveredFen), lang) } ?? "—",
                ] as [String: Any]
            },
            "hasWorkers": !detail.workers.isEmpty,
            "recoveries": detail.recoveries.map { r in
                ["date": r.recoveredOn.description, "idNumber": r.idNumber, "source": Format.label(.recoverySource, r.source.rawValue, lang),
                 "amount": Format.money(r.amountFen, lang)] as [String: Any]
            },
            "hasRecoveries": !detail.recoveries.isEmpty,
            "returned": detail.returnedPayments.map { ["idNumber": $0.idNumber, "amount": Format.money($0.amountFen, lang), "reason": $0.reason ?? ""] as [String: Any] },
            "hasReturned": !detail.returnedPayments.isEmpty,
            "complaints": complaints.map { ["id": $0.id.description, "number": $0.number, "received": Format.minute($0.receivedAt),
                                            "workers": $0.workersInvolved, "amount": Format.money($0.amountFen, lang)] as [String: Any] },
            "canWork": c.status == .open && mayWork,
            "canExtend": detail.extension_ == nil,
            "claimFields": claim.views, "recoveryFields": recovery.views,
            // The recovery form's idempotency key, new each time the form is drawn.
            "recoveryKey": Secrets.token(), "extensionFields": extensionFields.views,
            "closeFields": close.views,
            "timeline": timeline, "hasTimeline": !timeline.isEmpty,
        ]
        return app.pages.page("case", view, chrome: app.chrome(signed, path: "/cases/\(c.id)", title: "\(w("case")) \(c.id)"), status: status)
    }
}
