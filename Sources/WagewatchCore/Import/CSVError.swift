import Foundation

/// One bad line of an import, printed as `line 14: uscc: problem` (or `line 14: problem` when
/// the problem is not in one column, and just the problem for line 0, the file as a whole).
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The physical line where the record starts, the header being line 1; 0 for the whole file.
    public let line: Int
    public let column: String?
    public let problem: String

    public init(line: Int, column: String? = nil, problem: String) {
        self.line = line
        self.column = column
        self.problem = problem
    }

    public var description: String {
        switch (line, column) {
        case (0, nil): problem
        case (0, let column?): "\(column): \(problem)"
        case (_, nil): "line \(line): \(problem)"
        case (_, let column?): "line \(line): \(column): \(problem)"
        }
    }
}
