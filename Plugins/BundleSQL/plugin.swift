import Foundation
import PackagePlugin

/// Compiles the package's `sql/` (numbered migrations and `sql/functions/`) into WagewatchCore as
/// string literals, so an installed `wagewatch` migrates a database with no source tree beside it.
/// Every `.sql` file is an input of the command: editing one rebuilds the bundle.
@main
struct BundleSQL: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL.appending(path: "sql")
        var relative = try FileManager.default.contentsOfDirectory(atPath: root.path)
            .filter { $0.hasSuffix(".sql") }
        let functions = root.appending(path: "functions")
        relative += try FileManager.default.contentsOfDirectory(atPath: functions.path)
            .filter { $0.hasSuffix(".sql") }.map { "functions/" + $0 }
        relative.sort()
        let output = context.pluginWorkDirectoryURL.appending(path: "BundledSQL.swift")
        return [
            .buildCommand(
                displayName: "Bundling \(relative.count) SQL files of sql/ into \(target.name)",
                executable: try context.tool(named: "sql-bundler").url,
                arguments: [output.path, root.path] + relative,
                inputFiles: relative.map { root.appending(path: $0) },
                outputFiles: [output])
        ]
    }
}
