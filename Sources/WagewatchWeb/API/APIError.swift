import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresClient
import WagewatchCore

/// An API answer that is not the work's result: SPEC §9's
/// `{"error": {"code", "message", "field"}}` with the matching status. The codes of the work's
/// own refusals come from the one error table (``WagewatchCore/WagewatchError/Kind/apiCode``);
/// `unauthorized`, `rate_limited` and `too_large` are the API's own, before any work starts.
struct APIError: Error, Sendable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    var field: String?
    /// Seconds to wait, for 429.
    var retryAfter: Int?

    static func unauthorized(_ message: String) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized", message: message)
    }

    static func rateLimited(perMinute: Int, retryAfter: Int) -> APIError {
        APIError(status: .tooManyRequests, code: "rate_limited",
                 message: "more than \(perMinute) requests a minute with this token: wait \(retryAfter) s", retryAfter: retryAfter)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "invalid_input", message: "body: larger than \(limit) bytes", field: "body")
    }

    /// Any error of a request's work, as the API answers it. `fields` are the request's own
    /// field names: a message that starts with one of them (`amount_owed: …`) names it.
    static func from(_ error: any Error, fields: [String] = []) -> APIError {
        if let error = error as? APIError { return error }
        let status = WagewatchError.httpStatus(for: error)
        if status >= 500 {
            return APIError(status: HTTPResponse.Status(code: status), code: "internal",
                            message: status == 503 ? "the database is not answering; try again" : "internal error")
        }
        let refusal = WagewatchError.from(error)
        var field: String?
        if let error = error as? ValidationError {
            field = error.field
        } else if let error = error as? ValidationProblems {
            field = error.errors.first?.field
        } else {
            field = fields.first { refusal.message.hasPrefix($0 + ":") }
        }
        let code = refusal.kind.apiCode
        let answer: HTTPResponse.Status = refusal.kind == .usage ? .unprocessableContent : HTTPResponse.Status(code: status)
        return APIError(status: answer, code: code, message: refusal.message, field: field)
    }

    var response: Response {
        var object: [String: Any] = ["code": code, "message": message]
        object["field"] = field ?? NSNull()
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"wagewatch\"" }
        let data = (try? JSONSerialization.data(withJSONObject: ["error": object], options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Everything under /api/v1 answers JSON, its errors included: what a route throws becomes
/// SPEC §9's error object here, before the desk's HTML error pages could see it. A 5xx's detail
/// goes to the log (kind and SQLSTATE, never a value), not to the client.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let logger: Logger

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let answer = APIError.from(error, fields: APIRoutes.complaintFields.map(\.0) + ["action", "confirm_action", "reason", "week", "lang"])
            if answer.status.code >= 500 {
                let detail = (error as? PostgresError).map { "SQLSTATE \($0.code?.raw ?? "-") \($0.kind)" } ?? String(describing: type(of: error))
                logger.error("\(request.method) \(RequestLogMiddleware.loggable(request.uri.path)): \(detail)")
            }
            return answer.response
        }
    }
}
