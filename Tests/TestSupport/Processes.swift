import Foundation
import WagewatchCore
#if canImport(Glibc)
import Glibc
#endif

/// A program running in the background, which a test can signal (SIGKILL for fault tests) and
/// wait for. Output goes to temporary files, read when asked, so a full pipe never blocks it.
public final class BackgroundProcess: @unchecked Sendable {
    public let pid: pid_t
    private let outPath: String
    private let errPath: String
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `arguments[0]` (a path) with exactly `environment`.
    public init(_ arguments: [String], environment: [String: String]) throws {
        let stem = FileManager.default.temporaryDirectory
            .appendingPathComponent("ww-bg-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        outPath = stem + ".out"
        errPath = stem + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cEnvironment.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else {
            throw WagewatchError.failure("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
    }

    deinit {
        if status == nil {
            Glibc.kill(pid, SIGKILL)
            _ = wait()
        }
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }

    /// Sends `signal` (SIGKILL unless told) unless the process has already been reaped.
    public func kill(_ signal: Int32 = SIGKILL) {
        lock.withLock {
            if exitStatus == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    /// The exit status once the process has ended (128 + n when signal n ended it), else nil.
    public var status: Int32? {
        lock.withLock {
            if exitStatus == nil { reap(options: WNOHANG) }
            return exitStatus
        }
    }

    /// Waits for the process to end and returns its exit status.
    @discardableResult
    public func wait() -> Int32 {
        lock.withLock {
            while exitStatus == nil { reap(options: 0) }
            return exitStatus!
        }
    }

    /// Waits at most `timeout` seconds; nil if it is still running then.
    public func wait(timeout: TimeInterval) -> Int32? {
        poll(timeout: timeout) { self.status != nil } ? status : nil
    }

    public var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    private func reap(options: Int32) {
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, options)
        if result == pid {
            // WIFEXITED / WEXITSTATUS and WTERMSIG, which Swift cannot import as macros.
            exitStatus = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        } else if result < 0 && errno != EINTR {
            exitStatus = -1
        }
    }
}

/// Checks `condition` every `interval` seconds until it holds (true) or `timeout` seconds pass
/// (false): for waiting on something a test can observe, instead of sleeping a fixed time.
public func poll(timeout: TimeInterval, interval: TimeInterval = 0.01, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
}

extension CLI {
    /// Starts `wagewatch arguments…` against the database `conninfo` in the background, with the
    /// environment `CLI.run` gives (plus `extra`), and returns at once.
    public static func start(
        _ arguments: [String], database conninfo: String?, environment extra: [String: String] = [:]
    ) throws -> BackgroundProcess {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        for (key, value) in extra { environment[key] = value }
        return try BackgroundProcess(
            [binary.path] + arguments + (conninfo.map { ["--db", $0] } ?? []), environment: environment)
    }
}
