import Foundation
import PostgresClient

/// A construction project or enterprise as registered (SPEC §5 `projects` columns), validated.
public struct ProjectInput: Sendable, Equatable {
    public var code: String
    public var name: String
    public var type: String
    public var funding: String
    public var regionCode: String
    public var ownerUSCC: String
    public var contractorUSCC: String
    public var contractValueFen: Int64
    public var contractSigned: LocalDate
    public var plannedStart: LocalDate
    public var plannedEnd: LocalDate
    public var allocationCycleDays: Int
    /// P3: the labour-cost allocation of each cycle, or (exactly one of the two) the share of
    /// everything paid into the project's fund, in basis points (`12.5` % is 1250).
    public var allocationAmountFen: Int64?
    public var allocationShareBasisPoints: Int?

    public static let types = ["gov_transport", "gov_land", "gov_water", "gov_other", "real_estate", "factory_build", "small_enterprise"]
    public static let columns = [
        "code", "name", "type", "funding", "region_code", "owner_uscc", "contractor_uscc", "contract_value",
        "contract_signed", "planned_start", "planned_end", "allocation_cycle_days", "allocation_amount",
    ]
    /// Columns a file may leave out (SPEC §5): P3's share, given instead of `allocation_amount`.
    public static let optionalColumns = ["allocation_share"]

    /// Validates one project given as text fields; every problem is collected.
    /// The cycle may be at most `configuration.projects.allocationCycleMaxDays` (P3: a month).
    public static func parse(configuration: Configuration = .defaults, _ value: (String) -> String?)
        -> Result<ProjectInput, ValidationProblems>
    {
        let problems = FieldProblems()
        func required(_ field: String) -> String? { problems.required(field, value(field)) }
        func attempt<T>(_ body: () throws(ValidationError) -> T) -> T? { problems.attempt(body) }
        let code = required("code").flatMap { text -> String? in
            guard text.range(of: "^[A-Za-z0-9_-]{1,40}$", options: .regularExpression) != nil else {
                problems.add(ValidationError(field: "code", value: text, problem: "must be 1 to 40 letters, digits, - or _"))
                return nil
            }
            return text
        }
        let name = required("name").flatMap { text -> String? in
            guard text.unicodeScalars.count <= 200 else {  // code points, as the CHECK counts
                problems.add(ValidationError(field: "name", value: text, problem: "is longer than 200 characters"))
                return nil
            }
            return text
        }
        let type = required("type").flatMap { text -> String? in
            guard types.contains(text) else {
                problems.add(ValidationError(field: "type", value: text, problem: "is not one of \(types.joined(separator: ", "))"))
                return nil
            }
            return text
        }
        let funding = required("funding").flatMap { text -> String? in
            guard text == "government" || text == "social" else {
                problems.add(ValidationError(field: "funding", value: text, problem: "is not government or social"))
                return nil
            }
            return text
        }
        let region = required("region_code").flatMap { text in
            attempt { () throws(ValidationError) in try RegionCode(parsing: text, field: "region_code").value }
        }
        let owner = required("owner_uscc").flatMap { text in
            attempt { () throws(ValidationError) in try USCC(parsing: text, field: "owner_uscc").value }
        }
        let contractor = required("contractor_uscc").flatMap { text in
            attempt { () throws(ValidationError) in try USCC(parsing: text, field: "contractor_uscc").value }
        }
        let value_ = required("contract_value").flatMap { text in
            attempt { () throws(ValidationError) in try Money.parseYuan(text, field: "contract_value") }
        }
        func date(_ field: String) -> LocalDate? {
            required(field).flatMap { text in attempt { () throws(ValidationError) in try DateInput.date(text, field: field) } }
        }
        let signed = date("contract_signed")
        let start = date("planned_start")
        let end = date("planned_end")
        if let start, let end, end < start {
            problems.add(ValidationError(field: "planned_end", value: end.description, problem: "is before planned_start \(start)"))
        }
        let cycle = required("allocation_cycle_days").flatMap { text -> Int? in
            // P3: a labour-cost allocation cycle of at most one month.
            let longest = configuration.projects.allocationCycleMaxDays
            guard let days = Int(text), (1...longest).contains(days) else {
                problems.add(ValidationError(field: "allocation_cycle_days", value: text,
                                             problem: "must be 1 to \(longest) days (at most a month)"))
                return nil
            }
            return days
        }
        // P3: an amount per cycle or a share of each project payment, exactly one of the two.
        let amountText = value("allocation_amount").flatMap { $0.isEmpty ? nil : $0 }
        let shareText = value("allocation_share").flatMap { $0.isEmpty ? nil : $0 }
        var amount: Int64?, share: Int?
        switch (amountText, shareText) {
        case (nil, nil):
            problems.add(ValidationError(field: "allocation_amount", value: "",
                                         problem: "is required (or allocation_share, a percentage of each project payment)"))
        case (let amountText?, let shareText?):
            problems.add(ValidationError(field: "allocation_share", value: shareText,
                                         problem: "is given with allocation_amount \(amountText): give one of the two"))
        case (let amountText?, nil):
            amount = attempt { () throws(ValidationError) in try Money.parseYuan(amountText, field: "allocation_amount") }
        case (nil, let shareText?):
            share = attempt { () throws(ValidationError) in try Share.parseBasisPoints(shareText, field: "allocation_share") }
        }
        guard problems.isEmpty, let code, let name, let type, let funding, let region, let owner, let contractor,
              let value_, let signed, let start, let end, let cycle, amount != nil || share != nil else {
            return .failure(ValidationProblems(problems.errors))
        }
        return .success(ProjectInput(
            code: code, name: name, type: type, funding: funding, regionCode: region, ownerUSCC: owner,
            contractorUSCC: contractor, contractValueFen: value_, contractSigned: signed, plannedStart: start,
            plannedEnd: end, allocationCycleDays: cycle, allocationAmountFen: amount,
            allocationShareBasisPoints: share))
    }
}
