import Foundation
import PropertyBased
import Testing
@testable import WagewatchCore

/// Four levels up from Tests/WagewatchCoreTests/Configuration/ConfigurationPropertyTests.swift.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
private let defaultsText = (try? String(
    contentsOf: repositoryRoot.appendingPathComponent("wagewatch.defaults.toml"), encoding: .utf8)) ?? ""

/// Each single-line `key = value` of the defaults file: its line index and dotted key.
private let keyLines: [(index: Int, dotted: String)] = {
    var table = ""
    var found: [(Int, String)] = []
    for (index, line) in defaultsText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if line.hasPrefix("[") {
            table = String(line.dropFirst().dropLast())
        } else if let equals = line.range(of: " = "), !line.hasPrefix("#"), !line.hasSuffix("[") {
            found.append((index, table + "." + line[..<equals.lowerBound]))
        }
    }
    return found
}()

/// Values a hand-edited file might hold where a number, amount, list or name belongs.
private let hostileValues = [
    "-1", "0", "1", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "1e5", "8000.0", "inf",
    "nan", "true", "\"\"", "\" \"", "\"8000\"", "\"0.8万\"", "\"-5\"", "\"9223372036854775808\"", "\"abc\"",
    "\"'); DROP TABLE complaints;--\"", "[]", "[1]", "[\"\"]", "[\"a\", 2]", "{}", "{ a = 1 }", "1979-05-27",
    "07:32:00", "1979-05-27T07:32:00Z", "\"http://\"", "\"ftp://x\"", "\"Asia/Nowhere\"", "\"relative/sendmail\"",
    "\"\\u202E\"", "'''multi\nline'''", "[ [ 1 ] ]", "\"[=]\"",
]

/// What is typed into a file by accident, brackets and key characters included.
private let junk: [Character] = ["[", "]", "=", "\"", "'", "#", ".", ",", "{", "}", "\n", " ", "a", "1", "投", "\u{0}", "\\", "-"]

private func load(_ text: String) -> Result<Configuration, WagewatchError> {
    do {
        return .success(try Configuration.load(toml: text, source: "wagewatch.toml"))
    } catch let error as WagewatchError {
        return .failure(error)
    } catch {
        return .failure(WagewatchError.failure("not a WagewatchError: \(error)"))
    }
}

@Suite("configuration loader properties")
struct ConfigurationPropertyTests {
    @Test("the defaults file parses, so the mutations below start from a valid file")
    func defaultsLoad() throws {
        #expect(keyLines.count > 30)
        #expect(try Configuration.load(toml: defaultsText, source: "wagewatch.defaults.toml") == .defaults)
    }

