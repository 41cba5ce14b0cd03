import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs another program and waits for it with `waitpid(2)`.
///
/// Output is captured through temporary files rather than pipes: a program such as pg_ctl
/// leaves a server running that could inherit a pipe and hold it open. (Foundation's `Process`
/// was seen to wait forever for such children on Linux.)
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs `arguments[0]` (a path, or a name looked up on PATH) with the given environment
    /// (default: this process's), feeding `stdin` and capturing stdout and stderr.
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, stdin: String? = nil,
        workingDirectory: String? = nil
    ) throws -> Result {
        let fm = FileManager.default
        let stem = fm.temporaryDirectory.appendingPathComponent(
            "ww-child-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        let inPath = stem + ".in", outPath = stem + ".out", errPath = stem + ".err"
        fm.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        fm.createFile(atPath: outPath, contents: nil)
        fm.createFile(atPath: errPath, contents: nil)
        defer {
            for path in [inPath, outPath, errPath] { try? fm.removeItem(atPath: path) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_APPEND, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_APPEND, 0o600)
        // Glibc's posix_spawn has no portable chdir action; GNU env changes folder for us.
        let arguments = workingDirectory.map { ["/usr/bin/env", "-C", $0] + arguments } ?? arguments
        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let cEnvironment = env.map { strdup($0) } + [nil]
        defer { cEnvironment.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else {
            throw WagewatchError.failure("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw WagewatchError.failure("waiting for \(arguments[0]) failed") }
        }
        // WIFEXITED / WEXITSTATUS, which Swift cannot import as macros.
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(
            status: code,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
