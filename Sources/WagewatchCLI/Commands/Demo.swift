import ArgumentParser
import Foundation
import WagewatchCore

/// `wagewatch demo`: the sample county.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a sample county, run the rules and write this week's report.",
        discussion: "Example: wagewatch demo")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let context = try global.context()
        let output = context.output
        let row = try context.connection.query(
            "SELECT current_setting('server_version') AS v, count(*) AS n FROM schema_migrations").one()
        output.say("wagewatch demo: database ready (PostgreSQL \(try row.decode("v", as: String.self)), \(try row.decode("n", as: Int.self)) migration(s) applied).")
    }
}
