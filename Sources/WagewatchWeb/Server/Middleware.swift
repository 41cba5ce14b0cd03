import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresClient
import WagewatchCore

/// One log line per request: method, path without its query (which can hold names and
/// numbers), status, milliseconds and the signed-in user — never a body, a cookie or a token.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let logger: Logger

    /// The path with every run of 11 or more digits (an ID number, a phone, a bank account in a
    /// `worker:` account's path) replaced by `*`, so no personal data reaches the log.
    static func loggable(_ path: String) -> String {
        path.replacingOccurrences(of: "[0-9]{10,}[0-9Xx]", with: "*", options: .regularExpression)
    }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        func line(_ status: Int) {
            let elapsed = ContinuousClock.now - start
            // Tenths of a millisecond, in integers.
            let tenths = elapsed.components.seconds * 10_000 + elapsed.components.attoseconds / 100_000_000_000_000
            logger.info("\(request.method) \(Self.loggable(request.uri.path)) \(status) \(tenths / 10).\(tenths % 10)ms user=\(context.userName.name ?? "-")")
        }
        do {
            let response = try await next(request, context)
            line(response.status.code)
            return response
        } catch let error as HTTPResponseError {
            line(error.status.code)
            throw error
        } catch {
            line(500)
            throw error
        }
    }
}

/// The headers of SPEC §8 on every answer: a strict Content-Security-Policy (no inline script
/// or style, nothing from elsewhere, no framing), nosniff (both by Hummingbird's
/// ContentSecurityMiddleware), and Referrer-Policy same-origin.
struct SecurityHeaders {
    static var contentSecurity: ContentSecurityMiddleware<WebContext> {
        ContentSecurityMiddleware(contentSecurityPolicy: [
            .defaultSrc(.none), .scriptSrc(.self), .styleSrc(.self), .imgSrc(.self), .connectSrc(.self),
            .formAction(.self), .frameAncestors(.none), .baseURI(.none),
        ])
    }
}

struct ReferrerPolicyMiddleware: RouterMiddleware {
    typealias Context = WebContext
    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}

/// Turns what a route throws into the answer SPEC §8 gives: an anonymous HTML GET goes to
/// /login?next=…; a bad CSRF token is 403; a desk's refusal is its kind's status (the one
/// error table, ``WagewatchCore/WagewatchError/httpStatus(for:)``) with its message; anything
/// unexpected is 500 with no internal detail (the detail goes to the log, without values).
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages
    let logger: Logger

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch WebFailure.signInRequired {
            if request.method == .get || request.method == .head {
                var target = request.uri.path
                if let query = request.uri.query, !query.isEmpty { target += "?" + query }
                let next = SignInRoutes.safeNext(target)
                let location = "/login" + (next == "/" ? "" : "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
                return Response(status: .seeOther, headers: [.location: location])
            }
            return page(request, context, status: .unauthorized, key: "session_ended")
        } catch WebFailure.badCSRFToken {
            return page(request, context, status: .forbidden, key: "bad_csrf")
        } catch let error as HTTPResponseError {
            throw error
        } catch {
            let status = WagewatchError.httpStatus(for: error)
            if status >= 500 {
                let detail = (error as? PostgresError).map { "SQLSTATE \($0.code?.raw ?? "-") \($0.kind)" } ?? String(describing: type(of: error))
                logger.error("\(request.method) \(request.uri.path): \(detail)")
                return page(request, context, status: HTTPResponse.Status(code: status), key: status == 503 ? "unavailable" : "internal")
            }
            return page(request, context, status: HTTPResponse.Status(code: status), refusal: WagewatchError.from(error))
        }
    }

    private func page(_ request: Request, _ context: WebContext, status: HTTPResponse.Status, key: String? = nil, refusal: WagewatchError? = nil) -> Response {
        let language = request.query.value("lang").flatMap(ReportLanguage.init(rawValue:)) ?? context.userName.language ?? .zh
        let heading: String
        switch status.code {
        case 403: heading = Words.text("forbidden", language)
        case 404: heading = Words.text("not_found", language)
        default: heading = Words.text("error", language)
        }
        let text = refusal?.text(language) ?? key.map { Words.text($0, language) } ?? ""
        return pages.page("error", ["heading": heading, "message": text],
                          chrome: .init(language: language, signed: nil, path: request.uri.path, title: heading), status: status)
    }
}
