import Foundation

/// How every JSON shape of SPEC §5 is written, by the CLI's `--json` and the API alike:
/// snake_case keys, sorted, dates in ISO 8601, slashes as they are.
public enum JSONShapes {
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// `value` as SPEC §5 JSON text.
    public static func text(_ value: some Encodable, pretty: Bool = true) throws -> String {
        String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
    }
}
