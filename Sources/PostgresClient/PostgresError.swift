/// An error from the server, the connection or decoding.
///
/// Its `description` carries the SQLSTATE, the server's message and the constraint, table and
/// column names, but never a bound value nor the server's DETAIL (which can quote row values);
/// `detail` is still available to code that chooses to show it.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, at the level callers branch on.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable { case connection, connectionLost, server, decoding, copy, usage }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        /// The server could not be reached.
        public static let connection = Kind(.connection)
        /// An open connection broke: the server restarted, shut down or ended the session, or the
        /// network dropped it. The transaction in progress, if any, was rolled back (unless the
        /// break came while its COMMIT was on the way). A new connection may well succeed.
        public static let connectionLost = Kind(.connectionLost)
        /// The server answered with an error (see ``PostgresError/code``).
        public static let server = Kind(.server)
        /// A column could not be read as the requested Swift type.
        public static let decoding = Kind(.decoding)
        /// A COPY stream failed on the client side.
        public static let copy = Kind(.copy)
        /// The API was used in a way it does not support.
        public static let usage = Kind(.usage)
        public var description: String { "\(base)" }
    }

    /// A SQLSTATE code.
    public struct Code: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let raw: String
        public init(_ raw: String) { self.raw = raw }
        public init(stringLiteral value: String) { self.raw = value }
        public var description: String { raw }

        public static let uniqueViolation: Code = "23505"
        public static let checkViolation: Code = "23514"
        public static let foreignKeyViolation: Code = "23503"
        public static let notNullViolation: Code = "23502"
        public static let exclusionViolation: Code = "23P01"
        public static let insufficientPrivilege: Code = "42501"
        public static let serializationFailure: Code = "40001"
        public static let deadlockDetected: Code = "40P01"
        public static let raiseException: Code = "P0001"
        public static let queryCanceled: Code = "57014"
        public static let adminShutdown: Code = "57P01"
        public static let crashShutdown: Code = "57P02"
        public static let cannotConnectNow: Code = "57P03"
        public static let invalidTextRepresentation: Code = "22P02"
        public static let undefinedTable: Code = "42P01"
        public static let duplicateObject: Code = "42710"

        /// The server ended the session (57P01–57P05: shut down, crashed, starting up, database
        /// dropped, idle timeout) or the connection itself failed (class 08).
        public var endsSession: Bool { raw.hasPrefix("08") || raw.hasPrefix("57P0") }
    }

    public let kind: Kind
    public let code: Code?
    public let severity: String?
    public let message: String
    public let detail: String?
    public let hint: String?
    public let schema: String?
    public let table: String?
    public let column: String?
    public let constraint: String?

    public init(
        kind: Kind, code: Code? = nil, severity: String? = nil, message: String, detail: String? = nil,
        hint: String? = nil, schema: String? = nil, table: String? = nil, column: String? = nil,
        constraint: String? = nil
    ) {
        self.kind = kind
        self.code = code
        self.severity = severity
        self.message = message
        self.detail = detail
        self.hint = hint
        self.schema = schema
        self.table = table
        self.column = column
        self.constraint = constraint
    }

    public var isUniqueViolation: Bool { code == .uniqueViolation }
    public var isCheckViolation: Bool { code == .checkViolation }
    public var isForeignKeyViolation: Bool { code == .foreignKeyViolation }
    public var isNotNullViolation: Bool { code == .notNullViolation }
    /// A row-level-security or privilege refusal.
    public var isPermissionDenied: Bool { code == .insufficientPrivilege }
    /// The connection broke after it was made (see ``Kind/connectionLost``).
    public var isConnectionLost: Bool { kind == .connectionLost }
    /// A failure that a retry of the whole transaction can cure.
    public var isSerializationFailure: Bool { code == .serializationFailure || code == .deadlockDetected }

    public var description: String {
        var parts: [String] = []
        if let code { parts.append("[\(code)]") }
        parts.append(message)
        var where_: [String] = []
        if let table { where_.append("table \(table)") }
        if let column { where_.append("column \(column)") }
        if let constraint { where_.append("constraint \(constraint)") }
        if !where_.isEmpty { parts.append("(" + where_.joined(separator: ", ") + ")") }
        return parts.joined(separator: " ")
    }
}
