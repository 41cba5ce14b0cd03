import Foundation
import WagewatchCore

/// Runs the built `wagewatch` binary, as a user would, and captures what it prints.
public struct CLIResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

public enum CLI {
    /// The binary `./scripts/test` built (`WAGEWATCH_BIN`), else the debug build.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["WAGEWATCH_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/wagewatch")
    }

    /// Runs `wagewatch arguments…` against the database `conninfo` (or none), reading both pipes
    /// into files.
    public static func run(
        _ arguments: [String], database conninfo: String?, environment extra: [String: String] = [:],
        stdin: String? = nil, workingDirectory: URL? = nil
    ) throws -> CLIResult {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        for (key, value) in extra { environment[key] = value }
        let fullArguments = [binary.path] + (conninfo.map { insertDB(arguments, $0) } ?? arguments)
        let result = try ChildProcess.run(
            fullArguments, environment: environment, stdin: stdin, workingDirectory: workingDirectory?.path)
        return CLIResult(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// Global options go after the subcommand path; `--db` is appended at the end.
    private static func insertDB(_ arguments: [String], _ conninfo: String) -> [String] {
        arguments + ["--db", conninfo]
    }
}
