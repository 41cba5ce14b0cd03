import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A message received on a channel this connection listens to.
public struct PostgresNotification: Sendable, Hashable {
    public let channel: String
    public let payload: String
    /// The server process that sent it.
    public let senderPID: Int32
}

extension Connection {
    /// Starts receiving notifications sent on `channel`.
    public func listen(_ channel: String) throws {
        try query("LISTEN \(identifier: channel)")
    }

    /// Stops receiving notifications sent on `channel`.
    public func unlisten(_ channel: String) throws {
        try query("UNLISTEN \(identifier: channel)")
    }

    /// Sends a notification (delivered when the current transaction commits).
    public func notify(_ channel: String, payload: String) throws {
        try query("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Waits until a notification arrives or `timeout` passes (then returns nil). It sleeps in
    /// `poll(2)` on the connection's socket, so it costs nothing while nothing arrives.
    public func waitForNotification(timeout: Duration) throws -> PostgresNotification? {
        let deadline = ContinuousClock.now + timeout
        while true {
            guard PQconsumeInput(handle) == 1 else { throw connectionError() }
            if let raw = PQnotifies(handle) {
                defer { PQfreemem(raw) }
                return PostgresNotification(
                    channel: String(cString: raw.pointee.relname),
                    payload: String(cString: raw.pointee.extra),
                    senderPID: raw.pointee.be_pid)
            }
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return nil }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            let socket = PQsocket(handle)
            guard socket >= 0 else { throw connectionError() }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready < 0 && errno != EINTR {
                throw PostgresError(kind: .connection, message: "poll on the connection failed: errno \(errno)")
            }
        }
    }
}
