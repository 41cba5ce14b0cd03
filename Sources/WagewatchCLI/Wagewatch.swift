import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// The `wagewatch` command: the root of SPEC §4's command tree.
public struct Wagewatch: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "wagewatch",
        abstract: "Wage-arrears (欠薪) monitoring and case tracking for a county labour-inspection bureau.",
        discussion: """
            有报必接、有案必查、有欠必追: every report received, every case investigated, every arrear
            pursued. Hotline staff log 12333 complaints, inspectors track cases worker by worker, rule
            jobs flag risky contractors, and officials get a weekly escalation report.

            Start with `wagewatch demo` to load a sample county, or `wagewatch db up` for an empty one.
            `wagewatch COMMAND --help` explains each command, with an example.

            Examples:
              wagewatch demo
              wagewatch --as gao_rexian complaint add --employer-name 郑州宏达建筑劳务有限公司 --workers 12 --amount 8.6万
              wagewatch --as qian_juzhang report weekly --format md
            """,
        version: Wagewatch.version,
        subcommands: [Database.self, ImportCommand.self, ComplaintCommand.self, CaseCommand.self, ProjectCommand.self, AccountCommand.self, RulesCommand.self, FlagsCommand.self, EscalationsCommand.self, DirectPayCommand.self, ReportCommand.self, SanctionCommand.self, ExposureCommand.self, ExportCommand.self, UserCommand.self, TokenCommand.self, AuditCommand.self, ServeCommand.self, Demo.self]
    )

    /// What `wagewatch --version` prints: the release and the schema it migrates to.
    public static let version = "wagewatch 0.19.0 (schema \(SQLBundle.bundled.migrations.last?.version ?? 0))"

    public init() {}

    /// Runs the command line and exits with SPEC §4's codes: 2 for usage errors, and the
    /// code of the error's kind for everything a command throws.
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        let command: ParsableCommand
        do {
            command = try parseAsRoot(globalOptionsLast(arguments ?? Array(CommandLine.arguments.dropFirst())))
        } catch {
            // Help and version requests print themselves and exit 0; usage errors exit 2 (SPEC §4).
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = command
            try command.run()
            Foundation.exit(0)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // A command group run without a subcommand asks for its help.
            if exitCode(for: error) == .success { exit(withError: error) }
            if error is ArgumentParser.ValidationError || exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            fail(WagewatchError.from(error))
        }
    }

    private static func fail(_ failure: WagewatchError) -> Never {
        FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
        Foundation.exit(failure.exitCode)
    }

    /// Global options may come before the subcommand (`wagewatch --as li flags review 3 --ack`)
    /// as well as after it; every command declares them, so those in front are moved to the end.
    static func globalOptionsLast(_ arguments: [String]) -> [String] {
        let withValue: Set<String> = ["--db", "--as", "--config"]
        let flags: Set<String> = ["--json"]
        var front: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            let name = token.split(separator: "=", maxSplits: 1).first.map(String.init) ?? token
            if flags.contains(token) {
                front.append(token)
                index += 1
            } else if withValue.contains(name) && token.contains("=") {
                front.append(token)
                index += 1
            } else if withValue.contains(token) && index + 1 < arguments.count {
                front.append(contentsOf: arguments[index...(index + 1)])
                index += 2
            } else {
                break
            }
        }
        guard !front.isEmpty, index < arguments.count else { return arguments }
        return Array(arguments[index...]) + front
    }
}
