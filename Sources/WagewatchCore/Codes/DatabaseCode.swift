import PostgresClient

/// A code that a CHECK constraint (or the `departments` table) allows, as a Swift enum whose raw
/// values are the codes. Conforming gives, once: decoding from and binding as the column's text,
/// a parser for user input, `description` = the code, and the code's words from ``Labels``.
/// `CodeTests` keeps each enum's cases equal to the constraint's list in the database.
public protocol DatabaseCode: RawRepresentable<String>, CaseIterable, Codable, Sendable, Hashable,
    CustomStringConvertible, PostgresEncodable, PostgresDecodable where AllCases == [Self] {
    /// The field's name in messages (`status`, `severity`).
    static var field: String { get }
    /// Where ``Labels`` keeps this code's words, if it keeps any.
    static var labelKind: Labels.Kind? { get }
}

extension DatabaseCode {
    public static var labelKind: Labels.Kind? { nil }

    public var description: String { rawValue }

    /// Every code, in declaration order, as the messages list them.
    public static var codes: [String] { allCases.map(\.rawValue) }

    /// Parses user input: `FIELD: "VALUE" is not one of a, b, c` (exit 3) for anything else.
    public init(parsing text: String, field: String = Self.field) throws {
        guard let value = Self(rawValue: text) else {
            throw WagewatchError.invalid("\(field): \"\(text)\" is not one of \(Self.codes.joined(separator: ", "))")
        }
        self = value
    }

    /// The code's words in `language` (the code itself where ``Labels`` has none).
    public func label(_ language: ReportLanguage = .zh) -> String {
        guard let kind = Self.labelKind else { return rawValue }
        return Labels.text(kind, rawValue, language)
    }

    public var postgresBinding: PostgresBinding { rawValue.postgresBinding }

    public static func decode(postgresText text: String, type: PostgresType) throws -> Self {
        guard let value = Self(rawValue: text) else {
            throw PostgresDecodingFailure("\"\(text)\" is not a \(field) code (one of \(codes.joined(separator: ", ")))")
        }
        return value
    }
}
