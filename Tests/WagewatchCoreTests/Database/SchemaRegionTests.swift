import PostgresClient
import Testing
import TestSupport

/// SPEC §6, scale-out by region: "every table carries the region code, every key can lead with
/// it, no foreign key crosses regions (shared lookups such as departments and the calendar are
/// reference tables), and every write stays inside one region". Read from the catalogue of a
/// migrated database, so a new table or key that breaks the rule fails here until it is fixed or
/// listed below with its reason.
@Suite("The schema shards by region (SPEC §6)")
struct SchemaRegionTests {
    /// Tables without `region_code`: reference data every shard holds a copy of, the deployment's
    /// own records, and the sign-in and audit tables of the one control server.
    static let referenceTables: [String: String] = [
        "api_calls": "the API's call log, per token (control server)",
        "api_idempotency": "the API's Idempotency-Keys, per user (control server)",
        "api_tokens": "API tokens, per user (control server)",
        "app_grants": "the grants of the application roles (schema metadata)",
        "audit_log": "the audit chain (control server; rows name their table and key)",
        "calendar_days": "the working-day calendar (reference)",
        "departments": "the sector departments (reference)",
        "pii_columns": "which columns hold personal data (schema metadata)",
        "project_types": "project types and the departments that lead them (reference)",
        "regions": "the region codes themselves (reference)",
        "rule_runs": "one rule run covers every region (its flags carry theirs)",
        "schema_functions": "the migrator's record",
        "schema_migrations": "the migrator's record",
        "settings": "the configuration's numbers (reference)",
        "sign_in_events": "the web desk's sign-ins (control server)",
        "user_passwords": "the web desk's password hashes (control server)",
        "web_sessions": "the web desk's sessions (control server)",
        "working_day_index": "the working-day calendar's index (reference)",
    ]
    /// Tables with `region_code` whose key does not lead with it, and why.
    static let notKeyedByRegion: [String: String] = [
        "users": "the directory of people (reference): region_code is the region a user works in, not where the row lives",
        "escalation_outbox": "a work queue of the delivery job, drained in id order",
        "rule_dirty": "a work queue of incremental rule runs",
        "rule_findings": "a work queue of one rule run's raw findings (no key)",
    ]

    static func tables(_ db: Connection) throws -> [(name: String, regional: Bool, primaryKey: [String])] {
        try db.query("""
            SELECT c.relname AS name,
                   EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'region_code'
                           AND NOT a.attisdropped) AS regional,
                   coalesce((SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
                             CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k (attnum, ord)
                             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                             WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS pk
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
            ORDER BY 1
            """).map { (try $0.decode("name"), try $0.decode("regional"), try $0.decode("pk", as: [String].self)) }
    }

    @Test("every table carries region_code and its primary key leads with it, except the reference tables and work queues listed")
    func everyTableByRegion() async throws {
        try await TestDatabase.withFresh { db, _ in
            let tables = try Self.tables(db)
            #expect(tables.count > 40, "the catalogue query found \(tables.count) tables")
            for table in tables {
                if Self.referenceTables[table.name] != nil {
                    #expect(!table.regional, "\(table.name) is listed as a reference table but carries region_code")
                    continue
                }
                #expect(table.regional, "\(table.name) has no region_code: add it, or list the table as reference data with its reason")
                if Self.notKeyedByRegion[table.name] == nil {
                    #expect(table.primaryKey.first == "region_code", "\(table.name)'s primary key \(table.primaryKey) does not lead with region_code")
                }
            }
            // The lists name only tables that exist.
            let names = Set(tables.map(\.name))
            #expect(Set(Self.referenceTables.keys).subtracting(names).isEmpty)
            #expect(Set(Self.notKeyedByRegion.keys).subtracting(names).isEmpty)
        }
    }

    @Test("no foreign key crosses regions: one between regional tables pairs region_code with region_code; none points from reference data into a region")
    func foreignKeysStayInRegion() async throws {
        try await TestDatabase.withFresh { db, _ in
            let regional = Set(try Self.tables(db).filter { $0.regional && $0.name != "users" }.map(\.name))
            let keys = try db.query("""
                SELECT con.conname AS name, con.conrelid::regclass::text AS from_table, con.confrelid::regclass::text AS to_table,
                       (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k (n, ord)
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS from_columns,
                       (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k (n, ord)
                        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS to_columns
                FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
                WHERE n.nspname = 'public' AND con.contype = 'f'
                ORDER BY 1
                """)
            #expect(keys.count > 20, "the catalogue query found \(keys.count) foreign keys")
            for key in keys {
                let name: String = try key.decode("name")
                let from: String = try key.decode("from_table"), to: String = try key.decode("to_table")
                let fromColumns: [String] = try key.decode("from_columns"), toColumns: [String] = try key.decode("to_columns")
                switch (regional.contains(from), regional.contains(to)) {
                case (true, true):
                    #expect(fromColumns.first == "region_code" && toColumns.first == "region_code",
                            "\(name): \(from)\(fromColumns) → \(to)\(toColumns) may join rows of two regions")
                case (false, true):
                    Issue.record("\(name): reference table \(from) points into the regional table \(to)")
                default:
                    break  // into reference data, or between reference tables
                }
            }
        }
    }
}
