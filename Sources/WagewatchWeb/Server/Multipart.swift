import Foundation

/// A `multipart/form-data` body (RFC 7578), as the import form sends it: each part's name, its
/// file name if it is a file, and its bytes exactly as sent.
struct Multipart: Sendable {
    struct Part: Sendable {
        let name: String
        let filename: String?
        let bytes: [UInt8]

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    let parts: [Part]

    /// The first part named `name`.
    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// A form field's text, trimmed; nil when absent or empty.
    func value(_ name: String) -> String? {
        guard let text = part(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2 ? String(pair[1].dropFirst().dropLast()) : pair[1]
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// Splits `body` on `--boundary` lines; each part's headers end at the first empty line.
    init(body: [UInt8], boundary: String) throws {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard body.starts(with: delimiter) else { throw Malformed(description: "the body does not start with its boundary") }
        var parts: [Part] = []
        var at = delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[at...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { break }
            guard body[at...].starts(with: [0x0D, 0x0A]) else { throw Malformed(description: "a boundary is not followed by a line end") }
            at += 2
            guard let headerEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: at) else {
                throw Malformed(description: "a part has no end of headers")
            }
            let headers = String(decoding: body[at..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let contentEnd = Self.find(separator, in: body, from: contentStart) else {
                throw Malformed(description: "a part is not closed by the boundary")
            }
            guard let disposition = Self.disposition(headers) else {
                throw Malformed(description: "a part has no Content-Disposition: form-data name")
            }
            parts.append(Part(name: disposition.name, filename: disposition.filename, bytes: Array(body[contentStart..<contentEnd])))
            at = contentEnd + separator.count
            guard at <= body.count else { throw Malformed(description: "the body ends inside a boundary") }
        }
        self.parts = parts
    }

    /// `name` and `filename` of `Content-Disposition: form-data; name="file"; filename="a.csv"`.
    private static func disposition(_ headers: String) -> (name: String, filename: String?)? {
        for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            var name: String?, filename: String?
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2 else { continue }
                var value = pair[1]
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                switch pair[0].lowercased() {
                case "name": name = value
                case "filename": filename = value
                default: break
                }
            }
            return name.map { ($0, filename) }
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}
