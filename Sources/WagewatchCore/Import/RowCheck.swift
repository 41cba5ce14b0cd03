/// Checks one record's cells, collecting every problem so the import can report them all.
public struct RowCheck {
    public let record: CSVRecord
    private(set) var problems: [CSVError] = []

    init(_ record: CSVRecord) { self.record = record }

    var isBad: Bool { !problems.isEmpty }

    /// A cell that is wrong: `column: "value" problem`.
    mutating func fail(_ column: String, _ value: String, _ problem: String) {
        add(ValidationError(field: column, value: value, problem: problem))
    }

    /// A problem worded in full, without the cell's value in front.
    mutating func fail(column: String, problem: String) {
        problems.append(CSVError(line: record.line, column: column, problem: problem))
    }

    mutating func add(_ error: ValidationError) {
        problems.append(CSVError(line: record.line, column: error.field, problem: "\(ValidationError.quoted(error.value)) \(error.problem)"))
    }

    mutating func add(_ invalid: ValidationProblems) {
        for error in invalid.errors { add(error) }
    }

    /// The cell's text; a problem when a required cell is empty or the text is too long, counted
    /// in characters as PostgreSQL counts them (code points: 🇨🇳 is two), as the columns' CHECKs do.
    mutating func text(_ column: String, required: Bool = false, maxLength: Int) -> String? {
        guard let text = record[column] else {
            if required { fail(column, "", "is required") }
            return nil
        }
        guard text.unicodeScalars.count <= maxLength else {
            fail(column, text, "is longer than \(maxLength) characters")
            return nil
        }
        return text
    }

    /// The cell parsed by `parse`, nil (with the problem recorded) when it fails.
    mutating func parse<T>(_ column: String, required: Bool = false, _ parse: (String) throws -> T) -> T? {
        guard let text = record[column] else {
            if required { fail(column, "", "is required") }
            return nil
        }
        return check(column, text, parse)
    }

    /// The cell parsed by `parse`, an empty cell parsed as `empty`, so that the parser words its problem.
    mutating func parse<T>(_ column: String, emptyAs empty: String, _ parse: (String) throws -> T) -> T? {
        check(column, record[column] ?? empty, parse)
    }

    private mutating func check<T>(_ column: String, _ text: String, _ parse: (String) throws -> T) -> T? {
        do {
            return try parse(text)
        } catch let error as ValidationError {
            add(error)
        } catch {
            fail(column, text, "\(error)")
        }
        return nil
    }
}

extension ImportProblems {
    mutating func add(_ row: RowCheck) {
        for problem in row.problems { add(problem) }
    }
}
