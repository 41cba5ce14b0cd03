import PostgresClient

/// An error a bureau user can act on, with the exit code SPEC §4 assigns to its kind.
public struct WagewatchError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure SPEC §4 distinguishes by exit code.
    public enum Kind: Int32, Sendable {
        case failure = 1
        case usage = 2
        case invalidInput = 3
        case notFound = 4
        case conflict = 5
        case permissionDenied = 6

        /// The HTTP status of this kind (see ``WagewatchError/httpStatus(for:)``).
        public var httpStatus: Int {
            switch self {
            case .failure: 500
            case .usage: 400
            case .invalidInput: 422
            case .notFound: 404
            case .conflict: 409
            case .permissionDenied: 403
            }
        }

        /// The API's `error.code` of this kind (SPEC §9); its status is ``httpStatus``, except
        /// that a usage error of a request is invalid input (422) there.
        public var apiCode: String {
            switch self {
            case .failure: "internal"
            case .usage, .invalidInput: "invalid_input"
            case .notFound: "not_found"
            case .conflict: "conflict"
            case .permissionDenied: "permission_denied"
            }
        }
    }

    public let kind: Kind
    public let message: String

    /// The HTTP status the web desk and the API answer for `error`, beside the exit code the
    /// CLI gives the same error (ARCHITECTURE's one error table): invalid input 422, not found
    /// 404, conflict 409, permission 403, a database that is not answering 503, anything else 500.
    public static func httpStatus(for error: any Error) -> Int {
        if let error = error as? PostgresError, error.isConnectionLost || error.kind == .connection { return 503 }
        return from(error).kind.httpStatus
    }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var exitCode: Int32 { kind.rawValue }
    public var description: String { message }

    /// The message in `language`: the CLI's English as it is, another language through Core's
    /// message table (``Messages``), for the web desk's pages.
    public func text(_ language: ReportLanguage) -> String { Messages.translate(message, to: language) }

    public static func invalid(_ message: String) -> WagewatchError { WagewatchError(.invalidInput, message) }
    public static func notFound(_ message: String) -> WagewatchError { WagewatchError(.notFound, message) }
    public static func conflict(_ message: String) -> WagewatchError { WagewatchError(.conflict, message) }
    public static func denied(_ message: String) -> WagewatchError { WagewatchError(.permissionDenied, message) }
    public static func failure(_ message: String) -> WagewatchError { WagewatchError(.failure, message) }

    /// Runs a call of one of the database's doors (the SECURITY DEFINER functions of
    /// sql/functions/) and gives its refusal as the domain's error: the SQLSTATE and hint the door
    /// raised name the kind, so callers of a desk see `.conflict`, `.invalid`, … as before.
    @discardableResult
    public static func throughDoor<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw from(error) }
    }

    /// Maps any error to the user-facing form: database constraint failures become conflicts or
    /// invalid input, privilege and row-security refusals become permission denied, and a
    /// connection that broke mid-command says so and asks for the command to be run again.
    public static func from(_ error: any Error) -> WagewatchError {
        if let error = error as? WagewatchError { return error }
        if let error = error as? ValidationError { return .invalid(error.description) }
        if let error = error as? ValidationProblems { return .invalid(error.description) }
        if let error = error as? CSVError { return .invalid(error.description) }
        if let error = error as? ImportProblems { return .invalid(error.description) }
        if let error = error as? PostgresError {
            if error.isConnectionLost {
                return .failure(
                    "\(error.message). The server may have restarted or stopped; the change in progress was rolled back. "
                        + "Run the command again once the database is reachable.")
            }
            switch error.code {
            case .uniqueViolation?, .exclusionViolation?:
                return .conflict("already exists: \(error.constraint ?? error.message)")
            case .checkViolation?, .notNullViolation?, .foreignKeyViolation?, .invalidTextRepresentation?:
                return .invalid(error.description)
            case .insufficientPrivilege?:
                return .denied("permission denied: \(error.message)")
            case .raiseException?:
                // Our triggers raise with a hint naming the kind: conflict, invalid, not_found, denied.
                switch error.hint {
                case "conflict": return .conflict(error.message)
                case "invalid": return .invalid(error.message)
                case "not_found": return .notFound(error.message)
                case "denied": return .denied(error.message)
                default: return .failure(error.message)
                }
            default:
                return .failure(error.description)
            }
        }
        return .failure(String(describing: error))
    }
}
