import Foundation

/// Every bad line of an import, so one run tells the user all that must be fixed (SPEC §5:
/// all or nothing). Keeps only the `limit` lowest-numbered problems, so memory stays bounded
/// when every line of a ten-million-line file is wrong; `count` still counts them all.
public struct ImportProblems: Error, Sendable, CustomStringConvertible {
    /// How many problems are kept and listed.
    public let limit: Int
    /// How many problems were added, listed or not.
    public private(set) var count = 0

    private var kept: [(problem: CSVError, order: Int)] = []
    private var highestKeptLine = Int.min

    public init(limit: Int = 200) {
        precondition(limit > 0, "an ImportProblems limit must be positive")
        self.limit = limit
    }

    public var isEmpty: Bool { count == 0 }

    /// The kept problems, sorted by line (problems on one line in the order they were added).
    public var errors: [CSVError] {
        kept.sorted { ($0.problem.line, $0.order) < ($1.problem.line, $1.order) }.map(\.problem)
    }

    public mutating func add(_ error: CSVError) {
        let order = count
        count += 1
        if kept.count < limit {
            kept.append((error, order))
            highestKeptLine = max(highestKeptLine, error.line)
            return
        }
        guard error.line < highestKeptLine else { return }
        // Replace the latest-added of the highest-numbered lines kept.
        var victim = 0
        for index in kept.indices where (kept[index].problem.line, kept[index].order)
            > (kept[victim].problem.line, kept[victim].order) {
            victim = index
        }
        kept[victim] = (error, order)
        highestKeptLine = kept.lazy.map(\.problem.line).max() ?? Int.min
    }

    public mutating func add(line: Int, column: String?, problem: String) {
        add(CSVError(line: line, column: column, problem: problem))
    }

    /// A field that failed validation: `line 14: uscc: "91410100MA3X" is not a valid …`.
    public mutating func add(line: Int, _ error: ValidationError) {
        add(CSVError(line: line, column: error.field, problem: "\(ValidationError.quoted(error.value)) \(error.problem)"))
    }

    /// One problem a line, sorted by line, then `… and N more` if some were not kept.
    public var description: String {
        var lines = errors.map(\.description)
        if count > kept.count { lines.append("… and \(count - kept.count) more") }
        return lines.joined(separator: "\n")
    }
}
