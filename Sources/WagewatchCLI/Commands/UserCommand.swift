import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch user add`: the people who use the system.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add the people who use wagewatch, each with a role and a department.",
        discussion: "Example: wagewatch user add wang_jiancha --role inspector --department labor",
        subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "User name (lower-case letters, digits, _).") var name: String
        @Option(help: "intake, inspector, sector, official or admin.") var role: String
        @Option(help: "Department code: labor, transport, land, water, construction, commerce, township, county_office.")
        var department: String
        @Option(help: "Region code the user works in.") var region: String?

        func run() throws {
            let context = try global.context()
            guard ["intake", "inspector", "sector", "official", "admin"].contains(role) else {
                throw WagewatchError.invalid("role: \"\(role)\" is not one of intake, inspector, sector, official, admin")
            }
            guard name.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                throw WagewatchError.invalid("name: \"\(name)\" must be lower-case letters, digits and _ (a database role name)")
            }
            let known = try context.connection.query("SELECT 1 FROM departments WHERE code = \(department)")
            guard !known.isEmpty else { throw WagewatchError.invalid("department: \"\(department)\" is not a department code") }
            let regionCode = try region.map { try RegionCode(parsing: $0, field: "region").value }
            try context.connection.query("""
                INSERT INTO users (name, role, department, region_code) VALUES (\(name), \(role), \(department), \(regionCode))
                """)
            context.output.say("user \(name) added (\(role), \(department))")
        }
    }
}
