import Foundation

/// The columns one kind of import accepts (SPEC §5): every `required` column must be in the
/// header, `optional` ones may be; any other column is an error. Order in the file is free.
public struct CSVSchema: Sendable {
    public var required: [String]
    public var optional: [String]
    /// Whether `Date` in the header names the column `date` (the calendar's files are written by hand).
    public var caseInsensitiveHeader: Bool
    /// Whether a first line that names no column is data rather than a bad header: if so, the
    /// missing header is reported as the first line's problem and the file is read in the
    /// schema's column order, so every other line is checked too.
    public var firstLineIsData: (@Sendable (_ fields: [String]) -> Bool)?

    public init(
        required: [String], optional: [String] = [], caseInsensitiveHeader: Bool = false,
        firstLineIsData: (@Sendable (_ fields: [String]) -> Bool)? = nil
    ) {
        self.required = required
        self.optional = optional
        self.caseInsensitiveHeader = caseInsensitiveHeader
        self.firstLineIsData = firstLineIsData
    }

    /// Required then optional columns: the order of a record's values.
    public var columns: [String] { required + optional }
}
