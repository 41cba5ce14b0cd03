import Foundation
import PackagePlugin

/// Compiles `openapi/wagewatch.json`, the API's contract (SPEC §9), into WagewatchWeb as a
/// string literal, so the server answers `/api/v1/openapi.json` with exactly the document in the
/// repository and needs no file beside the binary.
@main
struct BundleOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let document = context.package.directoryURL.appending(path: "openapi").appending(path: "wagewatch.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument.swift")
        return [
            .buildCommand(
                displayName: "Bundling openapi/wagewatch.json into \(target.name)",
                executable: try context.tool(named: "sql-bundler").url,
                arguments: ["--text", output.path, "OpenAPIDocument", document.path],
                inputFiles: [document],
                outputFiles: [output])
        ]
    }
}
