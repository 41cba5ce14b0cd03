import Foundation
import PostgresClient

/// One line of a complaint's or a case's timeline, from the audit log through its door
/// (sql/functions/timeline.sql): when, who, which table, and the fields that changed (never
/// personal data), as JSON values.
public struct TimelineEntry: Sendable {
    public let at: Date
    public let actor: String
    public let table: String
    public let action: String
    /// Field → new value, as JSON text (`"accepted"`, `12`, `"2026-03-02"`).
    public let changes: [String: String]

    /// A changed field as text, without JSON's quotes.
    public func text(_ field: String) -> String? {
        guard let raw = changes[field] else { return nil }
        if raw.hasPrefix("\""), let decoded = try? JSONDecoder().decode(String.self, from: Data(raw.utf8)) { return decoded }
        return raw
    }

    /// A changed amount in fen.
    public func fen(_ field: String) -> Int64? { changes[field].flatMap { Int64($0) } }
}

/// Reads timelines; empty for a user who may not read the complaint or case.
public struct Timelines: Sendable {
    public init() {}

    public func complaint(_ id: ComplaintID, on connection: Connection) throws -> [TimelineEntry] {
        try read(connection.query("SELECT t.*, c.key, c.value::text AS value FROM ww_complaint_timeline(\(id)) WITH ORDINALITY t LEFT JOIN LATERAL jsonb_each(t.changes) c ON true ORDER BY t.ordinality"))
    }

    public func `case`(_ id: CaseID, on connection: Connection) throws -> [TimelineEntry] {
        try read(connection.query("SELECT t.*, c.key, c.value::text AS value FROM ww_case_timeline(\(id)) WITH ORDINALITY t LEFT JOIN LATERAL jsonb_each(t.changes) c ON true ORDER BY t.ordinality"))
    }

    /// One row per changed field (or one with none), grouped back into entries in order.
    private func read(_ rows: QueryResult) throws -> [TimelineEntry] {
        var entries: [(ordinal: Int64, at: Date, actor: String, table: String, action: String, changes: [String: String])] = []
        for row in rows {
            let ordinal: Int64 = try row.decode("ordinality")
            if entries.last?.ordinal != ordinal {
                entries.append((ordinal, try row.decode("at"), try row.decode("actor"), try row.decode("table_name"),
                                try row.decode("action"), [:]))
            }
            if let key: String = try row.decode("key"), let value: String = try row.decode("value") {
                entries[entries.count - 1].changes[key] = value
            }
        }
        return entries.map { TimelineEntry(at: $0.at, actor: $0.actor, table: $0.table, action: $0.action, changes: $0.changes) }
    }
}

extension Session {
    public var timelines: Timelines { Timelines() }
}
