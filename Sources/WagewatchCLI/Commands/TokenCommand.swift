import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore
import WagewatchWeb

/// `wagewatch token add|list|revoke`: bearer tokens for the HTTP API (SPEC §9).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make, list and revoke API tokens; a request with a token runs as its user.",
        discussion: """
            A token is printed once and kept only as its hash. Requests with it (Authorization:
            Bearer TOKEN) run as the user given with --as, with that user's grants and row security.
            A user manages their own tokens; an administrator everyone's.

            Examples:
              wagewatch --as hotline_cc token add callcentre-12333 --expires 2027-06-30
              wagewatch token list
              wagewatch token revoke callcentre-12333
            """,
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token for the user given with --as and print it (shown only this once).",
            discussion: "Example: wagewatch --as hotline_cc token add callcentre-12333 --expires 2027-06-30")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Token name (lower-case letters, digits, '.', '_', '-').") var name: String
        @Option(help: "Last day the token works (YYYY-MM-DD, Asia/Shanghai); none: until revoked.") var expires: String?

        func validate() throws {
            guard !(global.actor ?? ProcessInfo.processInfo.environment["WAGEWATCH_USER"] ?? "").isEmpty else {
                throw ArgumentParser.ValidationError("give --as USER: a token runs as a user")
            }
        }

        func run(_ session: Session) throws -> CommandResult {
            let until = try expires.map { text throws(WagewatchCore.ValidationError) in try DateInput.date(text, field: "expires") }
            let token = try session.connection.transaction { tx in
                try APITokens().add(name: name, user: session.actor, expires: until, on: tx)
            }
            return CommandResult(
                json: ["name": name, "user": session.actor, "token": token,
                       "expires_at": until.map { PostgresTimestamp.format(APITokens.expiry(endOf: $0)) } ?? ""],
                text: [token],
                notes: ["token \(name) for \(session.actor)\(until.map { ", works through \($0)" } ?? ""): shown only now; keep it secret",
                        "use it as: Authorization: Bearer <token>"])
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tokens (yours, or every token for an administrator), never the tokens themselves.",
            discussion: "Example: wagewatch token list --json")
        @OptionGroup var global: GlobalOptions

        func run(_ session: Session) throws -> CommandResult {
            let tokens = try APITokens().list(on: session.connection)
            return CommandResult(json: tokens, text: tokens.map { t in
                "\(t.name)  \(t.user)  \(t.state(at: session.now))  made \(DateInput.shanghaiMinute(of: t.createdAt)) by \(t.createdBy)"
                    + (t.expiresAt.map { "  expires \(DateInput.shanghaiMinute(of: $0))" } ?? "")
                    + "  last used " + (t.lastUsedAt.map { DateInput.shanghaiMinute(of: $0) } ?? "never")
            }, notes: ["\(tokens.count) token(s)"])
        }
    }

    struct Revoke: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token: requests with it answer 401 from now on.",
            discussion: "Example: wagewatch token revoke callcentre-12333")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Token name.") var name: String

        func run(_ session: Session) throws -> CommandResult {
            let user = try session.connection.transaction { tx in try APITokens().revoke(name: name, on: tx) }
            return CommandResult(json: ["name": name, "user": user, "revoked": "true"], text: "token \(name) of \(user) revoked")
        }
    }
}
