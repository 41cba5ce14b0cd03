import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// A day at the bureau that touches the audit log in every way the program writes it: a
/// hotline CSV of 60 complaints in one statement, two hotline calls, an accepted case with two
/// workers' claims, their recoveries and its closure, a referral, and a new user.
private func bureauDay(_ db: Connection) throws {
    try db.query("SELECT set_config('wagewatch.actor', 'hotline_li', false)")
    var csv = "received_at,region_code,channel,employer_name,workers_involved,amount_owed,text\n"
    for n in 1...60 {
        csv += "2026-02-1\(n % 3 + 2) 09:\(String(format: "%02d", n % 60)),410102,12333,郑州建工劳务公司\(n),\(n % 9 + 1),\(n * 1000),\"春节前工资未发, 第\(n)起\"\n"
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ww-audit-\(UUID().uuidString).csv").path
    try csv.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try ComplaintImport().run(path: path, dryRun: false, on: db)
    let first = try ComplaintIntake().add(try complaint(received: "2026-02-13 10:00", workers: 2, amount: "1万"), on: db)
    let second = try ComplaintIntake().add(try complaint(received: "2026-02-13 11:00", employer: "另一家公司"), on: db)

    try db.query("SELECT set_config('wagewatch.actor', 'inspector_wang', false)")
    let desk = ComplaintDesk()
    let cases = CaseDesk()
    let accepted = try desk.decide(.number(first.number), .accept, today: shanghaiToday, on: db)
    let caseID = try #require(accepted.caseID)
    _ = try desk.decide(.number(second.number), .refer(target: "劳动人事争议仲裁委员会"), today: shanghaiToday, on: db)
    let region = try RegionCode(parsing: "410102")
    let li = ResidentID.make(region: region, birth: LocalDate(year: 1985, month: 5, day: 1)!, sequence: 3)
    let wang = ResidentID.make(region: region, birth: LocalDate(year: 1990, month: 3, day: 7)!, sequence: 6)
    _ = try cases.claim(caseID, worker: li, name: "李四", owedFen: 600_000, on: db)
    _ = try cases.claim(caseID, worker: wang, name: "王五", owedFen: 400_000, on: db)
    let day = LocalDate(year: 2026, month: 3, day: 1)!
    _ = try cases.recover(caseID, worker: li, amountFen: 600_000, source: .employer, on: day, key: nil, on: db)
    _ = try cases.recover(caseID, worker: wang, amountFen: 400_000, source: .generalContractor, on: day, key: "r-1", on: db)
    _ = try cases.close(caseID, disposition: .paidInFull, on: db)
    try db.query("INSERT INTO users (name, role, department) VALUES ('zhao_admin', 'admin', 'labor')")
}

private func count(_ sql: SQL, on db: Connection) throws -> Int64 {
    try db.query(sql).one().decode("n", as: Int64.self)
}

private func auditRows(_ db: Connection) throws -> Int64 {
    try count("SELECT count(*) AS n FROM audit_log", on: db)
}

/// The id of the row at `offset` in id order.
private func auditID(at offset: Int64, _ db: Connection) throws -> Int64 {
    try db.query("SELECT id FROM audit_log ORDER BY id OFFSET \(offset) LIMIT 1").one().decode("id", as: Int64.self)
}

/// Ways a superuser can change the log behind the writers' backs (with its triggers disabled),
/// and what verification must say about each.
enum Tampering: String, CaseIterable, Sendable {
    case editAfter, deleteMiddle, deleteFirst, deleteLastRows, swapHashes, renumberAfterDelete, forgeAppended

    /// Tampers and returns the expected first broken id, problem and rows verified before it.
    func apply(_ db: Connection) throws -> (brokenID: Int64, problem: AuditVerification.Problem, verified: Int64) {
        let total = try auditRows(db)
        let middle = total / 2
        let target = try auditID(at: middle, db)
        let next = try auditID(at: middle + 1, db)
        try db.executeScript(unsafeSQL: "ALTER TABLE audit_log DISABLE TRIGGER USER")
        defer { _ = try? db.executeScript(unsafeSQL: "ALTER TABLE audit_log ENABLE TRIGGER USER") }
        switch self {
        case .editAfter:
            try db.query("""
                UPDATE audit_log SET after = jsonb_set(after, '{row_was}', '"quietly changed"') WHERE id = \(target)
                """)
            return (target, .contentHashMismatch, middle)
        case .deleteMiddle:
            try db.query("DELETE FROM audit_log WHERE id = \(target)")
            return (next, .gap, middle)
        case .deleteFirst:
            let first = try auditID(at: 0, db)
            let second = try auditID(at: 1, db)
            try db.query("DELETE FROM audit_log WHERE id = \(first)")
            return (second, .gap, 0)
        case .deleteLastRows:
            let last = try auditID(at: total - 1, db)
            let keep = try auditID(at: total - 4, db)
            try db.query("DELETE FROM audit_log WHERE id > \(keep)")
            return (last, .gap, total - 3)
        case .swapHashes:
            try db.query("""
                UPDATE audit_log a SET hash = b.hash FROM audit_log b
                WHERE (a.id = \(target) AND b.id = \(next)) OR (a.id = \(next) AND b.id = \(target))
                """)
            return (target, .contentHashMismatch, middle)
        case .renumberAfterDelete:
            // Close the gap in positions too: the next row no longer follows the one before it.
            try db.query("DELETE FROM audit_log WHERE id = \(target)")
            try db.query("UPDATE audit_log SET seq = -seq WHERE id > \(target)")
            try db.query("UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0")
            return (next, .prevHashMismatch, middle)
        case .forgeAppended:
            // A well-formed row, hashed and chained exactly as the writers would, but appended
            // without moving the chain head.
            let forged = try db.query("""
                INSERT INTO audit_log (id, seq, at, actor, table_name, action, row_key, before, after, prev_hash, hash)
                SELECT h.last_id + 1, h.last_seq + 1, now(), 'hotline_li', 'complaints', 'insert', '424242', NULL,
                       '{"id": 424242}'::jsonb, h.last_hash,
                       ww_audit_link(h.last_hash, ww_audit_content_hash(h.last_seq + 1, h.last_id + 1, now(), 'hotline_li',
                                     'complaints', 'insert', '424242', NULL, '{"id": 424242}'::jsonb))
                FROM audit_chain.head h
                RETURNING id
                """).one().decode("id", as: Int64.self)
            return (forged, .headMismatch, total)
        }
    }
}

@Suite("Audit log hash chain (SPEC §6)")
struct AuditChainTests {
    @Test("after a day of intake, decisions, claims, recoveries and a closure, the chain is intact page by page")
    func intactAfterRealisticWrites() async throws {
        try await TestDatabase.withFresh { db, _ in
            let baseline = try auditRows(db)  // the template's standard users
            try bureauDay(db)
            let total = try auditRows(db)
            #expect(total - baseline > 70, "the day wrote \(total - baseline) audit rows")
            for pageSize in [1, 7, 10_000] {
                let result = try AuditChain(pageSize: pageSize).verify(on: db)
                #expect(result.intact, "page size \(pageSize): \(result.detail ?? "")")
                #expect(result.rowsVerified == total)
                #expect(result.problem == nil)
                #expect(result.firstBrokenID == nil)
            }
            // Positions 1…n with no gap, ids gap-free and in the same order, one chain with no fork.
            let shape = try db.query("""
                SELECT min(seq) AS first, max(seq) AS last, count(DISTINCT seq) AS positions,
                       count(DISTINCT prev_hash) AS links, bool_and(id - seq = (SELECT min(id) - 1 FROM audit_log)) AS aligned
                FROM audit_log
                """).one()
            #expect(try shape.decode("first", as: Int64.self) == 1)
            #expect(try shape.decode("last", as: Int64.self) == total)
            #expect(try shape.decode("positions", as: Int64.self) == total)
            #expect(try shape.decode("links", as: Int64.self) == total)
            #expect(try shape.decode("aligned", as: Bool.self))
            let head = try db.query("SELECT encode(last_hash, 'hex') AS h, last_seq FROM audit_chain.head").one()
            #expect(try AuditChain().verify(on: db).lastHash == head.decode("h", as: String.self))
            #expect(try head.decode("last_seq", as: Int64.self) == total)
            // Who did what is still recorded as before.
            let actors = try db.query("SELECT DISTINCT actor FROM audit_log WHERE seq > \(baseline) ORDER BY actor")
                .map { try $0.decode("actor", as: String.self) }
            #expect(actors == ["hotline_li", "inspector_wang"])
        }
    }

    @Test("each row's hash is sha256(prev_hash || sha256(its canonical text)), whatever the session's time zone and date style")
    func documentedHash() async throws {
        try await TestDatabase.withFresh { db, _ in
            try bureauDay(db)
            let mismatches = try count("""
                SELECT count(*) AS n FROM audit_log
                WHERE hash <> sha256(prev_hash || sha256(convert_to(
                          ww_audit_canonical(seq, id, at, actor, table_name, action, row_key, before, after), 'UTF8')))
                """, on: db)
            #expect(mismatches == 0)
            let first = try db.query("SELECT encode(prev_hash, 'hex') AS p FROM audit_log WHERE seq = 1").one()
            #expect(try first.decode("p", as: String.self) == String(repeating: "0", count: 64))
            try db.executeScript(unsafeSQL: "SET TimeZone = 'America/Los_Angeles'; SET DateStyle = 'SQL, DMY'; SET IntervalStyle = 'sql_standard'; SET extra_float_digits = 0")
            let result = try AuditChain().verify(on: db)
            #expect(result.intact, "\(result.detail ?? "")")
        }
    }

    @Test("tampering by the superuser is found at the first broken row", arguments: Tampering.allCases)
    func tamperingFound(_ tampering: Tampering) async throws {
        try await TestDatabase.withFresh { db, _ in
            try bureauDay(db)
            #expect(try AuditChain().verify(on: db).intact)
            let expected = try tampering.apply(db)
            for pageSize in [16, 10_000] {
                let result = try AuditChain(pageSize: pageSize).verify(on: db)
                #expect(!result.intact)
                #expect(result.firstBrokenID == String(expected.brokenID), "\(result.detail ?? "")")
                #expect(result.problem == expected.problem, "\(result.detail ?? "")")
                #expect(result.rowsVerified == expected.verified)
                #expect(result.detail?.contains(String(expected.brokenID)) == true)
            }
        }
    }

    @Test("a superuser who rewrites the whole chain and its head passes verify, but not the last hash written down before")
    func rewrittenChainNeedsAnAnchor() async throws {
        try await TestDatabase.withFresh { db, _ in
            try bureauDay(db)
            let anchor = try AuditChain().verify(on: db).lastHash
            try db.executeScript(unsafeSQL: """
                ALTER TABLE audit_log DISABLE TRIGGER USER;
                UPDATE audit_log SET actor = 'someone_else' WHERE seq = 3;
                UPDATE audit_log a SET prev_hash = coalesce(c.prev_hash, ww_audit_genesis()), hash = c.hash
                FROM (SELECT h.id, h.hash, lag(h.hash) OVER (ORDER BY h.seq) AS prev_hash
                      FROM (SELECT l.id, l.seq, ww_audit_chain(ww_audit_content_hash(l.seq, l.id, l.at, l.actor, l.table_name,
                                   l.action, l.row_key, l.before, l.after), ww_audit_genesis()) OVER (ORDER BY l.seq) AS hash
                            FROM audit_log l) h) c
                WHERE a.id = c.id;
                UPDATE audit_chain.head SET last_hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1);
                ALTER TABLE audit_log ENABLE TRIGGER USER;
                """)
            let result = try AuditChain().verify(on: db)
            #expect(result.intact)
            #expect(result.lastHash != anchor)
        }
    }

    @Test("UPDATE, DELETE and TRUNCATE of the audit log are refused as conflicts, even for the superuser")
    func appendOnly() async throws {
        try await TestDatabase.withFresh { db, _ in
            try bureauDay(db)
            let before = try auditRows(db)
            for statement in [
                "UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
                "TRUNCATE audit_log", "DELETE FROM audit_chain.head", "TRUNCATE audit_chain.head",
            ] {
                do {
                    try db.executeScript(unsafeSQL: statement)
                    Issue.record("\(statement) was allowed")
                } catch {
                    let failure = WagewatchError.from(error)
                    #expect(failure.kind == .conflict, "\(statement): \(failure.message)")
                    #expect(failure.message.contains("append-only"), "\(statement): \(failure.message)")
                }
            }
            #expect(try auditRows(db) == before)
            #expect(try AuditChain().verify(on: db).intact)
        }
    }

    @Test("a rolled-back transaction and a rolled-back savepoint leave the chain intact and gap-free")
    func rollbacksLeaveNoTrace() async throws {
        struct Undo: Error {}
        try await TestDatabase.withFresh { db, _ in
            _ = try ComplaintIntake().add(try complaint(), on: db)
            let before = try auditRows(db)
            #expect(throws: Undo.self) {
                try db.transaction { tx in
                    _ = try ComplaintIntake().add(try complaint(employer: "回滚公司"), on: tx)
                    throw Undo()
                }
            }
            #expect(try auditRows(db) == before)
            try db.transaction { tx in
                _ = try? tx.transaction { inner in
                    _ = try ComplaintIntake().add(try complaint(employer: "保存点公司"), on: inner)
                    throw Undo()
                }
                _ = try ComplaintIntake().add(try complaint(employer: "留下的公司"), on: tx)
            }
            let names = try db.query("SELECT after->>'name' AS name FROM audit_log WHERE table_name = 'employers' ORDER BY id")
                .map { try $0.decode("name", as: String?.self) }
            #expect(names == ["郑州宏达建筑劳务有限公司", "留下的公司"])
            let result = try AuditChain().verify(on: db)
            #expect(result.intact, "\(result.detail ?? "")")
            #expect(try count("SELECT max(seq) - count(*) AS n FROM audit_log", on: db) == 0)
        }
    }

    @Test("hotline calls from four connections at once, known and new employers mixed, leave one chain with no fork and no deadlock")
    func concurrentWriters() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            _ = try ComplaintIntake().add(try complaint(employer: "老客户公司"), on: db)
            try runOnThreads(4) { worker in
                let connection = try Connection(conninfo)
                defer { connection.close() }
                try connection.query("SELECT set_config('wagewatch.actor', \("hotline_\(worker)"), false)")
                for n in 0..<25 {
                    // Every other call names an employer already on file: those lock the day's
                    // complaint counter without writing an employer first.
                    let employer = n % 2 == 0 ? "老客户公司" : "公司\(worker)-\(n)"
                    _ = try ComplaintIntake().add(
                        try complaint(received: "2026-03-02 09:\(String(format: "%02d", n))", employer: employer), on: connection)
                }
            }
            #expect(try count("SELECT count(*) AS n FROM complaints", on: db) == 101)
            let total = try auditRows(db)
            let result = try AuditChain().verify(on: db)
            #expect(result.intact, "\(result.detail ?? "")")
            #expect(result.rowsVerified == total)
            #expect(try count("SELECT count(DISTINCT prev_hash) AS n FROM audit_log", on: db) == total)
            #expect(try count("SELECT count(DISTINCT actor) AS n FROM audit_log WHERE actor LIKE 'hotline_%'", on: db) == 4)
        }
    }

    @Test("under REPEATABLE READ a head moved by another transaction fails the commit with 40001, and a retry appends")
    func repeatableReadRetries() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let attempts = AttemptCounter()
            let bothRead = Barrier(count: 2)
            try runOnThreads(2) { worker in
                let connection = try Connection(conninfo)
                defer { connection.close() }
                try connection.withSerializationRetry(isolation: .repeatableRead) { tx in
                    let attempt = attempts.increment()
                    // Both take their snapshot before either appends, the first time round.
                    _ = try tx.query("SELECT count(*) AS n FROM employers")
                    if attempt <= 2 { try bothRead.arriveAndWait() }
                    // Staged now, appended at COMMIT, where the loser of the head's lock fails.
                    try tx.query("""
                        INSERT INTO employers (region_code, name, name_key) VALUES ('410102', \("并发公司\(worker)"), \("key\(worker)-\(attempt)"))
                        """)
                }
            }
            #expect(attempts.value >= 3, "one transaction must have been retried")
            #expect(try count("SELECT count(*) AS n FROM employers WHERE name LIKE '并发公司%'", on: db) == 2)
            #expect(try count("SELECT count(*) AS n FROM audit_log WHERE table_name = 'employers'", on: db) == 2)
            #expect(try AuditChain().verify(on: db).intact)
        }
    }

    @Test("the actor after SET ROLE is the role, in the audit log and in column defaults, and the role needs no privilege on the log")
    func actorAfterSetRole() async throws {
        try await TestDatabase.withFresh { db, _ in
            let role = "ww_audit_\(UUID().uuidString.prefix(8).lowercased())"
            try db.executeScript(unsafeSQL: """
                CREATE ROLE \(role) NOLOGIN;
                GRANT SELECT, INSERT, UPDATE ON employers, payment_orders TO \(role);
                """)
            defer { try? db.executeScript(unsafeSQL: "RESET ROLE; DROP OWNED BY \(role); DROP ROLE \(role)") }
            let privileges = try db.query("""
                SELECT has_table_privilege(\(role), 'audit_log', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER') AS log,
                       has_table_privilege(\(role), 'audit_chain.head', 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE') AS head
                """).one()
            #expect(try privileges.decode("log", as: Bool.self) == false)
            #expect(try privileges.decode("head", as: Bool.self) == false)

            try db.query("SELECT set_config('wagewatch.actor', 'li_hotline', false)")
            try db.executeScript(unsafeSQL: "SET ROLE \(role)")
            #expect(try db.query("SELECT ww_actor() AS a").one().decode("a", as: String.self) == role)
            let employer = try db.query("""
                INSERT INTO employers (region_code, name, name_key) VALUES ('410102', '河南路桥建设集团有限公司', 'role-test') RETURNING id
                """).one().decode("id", as: Int64.self)
            try db.query("UPDATE employers SET legal_rep = '张某' WHERE id = \(employer)")
            try db.query("""
                INSERT INTO payment_orders (region_code, employer_id, amount_fen, issued_on, deadline, basis)
                VALUES ('410102', \(employer), 5200000, '2026-02-20', '2026-03-05', '劳动保障监察限期整改指令书〔2026〕3号')
                """)
            // It may not read the log, but it may check that the log is intact.
            #expect { try db.query("SELECT count(*) FROM audit_log") } throws: { WagewatchError.from($0).kind == .permissionDenied }
            #expect(try AuditChain().verify(on: db).intact)
            try db.executeScript(unsafeSQL: "RESET ROLE")

            #expect(try db.query("SELECT ww_actor() AS a").one().decode("a", as: String.self) == "li_hotline")
            let actors = try db.query("""
                SELECT DISTINCT actor FROM audit_log WHERE table_name IN ('employers', 'payment_orders')
                """).map { try $0.decode("actor", as: String.self) }
            #expect(actors == [role])
            #expect(try count("SELECT count(*) AS n FROM audit_log WHERE table_name = 'employers'", on: db) == 2)
            #expect(try db.query("SELECT issued_by FROM payment_orders").one().decode("issued_by", as: String.self) == role)
            #expect(try AuditChain().verify(on: db).intact)
        }
    }

    @Test("an application role cannot plant rows in the audit writers' staging table")
    func forgedStagingRefused() async throws {
        try await TestDatabase.withFresh { db, _ in
            let baseline = try auditRows(db)
            let role = "ww_audit_\(UUID().uuidString.prefix(8).lowercased())"
            try db.executeScript(unsafeSQL: """
                CREATE ROLE \(role) NOLOGIN;
                GRANT SELECT, INSERT ON employers TO \(role);
                """)
            defer { try? db.executeScript(unsafeSQL: "RESET ROLE; DROP OWNED BY \(role); DROP ROLE \(role)") }
            try db.executeScript(unsafeSQL: """
                SET ROLE \(role);
                CREATE TEMP TABLE ww_audit_staging (ord bigint GENERATED ALWAYS AS IDENTITY, at timestamptz NOT NULL,
                    actor text NOT NULL, table_name text NOT NULL, action text NOT NULL, row_key text NOT NULL, before jsonb, after jsonb);
                INSERT INTO ww_audit_staging (at, actor, table_name, action, row_key) VALUES (now(), 'forged', 'complaints', 'insert', '1');
                """)
            #expect(throws: (any Error).self) {
                try db.query("INSERT INTO employers (region_code, name, name_key) VALUES ('410102', '某公司', 'forge')")
            }
            try db.executeScript(unsafeSQL: "RESET ROLE")
            #expect(try auditRows(db) == baseline)
            #expect(try count("SELECT count(*) AS n FROM employers", on: db) == 0)
        }
    }

    @Test("a freshly migrated database's empty audit log verifies as intact with zero rows")
    func emptyLog() async throws {
        try await TestDatabase.withEmpty { db, _ in
            try Migrator.bundled.migrate(db)
            #expect(try auditRows(db) == 0)
            let result = try AuditChain().verify(on: db)
            #expect(result.intact)
            #expect(result.rowsVerified == 0)
            #expect(result.lastHash == String(repeating: "0", count: 64))
        }
    }
}

/// Counts attempts across threads.
private final class AttemptCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    @discardableResult func increment() -> Int { lock.withLock { count += 1; return count } }
    var value: Int { lock.withLock { count } }
}

