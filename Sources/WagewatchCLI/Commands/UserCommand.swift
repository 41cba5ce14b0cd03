import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

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
        subcommands: [Add.self, List.self])

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

        func run(_ session: Session) throws -> CommandResult {
            let regionCode = try region.map { try RegionCode(parsing: $0, field: "region").value }
            let user = try session.users.add(name: name, role: role, department: department, regionCode: regionCode,
                                               on: session.connection)
            return CommandResult(json: user, text: [
                "user \(user.name) added (\(user.role), \(user.department)): database login \(user.name) in group wagewatch_\(user.role)",
                """
                set their password as an administrator in psql:  \\password \(user.name)
                they then sign in with --db 'postgresql://\(user.name)@HOST/DB' and keep the password in ~/.pgpass
                """,
            ])
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
