import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Stored personal data is masked by the database (`ww_mask_id`, `ww_mask_phone`: the one
/// definition, behind every `*_masked` column). A value typed into a command is shown masked by
/// its own type before it reaches the database; these tests hold the two to the same result.
@Suite("Masks of values typed in agree with the database's masks")
struct MaskAgreementTests {
    static let phones = ["13812345678", "0371-61234567", "010-6123456-88", "0371-6123456"]

    @Test("ResidentID.masked equals ww_mask_id, PhoneNumber.masked equals ww_mask_phone")
    func sameMasks() async throws {
        try await TestDatabase.withFresh { db, _ in
            let today = LocalDate(year: 2026, month: 12, day: 4)!
            let made = try [(410102, "1990-03-07", 6), (410122, "1985-12-12", 1), (440300, "2000-01-01", 11)].map { region, birth, n in
                ResidentID.make(region: try RegionCode(parsing: String(region)), birth: LocalDate(iso: birth)!, sequence: n).value
            }
            for text in made + ["11010519491231002X"] {
                let id = try ResidentID(parsing: text, today: today)
                let database: String = try db.query("SELECT ww_mask_id(\(id.value)) AS m").one().decode("m")
                #expect(id.masked == database, "\(text)")
                #expect(!database.contains(text.dropFirst(4).prefix(10)))
            }
            for text in Self.phones {
                let phone = try PhoneNumber(parsing: text)
                let database: String = try db.query("SELECT ww_mask_phone(\(phone.value)) AS m").one().decode("m")
                #expect(phone.masked == database, "\(text)")
            }
        }
    }
}
