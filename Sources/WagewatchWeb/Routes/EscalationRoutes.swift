import Foundation
import Hummingbird
import WagewatchCore

/// The officials' escalation board (SPEC §8 `GET /escalations`, `POST /escalations/ID/ack`,
/// `POST /escalations/ID/resolve`): one row per subject (a complaint, case or flag, however many
/// E1/E2 conditions it met), mass-incident risks first, then the oldest, each with its highest
/// level (who must act), every reason, the oldest age and the forms to acknowledge and resolve
/// it (all of its escalations, ID being any of them). The database
/// decides who may read and change which (grants, row security, the escalations guard).
struct EscalationRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/escalations") { request, context in
            try await app.asUser(request, context) { session, signed in
                try Self.mayOpenBoard(signed)
                return try board(session, signed, query: request.query)
            }
        }
        router.get("/escalations/stream") { request, context in try await stream(request, context) }
        router.post("/escalations/:id/ack") { request, context in
            try await write(request, context) { session, signed, id, form in
                try session.escalations.acknowledgeSubject(of: id, shown: Self.shown(form), by: signed.name, now: session.now,
                                                           on: session.connection)
            }
        }
        router.post("/escalations/:id/resolve") { request, context in
            try await write(request, context) { session, _, id, form in
                try session.escalations.resolveSubject(of: id, shown: Self.shown(form), reason: form.value("reason") ?? "",
                                                       now: session.now, on: session.connection)
            }
        }
    }

    /// The escalations the row showed (`escalations`, comma-separated ids, in the row's forms);
    /// nil without the field (every escalation of the subject).
    static func shown(_ form: Form) -> Set<EscalationID>? {
        guard let text = form.value("escalations") else { return nil }
        return Set(text.split(separator: ",").compactMap { Int64($0).map(EscalationID.init) })
    }

    /// The board and its stream are for officials, inspectors and administrators (SPEC §8). The
    /// hotline's grants read escalations, for the escalations of its own complaints shown on the
    /// complaint page; the board itself is not theirs. (Only narrows what the grants allow.)
    static func mayOpenBoard(_ signed: Signed) throws {
        guard [.official, .inspector, .admin].contains(signed.role) else {
            throw WagewatchError.denied("permission denied: the escalation board is for officials, inspectors and administrators")
        }
    }

    /// `text/event-stream`: each escalation raised, acknowledged or resolved from now on, as the
    /// viewing user reads it (SPEC §5's escalation JSON; one they may not read is never sent),
    /// within the second the feed's LISTEN hears it. A stream ends after `wait` seconds (1–25,
    /// default 25; `EventSource` reconnects and the board re-reads itself), so that a server told
    /// to stop waits for no stream longer than that; a comment every 10 s keeps proxies open.
    private func stream(_ request: Request, _ context: WebContext) async throws -> Response {
        // Signed in, and allowed to read escalations: asked as the user before anything streams.
        let mayRead = try await app.asUser(request, context) { session, signed in
            try Self.mayOpenBoard(signed)
            return try session.may("SELECT", on: "escalations")
        }
        guard mayRead else { throw WagewatchError.denied("permission denied: escalations are for officials, inspectors and administrators") }
        let seconds = max(1, min(Int(request.query.value("wait") ?? "") ?? 25, 25))
        let (key, events) = app.feed.subscribe()
        let feed = app.feed, app = self.app
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let body = ResponseBody { writer in
            let timer = Task {
                var waited = 0
                while waited < seconds {
                    try await Task.sleep(for: .seconds(min(10, seconds - waited)))
                    waited += min(10, seconds - waited)
                    if waited < seconds { feed.ping(key) }
                }
                feed.unsubscribe(key)
            }
            defer { timer.cancel(); feed.unsubscribe(key) }
            try await writer.write(ByteBuffer(string: "retry: 2000\n: wagewatch escalations\n\n"))
            for await event in events {
                if event.isPing {
                    try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    continue
                }
                let record: EscalationRecord
                do {
                    record = try await app.asUser(request, context) { session, _ in
                        try session.escalations.find(event.id, now: session.now, on: session.connection)
                    }
                } catch let refusal as WagewatchError where refusal.kind == .notFound {
                    continue   // row security hides it from this user
                }
                let json = String(decoding: try encoder.encode(record), as: UTF8.self)
                try await writer.write(ByteBuffer(string: "event: escalation\nid: \(event.id)-\(event.event)\ndata: \(json)\n\n"))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"], body: body)
    }


    /// The board; `problem` and `typed` put a refused resolve's reason beside that row's form.
    private func board(_ session: Session, _ signed: Signed, query: Form, problem: (EscalationID, ValidationError)? = nil,
                       typed: Form? = nil, alerts: [String] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        let lang = signed.lang
        let page = Format.page(query)
        let showResolved = query.value("status") == "resolved"
        var filter = EscalationFilter()
        if showResolved { filter.status = "resolved" } else { filter.unresolved = true }
        filter.level = query.value("level").flatMap { EscalationLevel(rawValue: $0)?.rawValue }
        filter.limit = Format.pageSize + 1
        filter.offset = (page - 1) * Format.pageSize
        let found = try session.escalations.subjects(filter, now: session.now, on: session.connection)
        // Which forms to show (the database's guard decides what is done: officials acknowledge,
        // inspectors and administrators acknowledge and resolve; sql/functions/escalations_guard.sql).
        let mayAcknowledge = [.official, .inspector, .admin].contains(signed.role)
        let mayResolve = [.inspector, .admin].contains(signed.role)
        // One row per subject (complaint, case or flag): every reason, the highest level, the
        // oldest age; its forms acknowledge or resolve all of the subject's escalations.
        let rows: [[String: Any]] = found.prefix(Format.pageSize).map { subject in
            let e = subject.first
            func distinct(_ texts: [String]) -> [String] { texts.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
            var row: [String: Any] = [
                "id": e.id.description, "ids": subject.escalations.map(\.id.description).joined(separator: ","), "mass": subject.massIncident,
                "level": Labels.text(.escalationLevel, subject.level.rawValue, lang),
                "reasons": subject.reasons.map { Labels.text(.escalationReason, $0.rawValue, lang) },
                "status": Labels.text(.escalationStatus, subject.status.rawValue, lang),
                "open": mayAcknowledge && subject.status == .open, "unresolved": mayResolve && subject.status != .resolved,
                "employer": subject.employerName ?? "", "project": subject.projectCode ?? "",
                "workers": subject.workersInvolved.map(String.init) ?? "", "amount": Format.money(subject.amountFen, lang),
                "raised": Format.minute(subject.raisedAt), "age": Format.age(minutes: subject.ageMinutes, lang),
                "acknowledged": distinct(subject.escalations.compactMap { e in e.acknowledgedBy.map { $0 + " " + Format.minute(e.acknowledgedAt) } }),
                "resolution": distinct(subject.escalations.compactMap(\.resolution)),
                "complaintID": subject.complaintID?.description ?? false, "caseID": subject.caseID?.description ?? false,
                "reasonValue": "",
            ]
            if let (id, error) = problem, subject.escalations.contains(where: { $0.id == id }) {
                row["problem"] = Messages.translate(error.problem, to: lang)
                row["reasonValue"] = typed?.typed("reason") ?? ""
            }
            return row
        }
        let view: [String: Any] = [
            "csrf": signed.csrf, "mayAct": mayAcknowledge, "rows": rows, "hasRows": !rows.isEmpty, "showResolved": showResolved, "alerts": alerts, "hasAlerts": !alerts.isEmpty,
            "levels": Format.options(.escalationLevel, EscalationLevel.allCases.map(\.rawValue), selected: filter.level,
                                     all: Words.text("all", lang), lang),
            "pager": Format.pager(path: "/escalations", query: query, page: page, hasNext: found.count > Format.pageSize, lang) ?? false,
        ]
        return app.pages.page("escalations", view, chrome: app.chrome(signed, path: "/escalations", title: Words.text("escalations", lang)),
                              status: status)
    }

    /// A POST of a row's form: done in the request's transaction and answered 303 to the board;
    /// refused, the board again with the reason beside that row's field (422) or above (409, 404).
    private func write(_ request: Request, _ context: WebContext,
                       _ body: @escaping @Sendable (Session, Signed, EscalationID, Form) throws -> [EscalationRecord]) async throws -> Response {
        let id = try context.recordID() as EscalationID
        let form = try await Form.read(request, context: context)
        return try await app.asUser(request, context, form: form) { session, signed in
            do {
                let subject = try session.connection.transaction { _ in try body(session, signed, id, form) }
                return Response(status: .seeOther, headers: [.location: "/escalations#escalation-\(subject.first?.id ?? id)"])
            } catch {
                let refusal = WagewatchError.from(error)
                guard [.invalidInput, .conflict, .notFound].contains(refusal.kind) else { throw error }
                let problem = ValidationError.beside(refusal, fields: ["reason"], typed: form)
                return try board(session, signed, query: request.query, problem: problem.map { (id, $0) }, typed: form,
                                 alerts: problem == nil ? [refusal.text(signed.lang)] : [], status: HTTPResponse.Status(code: refusal.kind.httpStatus))
            }
        }
    }
}
