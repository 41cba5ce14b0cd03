import Foundation

/// Finds the `sql/` folder of migrations that ships beside the program.
public enum MigrationsFolder {
    /// `WAGEWATCH_SQL_DIR` when set; else the `sql/` folder of the source tree the executable was
    /// built in (found by walking up from the executable); else `./sql`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let explicit = environment["WAGEWATCH_SQL_DIR"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        var candidates: [URL] = []
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<8 {
            candidates.append(directory.appendingPathComponent("sql", isDirectory: true))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("sql"))
        for candidate in candidates where looksLikeMigrations(candidate) {
            return candidate
        }
        throw WagewatchError.failure(
            "cannot find the sql/ migrations folder next to the program; set WAGEWATCH_SQL_DIR to it")
    }

    static func looksLikeMigrations(_ url: URL) -> Bool {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return files.contains { $0.hasPrefix("0001_") && $0.hasSuffix(".sql") }
    }
}
