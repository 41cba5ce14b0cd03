/// Reads a whole ``Row`` into a `Decodable` type: each coding key names a column, read through
/// ``Row/decode(_:as:)``, so a record declares its columns once, in its `CodingKeys`.
///
/// Every property type must be ``PostgresDecodable``; a missing column is an error even for an
/// optional property (a misspelt alias must not read as NULL), and the errors are the ones `Row`
/// throws, naming the column, its SQL type and the Swift type.
public struct RowDecoder: Decoder {
    public let row: Row
    public var codingPath: [any CodingKey] { [] }
    public var userInfo: [CodingUserInfoKey: Any] { [:] }

    public init(row: Row) { self.row = row }

    /// Decodes `type` from the row.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: self)
    }

    public func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Columns<Key>(row: row))
    }

    public func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw PostgresError(kind: .usage, message: "a row decodes only into a keyed container")
    }

    public func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw PostgresError(kind: .usage, message: "a row decodes only into a keyed container")
    }

    /// The row's columns, by the key's `stringValue`.
    struct Columns<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: Row
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.columnNames.compactMap(Key.init(stringValue:)) }

        /// Always true, so that an optional property whose column is missing reaches
        /// ``decodeNil(forKey:)`` and fails there instead of silently reading as nil.
        func contains(_ key: Key) -> Bool { true }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard let index = row.columns.byName[key.stringValue] else {
                throw PostgresError(kind: .decoding, message: "no column \"\(key.stringValue)\" in the result")
            }
            return row.values[index] == nil
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let decodable = type as? any PostgresDecodable.Type else {
                throw PostgresError(
                    kind: .usage, message: "column \"\(key.stringValue)\": \(T.self) is not PostgresDecodable",
                    column: key.stringValue)
            }
            return try read(decodable, key) as! T
        }

        private func read<P: PostgresDecodable>(_ type: P.Type, _ key: Key) throws -> P {
            try row.decode(key.stringValue, as: type)
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
        // No column is read as floating point: amounts are integer fen, counts are integers.
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { throw Self.noFloatingPoint(key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw Self.noFloatingPoint(key) }

        private static func noFloatingPoint(_ key: Key) -> PostgresError {
            PostgresError(kind: .usage, message: "column \"\(key.stringValue)\": rows are never decoded into floating point",
                          column: key.stringValue)
        }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }

        /// The primitive overloads all go through the generic path above.
        private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            try decode(type, forKey: key)
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            throw PostgresError(kind: .usage, message: "column \"\(key.stringValue)\" is not a nested record")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw PostgresError(kind: .usage, message: "column \"\(key.stringValue)\" is not a nested list")
        }

        func superDecoder() throws -> any Decoder {
            throw PostgresError(kind: .usage, message: "a row has no super decoder")
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            throw PostgresError(kind: .usage, message: "a row has no super decoder")
        }
    }
}
