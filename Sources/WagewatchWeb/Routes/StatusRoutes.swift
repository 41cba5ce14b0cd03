import Foundation
import Hummingbird
import PostgresClient
import Synchronization
import WagewatchCore

/// GET /status (SPEC §10 N2, no sign-in): a complaint's number and the last 4 digits of the
/// caller's phone show its stage, outcome and dates, and nothing else. The lookup goes through
/// the door `ww_complaint_status` as the server's own login (which may read no table itself);
/// each address has `tries` lookups an hour, then 429.
struct StatusRoutes: Sendable {
    let app: WebApp
    let limiter: HourlyLimiter

    func add(to router: Router<WebContext>) {
        router.get("/status") { request, context in try await show(request, context) }
    }

    private func show(_ request: Request, _ context: WebContext) async throws -> Response {
        let query = request.query
        let lang = query.value("lang").flatMap(ReportLanguage.init(rawValue:)) ?? .zh
        let number = (query.value("number") ?? "").trimmingCharacters(in: .whitespaces)
        let phone4 = (query.value("phone4") ?? "").trimmingCharacters(in: .whitespaces)
        let chrome = Pages.Chrome(language: lang, signed: nil, path: "/status", title: Words.text("status_title", lang))
        var view: [String: Any] = ["lang": lang.rawValue, "number": number, "phone4": phone4, "alerts": [String](), "result": false]
        guard !number.isEmpty || !phone4.isEmpty else { return app.pages.page("status", view, chrome: chrome) }
        guard limiter.admit(context.address ?? "unknown", now: app.options.clock()) else {
            view["alerts"] = [Words.text("status_too_many", lang)]
            var response = app.pages.page("status", view, chrome: chrome, status: .tooManyRequests)
            response.headers[.retryAfter] = "3600"
            return response
        }
        guard !number.isEmpty, (try? ComplaintPublicStatus.phone4(parsing: phone4)) != nil else {
            view["alerts"] = [Words.text("status_bad_input", lang)]
            return app.pages.page("status", view, chrome: chrome, status: .unprocessableContent)
        }
        let found: ComplaintPublicStatus? = try await app.asServer { tx in
            do { return try ComplaintPublicStatus.look(number: number, phone4: phone4, on: tx) }
            catch let error as WagewatchError where error.kind == .notFound { return nil }
        }
        guard let found else {
            view["alerts"] = [Words.text("status_not_found", lang)]
            return app.pages.page("status", view, chrome: chrome, status: .notFound)
        }
        view["result"] = [
            "number": found.number,
            "stage": Words.text("stage_" + found.stage, lang),
            "outcome": found.outcome.map { Labels.text(.complaintOutcome, $0, lang) } ?? "—",
            "receivedOn": found.receivedOn.description,
            "decidedOn": found.decidedOn?.description ?? "—",
            "closedOn": found.closedOn?.description ?? "—",
        ] as [String: Any]
        return app.pages.page("status", view, chrome: chrome)
    }
}

/// At most `perHour` admissions of one key in any hour (a sliding window of the admission times).
final class HourlyLimiter: Sendable {
    let perHour: Int
    private let times = Mutex<[String: [Date]]>([:])

    init(perHour: Int) { self.perHour = perHour }

    func admit(_ key: String, now: Date) -> Bool {
        times.withLock { times in
            let recent = (times[key] ?? []).filter { now.timeIntervalSince($0) < 3600 }
            guard recent.count < perHour else { times[key] = recent; return false }
            times[key] = recent + [now]
            if times.count > 10_000 { times = times.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < 3600 } }
            return true
        }
    }
}
