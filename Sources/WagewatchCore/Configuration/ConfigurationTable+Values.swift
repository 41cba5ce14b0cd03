import Foundation
import TOMLKit

/// Reading one key as the kind of value it holds: a count, money, words, a URL, addresses, a path.
extension ConfigurationTable {
    /// A whole number of `quantity`, within its range.
    mutating func count(_ key: String, _ target: inout Int, _ quantity: Quantity) throws {
        if let listing { listing.entries.append((dotted(key), String(target))); return }
        guard let value = value(key) else { return }
        guard let number = value.int else {
            throw wrongType(key, value, expected: "a whole number of \(quantity.noun)")
        }
        let range = quantity.range
        guard range.contains(number) else {
            throw problem(key, String(number),
                          "must be from \(range.lowerBound) to \(range.upperBound) \(quantity.noun)")
        }
        target = number
    }

    /// An amount of yuan, stored in fen: a TOML integer, or a string `Money.parseYuan` reads.
    mutating func money(_ key: String, _ target: inout Int64) throws {
        if let listing { listing.entries.append((dotted(key), Self.toml(yuanOf: target))); return }
        guard let value = value(key) else { return }
        let fen: Int64
        switch value.type {
        case .int:
            let yuan = Int64(value.int!)
            let (product, overflow) = yuan.multipliedReportingOverflow(by: Money.fenPerYuan)
            guard !overflow else { throw problem(key, Self.render(value), "is too large") }
            fen = product
        case .string:
            do {
                fen = try Money.parseYuan(value.string!, field: dotted(key))
            } catch {
                throw problem(key, Self.render(value), error.problem + " (write yuan, e.g. \"8000\" or \"0.8万\")")
            }
        case .double:
            throw problem(key, Self.render(value),
                          "is a TOML float; write money in yuan as an integer (8000) or a string (\"8000.50\"), "
                              + "never a float")
        default:
            throw wrongType(key, value, expected: "an amount in yuan (an integer or a string)")
        }
        guard fen > 0 else { throw problem(key, Self.render(value), "must be more than 0 yuan") }
        target = fen
    }

    /// A list of words, each a non-blank string (surrounding spaces are dropped); empty turns the check off.
    mutating func words(_ key: String, _ target: inout [String]) throws {
        if let listing { listing.entries.append((dotted(key), Self.toml(target))); return }
        guard let value = value(key) else { return }
        guard let array = value.array else { throw wrongType(key, value, expected: "an array of strings") }
        var words: [String] = []
        for (index, element) in array.enumerated() {
            let name = dotted(key) + "[\(index)]"
            guard let word = element.string else { throw wrongType(at: name, element, expected: "a string") }
            let trimmed = word.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw problem(at: name, Self.render(element), "must not be blank") }
            words.append(trimmed)
        }
        target = words
    }

    /// An `http` or `https` URL with a host; the empty string means none.
    mutating func webhookURL(_ key: String, _ target: inout String) throws {
        if let listing { listing.entries.append((dotted(key), Self.toml(target))); return }
        guard let value = value(key) else { return }
        guard let text = value.string else { throw wrongType(key, value, expected: "a URL string (\"\" for none)") }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            target = ""
            return
        }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty
        else {
            throw problem(key, Self.render(value), "is not an http:// or https:// URL")
        }
        target = trimmed
    }

    /// A list of mail addresses (`name@domain`, no display names); empty sends no mail.
    mutating func mailAddresses(_ key: String, _ target: inout [String]) throws {
        if let listing { listing.entries.append((dotted(key), Self.toml(target))); return }
        var addresses = target
        try words(key, &addresses)
        for (index, address) in addresses.enumerated() {
            let parts = address.split(separator: "@", omittingEmptySubsequences: false)
            let forbidden = address.unicodeScalars.contains {
                $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || "<>,;:\"()[]\\".unicodeScalars.contains($0)
            }
            guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
                  !parts[1].hasSuffix("."), !forbidden
            else {
                throw problem(at: dotted(key) + "[\(index)]", ValidationError.quoted(address),
                              "is not a mail address such as \"bangongshi@example.gov.cn\"")
            }
        }
        target = addresses
    }

    /// The absolute path of a program; with `noneAllowed`, "" means none.
    mutating func programPath(_ key: String, _ target: inout String, noneAllowed: Bool = false) throws {
        if let listing { listing.entries.append((dotted(key), Self.toml(target))); return }
        guard let value = value(key) else { return }
        guard let path = value.string else { throw wrongType(key, value, expected: "a program path string") }
        if noneAllowed, path.isEmpty {
            target = ""
            return
        }
        guard path.hasPrefix("/"), !path.contains("\0") else {
            throw problem(key, Self.render(value), "must be an absolute path such as \"/usr/sbin/sendmail\"")
        }
        target = path
    }

    /// An SMS template (SPEC §10 N1): only the `{name}`s of `allowed`, and one SMS part
    /// (``SMSMessage/partLength`` characters) when each is filled with its longest value.
    mutating func smsTemplate(_ key: String, _ target: inout String, _ allowed: [String]) throws {
        if let listing { listing.entries.append((dotted(key), Self.toml(target))); return }
        guard let value = value(key) else { return }
        guard let text = value.string else { throw wrongType(key, value, expected: "a text string") }
        let template = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !template.isEmpty else { throw problem(key, Self.render(value), "must not be blank") }
        for name in SMSMessage.names(in: template) where !allowed.contains(name) {
            throw problem(key, Self.render(value),
                          "{\(name)} is not known here (use \(allowed.map { "{\($0)}" }.joined(separator: ", ")))")
        }
        let longest = SMSMessage.longestLength(of: template)
        guard longest <= SMSMessage.partLength else {
            throw problem(key, Self.render(value),
                          "is \(longest) characters with the longest values; one SMS part holds \(SMSMessage.partLength)")
        }
        target = template
    }

    // MARK: Values as the file writes them (for the listing)

    /// A TOML basic string, whole (never shortened), with its quotes, backslashes and control characters escaped.
    static func toml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func toml(_ words: [String]) -> String { "[" + words.map(toml).joined(separator: ", ") + "]" }

    /// Fen as the file writes yuan: an integer when whole (8000), else a string ("8000.50").
    static func toml(yuanOf fen: Int64) -> String {
        let yuan = fen / Money.fenPerYuan, rest = fen % Money.fenPerYuan
        return rest == 0 ? String(yuan) : "\"\(yuan).\(rest < 10 ? "0" : "")\(rest)\""
    }
}
