import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs payloads to one URL with FoundationNetworking's URLSession, waiting for each answer
/// (a delivery job is a plain blocking loop; the wait is bounded by the request timeout).
final class WebhookClient: Sendable {
    let url: URL
    private let session: URLSession

    init(urlString: String) throws {
        guard let url = URL(string: urlString) else {
            throw WagewatchError.invalid("escalations.delivery.webhook_url: \"\(urlString)\" is not a URL")
        }
        self.url = url
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    func close() {
        session.finishTasksAndInvalidate()
    }

    /// Sends `payload`; returns when the receiver answered 2xx, throws otherwise.
    func post(_ payload: String, outboxID: Int64, timeout: Duration) throws {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(payload.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(String(outboxID), forHTTPHeaderField: "X-Wagewatch-Outbox-Id")
        request.setValue("wagewatch-escalation-delivery", forHTTPHeaderField: "User-Agent")
        let seconds = TimeInterval(timeout.components.seconds) + TimeInterval(timeout.components.attoseconds) / 1e18
        request.timeoutInterval = seconds

        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { _, response, error in
            if let error {
                answer.set(.failure(DeliveryError("\(self.url.absoluteString): \(error.localizedDescription)")))
            } else if let http = response as? HTTPURLResponse {
                answer.set(.success(http.statusCode))
            } else {
                answer.set(.failure(DeliveryError("\(self.url.absoluteString): no HTTP response")))
            }
            done.signal()
        }
        task.resume()
        // The session's own timeout ends the request; this is the backstop if it never calls back.
        if done.wait(timeout: .now() + seconds + 5) == .timedOut {
            task.cancel()
            throw DeliveryError("\(url.absoluteString): no answer within \(Int(seconds)) s")
        }
        switch answer.value {
        case .success(let status) where (200..<300).contains(status):
            return
        case .success(let status):
            throw DeliveryError("\(url.absoluteString): HTTP \(status)")
        case .failure(let error):
            throw error
        case nil:
            throw DeliveryError("\(url.absoluteString): no answer")
        }
    }

    /// The completion handler's result, handed across threads under a lock.
    private final class Answer: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<Int, DeliveryError>?

        func set(_ result: Result<Int, DeliveryError>) { lock.withLock { stored = result } }
        var value: Result<Int, DeliveryError>? { lock.withLock { stored } }
    }
}
