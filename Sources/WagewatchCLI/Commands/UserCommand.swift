import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore
import WagewatchWeb

/// `wagewatch user add`: the people who use the system.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add the people who use wagewatch, each with a role and a department.",
        discussion: """
            Each user is a PostgreSQL login role in the group of their role (wagewatch_intake,
            wagewatch_inspector, wagewatch_sector, wagewatch_official, wagewatch_admin) and a users
            row naming their department; the database then decides what they may see and change.

            Example: wagewatch user add wang_jiancha --role inspector --department labor --region 410122
            """,
        subcommands: [Add.self, Passwd.self, Disable.self, Enable.self, List.self])

    struct Add: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user: their database login and their department.",
            discussion: "Example: wagewatch user add li_jiaotong --role sector --department transport")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name (lower-case letters, digits, _).") var name: String
        @Option(help: "intake, inspector, sector, official or admin.") var role: String
        @Option(help: "Department code: labor, transport, land, water, construction, commerce, township, county_office.")
        var department: String
        @Option(help: "Region code the user works in.") var region: String?
        @Flag(help: "Read the web desk password from the first line of stdin.") var passwordStdin = false

        func run(_ session: Session) throws -> CommandResult {
            let regionCode = try region.map { try RegionCode(parsing: $0, field: "region").value }
            // The password is read and checked before anything is written.
            let secret = try passwordStdin ? Passwd.readPassword() : nil
            let user = try session.connection.transaction { tx in
                let user = try session.users.add(name: name, role: role, department: department, regionCode: regionCode, on: tx)
                if let secret {
                    try session.users.setPassword(name: user.name, hash: secret.hash, password: secret.password, on: tx)
                }
                return user
            }
            return CommandResult(json: user, text: [
                "user \(user.name) added (\(user.role), \(user.department)): database login \(user.name) in group wagewatch_\(user.role)",
                secret != nil ? "they sign in to the web desk (wagewatch serve) and to PostgreSQL as \(user.name) with the password given"
                    : "set their web desk password with: wagewatch user passwd \(user.name) --password-stdin",
            ])
        }
    }

    struct Passwd: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password for the web desk (an administrator's command).",
            discussion: """
                The password is read from the first line of stdin; the web desk keeps only its bcrypt
                hash and the user's PostgreSQL login its SCRAM verifier (computed here: the password
                never reaches the server). The user's open web sessions end.
                Example: printf '%s\\n' "$PASSWORD" | wagewatch user passwd wang_jiancha --password-stdin
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var name: String
        @Flag(help: "Read the password from the first line of stdin (required: it is never an argument).") var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ArgumentParser.ValidationError("give --password-stdin: a password is never a command-line argument") }
        }

        func run(_ session: Session) throws -> CommandResult {
            let secret = try Self.readPassword()
            try session.connection.transaction { tx in
                try session.users.setPassword(name: name, hash: secret.hash, password: secret.password, on: tx)
            }
            return CommandResult(json: ["user": name, "password": "set"],
                                 text: "password of \(name) set for the web desk and their PostgreSQL login; their open web sessions ended")
        }

        /// The first line of stdin, checked, and its bcrypt hash.
        static func readPassword() throws -> (password: String, hash: String) {
            guard let line = Swift.readLine(strippingNewline: true) else {
                throw WagewatchError.invalid("password: nothing on stdin (give it as the first line)")
            }
            do {
                return (line, try Passwords.hash(line))
            } catch {
                throw WagewatchError.invalid(String(describing: error))
            }
        }
    }

    struct Disable: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user's login (an administrator's command); their records stay.",
            discussion: """
                The user can no longer sign in to the web desk, to PostgreSQL or use the CLI and the API: their \
                database login becomes NOLOGIN, nobody may act as them, their open web sessions end and their API \
                tokens are refused until the login is enabled again. Recorded in the audit log.
                Example: wagewatch user disable zhao_rexian
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var name: String

        func run(_ session: Session) throws -> CommandResult {
            try session.connection.transaction { tx in try session.users.setDisabled(name: name, true, on: tx) }
            return CommandResult(json: ["user": name, "login": "disabled"],
                                 text: "login of \(name) disabled: no sign-in, no API token, no --as until: wagewatch user enable \(name)")
        }
    }

    struct Enable: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable a disabled user's login again (an administrator's command).",
            discussion: """
                Their password and API tokens work again as before.
                Example: wagewatch user enable zhao_rexian
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name.") var name: String

        func run(_ session: Session) throws -> CommandResult {
            try session.connection.transaction { tx in try session.users.setDisabled(name: name, false, on: tx) }
            return CommandResult(json: ["user": name, "login": "enabled"], text: "login of \(name) enabled")
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the users, their roles and departments.",
            discussion: "Example: wagewatch user list")
        @OptionGroup var global: GlobalOptions

        func run(_ session: Session) throws -> CommandResult {
            let users = try session.users.list(on: session.connection)
            return CommandResult(json: users, text: users.map { u in "\(u.name)  \(u.role)  \(u.department)  \(u.regionCode ?? "all regions")" })
        }
    }
}
