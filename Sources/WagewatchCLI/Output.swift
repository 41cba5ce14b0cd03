import Foundation
import WagewatchCore

/// Where a command's words go: results on stdout, notes and progress on stderr.
struct Output {
    let json: Bool

    /// A note for the person at the terminal (always stderr).
    func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A human-readable result: stdout, or stderr when `--json` is given.
    func say(_ text: String) {
        if json {
            note(text)
        } else {
            print(text)
        }
    }

    /// A JSON result on stdout (snake_case keys, sorted for stable output).
    func emit(_ value: some Encodable) throws {
        print(try JSONShapes.text(value))
    }
}
