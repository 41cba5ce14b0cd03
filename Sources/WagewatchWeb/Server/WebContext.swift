import Hummingbird
import Logging
import Foundation
import NIOCore
import WagewatchCore

/// What one request carries between the middleware and its route.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address, for the sign-in events (no port).
    public let address: String?
    /// The signed-in user's name once a route has found their session, for the request log.
    public var userName: SharedName = SharedName()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress
    }

    /// Form bodies of the web desk are small; an upload (imports) says so itself.
    public var maxUploadSize: Int { 1024 * 1024 }
}

/// A name a route writes and the request log reads after it: the context is a value copied
/// down the middleware chain, so the name travels in a shared box.
public final class SharedName: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    private var chosen: ReportLanguage?
    public init() {}
    public var name: String? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    /// The signed-in user's page language, for an error page their route ends in.
    public var language: ReportLanguage? {
        get { lock.withLock { chosen } }
        set { lock.withLock { chosen = newValue } }
    }
}

extension WebContext {
    /// The path's `:id` as a record's id (`/cases/12`); anything else names no page (404).
    func recordID<Kind: RecordKind>() throws -> RecordID<Kind> {
        guard let text = parameters.get("id"), let id = Int64(text), id > 0 else {
            throw WagewatchError.notFound("no such \(Kind.noun)")
        }
        return RecordID(id)
    }
}
