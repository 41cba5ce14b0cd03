import Foundation
import TOMLKit

/// Reading `wagewatch.toml` (SPEC §7). Every key is optional and falls back to its default;
/// an unknown table or key, a value of the wrong type and a value out of range are errors
/// (exit 3) that name the key by its dotted path, the value and the file.
///
/// Money keys hold yuan (元), written as a TOML integer (`one_worker = 8000`) or as a string in
/// any form `Money.parseYuan` reads (`one_worker = "8000.50"`, `"0.8万"`); never as a TOML float,
/// which could not hold every fen exactly. Days, months, counts and percentages are integers.
/// `wagewatch.defaults.toml` at the repository root lists every key with its default.
extension Configuration {
    /// The file looked for in the working directory when no `--config` is given.
    public static let fileName = "wagewatch.toml"

    /// Reads the configuration file at `path` (defaults for every key it leaves out).
    public static func load(path: String) throws -> Configuration {
        try load(path: path, source: path)
    }

    /// Reads configuration from TOML text; `source` names the file in error messages.
    public static func load(toml text: String, source: String) throws -> Configuration {
        guard !text.contains("\0") else {
            throw WagewatchError.invalid("config: \(source) is not valid TOML: it contains a NUL character")
        }
        if let at = tomlParserTrap(in: text) {
            throw WagewatchError.invalid(
                "config: \(source) is not valid TOML: line \(at.line), column \(at.column): \(at.problem)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw WagewatchError.invalid(
                "config: \(source) is not valid TOML: line \(at.line), column \(at.column): \(error.description)")
        } catch {
            throw WagewatchError.invalid("config: \(source) is not valid TOML: \(error)")
        }
        var configuration = Configuration()
        var root = ConfigurationTable(table, path: [], source: source)
        try root.read(into: &configuration)
        return configuration
    }

