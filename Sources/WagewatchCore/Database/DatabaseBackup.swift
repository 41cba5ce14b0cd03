import Crypto
import Foundation
import PostgresClient

/// `wagewatch db backup` and `db restore` (SPEC §11, issue 19 item 2): a pg_dump archive of the
/// whole database in custom format, and beside it a manifest of what the archive holds, taken in
/// the same snapshot as the dump (the time, the schema version, the rows of every table, the
/// audit chain's head), so that a restore can prove it brought back exactly that.
///
/// The snapshot is shared the way pg_dump's own parallel workers share one: a repeatable-read
/// transaction exports it (`pg_export_snapshot()`), counts the rows and reads the chain's head,
/// and pg_dump runs with `--snapshot` while that transaction stays open.
///
/// Both need a login that row security does not filter (the superuser, or a `BYPASSRLS` role):
/// a backup that silently left out what its login could not see would be worse than none.
public struct DatabaseBackup: Sendable {
    public static let format = "wagewatch-backup/1"
    public static let dumpFile = "wagewatch.dump"
    public static let manifestFile = "manifest.json"

    /// What a backup holds, written as `manifest.json` (keys sorted, so two backups of the same
    /// data differ only in their times).
    public struct Manifest: Codable, Sendable, Equatable {
        public var format: String
        public var createdAt: String
        public var database: String
        public var serverVersion: String
        public var schemaVersion: Int
        public var migrations: [String]
        public var tables: [String: Int64]
        public var audit: AuditHead
        public var roles: [String]
        public var dump: String
        public var dumpBytes: Int64
        public var dumpSHA256: String

        enum CodingKeys: String, CodingKey {
            case format, database, migrations, tables, audit, roles, dump
            case createdAt = "created_at", serverVersion = "server_version", schemaVersion = "schema_version"
            case dumpBytes = "dump_bytes", dumpSHA256 = "dump_sha256"
        }
    }

    /// The audit chain's head (`audit_chain.head`): the last chained row and its hash.
    public struct AuditHead: Codable, Sendable, Equatable {
        public var lastSeq: Int64
        public var lastHash: String

        enum CodingKeys: String, CodingKey {
            case lastSeq = "last_seq", lastHash = "last_hash"
        }
    }

    /// What a restore found, checked against the manifest.
    public struct Restored: Encodable, Sendable {
        public let manifest: Manifest
        public let tablesChecked: Int
        public let audit: AuditVerification

        enum CodingKeys: String, CodingKey {
            case manifest, audit
            case tablesChecked = "tables_checked"
        }
    }

    /// The database to back up or restore into, as a libpq URL or conninfo.
    public let url: String

    public init(url: String) { self.url = url }

    // MARK: Backup

