import Foundation
import PostgresClient
import Testing
import TestSupport
@testable import WagewatchCore

/// Replays the libFuzzer corpus (Tests/Fuzz/corpus/TARGET: seeds, minimised finds and every
/// input that ever crashed a target) through the entry points the fuzz targets call, so CI keeps
/// them without libFuzzer. Each input must not crash, must keep the target's invariants, and must
/// be accepted or refused exactly as Tests/Fuzz/expected/TARGET.txt records. After changing the
/// corpus (`scripts/fuzz --keep`) or a parser on purpose, rewrite those files with
/// `scripts/update-goldens` and read the diff (a test run itself never rewrites them).
@Suite("fuzz corpus regressions")
struct FuzzRegressionTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz", isDirectory: true)

    @Test("every CSV input reads the same in any buffer size, round-trips, and is accepted or refused as recorded")
    func csv() throws {
        try replay("csv") { path, _ in try CSVCorpus.outcome(path) }
    }

    @Test("every money input parses or is refused as recorded, naming the value, and parses back after formatting")
    func money() throws {
        try replay("money") { _, bytes in MoneyCorpus.outcome(String(decoding: bytes, as: UTF8.self)) }
    }

    @Test("every identity-code input is accepted as 18 ASCII characters or refused, as recorded")
    func identity() throws {
        try replay("identity") { _, bytes in IdentityCorpus.outcome(String(decoding: bytes, as: UTF8.self)) }
    }

    @Test("every configuration input loads or is refused naming the key or the place, as recorded, and never aborts")
    func toml() throws {
        try replay("toml") { _, bytes in try TOMLCorpus.outcome(bytes) }
    }

    /// Runs `outcome` over every corpus file of `target` and compares with the recorded outcomes.
    private func replay(_ target: String, _ outcome: (String, [UInt8]) throws -> String) throws {
        let corpus = Self.fuzzFolder.appendingPathComponent("corpus/\(target)", isDirectory: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(!names.isEmpty, "no corpus in \(corpus.path)")
        var actual: [String: String] = [:]
        for name in names {
            let path = corpus.appendingPathComponent(name).path
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            actual[name] = try outcome(path, bytes)
        }
        let expectedFile = Self.fuzzFolder.appendingPathComponent("expected/\(target).txt")
        let rendered = names.map { "\($0)\t\(actual[$0]!)\n" }.joined()
        try GoldenOutput.record(rendered, for: expectedFile)
        let recorded = try String(contentsOf: expectedFile, encoding: .utf8)
        var expected: [String: String] = [:]
        for line in recorded.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            expected[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        for name in names {
            #expect(expected[name] != nil, "\(target)/\(name) has no recorded outcome: \(GoldenOutput.advice)")
            if let want = expected[name] { #expect(actual[name] == want, "\(target)/\(name)") }
        }
        for name in expected.keys where actual[name] == nil {
            Issue.record("\(target)/\(name) is recorded but no longer in the corpus")
        }
    }
}

/// Shows text on one line of an expectations file: controls, format characters (bidi, zero
/// width), separators and backslashes as `\u{…}`.
private func visible(_ text: String, limit: Int = 160) -> String {
    var out = ""
    for scalar in text.unicodeScalars.prefix(limit) {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
            out += "\\u{" + String(scalar.value, radix: 16) + "}"
        default:
            out += scalar == "\\" ? "\\\\" : String(scalar)
        }
    }
    return text.unicodeScalars.count > limit ? out + "…" : out
}

// MARK: - csv

/// A CSV cell with its quotes doubled by scalar (`replacingOccurrences` compares graphemes and
/// misses a quote followed by a combining mark).
private func quoted(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    out.append("\"")
    for scalar in text.unicodeScalars {
        if scalar == "\"" { out.append("\"") }
        out.append(scalar)
    }
    out.append("\"")
    return String(out)
}

private enum CSVCorpus {
    static let schema = CSVSchema(required: ["a"], optional: ["b", "c"])

    /// Everything one read produced, comparable across buffer sizes.
    struct Read: Equatable {
        var header: String?
        var values: [[String?]] = []
        var problems: [String] = []
    }

    static func read(_ path: String, chunkSize: Int) -> Read {
        var result = Read()
        var reader: CSVReader
        do {
            reader = try CSVReader(path: path, schema: schema, chunkSize: chunkSize)
        } catch {
            result.problems.append(error.description)
            return result
        }
        result.header = reader.header.joined(separator: ",")
        var lastLine = 1
        while true {
            do {
                guard let row = try reader.next() else { break }
                switch row {
                case .success(let record):
                    #expect(record.line > lastLine)
                    lastLine = record.line
                    result.values.append(schema.columns.map { record[$0] })
                case .failure(let error):
                    #expect(error.line > lastLine)
                    lastLine = error.line
                    result.problems.append(error.description)
                }
            } catch {
                result.problems.append(error.description)
                break
            }
        }
        return result
    }

    static func outcome(_ path: String) throws -> String {
        let whole = read(path, chunkSize: 1 << 20)
        for chunk in [1, 2, 3, 7] {
            #expect(read(path, chunkSize: chunk) == whole, "chunk \(chunk): \(path)")
        }
        if !whole.values.isEmpty {
            // The good records, written back as RFC 4180, read back the same.
            var text = "a,b,c\r\n"
            for row in whole.values {
                text += row.map { quoted($0 ?? "") }.joined(separator: ",") + "\r\n"
            }
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-csv-\(UUID().uuidString).csv")
            try text.write(to: copy, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: copy) }
            let again = read(copy.path, chunkSize: 3)
            #expect(again.problems.isEmpty && again.values == whole.values, "round trip of \(path)")
        }
        guard let first = whole.problems.first else { return "accept \(whole.values.count)" }
        return "reject \(whole.problems.count): \(visible(first))"
    }
}

