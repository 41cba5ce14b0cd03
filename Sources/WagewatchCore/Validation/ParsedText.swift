/// A value checked when parsed from text and stored as that text: JSON reads it back through
/// the same check and writes it as a string.
public protocol ParsedText: Codable {
    init(parsing text: String, field: String) throws(ValidationError)
    /// The field named in a decoding error (the parser's default).
    static var fieldName: String { get }
    /// The canonical text of the value.
    var value: String { get }
}

extension ParsedText {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Self(parsing: text, field: Self.fieldName)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
