import Foundation
import PostgresClient
#if canImport(Glibc)
import Glibc
#endif

/// The embedded PostgreSQL cluster used when no `--db` or `DATABASE_URL` is given: a private
/// data folder under `WAGEWATCH_HOME` (default `./.wagewatch`), reachable only on a unix socket.
///
/// When the program runs as root the server runs as the `postgres` OS user, because initdb and
/// postgres refuse to run as root.
public struct LocalCluster: Sendable {
    public let home: URL
    public var dataDirectory: URL { home.appendingPathComponent("pgdata", isDirectory: true) }
    public var socketDirectory: URL { home.appendingPathComponent("run", isDirectory: true) }
    public var logFile: URL { home.appendingPathComponent("postgres.log") }
    public let port = 5432
    public let database = "wagewatch"
    public let superuser = "postgres"

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["WAGEWATCH_HOME"], !explicit.isEmpty {
            home = URL(fileURLWithPath: explicit, isDirectory: true).standardizedFileURL
        } else {
            home = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
                .appendingPathComponent(".wagewatch", isDirectory: true)
        }
    }

    /// The connection URL of the cluster's database (or of another database in it).
    public func url(database name: String? = nil) -> String {
        var components = URLComponents()
        components.scheme = "postgresql"
        components.host = ""
        components.path = "/" + (name ?? database)
        components.queryItems = [
            URLQueryItem(name: "host", value: socketDirectory.path),
            URLQueryItem(name: "port", value: String(port)),
            URLQueryItem(name: "user", value: superuser),
        ]
        return components.string ?? ""
    }

    public var isInitialised: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    /// Refuses when there is no cluster in `home`: a command given no database must not
    /// create one (only `db up` and `demo` do).
    public func requireExisting() throws {
        guard !isInitialised else { return }
        throw WagewatchError.failure(
            "no database: no --db or DATABASE_URL was given and there is no embedded cluster in \(home.path). "
                + "Give the bureau's database with --db URL or DATABASE_URL (e.g. in the cron job's environment), "
                + "or create the embedded cluster with `wagewatch db up` (or try the sample county with `wagewatch demo`); "
                + "WAGEWATCH_HOME says where the embedded cluster lives")
    }

    public var isRunning: Bool {
        guard isInitialised, let pgCtl = try? Self.binary("pg_ctl") else { return false }
        return (try? run([pgCtl, "-D", dataDirectory.path, "status"], asServerUser: true, allowFailure: true))?.status == 0
    }

    /// Creates the cluster if needed, starts it if stopped and creates the database.
    /// Returns what it did, for the user.
    @discardableResult
    public func up(fast: Bool = false) throws -> [String] {
        var done: [String] = []
        let socketPath = socketDirectory.appendingPathComponent(".s.PGSQL.\(port)").path
        guard socketPath.utf8.count < 100 else {
            throw WagewatchError.failure(
                "the socket path \(socketPath) is too long for a unix socket; set WAGEWATCH_HOME to a shorter folder")
        }
        if !isInitialised {
            try prepareFolders()
            let initdb = try Self.binary("initdb")
            try run([initdb, "-D", dataDirectory.path, "-U", superuser, "-A", "trust", "-E", "UTF8",
                     "--no-locale", "--no-sync"], asServerUser: true)
            var settings = """

                # wagewatch embedded cluster: unix socket only, private to this folder and to
                # the OS account that runs it (the socket's folder is mode 700 as well).
                listen_addresses = ''
                unix_socket_directories = '\(socketDirectory.path)'
                unix_socket_permissions = 0700
                port = \(port)
                timezone = 'Asia/Shanghai'
                log_timezone = 'Asia/Shanghai'
                max_connections = \(fast ? 300 : 100)

                """
            if fast {
                // The test suite runs its tests in parallel, each with a database of its own and
                // a web desk's pool: at 100 connections it peaked at 95 (session 6).
                settings += """
                    # Throwaway test cluster: durability traded for speed, connections for parallel tests.
                    fsync = off
                    synchronous_commit = off
                    full_page_writes = off

                    """
            }
            let conf = dataDirectory.appendingPathComponent("postgresql.conf")
            let handle = try FileHandle(forWritingTo: conf)
            handle.seekToEndOfFile()
            handle.write(Data(settings.utf8))
            try handle.close()
            done.append("created a PostgreSQL cluster in \(dataDirectory.path)")
        }
        if !isRunning {
            try prepareFolders()
            let pgCtl = try Self.binary("pg_ctl")
            let result = try run([pgCtl, "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "start"],
                                 asServerUser: true, allowFailure: true)
            if result.status != 0 {
                let log = (try? String(contentsOf: logFile, encoding: .utf8))?.split(separator: "\n").suffix(5)
                    .joined(separator: "\n") ?? ""
                throw WagewatchError.failure("PostgreSQL did not start (see \(logFile.path)):\n\(result.output)\(log)")
            }
            done.append("started PostgreSQL on \(socketDirectory.path)")
        }
        // A cluster already running when this rule came closes its socket's folder now.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: socketDirectory.path)
        let admin = try Connection(url(database: "postgres"))
        let exists = try admin.query("SELECT 1 FROM pg_database WHERE datname = \(database)").count == 1
        if !exists {
            try admin.query("CREATE DATABASE \(identifier: database)")
            done.append("created database \(database)")
        }
        admin.close()
        return done
    }

    /// Stops the server (fast shutdown). Stopping a stopped cluster does nothing.
    public func down() throws -> Bool {
        guard isRunning else { return false }
        let pgCtl = try Self.binary("pg_ctl")
        try run([pgCtl, "-D", dataDirectory.path, "-m", "fast", "-w", "stop"], asServerUser: true)
        return true
    }

    private var runningAsRoot: Bool { geteuid() == 0 }

    /// The folders the cluster needs, the socket's closed to every other OS account: only the
    /// account that runs the server (this one, or `postgres` when run as root) may enter it, so
    /// no other local account reaches the socket, whatever pg_hba.conf says (SPEC §11). Root
    /// reaches it as root reaches every folder. Applied on every start, so that a cluster made
    /// before this rule is closed too.
    private func prepareFolders() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: home, withIntermediateDirectories: true)
        try fm.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
        try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: socketDirectory.path)
        if runningAsRoot {
            try run(["/bin/chown", "-R", "postgres:postgres", home.path])
            let check = try run(["/usr/sbin/runuser", "-u", "postgres", "--", "test", "-w", home.path],
                                allowFailure: true)
            if check.status != 0 {
                throw WagewatchError.failure(
                    "the postgres OS user cannot reach \(home.path) (a parent folder is closed to it); set WAGEWATCH_HOME to a folder it can reach, e.g. /var/tmp/wagewatch")
            }
        }
    }

    /// The path of a PostgreSQL server program: `PG_BINDIR`, Debian's versioned folders, or PATH.
    public static func binary(_ name: String) throws -> String {
        let fm = FileManager.default
        let env = ProcessInfo.processInfo.environment
        var folders: [String] = []
        if let explicit = env["PG_BINDIR"] { folders.append(explicit) }
        let debian = "/usr/lib/postgresql"
        if let versions = try? fm.contentsOfDirectory(atPath: debian) {
            for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
                folders.append("\(debian)/\(version)/bin")
            }
        }
        folders += (env["PATH"] ?? "/usr/local/bin:/usr/bin").split(separator: ":").map(String.init)
        for folder in folders {
            let path = "\(folder)/\(name)"
            if fm.isExecutableFile(atPath: path) { return path }
        }
        throw WagewatchError.failure(
            "\(name) not found: install the PostgreSQL server (apt-get install postgresql) or set PG_BINDIR")
    }

    struct ProcessResult {
        let status: Int32
        let output: String
    }

    @discardableResult
    private func run(_ arguments: [String], asServerUser: Bool = false, allowFailure: Bool = false) throws
        -> ProcessResult
    {
        let program = URL(fileURLWithPath: arguments[0]).lastPathComponent
        var arguments = arguments
        if asServerUser && runningAsRoot {
            arguments = ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments
        }
        let result = try ChildProcess.run(arguments)
        let status = result.status
        let output = result.stdout + result.stderr
        if status != 0 && !allowFailure {
            throw WagewatchError.failure(
                "\(program) failed (exit \(status)):\n\(output)")
        }
        return ProcessResult(status: status, output: output)
    }
}
