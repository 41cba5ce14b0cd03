import Foundation
import PostgresClient

extension ReportRenderer {
    /// SPEC §5's shape, keys sorted, plus `version`, `generated_at` and `language`.
    public func json() throws -> String {
        struct Envelope: Encodable {
            let report: WeeklyReport
            let version: String
            let generatedAt: String
            let language: String
            enum Keys: String, CodingKey { case version, generatedAt = "generated_at", language }
            func encode(to encoder: any Encoder) throws {
                try report.encode(to: encoder)
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(version, forKey: .version)
                try c.encode(generatedAt, forKey: .generatedAt)
                try c.encode(language, forKey: .language)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let envelope = Envelope(
            report: report, version: version, generatedAt: PostgresTimestamp.format(generatedAt),
            language: language.rawValue)
        return String(decoding: try encoder.encode(envelope), as: UTF8.self) + "\n"
    }
}
