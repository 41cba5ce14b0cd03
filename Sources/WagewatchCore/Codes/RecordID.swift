import PostgresClient

/// The noun a ``RecordID`` names, for messages (`flag: "abc" is not a flag id`).
public protocol RecordKind: Sendable {
    static var noun: String { get }
}

/// A row's id: a bigint in the database, a string in JSON (SPEC §5), and a type of its own per
/// table, so a flag's id cannot be passed where an escalation's is wanted.
public struct RecordID<Kind: RecordKind>: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    PostgresEncodable, PostgresDecodable, PostgresArrayElement {
    public let value: Int64

    public init(_ value: Int64) { self.value = value }

    /// Parses a command-line argument: `FIELD: "TEXT" is not a NOUN id` (exit 3) unless it is a
    /// number; the field is the noun unless the option is named otherwise (`--merge`).
    public init(parsing text: String, field: String = Kind.noun) throws {
        guard let value = Int64(text) else {
            throw WagewatchError.invalid("\(field): \"\(text)\" is not a \(Kind.noun) id")
        }
        self.value = value
    }

    public var description: String { String(value) }

    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Int64(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a \(Kind.noun) id"))
        }
        self.value = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public var postgresBinding: PostgresBinding { value.postgresBinding }

    public static var arrayType: PostgresType { .int8Array }

    public static func decode(postgresText text: String, type: PostgresType) throws -> Self {
        Self(try Int64.decode(postgresText: text, type: type))
    }
}

public enum FlagKind: RecordKind { public static let noun = "flag" }
public enum EscalationKind: RecordKind { public static let noun = "escalation" }
public enum ComplaintKind: RecordKind { public static let noun = "complaint" }
public enum CaseKind: RecordKind { public static let noun = "case" }
public enum TransferKind: RecordKind { public static let noun = "transfer" }
public enum BatchKind: RecordKind { public static let noun = "batch" }
public enum SanctionKind: RecordKind { public static let noun = "sanction" }
public enum PaymentOrderKind: RecordKind { public static let noun = "payment order" }
public enum RecoveryKind: RecordKind { public static let noun = "recovery" }

public typealias FlagID = RecordID<FlagKind>
public typealias EscalationID = RecordID<EscalationKind>
public typealias ComplaintID = RecordID<ComplaintKind>
public typealias CaseID = RecordID<CaseKind>
public typealias TransferID = RecordID<TransferKind>
/// A direct-pay batch's id (D2).
public typealias BatchID = RecordID<BatchKind>
public typealias SanctionID = RecordID<SanctionKind>
/// A payment order's id (责令限期支付).
public typealias PaymentOrderID = RecordID<PaymentOrderKind>
public typealias RecoveryID = RecordID<RecoveryKind>
