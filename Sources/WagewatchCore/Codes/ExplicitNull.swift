import PostgresClient

/// An optional property whose key stays in the JSON as `null` when it is nil: SPEC §5 fixes the
/// shape of complaints and cases, and the synthesized encoder would leave nil keys out.
@propertyWrapper
public struct ExplicitNull<Wrapped> {
    public var wrappedValue: Wrapped?

    public init(wrappedValue: Wrapped?) { self.wrappedValue = wrappedValue }
}

extension ExplicitNull: Sendable where Wrapped: Sendable {}
extension ExplicitNull: Equatable where Wrapped: Equatable {}

extension ExplicitNull: Encodable where Wrapped: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension ExplicitNull: Decodable where Wrapped: Decodable {
    public init(from decoder: any Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode(Wrapped?.self)
    }
}

/// Read from a column like the optional it wraps (``RowDecoder``).
extension ExplicitNull: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String, type: PostgresType) throws -> Self {
        Self(wrappedValue: try Wrapped.decode(postgresText: text, type: type))
    }

    public static func decodeNull() throws -> Self { Self(wrappedValue: nil) }
}
