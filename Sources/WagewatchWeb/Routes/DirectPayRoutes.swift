import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// Direct pay (代付到人, SPEC D1–D4) for inspectors: plan a month's batch from the signed
/// payroll, see its lines (ID numbers and accounts masked), approve it as a second person,
/// pay it once, download the bank file, record a payment the bank returned. The same Core
/// desk as `wagewatch directpay`; the database and the desk refuse what they refuse there.
struct DirectPayRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/directpay") { request, context in
            try await app.asUser(request, context) { session, signed in try list(session, signed, typed: Form()) }
        }
        router.post("/directpay") { request, context in try await plan(request, context) }
        router.get("/directpay/:id") { request, context in
            let id = try context.recordID() as BatchID
            let notice = request.query.value("done")
            return try await app.asUser(request, context) { session, signed in
                try show(session, signed, id, notices: notice.map { [Words.text($0, signed.lang)] } ?? [])
            }
        }
        router.get("/directpay/:id/bank-file") { request, context in
            let id = try context.recordID() as BatchID
            return try await app.asUser(request, context) { session, _ in
                let csv = try session.directPay.bankFile(id, on: session.connection)
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                              .contentDisposition: "attachment; filename=\"directpay-\(id).csv\""],
                    body: .init(byteBuffer: ByteBuffer(string: csv)))
            }
        }
        router.post("/directpay/:id/approve") { request, context in
            // The planner's own approval (D3): the database's refusal, said in the page's language.
            let ownBatch: @Sendable (Session, BatchID, WagewatchError) throws -> String? = { session, id, refusal in
                guard refusal.kind == .permissionDenied else { return nil }
                let batch = try session.directPay.list(limit: 1_000, on: session.connection).first { $0.batchID == id }
                return batch?.plannedBy == session.actor ? "own_batch_refused" : nil
            }
            return try await act(request, context, explain: ownBatch) { session, id, _ in
                _ = try session.directPay.approve(id, approver: session.actor, on: session.connection)
                return "batch_approved"
            }
        }
        router.post("/directpay/:id/execute") { request, context in
            try await act(request, context) { session, id, _ in
                let (_, already) = try session.directPay.execute(id, at: session.now, on: session.connection)
                return already ? "batch_already_executed" : "batch_executed"
            }
        }
        router.post("/directpay/:id/returned") { request, context in
            try await act(request, context) { session, id, form in
                guard let text = form.value("line"), let line = Int(text), line > 0 else {
                    throw ValidationError(field: "line", value: form.typed("line"), problem: "is not a line number of the batch")
                }
                _ = try session.directPay.returned(id, line: line, reason: form.value("reason") ?? "", at: session.now, on: session.connection)
                return "payment_returned"
            }
        }
    }

    private static func statusLabel(_ status: DirectPayBatchStatus, _ lang: ReportLanguage) -> String {
        Words.text("dp_" + status.rawValue, lang)
    }

    // MARK: The list and planning

    private func planFields(_ typed: Form, _ lang: ReportLanguage) -> [Field] {
        [
            Field(name: "project_code", label: Words.text("project_code", lang), value: typed.typed("project_code"), required: true),
            Field(name: "period", label: Words.text("payroll_month", lang), value: typed.typed("period"),
                  hint: Words.text("payroll_month_hint", lang), required: true, inputMode: "numeric"),
        ]
    }

    private func list(_ session: Session, _ signed: Signed, typed: Form, problems: [ValidationError] = [], alerts: [String] = [],
                      status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = signed.lang
        let rows = try session.directPay.list(on: session.connection).map { b -> [String: Any] in
            ["id": b.batchID.description, "project": b.projectCode, "projectName": b.projectName, "period": b.period,
             "status": Self.statusLabel(b.status, lang), "lines": b.lines, "total": Format.money(b.totalFen, lang),
             "plannedBy": b.plannedBy, "approvedBy": b.approvedBy ?? "—"]
        }
        var fields = planFields(typed, lang)
        let stray = fields.place(problems)
        return app.pages.page(
            "directpay",
            ["csrf": signed.csrf, "rows": rows, "fields": fields.map(\.view), "notices": [String](),
             "canPlan": try session.may(call: "ww_plan_direct_pay(text, bigint, date, text)"),
             "alerts": (problems.isEmpty ? [] : [Words.text("fix_fields", lang)]) + stray + alerts],
            chrome: app.chrome(signed, path: "/directpay", title: Words.text("direct_pay", lang)), status: status)
    }

    /// POST /directpay: `project_code`, `period` (YYYY-MM) → 303 to the new batch.
    private func plan(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            do {
                let month = try DateInput.month(form.value("period") ?? "", field: "period")
                let code = form.value("project_code") ?? ""
                let plan = try session.connection.transaction { tx in
                    try session.directPay.plan(project: code, period: month, planner: session.actor, on: tx)
                }
                return Response(status: .seeOther, headers: [.location: "/directpay/\(plan.batchID)?done=batch_planned"])
            } catch let problem as ValidationError {
                return try list(session, signed, typed: form, problems: [problem], status: .unprocessableContent)
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict, .notFound].contains(refusal.kind) else { throw error }
                let problem = ValidationError.beside(refusal, fields: ["project_code", "period", "project"], typed: form)
                return try list(session, signed, typed: form, problems: problem.map { [$0] } ?? [],
                                alerts: problem == nil ? [refusal.message] : [], status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }

    // MARK: One batch

    private func show(_ session: Session, _ signed: Signed, _ id: BatchID, notices: [String] = [], alerts: [String] = [],
                      typed: Form = Form(), problem: ValidationError? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = signed.lang
        let plan = try session.directPay.find(id, on: session.connection).masked()
        let summary = try session.directPay.list(limit: 1_000, on: session.connection).first { $0.batchID == id }
        var returnedFields = [
            Field(name: "line", label: Words.text("returned_line", lang), value: typed.typed("line"), required: true, inputMode: "numeric"),
            Field(name: "reason", label: Words.text("returned_reason", lang), value: typed.typed("reason"), required: true),
        ]
        let stray = problem.map { returnedFields.place([$0]) } ?? []
        let ownBatch = summary?.plannedBy == session.actor
        let mayApprove = try session.may(call: "ww_approve_direct_pay(bigint, text)")
        let mayExecute = try session.may(call: "ww_execute_direct_pay(bigint, timestamptz)")
        let mayReturn = try session.may(call: "ww_return_direct_pay_line(bigint, integer, text, timestamptz)")
        // The bank file carries ID numbers and accounts whole: offered only to those who may read them.
        let readsInFull = try session.directPay.readsInFull(on: session.connection)
        let view: [String: Any] = [
            "id": id.description, "project": plan.projectCode, "period": plan.period, "csrf": signed.csrf,
            "status": Self.statusLabel(plan.status, lang), "total": Format.money(plan.totalFen, lang),
            "source": Words.text("src_" + plan.source.rawValue, lang),
            "plannedBy": summary?.plannedBy ?? "—", "approvedBy": summary?.approvedBy ?? "—",
            "notices": notices, "alerts": alerts + stray,
            // The forms of the next step, to those the doors let through (the database still
            // refuses a forged form): the planner is told another person approves, not offered the button.
            "canApprove": plan.status == .planned && !ownBatch && mayApprove, "ownBatch": plan.status == .planned && ownBatch,
            "canExecute": plan.status == .approved && mayExecute, "hasBankFile": plan.status != .planned && readsInFull,
            "canReturn": plan.status == .executed && mayReturn,
            "returnedFields": returnedFields.map(\.view),
            "lines": plan.lines.map { l -> [String: Any] in
                ["line": l.line, "name": l.workerName, "idNumber": l.idNumber, "bank": l.bank, "account": l.bankAccount,
                 "amount": Format.money(l.amountFen, lang), "status": Words.text("dpl_" + l.status.rawValue, lang)]
            },
        ]
        return app.pages.page("directpay_batch", view,
                              chrome: app.chrome(signed, path: "/directpay/\(id)", title: Words.text("batch", lang) + " \(id)"),
                              status: status)
    }

    /// A POST on one batch: done in the request's transaction and answered 303 to the batch with
    /// what happened; refused, the batch again with the reason (403, 404, 409, 422), nothing written.
    /// `explain` may name a `Words` key that says a refusal in the person's language.
    private func act(_ request: Request, _ context: WebContext,
                     explain: (@Sendable (Session, BatchID, WagewatchError) throws -> String?)? = nil,
                     _ body: @escaping @Sendable (Session, BatchID, Form) throws -> String) async throws -> Response {
        let id = try context.recordID() as BatchID
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            do {
                let done = try session.connection.transaction { _ in try body(session, id, form) }
                return Response(status: .seeOther, headers: [.location: "/directpay/\(id)?done=\(done)"])
            } catch let problem as ValidationError {
                return try show(session, signed, id, typed: form, problem: problem, status: .unprocessableContent)
            } catch {
                let refusal = WagewatchError.from(error)
                guard refusal.kind != .failure, refusal.kind != .usage else { throw error }
                if refusal.kind == .notFound, !refusal.message.contains("line") { throw error }
                let problem = ValidationError.beside(refusal, fields: ["reason", "line"], typed: form)
                let said = try explain?(session, id, refusal).map { Words.text($0, signed.lang) } ?? refusal.message
                return try show(session, signed, id, alerts: problem == nil ? [said] : [], typed: form, problem: problem,
                                status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }
}