// MARK: - money

private enum MoneyCorpus {
    static func outcome(_ text: String) -> String {
        let strict: Result<Int64, ValidationError>
        do { strict = .success(try Money.parseYuan(text, field: "wage_due")) } catch { strict = .failure(error) }
        let lenient: Result<Int64, ValidationError>
        do { lenient = .success(try Money.parseYuan(text, field: "amount", allowNegative: true)) } catch { lenient = .failure(error) }
        if case .success(let fen) = lenient {
            for shown in [Money.yuan(fen), Money.yuanGrouped(fen)] {
                #expect((try? Money.parseYuan(shown, allowNegative: true)) == fen, "\(shown)")
            }
        }
        switch strict {
        case .success(let fen):
            #expect(fen >= 0)
            #expect((try? lenient.get()) == fen)
            return "accept \(fen)"
        case .failure(let error):
            #expect(error.field == "wage_due" && error.value == text)
            if case .success(let fen) = lenient { return "accept only as negative \(fen)" }
            return "reject \(visible(error.problem))"
        }
    }
}

// MARK: - identity

private enum IdentityCorpus {
    static let today = LocalDate(year: 2026, month: 1, day: 1)!

    static func outcome(_ text: String) -> String {
        var parts: [String] = []
        do {
            let code = try USCC(parsing: text, field: "employer_uscc")
            #expect(code.value.utf8.count == 18 && code.value.unicodeScalars.allSatisfy { $0.isASCII })
            parts.append("uscc accept \(code.value)")
        } catch {
            #expect(error.field == "employer_uscc" && error.value == text)
            parts.append("uscc reject \(visible(error.problem))")
        }
        do {
            let id = try ResidentID(parsing: text, field: "id_number", today: today)
            #expect(id.value.utf8.count == 18 && id.value.unicodeScalars.allSatisfy { $0.isASCII })
            parts.append("id accept \(id.masked)")
        } catch {
            #expect(error.field == "id_number" && error.value == text)
            parts.append("id reject \(visible(error.problem))")
        }
        return parts.joined(separator: "; ")
    }
}

// MARK: - toml

private enum TOMLCorpus {
    static func outcome(_ bytes: [UInt8]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-toml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(bytes).write(to: folder.appendingPathComponent("fuzz.toml"))
        do {
            let configuration = try Configuration.resolve(explicitPath: "fuzz.toml", workingDirectory: folder.path)
            #expect(configuration.rules.r6.redAt >= configuration.rules.r6.orangeAt)
            return configuration == .defaults ? "accept (defaults)" : "accept"
        } catch let error as WagewatchError {
            #expect(error.kind == .invalidInput)
            #expect(error.message.hasPrefix("config: "))
            #expect(error.message.contains("fuzz.toml"))
            return "reject \(visible(error.message))"
        }
    }
}
