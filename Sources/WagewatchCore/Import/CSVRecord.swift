import Foundation

/// One data row of a CSV file, its values looked up by column name.
public struct CSVRecord: Sendable {
    /// The physical line where the record starts; the header is line 1.
    public let line: Int
    let columns: CSVColumns
    let values: [String?]

    /// The cell in `column`, trimmed of surrounding ASCII whitespace; nil when empty or when an
    /// optional column is absent from the file. `column` must be one of the schema's columns.
    public subscript(column: String) -> String? {
        guard let slot = columns.slot[column] else {
            preconditionFailure("\"\(column)\" is not a column of this import (\(columns.names.joined(separator: ", ")))")
        }
        return values[slot]
    }
}

/// The schema's columns and their positions in `CSVRecord.values`, shared by all records.
final class CSVColumns: Sendable {
    let names: [String]
    let slot: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var slot: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            precondition(slot.updateValue(index, forKey: name) == nil, "column \"\(name)\" appears twice in the schema")
        }
        self.slot = slot
    }
}
