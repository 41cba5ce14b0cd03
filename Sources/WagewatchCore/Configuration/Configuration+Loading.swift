import Foundation
import TOMLKit

/// Reading `wagewatch.toml` (SPEC §7). Every key is optional and falls back to its default;
/// an unknown table or key, a value of the wrong type and a value out of range are errors
/// (exit 3) that name the key by its dotted path, the value and the file.
///
/// Money keys hold yuan (元), written as a TOML integer (`one_worker = 8000`) or as a string in
/// any form `Money.parseYuan` reads (`one_worker = "8000.50"`, `"0.8万"`); never as a TOML float,
/// which could not hold every fen exactly. Days, months, counts and percentages are integers.
/// `wagewatch.defaults.toml` at the repository root lists every key with its default.
extension Configuration {
    /// The file looked for in the working directory when no `--config` is given.
    public static let fileName = "wagewatch.toml"

    /// One key of the configuration in force: its dotted name (`rules.r6.orange_at`), its value
    /// and the shipped default, each as `wagewatch.toml` would write it.
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let value: String
        public let defaultValue: String
        public var isDefault: Bool { value == defaultValue }
    }

    /// Every key the configuration file may set, in the file's order, with this configuration's
    /// value and the default: the loader's own table (ConfigurationTable.read) walked without a
    /// file, so the list can never miss a key the loader knows.
    public var entries: [Entry] {
        func walk(_ configuration: Configuration) -> [(key: String, value: String)] {
            let listing = ConfigurationTable.Listing()
            var root = ConfigurationTable(TOMLTable(), path: [], source: "(listing)", listing: listing)
            var copy = configuration
            do {
                try root.read(into: &copy)
            } catch {
                preconditionFailure("listing the configuration read nothing, yet failed: \(error)")
            }
            return listing.entries
        }
        let defaults = walk(.defaults)
        return zip(walk(self), defaults).map { Entry(key: $0.key, value: $0.value, defaultValue: $1.value) }
    }

    /// Reads the configuration file at `path` (defaults for every key it leaves out).
    public static func load(path: String) throws -> Configuration {
        try load(path: path, source: path)
    }

    /// Reads configuration from TOML text; `source` names the file in error messages.
    public static func load(toml text: String, source: String) throws -> Configuration {
        guard !text.contains("\0") else {
            throw WagewatchError.invalid("config: \(source) is not valid TOML: it contains a NUL character")
        }
        if let at = tomlParserTrap(in: text) {
            throw WagewatchError.invalid(
                "config: \(source) is not valid TOML: line \(at.line), column \(at.column): \(at.problem)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let at = error.source.begin
            throw WagewatchError.invalid(
                "config: \(source) is not valid TOML: line \(at.line), column \(at.column): \(error.description)")
        } catch {
            throw WagewatchError.invalid("config: \(source) is not valid TOML: \(error)")
        }
        var configuration = Configuration()
        var root = ConfigurationTable(table, path: [], source: source)
        try root.read(into: &configuration)
        return configuration
    }

    /// The configuration a command runs with: the file given with `--config` (which must exist),
    /// else `wagewatch.toml` in the working directory when there is one, else the defaults.
    public static func resolve(explicitPath: String?, workingDirectory: String) throws -> Configuration {
        let directory = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        if let explicitPath {
            let path = explicitPath.hasPrefix("/")
                ? explicitPath : directory.appendingPathComponent(explicitPath).path
            guard !explicitPath.isEmpty, try fileExists(path, named: explicitPath) else {
                throw WagewatchError.notFound("config: \"\(explicitPath)\" does not exist")
            }
            return try load(path: path, source: explicitPath)
        }
        let path = directory.appendingPathComponent(fileName).path
        guard try fileExists(path, named: fileName) else { return .defaults }
        return try load(path: path, source: fileName)
    }

    /// Whether a file is at `path`; a directory there is an error, not a silent default.
    private static func fileExists(_ path: String, named name: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        guard !isDirectory.boolValue else {
            throw WagewatchError.invalid("config: \"\(name)\" is a directory, not a TOML file")
        }
        return true
    }

    private static func load(path: String, source: String) throws -> Configuration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            guard FileManager.default.fileExists(atPath: path) else {
                throw WagewatchError.notFound("config: \"\(source)\" does not exist")
            }
            throw WagewatchError.failure("config: cannot read \"\(source)\": \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WagewatchError.invalid("config: \(source) is not UTF-8 text")
        }
        let configuration = try load(toml: text, source: source)
        if configuration.namesPrograms {
            try requireTrusted(path: path, source: source, keys: configuration.programKeys)
        }
        return configuration
    }

    /// Whether this configuration names a program wagewatch will run (the sendmail path).
    var namesPrograms: Bool { !programKeys.isEmpty }

    /// The keys of this configuration that name a program to run, changed from the defaults.
    var programKeys: [String] {
        (escalations.delivery.sendmailPath != Configuration.defaults.escalations.delivery.sendmailPath
            ? ["escalations.delivery.sendmail_path"] : [])
            + (sms.command != Configuration.defaults.sms.command ? ["sms.command"] : [])
    }

    /// A file that names a program to run must belong to the user running wagewatch (or root) and
    /// be writable by nobody else: otherwise anyone who can drop a `wagewatch.toml` in a folder
    /// makes `escalations deliver` run their program.
    static func requireTrusted(path: String, source: String, keys: [String] = ["escalations.delivery.sendmail_path"]) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw WagewatchError.failure("config: cannot stat \"\(source)\"") }
        let mode = info.st_mode & 0o777
        let owner = info.st_uid
        guard owner == geteuid() || owner == 0, mode & 0o022 == 0 else {
            throw WagewatchError.denied(
                "config: \(source) names a program to run (\(keys.joined(separator: ", "))) but is owned by uid \(owner) with mode \(String(mode, radix: 8)); it must belong to the user running wagewatch (uid \(geteuid())) or root and be writable by no one else (chmod go-w)")
        }
    }
}
