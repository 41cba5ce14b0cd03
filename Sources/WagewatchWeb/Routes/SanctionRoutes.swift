import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// Sanctions (失信惩戒, SPEC S1–S2) for inspectors and administrators: every measure recorded, add
/// one, lift one (a blacklisting only when S2's gate is met: the refusal names what is missing),
/// and the public exposure list to download — the same desk as `wagewatch sanction` and
/// `wagewatch exposure export`.
struct SanctionRoutes: Sendable {
    let app: WebApp

    static let exposureFormats: [(format: ExposureFormat, label: String, type: String)] = [
        (.csv, "CSV", "text/csv; charset=utf-8"), (.md, "Markdown", "text/markdown; charset=utf-8"),
        (.html, "HTML", "text/html; charset=utf-8"),
    ]

    func add(to router: Router<WebContext>) {
        router.get("/sanctions") { request, context in
            let done = request.query.value("done")
            return try await app.asUser(request, context) { session, signed in
                try page(session, signed, typed: Form(), notices: done.map { [Words.text($0, signed.lang)] } ?? [])
            }
        }
        router.post("/sanctions") { request, context in try await addSanction(request, context) }
        router.post("/sanctions/:id/lift") { request, context in try await lift(request, context) }
        router.get("/sanctions/exposure") { request, context in
            let text = request.query.value("format") ?? "csv"
            guard let chosen = Self.exposureFormats.first(where: { $0.format.rawValue == text }) else {
                throw WagewatchError.invalid("format: \"\(text)\" is not one of csv, md, html")
            }
            return try await app.asUser(request, context) { session, _ in
                let rows = try session.sanctions.exposure(asOf: session.today, on: session.connection)
                let body = ExposureList(rows: rows, asOf: session.today).render(chosen.format)
                return Response(
                    status: .ok,
                    headers: [.contentType: chosen.type, .cacheControl: "no-store",
                              .contentDisposition: "attachment; filename=\"exposure-\(session.today).\(chosen.format.rawValue)\""],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
        }
    }

    private func fields(_ typed: Form, _ lang: ReportLanguage) -> [Field] {
        func w(_ key: String) -> String { Words.text(key, lang) }
        return [
            Field(name: "contractor", label: w("employer_uscc"), value: typed.typed("contractor"), hint: w("uscc_hint"), required: true),
            Field(name: "measure", label: w("measure"),
                  kind: .select(Format.choices(.sanctionMeasure, SanctionMeasure.allCases.map(\.rawValue), lang)),
                  value: typed.fields["measure"] ?? SanctionMeasure.allCases[0].rawValue, required: true),
            Field(name: "basis", label: w("basis"), value: typed.typed("basis"), required: true),
            Field(name: "department", label: w("user_department"),
                  kind: .select(Format.choices(.department, Department.allCases.map(\.rawValue), lang)),
                  value: typed.fields["department"] ?? "labor", required: true),
            Field(name: "from", label: w("valid_from"), kind: .date, value: typed.typed("from"), required: true),
            Field(name: "until", label: w("valid_until"), kind: .date, value: typed.typed("until"), hint: w("valid_until_hint")),
        ]
    }

    /// The page; `liftProblem` puts a refused lift's reason beside that row's form.
    private func page(_ session: Session, _ signed: Signed, typed: Form, problems: [ValidationError] = [], notices: [String] = [],
                      alerts: [String] = [], liftProblem: (SanctionID, String)? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = signed.lang
        let records = try session.sanctions.list(on: session.connection)
        // Everyone reads the measures (they are published); the forms are for the roles the grants let record them.
        let canWrite = try session.may(call: "ww_add_sanction(text, bigint, text, text, text, date, date)")
        var fields = fields(typed, lang)
        let stray = fields.place(problems, signed.lang)
        let rows = records.reversed().map { s -> [String: Any] in
            let problem = liftProblem.flatMap { $0.0 == s.id ? $0.1 : nil }
            return [
                "id": s.id.description, "contractor": s.contractorName, "uscc": s.contractorUSCC ?? "",
                "measure": Labels.text(.sanctionMeasure, s.measure, lang),
                "period": "\(s.validFrom) – \(s.validUntil?.description ?? "")",
                "department": Labels.text(.department, s.department, lang), "basis": s.basis,
                "lifted": s.liftedOn.map { Words.text("lifted_on", lang) + " \($0) · " + (s.liftReason ?? "") } ?? false,
                "csrf": signed.csrf, "canWrite": canWrite, "problem": problem ?? false, "typedReason": problem == nil ? "" : typed.typed("reason"),
            ]
        }
        return app.pages.page(
            "sanctions",
            ["csrf": signed.csrf, "rows": rows, "fields": fields.map(\.view), "notices": notices, "canWrite": canWrite,
             "alerts": (problems.isEmpty ? [] : [Words.text("fix_fields", lang)]) + stray + alerts,
             "downloads": Self.exposureFormats.map { ["href": "/sanctions/exposure?format=\($0.format.rawValue)", "label": $0.label] }],
            chrome: app.chrome(signed, path: "/sanctions", title: Words.text("sanctions", lang)), status: status)
    }

    /// POST /sanctions: `contractor` (USCC), `measure`, `basis`, `department`, `from`, `until`.
    private func addSanction(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            do {
                let uscc = try USCC(parsing: form.value("contractor") ?? "", field: "contractor")
                guard let measure = SanctionMeasure(rawValue: form.value("measure") ?? "") else {
                    throw ValidationError(field: "measure", value: form.typed("measure"),
                                          problem: "is not one of \(SanctionMeasure.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                let from = try DateInput.date(form.value("from") ?? "", field: "from")
                let until = try form.value("until").map { text throws(ValidationError) in try DateInput.date(text, field: "until") }
                _ = try session.connection.transaction { tx in
                    try session.sanctions.add(contractor: uscc, measure: measure, basis: form.value("basis") ?? "",
                                              department: form.value("department") ?? "", from: from, until: until, on: tx)
                }
                return Response(status: .seeOther, headers: [.location: "/sanctions?done=sanction_added"])
            } catch let problem as ValidationError {
                return try page(session, signed, typed: form, problems: [problem], status: .unprocessableContent)
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict, .notFound].contains(refusal.kind) else { throw error }
                let problem = ValidationError.beside(refusal, fields: ["contractor", "measure", "basis", "department", "from", "until"],
                                                     typed: form)
                return try page(session, signed, typed: form, problems: problem.map { [$0] } ?? [],
                                alerts: problem == nil ? [refusal.text(signed.lang)] : [], status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }

    /// POST /sanctions/ID/lift: `reason`; S2's refusal (what is missing) beside that row's form.
    private func lift(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try context.recordID() as SanctionID
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            do {
                _ = try session.connection.transaction { tx in
                    try session.sanctions.lift(id, reason: form.value("reason") ?? "", today: session.today, on: tx)
                }
                return Response(status: .seeOther, headers: [.location: "/sanctions?done=sanction_lifted"])
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict].contains(refusal.kind) else { throw error }
                return try page(session, signed, typed: form, liftProblem: (id, refusal.text(signed.lang)),
                                status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }
}