    /// The first place where toml++ 3.4.0, inside TOMLKit 0.6.0, would abort the whole process
    /// instead of reporting a parse error (its `TOML_ASSERT_ASSUME` checks are assertions in our
    /// builds), found here first so that a bad file is exit 3, not a crash. Known traps, all in
    /// invalid TOML: a table header whose name starts with anything but a bare-key character or a
    /// quote (`[[[a]]]`, `[投诉]`, `[=]`; fixed upstream in marzer/tomlplusplus#301); an array
    /// value slot holding `}` or a Unicode line separator (`[1, }]`); and a bare value that is
    /// not a TOML value but starts like a date-time (`2026-01-01Tx`, `2026-01-01 0`). So every
    /// bare value (a number, boolean, date or time) is checked against the TOML 1.0 grammar
    /// before toml++ reads it. Strings and comments are skipped.
    static func tomlParserTrap(in text: String) -> (line: Int, column: Int, problem: String)? {
        let scalars = Array(text.unicodeScalars)
        let count = scalars.count
        var index = 0, line = 1, lineStart = 0
        /// The `[` and `{` of the values being read, innermost last.
        var open: [Unicode.Scalar] = []
        var atStatementStart = true
        var expectValue = false
        func isBlank(_ at: Int) -> Bool { at < count && (scalars[at] == " " || scalars[at] == "\t") }
        func isKeyStart(_ s: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
                || s == "_" || s == "-" || s == "\"" || s == "'"
        }
        /// Where toml++ ends a bare value.
        func endsValue(_ s: Unicode.Scalar) -> Bool {
            s == "," || s == "]" || s == "}" || s == "#" || s.properties.isWhitespace || s == "\u{FEFF}" || s == "\u{180E}"
        }
        func run(of delimiter: Unicode.Scalar, at: Int) -> Int {
            var end = at
            while end < count && scalars[end] == delimiter { end += 1 }
            return end - at
        }
        func newLine(at position: Int) {
            line += 1
            lineStart = position + 1
        }
        /// Moves past a string opened at `index`; a single-line one also ends at a line break.
        func skipString(_ delimiter: Unicode.Scalar) {
            let multiline = run(of: delimiter, at: index) >= 3
            index += multiline ? 3 : 1
            while index < count {
                let scalar = scalars[index]
                if scalar == "\\" && delimiter == "\"" {
                    if index + 1 < count && scalars[index + 1] == "\n" { newLine(at: index + 1) }
                    index += 2
                    continue
                }
                if scalar == "\n" {
                    guard multiline else { return }
                    newLine(at: index)
                } else if scalar == delimiter {
                    guard multiline else {
                        index += 1
                        return
                    }
                    // `"""a""""` is `a"`: up to two quotes may end the text before the closing three.
                    let quotes = run(of: delimiter, at: index)
                    if quotes >= 3 {
                        index += min(quotes, 5)
                        return
                    }
                    index += quotes
                    continue
                }
                index += 1
            }
        }
        while index < count {
            let scalar = scalars[index]
            let column = index - lineStart + 1
            switch scalar {
            case "\n":
                newLine(at: index)
                if open.isEmpty {
                    atStatementStart = true
                    expectValue = false
                }
                index += 1
                continue
            case " ", "\t", "\r":
                index += 1
                continue
            case "#":
                while index < count && scalars[index] != "\n" { index += 1 }
                continue
            case "\u{2028}", "\u{2029}", "\u{85}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                return (line, column, "unexpected \(code) (a Unicode line separator; end lines with a plain line break)")
            default:
                break
            }
            if atStatementStart && scalar == "[" {
                // As toml++ reads a header: `[`, blanks, a second `[` only if no blank came first, blanks, the name.
                var next = index + 1
                var blank = false
                while isBlank(next) { next += 1; blank = true }
                if next < count && scalars[next] == "[" && !blank {
                    next += 1
                    while isBlank(next) { next += 1 }
                }
                if next < count && !(blank && scalars[next] == "[") && scalars[next] != "]" && !isKeyStart(scalars[next]) {
                    return (line, next - lineStart + 1, "a table name must be a bare key (letters A–Z and a–z, digits, _ and -) "
                        + "or a quoted one, e.g. [rules.r6]")
                }
                while index < count && scalars[index] != "\n" { index += 1 }
                continue
            }
            atStatementStart = false
            if expectValue {
                expectValue = false
                switch scalar {
                case "\"", "'":
                    skipString(scalar)
                    continue
                case "[":
                    open.append(scalar)
                    expectValue = true
                    index += 1
                    continue
                case "{", "]", "}", ",":
                    break
                default:
                    var end = index
                    while end < count && !endsValue(scalars[end]) { end += 1 }
                    var token = String(String.UnicodeScalarView(scalars[index..<end]))
                    // A date and a time may be separated by a space, as toml++ looks ahead for.
                    if isMatch(token, TOMLGrammar.date), end + 1 < count, scalars[end] == " ",
                       ("0"..."9").contains(scalars[end + 1]) {
                        end += 1
                        while end < count && !endsValue(scalars[end]) { end += 1 }
                        token = String(String.UnicodeScalarView(scalars[index..<end]))
                    }
                    guard isMatch(token, TOMLGrammar.bareValue) else {
                        return (line, column, "\(ValidationError.quoted(token)) is not a TOML value (write a whole number, "
                            + "true or false, a date, or text in quotes)")
                    }
                    index = end
                    continue
                }
            }
            switch scalar {
            case "\"", "'":
                skipString(scalar)
                continue
            case "=":
                expectValue = true
            case "," where open.last == "[":
                expectValue = true
            case "[", "{":
                open.append(scalar)
            case "}" where open.last == "[":
                return (line, column, "unexpected '}' inside an array (close the array with ']')")
            case "]", "}":
                _ = open.popLast()
            default:
                break
            }
            index += 1
        }
        return nil
    }

    private static func isMatch(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }

    /// The configuration a command runs with: the file given with `--config` (which must exist),
    /// else `wagewatch.toml` in the working directory when there is one, else the defaults.
    public static func resolve(explicitPath: String?, workingDirectory: String) throws -> Configuration {
        let directory = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        if let explicitPath {
            let path = explicitPath.hasPrefix("/")
                ? explicitPath : directory.appendingPathComponent(explicitPath).path
            guard !explicitPath.isEmpty, try fileExists(path, named: explicitPath) else {
                throw WagewatchError.notFound("config: \"\(explicitPath)\" does not exist")
            }
            return try load(path: path, source: explicitPath)
        }
        let path = directory.appendingPathComponent(fileName).path
        guard try fileExists(path, named: fileName) else { return .defaults }
        return try load(path: path, source: fileName)
    }

    /// Whether a file is at `path`; a directory there is an error, not a silent default.
    private static func fileExists(_ path: String, named name: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        guard !isDirectory.boolValue else {
            throw WagewatchError.invalid("config: \"\(name)\" is a directory, not a TOML file")
        }
        return true
    }

    private static func load(path: String, source: String) throws -> Configuration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            guard FileManager.default.fileExists(atPath: path) else {
                throw WagewatchError.notFound("config: \"\(source)\" does not exist")
            }
            throw WagewatchError.failure("config: cannot read \"\(source)\": \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WagewatchError.invalid("config: \(source) is not UTF-8 text")
        }
        return try load(toml: text, source: source)
    }
}

