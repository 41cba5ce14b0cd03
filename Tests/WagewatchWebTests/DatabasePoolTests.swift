import Foundation
import PostgresClient
import Testing
import TestSupport
@testable import WagewatchWeb

@Suite("Web desk: the connection pool")
struct DatabasePoolTests {
    @Test("never more connections than its size; a request waits for one; each is used by one request at a time")
    func bounded() async throws {
        try await TestDatabase.withFresh { _, conninfo in
            let pool = DatabasePool(size: 2, connect: { try Connection(conninfo) })
            let busy = Counter()
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await pool.withConnection { pooled in
                            let inUse = busy.enter()
                            defer { busy.leave() }
                            #expect(inUse <= 2)
                            try pooled.connection.query("SELECT pg_sleep(0.05)")
                            return pooled.connection.backendPID
                        }
                    }
                }
                var seen: [Int32] = []
                for try await pid in group { seen.append(pid) }
                return seen
            }
            #expect(pids.count == 8)
            #expect(Set(pids).count <= 2)
            #expect(busy.highest <= 2)
            #expect(await pool.openCount <= 2)
            // Two requests do run at once: the first holds a lock until it sees the second
            // waiting for it, which it can only do on a second connection at the same time.
            let sawSecond = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await pool.withConnection { pooled in
                        try pooled.connection.query("SELECT pg_advisory_lock(4242)")
                        defer { _ = try? pooled.connection.query("SELECT pg_advisory_unlock(4242)") }
                        for _ in 0..<200 {
                            let waiting: Int = try pooled.connection.query(
                                "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").one().decode("n")
                            if waiting == 1 { return true }
                            usleep(50_000)
                        }
                        return false
                    }
                }
                group.addTask {
                    try await pool.withConnection { pooled in
                        // Once the first holds the lock, wait for it.
                        for _ in 0..<200 {
                            let held: Int = try pooled.connection.query(
                                "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted").one().decode("n")
                            if held == 1 { break }
                            usleep(20_000)
                        }
                        try pooled.connection.query("SELECT pg_advisory_lock(4242)")
                        try pooled.connection.query("SELECT pg_advisory_unlock(4242)")
                        return false
                    }
                }
                var saw = false
                for try await value in group { saw = saw || value }
                return saw
            }
            #expect(sawSecond)
            #expect(await pool.openCount == 2)
            await pool.close()
        }
    }

    @Test("a connection whose server process died is replaced: the request on it fails, the next one works")
    func replaced() async throws {
        try await TestDatabase.withFresh { admin, conninfo in
            let pool = DatabasePool(size: 1, connect: { try Connection(conninfo) })
            let first = try await pool.withConnection { $0.connection.backendPID }
            try admin.query("SELECT pg_terminate_backend(\(first))")
            try await Task.sleep(for: .milliseconds(200))
            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { pooled in try pooled.connection.query("SELECT 1") }
            }
            let second = try await pool.withConnection { pooled in
                try pooled.connection.query("SELECT 1")
                return pooled.connection.backendPID
            }
            #expect(second != first)
            await pool.close()
        }
    }
}

/// How many jobs are inside at once, and the most there ever were.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var inside = 0
    private(set) var highest = 0

    func enter() -> Int {
        lock.withLock {
            inside += 1
            highest = max(highest, inside)
            return inside
        }
    }

    func leave() { lock.withLock { inside -= 1 } }
}
