import ArgumentParser
import Foundation
import Logging
import PostgresClient
import WagewatchCore
import WagewatchWeb

/// `wagewatch serve`: the web desk (SPEC §8).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web desk: every role's pages, each request as the signed-in user.",
        discussion: """
            The server signs in to PostgreSQL as wagewatch_authenticator, a login with no rights of
            its own that may become each user (SET LOCAL ROLE in every request's transaction). With
            the embedded cluster, or a --db URL of a superuser, it becomes that login on the same
            server; otherwise give the authenticator's own URL. Stops on SIGTERM or Ctrl-C after the
            requests in flight.
            Example: wagewatch serve --listen 0.0.0.0:8080 --public-url https://wagewatch.example.gov.cn
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port")) var listen = "127.0.0.1:8080"
    @Option(help: ArgumentHelp("The address people reach the desk at; https makes the session cookie Secure.", valueName: "url"))
    var publicURL: String?

    func validate() throws {
        guard Self.split(listen) != nil else {
            throw ArgumentParser.ValidationError("--listen: \"\(listen)\" is not HOST:PORT (e.g. 127.0.0.1:8080)")
        }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw ArgumentParser.ValidationError("--public-url: \"\(publicURL)\" is not an http:// or https:// URL")
        }
    }

    static func split(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    func run() throws {
        let output = Output(json: global.json)
        let configuration = try global.configuration()
        let pinned = try global.pinnedNow()
        let first = try global.openDatabase(output: output)
        defer { first.close() }
        if global.explicitURL == nil { try configuration.storeSettings(on: first) }
        let conninfo = try Self.serverConninfo(from: first, explicitURL: global.explicitURL)
        let (host, port) = Self.split(listen)!
        try Self.serve(conninfo: conninfo, configuration: configuration, pinnedNow: pinned, host: host, port: port,
                       publicURL: publicURL, output: output)
    }

    /// Serves the desk on `conninfo` (the server's own login) until SIGTERM or Ctrl-C.
    static func serve(conninfo: String, configuration: Configuration, pinnedNow pinned: Date?, host: String, port: Int,
                      publicURL: String?, output: Output) throws {
        let options = WebOptions(configuration: configuration, publicURL: publicURL, clock: { pinned ?? Date() })
        let server = WebServer(options: options, connect: { try Connection(conninfo) })
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
        var logger = Logger(label: "wagewatch.serve")
        logger.logLevel = .info
        let finished = DispatchSemaphore(value: 0)
        let failure = Failure()
        Task {
            do {
                try await server.run(host: host, port: port, logger: logger) { bound in
                    output.note("wagewatch serve: the web desk is at http://\(host):\(bound)/ (Ctrl-C stops it)")
                }
            } catch {
                failure.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = failure.error { throw error }
    }

    /// The conninfo of the server's own login, checked: it connects, it is not a superuser,
    /// and it does not inherit the users' rights (NOINHERIT).
    /// The conninfo of the server's own login, checked: it connects, it is not a superuser,
    /// and it does not inherit the users' rights (NOINHERIT). A superuser's connection (the
    /// embedded cluster's) leads to wagewatch_authenticator on the same server and database.
    static func serverConninfo(from first: Connection, explicitURL: String?) throws -> String {
        let row = try first.query("SELECT rolsuper, current_database() AS db FROM pg_roles WHERE rolname = current_user").one()
        let conninfo = try row.decode("rolsuper", as: Bool.self)
            ? first.conninfo(database: try row.decode("db"), user: "wagewatch_authenticator")
            : (explicitURL ?? "")
        let probe = try Connection(conninfo)
        defer { probe.close() }
        let login = try probe.query("SELECT current_user AS name, rolsuper, rolinherit FROM pg_roles WHERE rolname = current_user").one()
        if try login.decode("rolsuper", as: Bool.self) || login.decode("rolinherit", as: Bool.self) {
            throw WagewatchError.denied(
                "the server's login \(try login.decode("name", as: String.self)) must be NOINHERIT and not a superuser (it runs every request as the signed-in user); use wagewatch_authenticator")
        }
        return conninfo
    }
}

private final class Failure: @unchecked Sendable {
    var error: (any Error)?
}
