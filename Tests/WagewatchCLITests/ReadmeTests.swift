import Foundation
import Testing
import TestSupport
import WagewatchCore

/// The commands of README.md, as a newcomer would type them. The rule, which the README states
/// in its last section: only fenced blocks marked `sh` are run; in them `export`/`unset` lines set
/// the environment of the commands after them, `wagewatch …` lines are run by `/bin/sh` (exit 0,
/// or the `(exit N)` their comment names), a `# →` line must appear in the output of the command
/// above it, and any other line must say `not run in tests`.
struct ReadmeScript {
    struct Command: Equatable {
        let line: Int
        let text: String
        /// The arguments after `wagewatch`.
        let arguments: [String]
        let expectedExit: Int32
        var expectedOutput: [String] = []
    }

    enum Step: Equatable {
        case export([String: String])
        case unset([String])
        case run(Command)
    }

    var steps: [Step] = []
    /// Lines of `sh` blocks that are neither run nor marked `not run in tests`.
    var problems: [String] = []
    /// Lines skipped by their `not run in tests` marker.
    var skipped: [String] = []

    var commands: [Command] {
        steps.compactMap { if case .run(let c) = $0 { return c } else { return nil } }
    }

    init(markdown: String) {
        var fence: (marks: String, runnable: Bool)?
        var pending: (line: Int, text: String)?
        for (index, raw) in markdown.components(separatedBy: "\n").enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if line.hasPrefix(open.marks) && line.allSatisfy({ $0 == "`" }) {
                    fence = nil
                    continue
                }
                guard open.runnable else { continue }
                // A trailing backslash continues the command on the next line.
                if line.hasSuffix("\\") {
                    let part = String(line.dropLast()).trimmingCharacters(in: .whitespaces)
                    pending = pending.map { ($0.line, $0.text + " " + part) } ?? (number, part)
                    continue
                }
                let (start, text) = pending.map { ($0.line, $0.text + " " + line) } ?? (number, line)
                pending = nil
                add(text, line: start)
            } else if line.hasPrefix("```") {
                let marks = String(line.prefix { $0 == "`" })
                let info = line.dropFirst(marks.count).trimmingCharacters(in: .whitespaces)
                // CommonMark: an info string holds no backtick, else the line is not a fence.
                guard !info.contains("`") else { continue }
                fence = (marks, info == "sh")
            }
        }
    }

    private mutating func add(_ text: String, line: Int) {
        guard !text.isEmpty else { return }
        if text.hasPrefix("#") {
            if text.hasPrefix("# →") {
                let expected = text.dropFirst("# →".count).trimmingCharacters(in: .whitespaces)
                guard case .run(var last)? = steps.last else {
                    problems.append("README.md:\(line): `# →` follows no command")
                    return
                }
                last.expectedOutput.append(expected)
                steps[steps.count - 1] = .run(last)
            }
            return
        }
        let (words, comment) = Self.split(text)
        if comment.contains("not run in tests") {
            skipped.append(text)
            return
        }
        switch words.first {
        case "export"?:
            var values: [String: String] = [:]
            for word in words.dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    problems.append("README.md:\(line): `\(word)` is not NAME=VALUE")
                    continue
                }
                values[parts[0]] = parts[1]
            }
            steps.append(.export(values))
        case "unset"?:
            steps.append(.unset(Array(words.dropFirst())))
        case "wagewatch"?:
            var exit: Int32 = 0
            if let range = comment.range(of: #"\(exit (\d+)\)"#, options: .regularExpression) {
                exit = Int32(comment[range].filter(\.isNumber))!
            }
            steps.append(.run(Command(line: line, text: text, arguments: Array(words.dropFirst()), expectedExit: exit)))
        default:
            problems.append("README.md:\(line): `\(text)` is neither a wagewatch command nor marked `not run in tests`")
        }
    }

    /// Shell words (double and single quotes, backslash escapes) and the comment after an
    /// unquoted `#` that starts a word.
    static func split(_ text: String) -> (words: [String], comment: String) {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let char = text[index]
            defer { index = text.index(after: index) }
            if escaped {
                word.append(char)
                escaped = false
                continue
            }
            if let open = quote {
                if char == open {
                    quote = nil
                } else if char == "\\" && open == "\"" {
                    escaped = true
                } else {
                    word.append(char)
                }
                continue
            }
            switch char {
            case "\\":
                escaped = true
                inWord = true
            case "\"", "'":
                quote = char
                inWord = true
            case " ", "\t":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "#" where !inWord:
                return (words, String(text[text.index(after: index)...]))
            default:
                word.append(char)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return (words, "")
    }
}

@Suite("README")
struct ReadmeTests {
    /// Fewer commands than this means a README edit switched most of the test off.
    static let minimumCommands = 35

    static func readme() throws -> String {
        try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    }

