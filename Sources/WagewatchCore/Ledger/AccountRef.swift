import PostgresClient
import Foundation

/// A ledger account as people write it (SPEC §5 `transfers`): `fund:CODE`, `wage:CODE`,
/// `deposit:CODE`, `worker:ID_NUMBER`, `emergency`, `external:NAME`.
public enum AccountRef: Sendable, Hashable, CustomStringConvertible {
    /// A project's fund (the owner's money for the project).
    case fund(project: String)
    /// A project's dedicated wage account (农民工工资专用账户).
    case wage(project: String)
    /// A project's wage guarantee deposit (工资保证金).
    case deposit(project: String)
    /// A worker's own bank account.
    case worker(idNumber: String)
    /// The county's emergency wage fund (应急周转金).
    case emergency
    /// Anyone else, by name or USCC.
    case external(name: String)

    public var kind: String {
        switch self {
        case .fund: "fund"
        case .wage: "wage"
        case .deposit: "deposit"
        case .worker: "worker"
        case .emergency: "emergency"
        case .external: "external"
        }
    }

    /// The part after the colon ('' for the emergency fund).
    public var ref: String {
        switch self {
        case .fund(let code), .wage(let code), .deposit(let code): code
        case .worker(let id): id
        case .emergency: ""
        case .external(let name): name
        }
    }

    public var projectCode: String? {
        switch self {
        case .fund(let code), .wage(let code), .deposit(let code): code
        default: nil
        }
    }

    public var description: String { self == .emergency ? "emergency" : "\(kind):\(ref)" }

    /// Parses the written form; `field` names the column or option in errors.
    public init(parsing text: String, field: String, today: LocalDate) throws(ValidationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "emergency" {
            self = .emergency
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw ValidationError(field: field, value: text,
                                  problem: "is not an account (fund:CODE, wage:CODE, deposit:CODE, worker:ID_NUMBER, emergency or external:NAME)")
        }
        let kind = trimmed[..<colon]
        let rest = String(trimmed[trimmed.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        guard !rest.isEmpty else { throw ValidationError(field: field, value: text, problem: "names no account after the colon") }
        switch kind {
        case "fund": self = .fund(project: rest)
        case "wage": self = .wage(project: rest)
        case "deposit": self = .deposit(project: rest)
        case "worker": self = .worker(idNumber: try ResidentID(parsing: rest, field: field, today: today).value)
        case "external":
            guard rest.count <= 200 else { throw ValidationError(field: field, value: text, problem: "is longer than 200 characters") }
            self = .external(name: rest)
        default:
            throw ValidationError(field: field, value: text,
                                  problem: "has unknown account kind \"\(kind)\" (fund, wage, deposit, worker, emergency, external)")
        }
    }
}
