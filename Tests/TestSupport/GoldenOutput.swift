import Foundation

/// What a golden-file test produced, for `scripts/update-goldens` to copy over the committed
/// files. A test always compares with the committed file; with `WAGEWATCH_GOLDEN_OUT=DIR` it also
/// writes what it produced to DIR (under the file's path in the repository), so no test run can
/// pass by rewriting the file it compares with.
public enum GoldenOutput {
    /// Writes `text` as the new version of `file` (inside the repository) when the run was asked to.
    public static func record(_ text: String, for file: URL) throws {
        guard let folder = ProcessInfo.processInfo.environment["WAGEWATCH_GOLDEN_OUT"], !folder.isEmpty else { return }
        let root = TestDatabase.repositoryRoot.standardizedFileURL.path
        let path = file.standardizedFileURL.path
        guard path.hasPrefix(root + "/") else { throw GoldenOutputError(path: path) }
        let target = URL(fileURLWithPath: folder).appendingPathComponent(String(path.dropFirst(root.count + 1)))
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
    }

    /// How to bring a golden file up to date, for a failing comparison's message.
    public static let advice = "if the change is intended, run scripts/update-goldens and read the diff"
}

struct GoldenOutputError: Error, CustomStringConvertible {
    let path: String
    var description: String { "\(path) is not inside the repository" }
}
