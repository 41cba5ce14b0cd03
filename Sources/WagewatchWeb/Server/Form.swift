import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body (or a query string): the last
/// value of each name, as typed.
public struct Form: Sendable {
    public private(set) var fields: [String: String] = [:]

    public init(_ fields: [String: String] = [:]) { self.fields = fields }

    /// Parses `a=1&b=%E5%BC%A0+%E4%B8%89`: `+` is a space, `%XX` a byte of UTF-8.
    public init(encoded text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
    }

    /// Reads a request's form body (at most the context's upload size: 413 beyond).
    static func read(_ request: Request, context: WebContext) async throws -> Form {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return Form(encoded: String(buffer: buffer))
    }

    /// A field's text with surrounding white space removed; nil when absent or empty — what
    /// the shared parsers (``WagewatchCore/ComplaintInput/parse(_:)``) take as "not given".
    public func value(_ name: String) -> String? {
        guard let raw = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        return raw
    }

    /// A field exactly as typed (for filling the form again), "" when absent.
    public func typed(_ name: String) -> String { fields[name] ?? "" }
}

extension Request {
    /// The query string's fields.
    var query: Form { Form(encoded: uri.query ?? "") }
}
