import Foundation

/// Transaction isolation levels.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension Connection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// Inside another transaction this becomes a savepoint. If ROLLBACK itself fails, the error
    /// from `body` is still the one thrown.
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted,
        readOnly: Bool = false,
        _ body: (Connection) throws -> T
    ) throws -> T {
        if transactionDepth > 0 {
            return try savepoint(body)
        }
        try executeScript(unsafeSQL: "BEGIN ISOLATION LEVEL \(isolation.rawValue)\(readOnly ? " READ ONLY" : "")")
        transactionDepth = 1
        let value: T
        do {
            value = try body(self)
        } catch {
            transactionDepth = 0
            try? executeScript(unsafeSQL: "ROLLBACK")
            throw error
        }
        transactionDepth = 0
        try executeScript(unsafeSQL: "COMMIT")
        return value
    }

    private func savepoint<T>(_ body: (Connection) throws -> T) throws -> T {
        let name = "ww_sp_\(transactionDepth)"
        try executeScript(unsafeSQL: "SAVEPOINT \(name)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let value = try body(self)
            try executeScript(unsafeSQL: "RELEASE SAVEPOINT \(name)")
            return value
        } catch {
            try? executeScript(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
            throw error
        }
    }

    /// Runs `body` in a transaction and runs it again, after a short randomised pause, when the
    /// server aborts it with a serialization failure or a deadlock (SQLSTATE 40001, 40P01).
    /// Must be called outside any transaction: only a whole transaction can be retried.
    public func withSerializationRetry<T>(
        isolation: IsolationLevel = .serializable,
        maxAttempts: Int = 20,
        _ body: (Connection) throws -> T
    ) throws -> T {
        guard transactionDepth == 0 else {
            throw PostgresError(kind: .usage, message: "withSerializationRetry must not run inside a transaction")
        }
        var attempt = 1
        while true {
            do {
                return try transaction(isolation: isolation, body)
            } catch let error as PostgresError where error.isSerializationFailure && attempt < maxAttempts {
                let ceiling = min(200, 2 << min(attempt, 7))
                usleep(useconds_t(Int.random(in: 1...ceiling) * 1000))
                attempt += 1
            }
        }
    }
}
