import Foundation

/// Hands a message to `sendmail -t -i`: the recipients come from the message's To: header.
struct Sendmail {
    let path: String

    func send(_ message: String) throws {
        let result = try ChildProcess.run([path, "-t", "-i"], stdin: message)
        guard result.status == 0 else {
            let detail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw DeliveryError("\(path) exited \(result.status)\(detail.isEmpty ? "" : ": " + detail)")
        }
    }
}
