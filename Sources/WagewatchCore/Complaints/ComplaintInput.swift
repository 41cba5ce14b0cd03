import Foundation
import PostgresClient

/// A complaint as the hotline takes it (SPEC §5 `complaints` columns), validated.
public struct ComplaintInput: Sendable, Equatable {
    public var receivedAt: Date
    public var regionCode: String
    public var channel: String
    public var callerName: String?
    public var callerPhone: String?
    public var employerUSCC: String?
    public var employerName: String
    public var projectCode: String?
    public var workersInvolved: Int
    public var amountOwedFen: Int64
    public var owedSince: LocalDate?
    public var owedUntil: LocalDate?
    public var employerAbsconded: Bool
    public var text: String?
    /// The normalised employer name used to merge complaints (C4).
    public var employerNameKey: String

    /// The CSV columns, in SPEC §5 order.
    public static let columns = [
        "received_at", "region_code", "channel", "caller_name", "caller_phone", "employer_uscc", "employer_name",
        "project_code", "workers_involved", "amount_owed", "owed_since", "owed_until", "employer_absconded", "text",
    ]
    public static let requiredColumns: Set<String> = [
        "received_at", "region_code", "channel", "employer_name", "workers_involved", "amount_owed",
    ]

    /// Validates one complaint given as text fields (a CSV row or command-line options); `value`
    /// returns a column's text, nil when empty or absent. Every problem is collected, each naming
    /// its field and value.
    public static func parse(_ value: (String) -> String?) -> Result<ComplaintInput, ValidationProblems> {
        let problems = FieldProblems()
        func required(_ field: String) -> String? { problems.required(field, value(field)) }
        func attempt<T>(_ body: () throws(ValidationError) -> T) -> T? { problems.attempt(body) }

        let receivedAt = required("received_at").flatMap { text in
            attempt { () throws(ValidationError) in try DateInput.receivedAt(text, field: "received_at") }
        }
        let region = required("region_code").flatMap { text in
            attempt { () throws(ValidationError) in try RegionCode(parsing: text, field: "region_code").value }
        }
        let channel = required("channel").flatMap { text -> String? in
            guard text.unicodeScalars.count <= 32 else {  // code points, as the CHECK counts
                problems.add(ValidationError(field: "channel", value: text, problem: "is longer than 32 characters"))
                return nil
            }
            return text
        }
        let phone = value("caller_phone").flatMap { text in
            attempt { () throws(ValidationError) in try PhoneNumber(parsing: text, field: "caller_phone").value }
        }
        let uscc = value("employer_uscc").flatMap { text in
            attempt { () throws(ValidationError) in try USCC(parsing: text, field: "employer_uscc").value }
        }
        var nameKey = ""
        let employerName = required("employer_name").flatMap { text -> String? in
            guard text.unicodeScalars.count <= 200 else {  // code points, as the CHECK counts
                problems.add(ValidationError(field: "employer_name", value: text, problem: "is longer than 200 characters"))
                return nil
            }
            nameKey = EmployerName.normalise(text)
            guard !nameKey.isEmpty else {
                problems.add(ValidationError(field: "employer_name", value: text, problem: "has no name in it"))
                return nil
            }
            return text
        }
        let workers = required("workers_involved").flatMap { text -> Int? in
            guard let n = Int(text), (1...1_000_000).contains(n) else {
                problems.add(ValidationError(field: "workers_involved", value: text, problem: "is not a whole number of workers from 1"))
                return nil
            }
            return n
        }
        let amount = required("amount_owed").flatMap { text in
            attempt { () throws(ValidationError) in try Money.parseYuan(text, field: "amount_owed") }
        }
        let owedSince = value("owed_since").flatMap { text in
            attempt { () throws(ValidationError) in try DateInput.date(text, field: "owed_since") }
        }
        let owedUntil = value("owed_until").flatMap { text in
            attempt { () throws(ValidationError) in try DateInput.date(text, field: "owed_until") }
        }
        if let owedSince, let owedUntil, owedSince > owedUntil {
            problems.add(ValidationError(
                field: "owed_until", value: owedUntil.description, problem: "is before owed_since \(owedSince)"))
        }
        var absconded = false
        if let text = value("employer_absconded") {
            switch text.lowercased() {
            case "true": absconded = true
            case "false": absconded = false
            default:
                problems.add(ValidationError(field: "employer_absconded", value: text, problem: "is not true, false or empty"))
            }
        }
        guard problems.isEmpty, let receivedAt, let region, let channel, let employerName, let workers, let amount else {
            return .failure(ValidationProblems(problems.errors))
        }
        return .success(ComplaintInput(
            receivedAt: receivedAt, regionCode: region, channel: channel, callerName: value("caller_name"),
            callerPhone: phone, employerUSCC: uscc, employerName: employerName, projectCode: value("project_code"),
            workersInvolved: workers, amountOwedFen: amount, owedSince: owedSince, owedUntil: owedUntil,
            employerAbsconded: absconded, text: value("text"), employerNameKey: nameKey))
    }
}

/// Several validation errors found in one input.
public struct ValidationProblems: Error, Sendable, CustomStringConvertible {
    public let errors: [ValidationError]
    public init(_ errors: [ValidationError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "; ") }
}
