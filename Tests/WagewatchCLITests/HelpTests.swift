import Foundation
import Testing
import TestSupport

/// The whole command tree, as ArgumentParser serialises `Wagewatch.configuration` and every
/// `subcommands` list under it (`wagewatch --experimental-dump-help`), read from the built binary
/// because the test target does not link the CLI module.
struct CommandTree {
    struct Option {
        let names: [String]
        let valueName: String?
        let help: String
    }

    struct Node {
        let path: [String]
        let abstract: String
        let discussion: String
        let options: [Option]
        let children: [Node]

        var all: [Node] { [self] + children.flatMap(\.all) }
    }

    let root: Node

    init() throws {
        let result = try CLI.run(["--experimental-dump-help"], database: nil)
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let command = object["command"] as? [String: Any] else {
            throw CommandTreeError(message: "wagewatch --experimental-dump-help failed (\(result.status)): \(result.stderr)")
        }
        root = Self.node(command, path: [])
    }

    struct CommandTreeError: Error, CustomStringConvertible { let message: String; var description: String { message } }

    static func node(_ json: [String: Any], path: [String]) -> Node {
        let options = (json["arguments"] as? [[String: Any]] ?? []).map { argument in
            Option(names: (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String },
                   valueName: argument["valueName"] as? String, help: argument["abstract"] as? String ?? "")
        }
        let children = (json["subcommands"] as? [[String: Any]] ?? []).compactMap { child -> Node? in
            let name = child["commandName"] as? String ?? ""
            // ArgumentParser's own `help` command is not ours to document.
            if path.isEmpty && name == "help" { return nil }
            return node(child, path: path + [name])
        }
        return Node(path: path, abstract: json["abstract"] as? String ?? "",
                    discussion: json["discussion"] as? String ?? "", options: options, children: children)
    }
}

/// Help says what each command is for in a bureau's terms, with an example, and every option
/// names its unit or format. The convention: each command's discussion carries a line starting
/// `Example:` or `Examples:` with a realistic command.
@Suite("help in a bureau's terms")
struct CommandHelpTests {
    @Test("every command and subcommand has a one-line abstract, and the root help lists every command")
    func abstracts() throws {
        let tree = try CommandTree()
        let commands = tree.root.all
        #expect(commands.count > 60, "only \(commands.count) commands found")
        for command in commands {
            let name = "wagewatch \(command.path.joined(separator: " "))"
            #expect(!command.abstract.trimmingCharacters(in: .whitespaces).isEmpty, "\(name) has no abstract")
            #expect(!command.abstract.contains("\n"), "\(name): the abstract is more than one line")
            #expect(command.abstract.count <= 110, "\(name): the abstract is \(command.abstract.count) characters")
        }
        let help = try CLI.run(["--help"], database: nil)
        #expect(help.status == 0)
        for command in tree.root.children {
            let name = try #require(command.path.last)
            #expect(help.stdout.contains("  \(name) "), "wagewatch --help does not list \(name)")
        }
        // The commands SPEC §4 names are all there.
        let top = Set(tree.root.children.compactMap(\.path.last))
        for name in ["db", "demo", "import", "complaint", "case", "project", "account", "rules", "flags", "escalations",
                     "directpay", "sanction", "exposure", "report", "user"] {
            #expect(top.contains(name), "no `wagewatch \(name)`")
        }
    }

    @Test("every command's --help exits 0 and shows an example")
    func examples() throws {
        let tree = try CommandTree()
        var checked = 0
        for command in tree.root.all {
            let name = "wagewatch \(command.path.joined(separator: " "))"
            let result = try CLI.run(command.path + ["--help"], database: nil)
            #expect(result.status == 0, "\(name) --help exited \(result.status): \(result.stderr)")
            let shown = result.stdout.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let example = shown.firstIndex { $0.hasPrefix("Example:") || $0.hasPrefix("Examples:") || $0.hasPrefix("Example (") }
            #expect(example != nil, "\(name) --help shows no example")
            // The example runs wagewatch (or feeds its output to a tool), not prose.
            if let index = example {
                let following = shown[index...].prefix(4).joined(separator: " ")
                #expect(following.contains("wagewatch "), "\(name): the example names no wagewatch command")
            }
            checked += 1
        }
        #expect(checked == tree.root.all.count)
    }

    @Test("options name their unit or format: yuan, YYYY-MM-DD, YYYY-MM, department codes")
    func optionFormats() throws {
        let tree = try CommandTree()
        let dates: Set<String> = ["date", "from", "until", "opened", "signed", "planned-start", "planned-end", "owed-since",
                                  "owed-until", "as-of", "deadline", "issued"]
        let money: Set<String> = ["amount", "contract-value", "allocation-amount"]
        let departments: Set<String> = ["dept", "department"]
        var seen = (dates: 0, money: 0, departments: 0)
        for command in tree.root.all {
            for option in command.options {
                guard let name = option.names.first(where: { $0.count > 1 }) else { continue }
                let label = "wagewatch \(command.path.joined(separator: " ")) --\(name)"
                // `account transfer --from` names an account, not a day.
                if dates.contains(name) && command.path != ["account", "transfer"] {
                    seen.dates += 1
                    #expect(option.help.contains("YYYY-MM-DD"), "\(label): “\(option.help)” names no date format")
                }
                if money.contains(name) {
                    seen.money += 1
                    #expect(option.help.contains("yuan"), "\(label): “\(option.help)” does not say yuan")
                }
                if departments.contains(name) {
                    seen.departments += 1
                    #expect(option.help.contains("labor") || option.help.contains("transport"),
                            "\(label): “\(option.help)” lists no department codes")
                }
                if name == "period" {
                    #expect(option.help.contains("YYYY-MM"), "\(label): “\(option.help)” names no month format")
                }
                if name == "week" {
                    #expect(((option.valueName ?? "") + " " + option.help).contains("YYYY-Www"), "\(label) names no ISO week format")
                }
            }
        }
        // The rule has something to check: a renamed option cannot slip past it.
        #expect(seen.dates >= 15 && seen.money >= 6 && seen.departments >= 5, "\(seen)")
    }
}
