import Foundation
import PostgresClient

/// What the complainant may learn of their own complaint (SPEC §10 N2): `complaint status` and
/// the public `/status` page print this and nothing more. It comes only through the door
/// `ww_complaint_status(number, phone4)`, which returns no other column.
public struct ComplaintPublicStatus: Sendable, Codable, Equatable {
    public let number: String
    /// `received`, `decided`, `investigating` or `closed`.
    public let stage: String
    @ExplicitNull public private(set) var outcome: String?
    public let receivedOn: LocalDate
    @ExplicitNull public private(set) var decidedOn: LocalDate?
    @ExplicitNull public private(set) var closedOn: LocalDate?

    enum CodingKeys: String, CodingKey {
        case number, stage, outcome, receivedOn = "received_on", decidedOn = "decided_on", closedOn = "closed_on"
    }

    /// The last four digits of the caller's phone, as typed: exactly four digits.
    public static func phone4(parsing text: String, field: String = "--phone4") throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 4, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw WagewatchError.invalid("\(field): \"\(text)\" is not the last 4 digits of a phone number")
        }
        return trimmed
    }

    /// The complaint `number` whose caller's phone ends in `phone4`; not found (exit 4, 404) for
    /// an unknown number and a wrong pair alike.
    public static func look(number: String, phone4: String, on connection: Connection) throws -> ComplaintPublicStatus {
        let digits = try Self.phone4(parsing: phone4)
        let rows = try connection.query("SELECT * FROM ww_complaint_status(\(number.trimmingCharacters(in: .whitespaces)), \(digits))")
        guard let row = rows.first else {
            throw WagewatchError.notFound("complaint \(number): no complaint with that number and phone")
        }
        return try RowDecoder(row: row).decode()
    }
}
