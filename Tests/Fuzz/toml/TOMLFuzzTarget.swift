// libFuzzer target for the configuration loader (Configuration/ConfigurationFile.swift over
// LebJe/TOMLKit and toml++). Built by scripts/fuzz; the input is a whole wagewatch.toml, read
// through the same door `--config FILE` uses.
//
// Oracles: no crash on any bytes; every refusal is invalid input (exit 3), starts `config:`, names
// the file, and either says the file is not TOML/UTF-8 or names the offending key by its dotted
// path (`config: rules.r6.red_at = 2 in …`, `config: unknown key "…"`); an accepted file gives
// values inside the ranges the loader promises.
import Foundation
@testable import WagewatchCore

let directory = "/tmp/wagewatch-fuzz-toml-\(getpid())"
let name = "fuzz.toml"

func write(_ bytes: UnsafeRawBufferPointer) {
    mkdir(directory, 0o700)
    let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0)
    var offset = 0
    while offset < bytes.count {
        let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        precondition(n > 0)
        offset += n
    }
    close(fd)
}

/// Whether a refusal says what is wrong the way ConfigurationFile promises.
func isWellFormed(_ message: String) -> Bool {
    guard message.hasPrefix("config: ") else { return false }
    if message.hasPrefix("config: \(name) is not valid TOML") || message == "config: \(name) is not UTF-8 text" {
        return true
    }
    if message.hasPrefix("config: unknown key \"") || message.hasPrefix("config: unknown table \"") {
        return message.contains(" in \(name)")
    }
    // `config: dotted.key = value in fuzz.toml: problem`
    let rest = message.dropFirst("config: ".count)
    guard let equals = rest.range(of: " = ") else { return false }
    let key = rest[..<equals.lowerBound]
    let keyCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_.[]")
    return !key.isEmpty && key.allSatisfy(keyCharacters.contains) && message.contains(" in \(name): ")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    write(UnsafeRawBufferPointer(start: data, count: size))
    let configuration: Configuration
    do {
        configuration = try Configuration.resolve(explicitPath: name, workingDirectory: directory)
    } catch let error as WagewatchError {
        guard error.kind == .invalidInput, isWellFormed(error.message) else {
            fatalError("refusal of kind \(error.kind) does not name the key: \(error.message)")
        }
        return 0
    } catch {
        fatalError("not a WagewatchError: \(error)")
    }
    let c = configuration
    precondition((1...1_000).contains(c.complaints.decisionDays))
    precondition((1...1_200).contains(c.complaints.timeBarMonths))
    precondition((1...10_000).contains(c.projects.depositRateBasisPoints))
    precondition(c.projects.depositExemptBelowFen > 0 && c.rules.r5.perMonthFen > 0 && c.rules.r7.workersTotalFen > 0)
    precondition(c.rules.r6.redAt >= c.rules.r6.orangeAt)
    precondition(c.escalations.e1.protestKeywords.allSatisfy { !$0.isEmpty })
    return 0
}