/// The TOML 1.0 grammar of values written without quotes or brackets, as anchored patterns.
private enum TOMLGrammar {
    static let decimal = "[+-]?(0|[1-9](_?[0-9])*)"
    static let digits = "[0-9](_?[0-9])*"
    static let exponent = "[eE][+-]?" + digits
    static let integer = decimal + "|0x[0-9A-Fa-f](_?[0-9A-Fa-f])*|0o[0-7](_?[0-7])*|0b[01](_?[01])*"
    static let float = decimal + "(\\." + digits + "(" + exponent + ")?|" + exponent + ")|[+-]?(inf|nan)"
    static let time = "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
    static let date = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    static let dateTime = "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ]" + time + "([Zz]|[+-][0-9]{2}:[0-9]{2})?)?"
    static let bareValue = "^(" + integer + "|" + float + "|true|false|" + dateTime + "|" + time + ")$"
}

/// What a whole-number key counts, with the range it accepts. Zero is never allowed: a zero
/// deadline or threshold would flag or escalate everything.
private enum Quantity {
    case workingDays, days, months, minutes, workers, complaints, percent, basisPoints

    var range: ClosedRange<Int> {
        switch self {
        case .workingDays: 1...1_000
        case .days: 1...3_660
        case .months: 1...1_200
        case .minutes: 1...10_080
        case .workers, .complaints: 1...100_000
        case .percent: 1...100
        case .basisPoints: 1...10_000
        }
    }

    var noun: String {
        switch self {
        case .workingDays: "working days"
        case .days: "days"
        case .months: "months"
        case .minutes: "minutes"
        case .workers: "workers"
        case .complaints: "complaints"
        case .percent: "percent"
        case .basisPoints: "basis points (100 = 1 %)"
        }
    }
}

/// One table of the file being read: it reads the keys it knows into the configuration and
/// then reports any key it was not asked for, by its dotted path.
private struct ConfigurationTable {
    let table: TOMLTable
    let path: [String]
    let source: String
    private var known: [String] = []

    init(_ table: TOMLTable, path: [String], source: String) {
        self.table = table
        self.path = path
        self.source = source
    }

    /// The layout of the file: every table and key the loader accepts, and where each goes.
    mutating func read(into c: inout Configuration) throws {
        try section("complaints") { t in
            try t.count("decision_days", &c.complaints.decisionDays, .workingDays)
            try t.count("time_bar_months", &c.complaints.timeBarMonths, .months)
            try t.count("merge_window_days", &c.complaints.mergeWindowDays, .days)
            try t.count("investigation_days", &c.complaints.investigationDays, .workingDays)
            try t.count("max_extension_days", &c.complaints.maxExtensionDays, .workingDays)
        }
        try section("projects") { t in
            try t.count("deposit_rate_basis_points", &c.projects.depositRateBasisPoints, .basisPoints)
            try t.money("deposit_exempt_below", &c.projects.depositExemptBelowFen)
            try t.count("wage_account_days", &c.projects.wageAccountDays, .days)
            try t.count("allocation_cycle_max_days", &c.projects.allocationCycleMaxDays, .days)
        }
        try section("rules") { rules in
            try rules.section("r1") { t in
                try t.count("days_after_contract", &c.rules.r1.daysAfterContract, .days)
            }
            try rules.section("r2") { t in
                try t.count("red_after_days", &c.rules.r2.redAfterDays, .days)
            }
            try rules.section("r4") { t in
                try t.count("red_percent", &c.rules.r4.redPercent, .percent)
            }
            try rules.section("r5") { t in
                try t.money("per_month", &c.rules.r5.perMonthFen)
                try t.money("per_year", &c.rules.r5.perYearFen)
            }
            try rules.section("r6") { t in
                try t.count("window_days", &c.rules.r6.windowDays, .days)
                try t.count("orange_at", &c.rules.r6.orangeAt, .complaints)
                try t.count("red_at", &c.rules.r6.redAt, .complaints)
                let r6 = c.rules.r6
                if r6.redAt < r6.orangeAt {
                    throw t.problem("red_at", String(r6.redAt),
                                    "must not be below \(t.dotted("orange_at")) (\(r6.orangeAt))")
                }
            }
            try rules.section("r7") { t in
                try t.money("one_worker", &c.rules.r7.oneWorkerFen)
                try t.count("one_worker_months", &c.rules.r7.oneWorkerMonths, .months)
                try t.count("workers", &c.rules.r7.workers, .workers)
                try t.money("workers_total", &c.rules.r7.workersTotalFen)
            }
            try rules.section("r10") { t in
                try t.count("after_months", &c.rules.r10.afterMonths, .months)
            }
        }
        try section("escalations") { escalations in
            try escalations.section("e1") { t in
                try t.count("workers", &c.escalations.e1.workers, .workers)
                try t.words("protest_keywords", &c.escalations.e1.protestKeywords)
            }
            try escalations.section("e2") { t in
                try t.count("red_flag_review_days", &c.escalations.e2.redFlagReviewDays, .workingDays)
            }
            try escalations.section("e3") { t in
                try t.count("mass_incident_ack_minutes", &c.escalations.e3.massIncidentAckMinutes, .minutes)
                try t.count("other_ack_working_days", &c.escalations.e3.otherAckWorkingDays, .workingDays)
            }
            try escalations.section("delivery") { t in
                try t.webhookURL("webhook_url", &c.escalations.delivery.webhookURLText)
                try t.mailAddresses("mail_to", &c.escalations.delivery.mailTo)
                try t.programPath("sendmail_path", &c.escalations.delivery.sendmailPath)
            }
        }
        try section("sanctions") { t in
            try t.count("blacklist_months", &c.sanctions.blacklistMonths, .months)
            try t.count("early_lift_after_months", &c.sanctions.earlyLiftAfterMonths, .months)
        }
        try rejectUnknown()
    }

