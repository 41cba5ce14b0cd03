import Foundation
import PostgresClient
import Testing
import TestSupport

@Suite("Errors and transactions")
struct ErrorAndTransactionTests {
    @Test("a unique violation is recognised by its SQLSTATE and names the constraint, not the value")
    func uniqueViolation() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE test_employers (uscc text CONSTRAINT test_employers_uscc_key UNIQUE)")
            let uscc = "91350100M000100Y43"
            try db.query("INSERT INTO test_employers VALUES (\(uscc))")
            do {
                try db.query("INSERT INTO test_employers VALUES (\(uscc))")
                Issue.record("the duplicate insert succeeded")
            } catch let error as PostgresError {
                #expect(error.isUniqueViolation)
                #expect(error.code == .uniqueViolation)
                #expect(error.constraint == "test_employers_uscc_key")
                #expect(error.table == "test_employers")
                #expect(!error.description.contains(uscc))
                #expect(error.detail?.contains(uscc) == true)
            }
        }
    }

    @Test("check and foreign-key violations are told apart")
    func otherViolations() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try db.executeScript(unsafeSQL: """
                CREATE TABLE accounts (id bigint PRIMARY KEY, balance bigint CHECK (balance >= 0));
                CREATE TABLE transfers (account_id bigint REFERENCES accounts(id));
                """)
            #expect { try db.query("INSERT INTO accounts VALUES (1, -5)") } throws: {
                ($0 as? PostgresError)?.isCheckViolation == true
            }
            #expect { try db.query("INSERT INTO transfers VALUES (99)") } throws: {
                ($0 as? PostgresError)?.isForeignKeyViolation == true
            }
        }
    }

    @Test("a row-level-security refusal is reported as permission denied")
    func rlsViolation() async throws {
        try await TestDatabase.withEmpty { db, _ in
            let role = "ww_rls_\(UUID().uuidString.prefix(8).lowercased())"
            try db.executeScript(unsafeSQL: """
                CREATE TABLE flags (department text);
                ALTER TABLE flags ENABLE ROW LEVEL SECURITY;
                CREATE POLICY water_only ON flags USING (department = 'water') WITH CHECK (department = 'water');
                CREATE ROLE \(role);
                GRANT SELECT, INSERT ON flags TO \(role);
                SET ROLE \(role);
                """)
            defer { try? db.executeScript(unsafeSQL: "RESET ROLE; DROP OWNED BY \(role); DROP ROLE \(role)") }
            #expect { try db.query("INSERT INTO flags VALUES ('transport')") } throws: {
                ($0 as? PostgresError)?.isPermissionDenied == true
            }
            try db.query("INSERT INTO flags VALUES ('water')")
        }
    }

    @Test("a thrown error rolls the transaction back")
    func rollbackOnThrow() async throws {
        struct Refused: Error {}
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE ledger (amount_fen bigint)")
            #expect(throws: Refused.self) {
                try db.transaction { tx in
                    try tx.query("INSERT INTO ledger VALUES (100)")
                    throw Refused()
                }
            }
            #expect(try db.query("SELECT count(*) AS n FROM ledger").one().decode("n", as: Int.self) == 0)
            #expect(db.transactionDepth == 0)
            try db.transaction { tx in try tx.query("INSERT INTO ledger VALUES (100)") }
            #expect(try db.query("SELECT count(*) AS n FROM ledger").one().decode("n", as: Int.self) == 1)
        }
    }

    @Test("a nested transaction is a savepoint that rolls back alone")
    func savepoints() async throws {
        struct Refused: Error {}
        try await TestDatabase.withEmpty { db, _ in
            try db.query("CREATE TABLE ledger (amount_fen bigint)")
            try db.transaction { tx in
                try tx.query("INSERT INTO ledger VALUES (1)")
                _ = try? tx.transaction { inner in
                    try inner.query("INSERT INTO ledger VALUES (2)")
                    throw Refused()
                }
                try tx.query("INSERT INTO ledger VALUES (3)")
            }
            let sum = try db.query("SELECT sum(amount_fen) AS s FROM ledger").one().decode("s", as: Int64.self)
            #expect(sum == 4)
        }
    }

    @Test("when ROLLBACK also fails, the first error is the one thrown")
    func firstErrorKept() async throws {
        struct BodyFailed: Error {}
        try await TestDatabase.withEmpty { db, _ in
            #expect(throws: BodyFailed.self) {
                try db.transaction { tx in
                    // Kill our own server process: the ROLLBACK that follows cannot succeed.
                    _ = try? tx.query("SELECT pg_terminate_backend(pg_backend_pid())")
                    throw BodyFailed()
                }
            }
            #expect(!db.isHealthy)
        }
    }

    @Test("serialization failures between two concurrent transactions are retried until both commit")
    func serializationRetry() async throws {
        try await TestDatabase.withEmpty { db, conninfo in
            try db.executeScript(unsafeSQL: "CREATE TABLE doctors (name text PRIMARY KEY, on_call bool NOT NULL); INSERT INTO doctors VALUES ('a', true), ('b', true)")
            let attempts = Counter()
            let bothRead = Barrier(count: 2)
            try runOnThreads(2) { index in
                let connection = try Connection(conninfo)
                defer { connection.close() }
                let me = index == 0 ? "a" : "b"
                try connection.withSerializationRetry { tx in
                    let attempt = attempts.increment()
                    let onCall = try tx.query("SELECT count(*) AS n FROM doctors WHERE on_call").one()
                        .decode("n", as: Int.self)
                    if attempt <= 2 { try bothRead.arriveAndWait() }  // force the write skew on the first try
                    if onCall >= 2 {
                        try tx.query("UPDATE doctors SET on_call = false WHERE name = \(me)")
                    }
                }
            }
            #expect(attempts.value >= 3, "one transaction must have been retried")
            let stillOnCall = try db.query("SELECT count(*) AS n FROM doctors WHERE on_call").one().decode("n", as: Int.self)
            #expect(stillOnCall == 1)
        }
    }

    @Test("a deadlock between two transactions (40P01) is retried until both commit")
    func deadlockRetry() async throws {
        try await TestDatabase.withEmpty { db, conninfo in
            try db.executeScript(unsafeSQL: """
                CREATE TABLE wage_accounts (code text PRIMARY KEY, balance_fen bigint NOT NULL);
                INSERT INTO wage_accounts VALUES ('wage:A', 0), ('wage:B', 0)
                """)
            let attempts = Counter()
            let deadlocks = Counter()
            let bothLocked = Barrier(count: 2)
            try runOnThreads(2) { index in
                let connection = try Connection(conninfo)
                defer { connection.close() }
                // Opposite lock orders: each holds one account and waits for the other's.
                let (first, second) = index == 0 ? ("wage:A", "wage:B") : ("wage:B", "wage:A")
                try connection.withSerializationRetry(isolation: .readCommitted) { tx in
                    let attempt = attempts.increment()
                    try tx.query("UPDATE wage_accounts SET balance_fen = balance_fen + 100 WHERE code = \(first)")
                    if attempt <= 2 { try bothLocked.arriveAndWait() }
                    do {
                        try tx.query("UPDATE wage_accounts SET balance_fen = balance_fen + 100 WHERE code = \(second)")
                    } catch let error as PostgresError {
                        if error.code == .deadlockDetected { _ = deadlocks.increment() }
                        throw error
                    }
                }
            }
            #expect(deadlocks.value >= 1, "the server must have broken a deadlock")
            #expect(attempts.value >= 3, "the victim must have been retried")
            let total = try db.query("SELECT sum(balance_fen) AS s FROM wage_accounts").one().decode("s", as: Int64.self)
            #expect(total == 400)
        }
    }

    @Test("connecting to a socket where no server listens fails naming the socket")
    func deadSocket() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ww-dead-\(getpid())").path
        do {
            _ = try Connection("host=\(folder) port=5999 dbname=nothing connect_timeout=2")
            Issue.record("connected to a dead socket")
        } catch let error as PostgresError {
            #expect(error.kind == .connection)
            #expect(error.message.contains(folder))
            #expect(error.message.contains(".s.PGSQL.5999"))
        }
    }
}

/// A thread-safe counter for concurrency tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int { lock.withLock { count += 1; return count } }
    var value: Int { lock.withLock { count } }
}

