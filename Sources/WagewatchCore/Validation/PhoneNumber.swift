/// A mainland phone number, mobile or landline, kept in one normalised form so the same caller
/// is recognised however the hotline typed it. `description` is masked (SPEC §6).
public struct PhoneNumber: Hashable, Sendable, ParsedText, CustomStringConvertible {
    public static let fieldName = "phone"
    public enum Kind: String, Sendable, Hashable, Codable {
        case mobile, landline
    }

    /// The stored form: `13812341234` for a mobile, `0371-61234567` or `0371-61234567-123`
    /// for a landline with an extension.
    public let value: String
    public let kind: Kind

    /// Parses a number as typed: `+86`/`0086` prefixes, spaces, hyphens and parentheses around
    /// the area code are accepted; an extension follows `转` or a last hyphen.
    public init(parsing text: String, field: String = Self.fieldName) throws(ValidationError) {
        // `problem`: the key of the detail in the message table (Labels, Messages).
        func fail(_ problem: String) -> ValidationError {
            ValidationError(field: field, value: text, problem: Messages.en("phone_invalid", Messages.en(problem)))
        }
        var cleaned = String(FullWidth.cleaned(text).filter { !$0.isWhitespace && $0 != "(" && $0 != ")" })
        guard !cleaned.isEmpty else { throw fail("phone_empty") }

        var international = false
        for prefix in ["+86", "0086"] where cleaned.hasPrefix(prefix) {
            cleaned = String(cleaned.dropFirst(prefix.count)).trimmingLeadingHyphens()
            international = true
            break
        }

        var main = cleaned
        var ext: String?
        if let mark = cleaned.firstIndex(of: "转") {
            main = String(cleaned[..<mark])
            ext = String(cleaned[cleaned.index(after: mark)...]).trimmingLeadingHyphens()
        }
        guard main.allSatisfy({ $0 == "-" || ($0.isASCII && $0.isNumber) }) else { throw fail("phone_digits") }

        let digits = main.filter { $0 != "-" }
        // After +86 a leading 10 is Beijing's area code without its trunk 0, not a mobile.
        if ext == nil, digits.hasPrefix("1"), !(international && digits.hasPrefix("10")) {
            guard digits.utf8.count == 11 else { throw fail("phone_mobile_length") }
            guard let second = digits.utf8.dropFirst().first, second >= UInt8(ascii: "3") else {
                throw fail("phone_mobile_prefix")
            }
            self.value = digits
            self.kind = .mobile
            return
        }

        // International form drops the trunk 0: +86 371 6123 4567.
        let trunk = international && !main.hasPrefix("0") ? "0" : ""
        if ext == nil, let lastHyphen = main.lastIndex(of: "-"),
           PhoneNumber.landline(trunk + main[..<lastHyphen].filter { $0 != "-" }) != nil {
            ext = String(main[main.index(after: lastHyphen)...])
            main = String(main[..<lastHyphen])
        }
        guard let (area, subscriber) = PhoneNumber.landline(trunk + main.filter { $0 != "-" }) else {
            throw fail("phone_landline")
        }
        var value = area + "-" + subscriber
        if let ext {
            guard (1...6).contains(ext.utf8.count), ext.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw fail("phone_extension")
            }
            value += "-" + ext
        }
        self.value = value
        self.kind = .landline
    }

    /// Splits digits into an area code and a subscriber number: 010 and 02X are three digits,
    /// every other area code four; subscriber numbers have 7–8 digits and never start with 0 or 1.
    private static func landline(_ digits: String) -> (area: String, subscriber: String)? {
        let utf8 = Array(digits.utf8)
        guard utf8.count >= 3, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), utf8[0] == UInt8(ascii: "0") else { return nil }
        let areaLength = (utf8[1] == UInt8(ascii: "1") || utf8[1] == UInt8(ascii: "2")) ? 3 : 4
        if utf8[1] == UInt8(ascii: "1"), utf8[2] != UInt8(ascii: "0") { return nil }
        if utf8[1] == UInt8(ascii: "0") { return nil }
        let subscriber = utf8.dropFirst(areaLength)
        guard (7...8).contains(subscriber.count), let first = subscriber.first, first >= UInt8(ascii: "2") else { return nil }
        return (String(digits.prefix(areaLength)), String(digits.dropFirst(areaLength)))
    }

    /// The area code of a landline (`0371`), nil for a mobile.
    public var areaCode: String? {
        kind == .landline ? String(value.prefix { $0 != "-" }) : nil
    }

    /// The extension of a landline, if any.
    public var `extension`: String? {
        guard kind == .landline else { return nil }
        let parts = value.split(separator: "-")
        return parts.count == 3 ? String(parts[2]) : nil
    }

    /// As lists show it: a mobile keeps its first 3 and last 4 digits (`138****1234`); a landline
    /// its area code and last 2 digits (`0371-******67`), without the extension.
    public var masked: String {
        switch kind {
        case .mobile:
            return String(value.prefix(3)) + "****" + String(value.suffix(4))
        case .landline:
            let parts = value.split(separator: "-")
            let subscriber = parts[1]
            return "\(parts[0])-" + String(repeating: "*", count: subscriber.count - 2) + String(subscriber.suffix(2))
        }
    }

    public var description: String { masked }
}

extension String {
    fileprivate func trimmingLeadingHyphens() -> String {
        String(drop { $0 == "-" })
    }
}