    // MARK: Keys

    /// The value of a key this table knows, or nil when the file leaves it out.
    private mutating func value(_ key: String) -> TOMLValueConvertible? {
        known.append(key)
        return table[key]
    }

    /// A sub-table: absent leaves its defaults; anything but a table is an error.
    mutating func section(_ key: String, _ body: (inout ConfigurationTable) throws -> Void) throws {
        guard let value = value(key) else { return }
        guard let sub = value.table else { throw wrongType(key, value, expected: "a table") }
        var reader = ConfigurationTable(sub, path: path + [key], source: source)
        try body(&reader)
        try reader.rejectUnknown()
    }

    /// A whole number of `quantity`, within its range.
    mutating func count(_ key: String, _ target: inout Int, _ quantity: Quantity) throws {
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

    /// The absolute path of a program.
    mutating func programPath(_ key: String, _ target: inout String) throws {
        guard let value = value(key) else { return }
        guard let path = value.string else { throw wrongType(key, value, expected: "a program path string") }
        guard path.hasPrefix("/"), !path.contains("\0") else {
            throw problem(key, Self.render(value), "must be an absolute path such as \"/usr/sbin/sendmail\"")
        }
        target = path
    }

    // MARK: Errors

    /// Every key of this table that nothing asked for is an error naming its dotted path.
    func rejectUnknown() throws {
        for key in table.keys where !known.contains(key) {
            let what = table[key]?.type == .table ? "table" : "key"
            var message = "config: unknown \(what) \"\(dotted(key))\" in \(source)"
            if let guess = Self.closest(to: key, among: known) {
                message += " (did you mean \"\(dotted(guess))\"?)"
            } else if !known.isEmpty {
                message += " (known here: \(known.joined(separator: ", ")))"
            }
            throw WagewatchError.invalid(message)
        }
    }

    /// The key's full name, `rules.r6.orange_at`, quoting any part that is not a bare TOML key.
    func dotted(_ key: String) -> String {
        (path + [key]).map { part in
            let bare = !part.isEmpty && part.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || $0 == "_" || $0 == "-"
            }
            return bare ? part : ValidationError.quoted(part)
        }.joined(separator: ".")
    }

    /// `config: complaints.decision_days = -1 in wagewatch.toml: must be from 1 to …`
    func problem(_ key: String, _ shown: String, _ message: String) -> WagewatchError {
        problem(at: dotted(key), shown, message)
    }

    private func problem(at name: String, _ shown: String, _ message: String) -> WagewatchError {
        WagewatchError.invalid("config: \(name) = \(shown) in \(source): \(message)")
    }

    private func wrongType(_ key: String, _ value: TOMLValueConvertible, expected: String) -> WagewatchError {
        wrongType(at: dotted(key), value, expected: expected)
    }

    private func wrongType(at name: String, _ value: TOMLValueConvertible, expected: String) -> WagewatchError {
        problem(at: name, Self.render(value), "expected \(expected), found \(Self.article(value.type))")
    }

    /// A value as it would appear in the file, short.
    private static func render(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return ValidationError.quoted(value.string ?? "")
        case .int: return value.int.map(String.init) ?? "?"
        case .double: return value.double.map { "\($0)" } ?? "?"
        case .bool: return value.bool == true ? "true" : "false"
        case .table: return "{…}"
        case .array:
            let text = value.debugDescription
            return text.contains("\n") || text.count > 64 ? "[…]" : text
        default: return value.debugDescription
        }
    }

    private static func article(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a float"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }

    /// The known key nearest to a misspelt one, when it is near enough to be a typo.
    private static func closest(to key: String, among known: [String]) -> String? {
        let scored = known.map { ($0, distance(Array(key), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, key.count / 3) ? best.0 : nil
    }

    /// Levenshtein distance.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
