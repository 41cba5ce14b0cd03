import Foundation
import Testing
import TestSupport
@testable import WagewatchCore

@Suite("Configuration: the keys in force, for the administrators' page")
struct ConfigurationEntriesTests {
    /// Every `key = value` of wagewatch.defaults.toml by its dotted name (tables from `[a.b]` headers).
    static func keysOfTheDefaultsFile() throws -> [String] {
        let text = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("wagewatch.defaults.toml"), encoding: .utf8)
        var table = "", keys: [String] = []
        for raw in text.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") && line.hasSuffix("]") && !line.hasPrefix("[\"") {
                table = String(line.dropFirst().dropLast())
            } else if let eq = line.firstIndex(of: "="), !line.hasPrefix("#"), line.first?.isLetter == true {
                let key = line[..<eq].trimmingCharacters(in: .whitespaces)
                keys.append(table.isEmpty ? key : table + "." + key)
            }
        }
        return keys
    }

    @Test("every key of wagewatch.defaults.toml, in its order, with the shipped default; a file's value shows beside it")
    func everyKey() throws {
        let fileKeys = try Self.keysOfTheDefaultsFile()
        #expect(fileKeys.count > 30)
        let entries = Configuration.defaults.entries
        #expect(entries.map(\.key) == fileKeys)
        #expect(entries.filter { !$0.isDefault }.isEmpty)
        let changed = try Configuration.load(toml: "[rules.r7]\none_worker = \"8000.50\"\n[escalations.e1]\nprotest_keywords = [\"跳楼\", \"a\\\"b\"]\n",
                                             source: "t.toml").entries
        #expect(changed.first { $0.key == "rules.r7.one_worker" }?.value == "\"8000.50\"")
        #expect(changed.first { $0.key == "rules.r7.one_worker" }?.defaultValue == "8000")
        #expect(changed.first { $0.key == "escalations.e1.protest_keywords" }?.value == "[\"跳楼\", \"a\\\"b\"]")
        #expect(changed.filter { !$0.isDefault }.map(\.key) == ["rules.r7.one_worker", "escalations.e1.protest_keywords"])
    }
}
