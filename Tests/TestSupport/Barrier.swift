import Foundation
import WagewatchCore

/// Lets `count` threads wait until all of them have arrived, so that what a test means to run
/// at once really overlaps. It waits for the arrivals themselves; `timeout` is only a safety net
/// against a hung thread, and running out of it throws, so a test never carries on as if the
/// threads had met when they had not.
public final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let timeout: TimeInterval
    private var arrived = 0

    public init(count: Int, timeout: TimeInterval = 600) {
        self.count = count
        self.timeout = timeout
    }

    public func arriveAndWait() throws {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        if arrived >= count {
            condition.broadcast()
            return
        }
        let deadline = Date().addingTimeInterval(timeout)
        while arrived < count {
            if !condition.wait(until: deadline) && arrived < count {
                throw WagewatchError.failure("only \(arrived) of \(count) threads reached the barrier in \(Int(timeout)) s")
            }
        }
    }
}
