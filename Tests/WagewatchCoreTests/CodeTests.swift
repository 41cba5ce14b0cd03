import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

@Suite("Codes: each enum is exactly what its CHECK constraint allows")
struct CodeTests {
    /// Each code enum, with the table and column whose CHECK constraint lists its codes.
    static let checked: [(any DatabaseCode.Type, String, String)] = [
        (ComplaintStatus.self, "complaints", "status"),
        (ComplaintOutcome.self, "complaints", "outcome"),
        (CaseStatus.self, "cases", "status"),
        (CaseDisposition.self, "cases", "disposition"),
        (RecoverySource.self, "recoveries", "source"),
        (FlagSeverity.self, "flags", "severity"),
        (FlagStatus.self, "flags", "status"),
        (ConfirmAction.self, "flags", "review_action"),
        (EscalationLevel.self, "escalations", "level"),
        (EscalationReason.self, "escalations", "reason"),
        (EscalationStatus.self, "escalations", "status"),
        (UserRole.self, "users", "role"),
        (ProjectStatus.self, "projects", "status"),
        (DirectPayBatchStatus.self, "direct_pay_batches", "status"),
        (DirectPaySource.self, "direct_pay_batches", "source"),
        (DirectPayLineStatus.self, "direct_pay_lines", "status"),
        (SanctionMeasure.self, "sanctions", "measure"),
    ]

    /// The codes of the `column IN (…)` CHECK on `table`, as the server prints it:
    /// `CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text])))`.
    static func allowed(_ table: String, _ column: String, on db: Connection) throws -> [String] {
        let rows = try db.query("""
            SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
            WHERE conrelid = \(table)::regclass AND contype = 'c'
            """)
        let prefix = "(\(column) = ANY (ARRAY["
        let defs = try rows.map { try $0.decode("def", as: String.self) }.filter { $0.contains(prefix) }
        #expect(defs.count == 1, "\(table).\(column): \(defs)")
        guard let def = defs.first, let start = def.range(of: prefix),
              let end = def.range(of: "])", range: start.upperBound..<def.endIndex) else { return [] }
        return def[start.upperBound..<end.lowerBound].components(separatedBy: ", ").map { item in
            var code = Substring(item)
            if code.hasSuffix("::text") { code = code.dropLast(6) }
            return String(code.dropFirst().dropLast())
        }
    }

    @Test("every code enum's cases equal its CHECK constraint's list, in order")
    func enumsMatchTheConstraints() async throws {
        try await TestDatabase.withFresh { db, _ in
            for (type, table, column) in Self.checked {
                let allowed = try Self.allowed(table, column, on: db)
                #expect(type.codes == allowed, "\(type) vs \(table).\(column)")
            }
        }
    }

    @Test("Department's cases are the departments table's codes")
    func departmentsMatchTheTable() async throws {
        try await TestDatabase.withFresh { db, _ in
            let codes = try db.query("SELECT code FROM departments ORDER BY code").map { try $0.decode("code", as: String.self) }
            #expect(Department.codes.sorted() == codes)
        }
    }

    @Test("a code decodes from its column and binds as its text; an unknown code fails with the reason")
    func roundTrip() async throws {
        try await TestDatabase.withFresh { db, _ in
            let row = try db.query("SELECT \(FlagSeverity.orange)::text AS s, 'purple'::text AS p").one()
            #expect(try row.decode("s", as: FlagSeverity.self) == .orange)
            #expect(try row.decode("s", as: FlagSeverity?.self) == .orange)
            #expect(throws: (any Error).self) { try row.decode("p", as: FlagSeverity.self) }
        }
    }

    @Test("user input outside the list is refused naming the field, the value and the list (exit 3)")
    func parsing() throws {
        #expect(try EscalationLevel(parsing: "bureau") == .bureau)
        let error = #expect(throws: WagewatchError.self) { try FlagSeverity(parsing: "purple") }
        #expect(error?.message == "severity: \"purple\" is not one of red, orange, yellow")
        #expect(error?.exitCode == 3)
        let named = #expect(throws: WagewatchError.self) { try CaseStatus(parsing: "shut", field: "--status") }
        #expect(named?.message == "--status: \"shut\" is not one of open, closed")
    }

    @Test("a code prints as itself, encodes as itself in JSON, and takes its words from Labels")
    func textAndLabels() throws {
        #expect(Department.countyOffice.description == "county_office")
        let json = try JSONEncoder().encode([EscalationReason.employerAbsconded])
        #expect(String(decoding: json, as: UTF8.self) == "[\"employer_absconded\"]")
        #expect(EscalationReason.employerAbsconded.label() == Labels.text(.escalationReason, "employer_absconded"))
        #expect(FlagSeverity.red.label(.en) == "Red")
        #expect(UserRole.admin.label(.en) == "admin")
    }
}
