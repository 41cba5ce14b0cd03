/// A column of a result: its name and type.
public struct Column: Sendable, Hashable {
    public let name: String
    public let type: PostgresType
}

/// The rows and columns of one statement's result, copied out of libpq.
public struct QueryResult: Sendable, RandomAccessCollection {
    public let columns: [Column]
    public let rows: [Row]
    /// Rows inserted, updated or deleted (`PQcmdTuples`), or nil for other statements.
    public let affectedRows: Int?

    public var startIndex: Int { rows.startIndex }
    public var endIndex: Int { rows.endIndex }
    public subscript(position: Int) -> Row { rows[position] }

    /// The single row, or an error saying how many there were.
    public func one() throws -> Row {
        guard rows.count == 1 else {
            throw PostgresError(kind: .usage, message: "expected one row, got \(rows.count)")
        }
        return rows[0]
    }
}

/// One row: values in their text form, read with ``decode(_:as:)``.
public struct Row: Sendable {
    let columns: ColumnIndex
    let values: [String?]

    final class ColumnIndex: Sendable {
        let columns: [Column]
        let byName: [String: Int]
        init(_ columns: [Column]) {
            self.columns = columns
            var map: [String: Int] = [:]
            for (i, c) in columns.enumerated() where map[c.name] == nil { map[c.name] = i }
            self.byName = map
        }
    }

    /// Reads the named column as `T`. A NULL reads as `nil` when `T` is optional and is an error
    /// otherwise; the error names the column, its SQL type and `T`.
    public func decode<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let index = columns.byName[name] else {
            throw PostgresError(kind: .decoding, message: "no column \"\(name)\" in the result")
        }
        return try decode(at: index, as: type)
    }

    /// Reads the column at `index`.
    public func decode<T: PostgresDecodable>(at index: Int, as type: T.Type = T.self) throws -> T {
        guard index < values.count else {
            throw PostgresError(kind: .decoding, message: "no column at index \(index)")
        }
        let column = columns.columns[index]
        do {
            guard let text = values[index] else { return try T.decodeNull() }
            return try T.decode(postgresText: text, type: column.type)
        } catch let failure as PostgresDecodingFailure {
            throw PostgresError(
                kind: .decoding,
                message: "cannot read column \"\(column.name)\" (\(column.type)) as \(T.self): \(failure.reason)",
                column: column.name
            )
        }
    }

    /// The raw text of a column, nil for NULL.
    public subscript(name: String) -> String? {
        guard let index = columns.byName[name] else { return nil }
        return values[index]
    }

    public var count: Int { values.count }
    public var columnNames: [String] { columns.columns.map(\.name) }
}