    @Test("the README's extraction rule: sh blocks only, joined lines, exit codes, output checks, and nothing unmarked")
    func extraction() {
        let script = ReadmeScript(markdown: """
            ```sh
            export A=1 B="two words"
            wagewatch case close 1 --reason "王五 已申请仲裁" \\
              --json   # refused? no
            # → case 1 closed
            wagewatch project start X --date 2026-03-01   # refused: no wage account yet (exit 5)
            ./scripts/demo   # not run in tests: it is the demo
            psql -c 'select 1'
            ```

            ```text
            wagewatch never run
            ```
            ```` ```sh ```` in prose is no fence
            """)
        #expect(script.steps.first == .export(["A": "1", "B": "two words"]))
        #expect(script.commands.map(\.arguments) == [
            ["case", "close", "1", "--reason", "王五 已申请仲裁", "--json"],
            ["project", "start", "X", "--date", "2026-03-01"],
        ])
        #expect(script.commands.map(\.expectedExit) == [0, 5])
        #expect(script.commands.first?.expectedOutput == ["case 1 closed"])
        #expect(script.commands.first?.line == 3)
        #expect(script.skipped.count == 1)
        #expect(script.problems.count == 1)
        #expect(script.problems.first?.contains("psql -c") == true)
    }

    @Test("README.md has no unmarked line in an sh block and enough commands to mean something")
    func readmeIsWellFormed() throws {
        let script = ReadmeScript(markdown: try Self.readme())
        #expect(script.problems.isEmpty, "\(script.problems.joined(separator: "\n"))")
        #expect(script.commands.count >= Self.minimumCommands, "only \(script.commands.count) README commands would run")
        // The walkthrough the issue asks for, by the commands that make it up.
        let verbs = Set(script.commands.map { Self.subcommand($0.arguments) })
        for needed in ["user add", "complaint add", "complaint decide", "case show", "case recover", "flags review",
                       "report weekly", "rules run", "db migrate"] {
            #expect(verbs.contains(needed), "the README walkthrough has no `wagewatch \(needed)`")
        }
    }

    /// The first two words of the command path, global options (which may come first) left out.
    static func subcommand(_ arguments: [String]) -> String {
        var words: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
            } else if ["--as", "--db", "--config"].contains(argument) {
                skipNext = true
            } else if !argument.hasPrefix("-") {
                words.append(argument)
            }
        }
        return words.prefix(2).joined(separator: " ")
    }

    @Test("every wagewatch command in the README runs, in order, against a fresh database")
    func readmeRuns() async throws {
        let script = ReadmeScript(markdown: try Self.readme())
        try #require(script.problems.isEmpty && script.commands.count >= Self.minimumCommands)
        try await TestDatabase.withFresh { _, conninfo in
            // A working folder of its own (the README writes a report there) with the samples,
            // and an embedded-cluster home of its own for `db up`/`db down`.
            let work = URL(fileURLWithPath: "/tmp").appendingPathComponent("ww-readme-\(getpid())-\(UUID().uuidString.prefix(6))")
            let home = work.appendingPathComponent("home")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: home.path)
            try FileManager.default.createSymbolicLink(
                at: work.appendingPathComponent("samples"),
                withDestinationURL: TestDatabase.repositoryRoot.appendingPathComponent("samples"))
            // Only what the README exports: none of the test runner's own settings leak in.
            var environment = ["DATABASE_URL": conninfo, "WAGEWATCH_HOME": home.path,
                               "WAGEWATCH_USER": "", "WAGEWATCH_NOW": "", "WAGEWATCH_REGION": ""]
            defer {
                _ = try? CLI.run(["db", "down"], database: nil, environment: environment)
                try? FileManager.default.removeItem(at: work)
            }
            var ran = 0
            for step in script.steps {
                switch step {
                case .export(let values):
                    environment.merge(values) { $1 }
                case .unset(let names):
                    for name in names { environment[name] = "" }
                case .run(let command):
                    // Through the shell, as a reader types it (quotes, `$(date +%F)`), with the
                    // built binary first on PATH.
                    var full = ProcessInfo.processInfo.environment
                    full["PATH"] = CLI.binary.deletingLastPathComponent().path + ":" + (full["PATH"] ?? "/usr/bin:/bin")
                    full.merge(environment) { $1 }
                    let result = try ChildProcess.run(["/bin/sh", "-c", command.text], environment: full, stdin: "",
                                                      workingDirectory: work.path)
                    ran += 1
                    #expect(result.status == command.expectedExit, """
                        README.md:\(command.line): `\(command.text)` exited \(result.status), expected \(command.expectedExit)
                        \(result.stderr.suffix(600))
                        """)
                    for expected in command.expectedOutput {
                        #expect((result.stdout + result.stderr).contains(expected), """
                            README.md:\(command.line): `\(command.text)` did not print “\(expected)”:
                            \(result.stdout.prefix(600))\(result.stderr.suffix(300))
                            """)
                    }
                }
            }
            #expect(ran == script.commands.count)
            // The report the README writes is there and in Chinese.
            let html = try String(contentsOf: work.appendingPathComponent("weekly.html"), encoding: .utf8)
            #expect(html.contains("欠薪"))
        }
    }
}