    @Test("any key given a hostile value is either accepted or refused naming that key by its dotted path")
    func hostileValueNamesItsKey() async throws {
        let lines = defaultsText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        await propertyCheck(count: 400, input: Gen.int(in: 0...(keyLines.count - 1)), Gen<String?>.element(of: hostileValues).map { $0! }) {
            pick, value in
            let (index, dotted) = keyLines[pick]
            var edited = lines
            let key = edited[index].prefix { $0 != " " }
            edited[index] = "\(key) = \(value)"
            switch load(edited.joined(separator: "\n")) {
            case .success:
                break
            case .failure(let error):
                #expect(error.kind == .invalidInput, "\(error)")
                #expect(error.message.hasPrefix("config: \(dotted)") || error.message.contains("wagewatch.toml is not valid TOML: line \(index + 1)"),
                        "\(dotted) = \(value): \(error.message)")
            }
        }
    }

    @Test("random junk typed anywhere into a valid file never crashes: a configuration or an invalid-input refusal")
    func junkNeverCrashes() async throws {
        let scalars = Array(defaultsText)
        await propertyCheck(
            count: 1_500, input: Gen.int(in: 0...scalars.count),
            Gen<Character?>.element(of: junk).map { $0! }.string(of: 1...4)
        ) { position, inserted in
            let text = String(scalars[..<position]) + inserted + String(scalars[position...])
            if case .failure(let error) = load(text) {
                #expect(error.kind == .invalidInput, "\(error)")
                #expect(error.message.hasPrefix("config: "), "\(error.message)")
            }
        }
    }

    @Test("input toml++ would abort on (a bad table name; `}` or a line separator in an array; a broken date-time) is refused with its line and column", arguments: [
        ("[[[rules.r6]\nred_at = 5\n", 1, 3), ("[投诉]\n", 1, 2), ("# ok\n[=]\n", 2, 2), ("[#]\n", 1, 2),
        ("[\n", 1, 2), ("[ \r\n", 1, 3), ("[[ .a]]\n", 1, 4), ("  [{x}]\n", 1, 4),
        ("[rules.r6]\nred_at = 5\n\t[ 。]\n", 3, 4),
        ("[escalations.e1]\nprotest_keywords = [}]\n", 2, 21), ("[escalations.e1]\nprotest_keywords = [\n  \"a\",\n  }\n", 4, 3),
        ("x = { y = [ } ] }\n", 1, 13), ("a = [\u{2028}]\n", 1, 6), ("\u{85}", 1, 1), ("a = 1\u{2029}\n", 1, 6),
        ("report =1979-05-27Tred_p07:23:00Zords\n", 1, 9), ("a = 1979-05-27 0\n", 1, 5), ("a = [1, 1979-05-27t]\n", 1, 9),
        ("a = { b = 2026-02-28 7 }\n", 1, 11), ("a = 0x\n", 1, 5), ("a = 1__0\n", 1, 5), ("a=.5\n", 1, 3),
    ])
    func malformedHeaderRefused(text: String, line: Int, column: Int) {
        guard case .failure(let error) = load(text) else {
            Issue.record("\(text.debugDescription) was accepted")
            return
        }
        #expect(error.kind == .invalidInput)
        #expect(error.message.hasPrefix("config: wagewatch.toml is not valid TOML: line \(line), column \(column): "), "\(error.message)")
    }

    @Test("every kind of TOML 1.0 value passes the pre-check toml++ is shielded by")
    func validValuesPass() {
        let text = """
            a = [1, +17, -0, 1_000, 0xDEAD_beef, 0o755, 0b1101, 3.14, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991,
                 inf, +inf, -nan, true, false, 1979-05-27T07:32:00Z, 1979-05-27T00:32:00.999999-07:00,
                 1979-05-27 07:32:00, 1979-05-27t07:32:00+05:30, 1979-05-27, 07:32:00, 00:32:00.999999,
                 "s", 's', \"\"\"m\"\"\", '''l''', [], [[1], ['x']], { x = 1, y = { z = [2] } }, ]  # trailing comma
            "quoted key" = 1  # [=]
            1979-05-27 = 2
            b.c = { d = -1 }
            [[t]]
            e = 1
            """
        #expect(Configuration.tomlParserTrap(in: text) == nil)
        // toml++ reads it too: the loader gets as far as the keys it does not know.
        if case .failure(let error) = load(text) {
            #expect(error.message.hasPrefix("config: unknown key "), "\(error.message)")
        }
    }

    @Test("brackets inside strings, comments and multi-line arrays start no table header")
    func bracketsElsewhereAreFine() throws {
        let text = """
            # [=] a comment, not a header
            [escalations.e1] # [#] neither
            protest_keywords = [
                "[=]",
                '[#]',
                \"\"\"
            [投诉
            \"\"\",
                '''
            [[[
            ''',
                "\\"[=",
                \"\"\"}\"\"\"\",
                "x\u{2028}\u{85}}",  # \u{2028} in a comment
            ]
            [ "rules" . r6 ]
            red_at = 6

            """
        let configuration = try Configuration.load(toml: text, source: "wagewatch.toml")
        #expect(configuration.escalations.e1.protestKeywords == ["[=]", "[#]", "[投诉", "[[[", "\"[=", "}\"", "x\u{2028}\u{85}}"])
        #expect(configuration.rules.r6.redAt == 6)
    }
}