    /// Writes `DIR/wagewatch.dump` and `DIR/manifest.json`. `DIR` must be new or empty.
    public func backup(to folder: URL, now: Date = Date()) throws -> Manifest {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: folder.path), !existing.isEmpty {
            throw WagewatchError.invalid("--out: \(folder.path) is not empty; give a new folder for each backup")
        }
        let pgDump = try LocalCluster.binary("pg_dump")
        let connection = try Connection(url)
        defer { connection.close() }
        try Self.requireUnfiltered(connection, what: "db backup")
        // Closed to other accounts: the archive holds every ID number and phone.
        try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let dumpPath = folder.appendingPathComponent(Self.dumpFile).path
        var manifest = try connection.transaction(isolation: .repeatableRead, readOnly: true) { tx -> Manifest in
            let snapshot = try tx.query("SELECT pg_export_snapshot() AS s").one().decode("s", as: String.self)
            let manifest = try Self.describe(tx, now: now)
            // The archive of exactly this snapshot. Owners and grants are kept: a restore goes to
            // a server that has the deployment's roles (it checks them first).
            let dumped = try ChildProcess.run([
                pgDump, "--format=custom", "--snapshot=\(snapshot)", "--file=\(dumpPath)", "--dbname=\(url)",
            ])
            guard dumped.status == 0 else {
                throw WagewatchError.failure("pg_dump failed (exit \(dumped.status)): \(dumped.stderr)")
            }
            return manifest
        }
        (manifest.dumpBytes, manifest.dumpSHA256) = try Self.digest(of: URL(fileURLWithPath: dumpPath))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(manifest) + Data("\n".utf8)).write(to: folder.appendingPathComponent(Self.manifestFile))
        return manifest
    }

    /// The manifest's contents as this transaction sees the database (the dump's fields empty).
    static func describe(_ tx: Connection, now: Date) throws -> Manifest {
        let server = try ServerInfo.read(on: tx)
        let migrations = try tx.query("SELECT version, name FROM schema_migrations ORDER BY version").map { row in
            String(format: "%04d_", try row.decode("version", as: Int32.self)) + (try row.decode("name", as: String.self))
        }
        let schemaVersion = try tx.query("SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations").one()
            .decode("v", as: Int32.self)
        var tables: [String: Int64] = [:]
        let names = try tx.query("""
            SELECT n.nspname AS schema, c.relname AS name
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            ORDER BY 1, 2
            """).map { (try $0.decode("schema", as: String.self), try $0.decode("name", as: String.self)) }
        for (schema, name) in names {
            let n = try tx.query("SELECT count(*) AS n FROM \(identifier: schema).\(identifier: name)").one()
                .decode("n", as: Int64.self)
            tables["\(schema).\(name)"] = n
        }
        let head = try tx.query("SELECT last_seq, encode(last_hash, 'hex') AS h FROM audit_chain.head").one()
        // Every role the archive's owners and grants name: the deployment's groups and logins.
        let roles = try tx.query("""
            SELECT DISTINCT r.rolname AS name FROM pg_roles r
            WHERE r.rolname LIKE 'wagewatch%' OR r.rolname IN (SELECT name FROM public.users)
               OR r.oid IN (SELECT relowner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%')
            ORDER BY 1
            """).map { try $0.decode("name", as: String.self) }
        return Manifest(
            format: format, createdAt: ISO8601DateFormatter().string(from: now), database: server.database,
            serverVersion: server.version, schemaVersion: Int(schemaVersion), migrations: migrations, tables: tables,
            audit: AuditHead(lastSeq: try head.decode("last_seq"), lastHash: try head.decode("h")),
            roles: roles, dump: dumpFile, dumpBytes: 0, dumpSHA256: "")
    }

    // MARK: Restore

    /// Restores `DIR` into this (empty) database in one transaction, then checks every table's
    /// rows and the audit chain against the manifest. Throws, naming what differs, when they do not match.
    public func restore(from folder: URL) throws -> Restored {
        let manifestURL = folder.appendingPathComponent(Self.manifestFile)
        guard let manifestData = try? Data(contentsOf: manifestURL) else {
            throw WagewatchError.notFound("\(folder.path): no \(Self.manifestFile) (is it a folder `db backup --out` wrote?)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: manifestData)
        } catch {
            throw WagewatchError.invalid("\(manifestURL.path): not a wagewatch backup manifest (\(error))")
        }
        guard manifest.format == Self.format else {
            throw WagewatchError.invalid("\(manifestURL.path): format \"\(manifest.format)\", this program reads \"\(Self.format)\"")
        }
        let dumpURL = folder.appendingPathComponent(manifest.dump)
        guard manifest.dump == Self.dumpFile, FileManager.default.fileExists(atPath: dumpURL.path) else {
            throw WagewatchError.notFound("\(dumpURL.path): the manifest's archive is missing")
        }
        let (bytes, digest) = try Self.digest(of: dumpURL)
        guard digest == manifest.dumpSHA256, bytes == manifest.dumpBytes else {
            throw WagewatchError.invalid(
                "\(dumpURL.path): SHA-256 \(digest) (\(bytes) bytes), the manifest says \(manifest.dumpSHA256) (\(manifest.dumpBytes) bytes): the archive is damaged or not this backup's")
        }
        let connection = try Connection(url)
        defer { connection.close() }
        try Self.requireUnfiltered(connection, what: "db restore")
        let superuser = try connection.query("SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user").one()
            .decode("s", as: Bool.self)
        guard superuser else {
            throw WagewatchError.denied(
                "db restore: loading the archive with its audit and guard triggers off needs the server's superuser "
                    + "(the triggers would otherwise add audit rows or refuse the rows as new writes); connect as postgres")
        }
        let objects = try connection.query("""
            SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            """).one().decode("n", as: Int64.self)
        guard objects == 0 else {
            let database = try connection.query("SELECT current_database() AS d").one().decode("d", as: String.self)
            throw WagewatchError.conflict(
                "db restore: database \(database) is not empty (\(objects) tables, views, sequences or indexes); "
                    + "restore into a new empty database (createdb), never over one in use")
        }
        let present = Set(try connection.query("SELECT rolname FROM pg_roles").map { try $0.decode("rolname", as: String.self) })
        let missing = manifest.roles.filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw WagewatchError.conflict(
                "db restore: this server lacks the roles the backup's owners and grants name: "
                    + missing.joined(separator: ", ")
                    + ". Restore on the server the backup came from, or create those roles first")
        }
        let pgRestore = try LocalCluster.binary("pg_restore")
        let restored = try ChildProcess.run([
            pgRestore, "--single-transaction", "--exit-on-error", "--disable-triggers", "--dbname=\(url)", dumpURL.path,
        ])
        guard restored.status == 0 else {
            throw WagewatchError.failure("pg_restore failed (exit \(restored.status)), nothing was restored: \(restored.stderr)")
        }
        // What came back, against what went in.
        let now = try connection.transaction(isolation: .repeatableRead, readOnly: true) { tx in
            try Self.describe(tx, now: Date())
        }
        var differences: [String] = []
        for (table, rows) in manifest.tables.sorted(by: { $0.key < $1.key }) where now.tables[table] != rows {
            differences.append("\(table): \(now.tables[table].map(String.init) ?? "missing") rows, the backup had \(rows)")
        }
        for table in Set(now.tables.keys).subtracting(manifest.tables.keys).sorted() {
            differences.append("\(table): not in the backup")
        }
        if now.audit != manifest.audit {
            differences.append("audit chain head: seq \(now.audit.lastSeq) \(now.audit.lastHash), the backup had seq \(manifest.audit.lastSeq) \(manifest.audit.lastHash)")
        }
        if now.migrations != manifest.migrations { differences.append("migrations differ from the backup's") }
        let verification = try AuditChain().verify(on: connection)
        if !verification.intact {
            differences.append("audit verify: chain broken at row \(verification.firstBrokenID ?? "?") (\(verification.problem?.rawValue ?? "broken"))")
        } else if verification.lastHash != manifest.audit.lastHash {
            differences.append("audit verify: last hash \(verification.lastHash), the backup's chain ended at \(manifest.audit.lastHash)")
        }
        guard differences.isEmpty else {
            throw WagewatchError.failure("db restore: the restored database does not match its backup:\n  "
                + differences.joined(separator: "\n  "))
        }
        return Restored(manifest: manifest, tablesChecked: manifest.tables.count, audit: verification)
    }

    // MARK: Helpers

    /// A login that row security filters would dump or count only what it may see.
    static func requireUnfiltered(_ connection: Connection, what: String) throws {
        let row = try connection.query(
            "SELECT current_user AS u, rolsuper OR rolbypassrls AS ok FROM pg_roles WHERE rolname = current_user").one()
        guard try row.decode("ok", as: Bool.self) else {
            let user = try row.decode("u", as: String.self)
            throw WagewatchError.denied(
                "\(what): login \(user) is filtered by row security and would see only part of the data; "
                    + "run it as the server's superuser (postgres) or a BYPASSRLS role")
        }
    }

    static func hex(_ data: some Sequence<UInt8>) -> String {
        data.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// A file's size and SHA-256, read in pieces (an archive may be larger than memory).
    static func digest(of file: URL) throws -> (Int64, String) {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes: Int64 = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            hasher.update(data: piece)
            bytes += Int64(piece.count)
        }
        return (bytes, hex(hasher.finalize()))
    }
}
