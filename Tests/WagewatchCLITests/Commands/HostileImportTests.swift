import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Hostile text in every free-text cell of every SPEC §5 import, and in `complaint add`: each
/// value is either stored byte for byte or refused with exit 3 naming the line and the column,
/// with nothing written; and no statement ever runs text from the file (every table survives).
///
/// What a bureau gets: quotes, SQL, dollar quoting, backslashes (COPY's own escape character),
/// bidi controls, zero-width characters, emoji and a carriage return inside a quoted cell are
/// stored exactly as sent (reports escape them); a NUL byte, which PostgreSQL text cannot hold,
/// and bytes that are not UTF-8 are refused naming line and column; text longer than a column
/// allows is refused naming line and column. Surrounding ASCII blanks of a cell are trimmed
/// (CSVReader), so no payload here starts or ends with one.
@Suite("hostile text in every import, through the binary")
struct HostileImportTests {
    static let env = ["WAGEWATCH_NOW": "2026-02-16T02:00:00Z", "WAGEWATCH_REGION": "410102"]

    /// Text that must come back exactly as it was sent.
    static let payloads: [String] = [
        "O'Brien \"the boss\" 's",
        "'); DROP TABLE complaints;--",
        "\"; DROP TABLE employers; --",
        "$$; DROP TABLE workers; $$",
        "$tag$ SELECT 1 $tag$",
        "C:\\temp\\new \\N \\. \\\\ \\t\\r\\n end",
        "\u{202E}evil\u{202C} \u{2066}bidi\u{2069}",
        "zero\u{200B}width\u{200D}joiner\u{FEFF}bom\u{2060}",
        "工人😀👷‍♂️🇨🇳 e\u{301}",
        "before\rafter CR\r\nCRLF\nLF",
        "tab\there,comma;semicolon",
        "<script>alert(1)</script> & <b>",
        "%s %n %x %1$s {0} ${x}",
        "quote\"\u{301} then a combining mark",
    ]

    /// A 1 MB value: longer than every limited column, fine where a column has no limit.
    static let megabyte = String(repeating: "长文本", count: 116_508) + "end"

    /// A payload cut to the 32 characters a channel may have (as PostgreSQL counts them), without
    /// a trailing blank the CSV reader would trim.
    static func channel(_ payload: String) -> String {
        var scalars = String.UnicodeScalarView(payload.unicodeScalars.prefix(32))
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    // MARK: Helpers

    /// A CSV cell quoted as RFC 4180 writes it, quotes doubled by scalar (`replacingOccurrences`
    /// compares graphemes and misses a quote that a combining mark follows).
    static func cell(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in text.unicodeScalars {
            if scalar == "\"" { out.append("\"") }
            out.append(scalar)
        }
        out.append("\"")
        return String(out)
    }

    /// A CSV file from raw bytes (NUL and invalid UTF-8 included).
    static func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).csv").path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw CocoaError(.fileWriteUnknown) }
        return path
    }

    static func file(_ text: String) throws -> String { try file(Array(text.utf8)) }

    /// A valid USCC that differs for each `n`.
    static func uscc(_ n: Int) -> String {
        let digits = String(n)
        return try! USCC.make(region: "410102", organisation: "MA" + String(repeating: "0", count: 6 - digits.count) + digits).value
    }

    static func count(_ db: Connection, _ table: String) throws -> Int {
        try db.query("SELECT count(*) AS n FROM \(identifier: table)").one().decode("n")
    }

    /// Every table of the schema with its row count: equal before and after means nothing was
    /// written and nothing was dropped.
    static func snapshot(_ db: Connection) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1") {
            let table: String = try row.decode("tablename")
            counts[table] = try count(db, table)
        }
        return counts
    }

    /// Text read back from the database compared byte for byte (String `==` would call
    /// `e\u{301}` and `é` equal).
    static func sameBytes(_ stored: String?, _ sent: String) -> Bool {
        stored.map { Array($0.utf8) == Array(sent.utf8) } ?? false
    }

    /// Runs an import that must be refused: exit 3, the message names `line N: column:`, and
    /// not a row of any table changed.
    static func expectRefused(
        _ kind: String, _ path: String, _ db: Connection, _ conninfo: String, naming fragments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try snapshot(db)
        let result = try CLI.run(["import", kind, path], database: conninfo, environment: env)
        #expect(result.status == 3, "\(kind): \(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "\(kind): \(fragment) not in \(result.stderr.prefix(500))",
                    sourceLocation: sourceLocation)
        }
        #expect(try snapshot(db) == before, "\(kind) wrote something", sourceLocation: sourceLocation)
    }

    /// Imports a file that must be stored, and checks every table is still there.
    static func expectImported(
        _ kind: String, _ path: String, _ db: Connection, _ conninfo: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let tables = Set(try snapshot(db).keys)
        let result = try CLI.run(["import", kind, path], database: conninfo, environment: env)
        #expect(result.status == 0, "\(kind): \(result.stderr.prefix(800))", sourceLocation: sourceLocation)
        #expect(Set(try snapshot(db).keys) == tables, sourceLocation: sourceLocation)
    }

    /// Two employers and two projects every ledger kind of import can refer to.
    static func seedProjects(_ db: Connection, _ conninfo: String) throws {
        try expectImported("employers", try file("""
            uscc,name,kind,region_code
            \(uscc(1)),业主单位,owner,410102
            \(uscc(2)),总承包单位,general_contractor,410102

            """), db, conninfo)
        try expectImported("projects", try file("""
            code,name,type,funding,region_code,owner_uscc,contractor_uscc,contract_value,contract_signed,planned_start,planned_end,allocation_cycle_days,allocation_amount
            P1,一号工程,gov_transport,government,410102,\(uscc(1)),\(uscc(2)),1000万,2026-01-05,2026-02-01,2026-12-31,30,10万

            """), db, conninfo)
    }

    static let workerID = "11010519491231002X"

    // MARK: employers

    @Test("employers: hostile names and legal representatives are stored byte for byte; NUL, bad UTF-8 and overlong names are refused")
    func employers() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            var text = "uscc,name,kind,region_code,legal_rep,phone\r\n"
            for (n, payload) in Self.payloads.enumerated() {
                text += "\(Self.uscc(10 + n)),\(Self.cell(payload)),enterprise,410102,\(Self.cell(payload + "法人")),\r\n"
            }
            text += "\(Self.uscc(99)),long,enterprise,410102,\(Self.cell(Self.megabyte)),\r\n"
            try Self.expectImported("employers", try Self.file(text), db, conninfo)
            for (n, payload) in Self.payloads.enumerated() {
                let row = try db.query("SELECT name, legal_rep FROM employers WHERE uscc = \(Self.uscc(10 + n))").one()
                #expect(Self.sameBytes(try row.decode("name"), payload), "\(payload.debugDescription)")
                #expect(Self.sameBytes(try row.decode("legal_rep"), payload + "法人"))
            }
            let long: String = try db.query("SELECT legal_rep FROM employers WHERE uscc = \(Self.uscc(99))").one().decode("legal_rep")
            #expect(Self.sameBytes(long, Self.megabyte))

            let header = Array("uscc,name,kind,region_code,legal_rep,phone\n".utf8)
            let good = Array("\(Self.uscc(200)),正常企业,enterprise,410102,,\n".utf8)
            try Self.expectRefused("employers", try Self.file(header + good + Array("\(Self.uscc(201)),\"a".utf8) + [0] + Array("b\",enterprise,410102,,\n".utf8)),
                                   db, conninfo, naming: ["line 3: name: contains a NUL byte"])
            try Self.expectRefused("employers", try Self.file(header + good + Array("\(Self.uscc(201)),x,enterprise,410102,".utf8) + [0xC3, 0x28] + Array(",\n".utf8)),
                                   db, conninfo, naming: ["line 3: legal_rep: is not valid UTF-8"])
            try Self.expectRefused("employers", try Self.file(header + good + Array("\(Self.uscc(201)),\(Self.megabyte),enterprise,410102,,\n".utf8)),
                                   db, conninfo, naming: ["line 3: name: "])
            // 200 characters as PostgreSQL counts them (code points), though fewer as Swift counts them (graphemes).
            try Self.expectRefused("employers", try Self.file(header + good + Array("\(Self.uscc(201)),\(String(repeating: "🇨🇳", count: 150)),enterprise,410102,,\n".utf8)),
                                   db, conninfo, naming: ["line 3: name: "])
        }
    }

    // MARK: projects

    @Test("projects: hostile names are stored byte for byte; hostile codes, NUL and bad UTF-8 are refused naming line and column")
    func projects() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try Self.expectImported("employers", try Self.file("""
                uscc,name,kind,region_code
                \(Self.uscc(1)),业主单位,owner,410102
                \(Self.uscc(2)),总承包单位,general_contractor,410102

                """), db, conninfo)
            let header = "code,name,type,funding,region_code,owner_uscc,contractor_uscc,contract_value,contract_signed,planned_start,planned_end,allocation_cycle_days,allocation_amount\n"
            func row(_ code: String, _ name: String) -> String {
                "\(code),\(name),gov_transport,government,410102,\(Self.uscc(1)),\(Self.uscc(2)),1000万,2026-01-05,2026-02-01,2026-12-31,30,10万\n"
            }
            var text = header
            for (n, payload) in Self.payloads.enumerated() { text += row("H\(n)", Self.cell(payload)) }
            try Self.expectImported("projects", try Self.file(text), db, conninfo)
            for (n, payload) in Self.payloads.enumerated() {
                let name: String = try db.query("SELECT name FROM projects WHERE code = \("H\(n)")").one().decode("name")
                #expect(Self.sameBytes(name, payload), "\(payload.debugDescription)")
            }
            for payload in Self.payloads {
                try Self.expectRefused("projects", try Self.file(header + row("OK1", "好") + row(Self.cell(payload), "x")), db, conninfo,
                                       naming: ["line 3: code: "])
            }
            try Self.expectRefused("projects", try Self.file(Array((header + row("OK1", "好")).utf8) + Array(row("N1", "a\u{0}b").utf8)),
                                   db, conninfo, naming: ["line 3: name: contains a NUL byte"])
            try Self.expectRefused("projects", try Self.file(Array((header + row("OK1", "好")).utf8) + Array("N1,".utf8) + [0xFF]
                                   + Array(row("", "").dropFirst().utf8)), db, conninfo, naming: ["line 3: name: is not valid UTF-8"])
            try Self.expectRefused("projects", try Self.file(header + row("OK1", "好") + row("N1", Self.megabyte)), db, conninfo,
                                   naming: ["line 3: name: "])
            // 150 flags are 150 Characters but 300 code points, which the name's CHECK counts.
            try Self.expectRefused("projects", try Self.file(header + row("OK1", "好") + row("N1", String(repeating: "🇨🇳", count: 150))),
                                   db, conninfo, naming: ["line 3: name: "])
        }
    }

    // MARK: workers

    @Test("workers: hostile names and banks are stored byte for byte; hostile project codes, NUL, bad UTF-8 and overlong text are refused")
    func workers() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try Self.seedProjects(db, conninfo)
            let header = "id_number,name,phone,bank,bank_account,employer_uscc,project_code,joined,left\n"
            let ids = (0..<Self.payloads.count).map {
                ResidentID.make(region: try! RegionCode(parsing: "410102"), birth: LocalDate(year: 1980, month: 1, day: 1 + $0)!, sequence: 11).value
            }
            var text = header
            for (n, payload) in Self.payloads.enumerated() {
                text += "\(ids[n]),\(Self.cell(payload)),,\(Self.cell(payload)),,\(Self.uscc(2)),P1,2026-02-01,\n"
            }
            try Self.expectImported("workers", try Self.file(text), db, conninfo)
            for (n, payload) in Self.payloads.enumerated() {
                let row = try db.query("SELECT name, bank FROM workers WHERE id_number = \(ids[n])").one()
                #expect(Self.sameBytes(try row.decode("name"), payload), "\(payload.debugDescription)")
                #expect(Self.sameBytes(try row.decode("bank"), payload))
            }
            let good = "\(Self.workerID),王五,,,,\(Self.uscc(2)),P1,2026-02-01,\n"
            for payload in Self.payloads {
                try Self.expectRefused("workers", try Self.file(header + good + "\(ids[0]),x,,,,\(Self.uscc(2)),\(Self.cell(payload)),2026-02-01,\n"),
                                       db, conninfo, naming: ["line 3: project_code: "])
            }
            try Self.expectRefused("workers", try Self.file(Array((header + good).utf8) + Array("\(ids[0]),\"x".utf8) + [0]
                                   + Array("\",,,,\(Self.uscc(2)),P1,2026-02-01,\n".utf8)), db, conninfo, naming: ["line 3: name: contains a NUL byte"])
            try Self.expectRefused("workers", try Self.file(Array((header + good).utf8) + Array("\(ids[0]),x,,".utf8) + [0xE4, 0xB8]
                                   + Array(",,\(Self.uscc(2)),P1,2026-02-01,\n".utf8)), db, conninfo, naming: ["line 3: bank: is not valid UTF-8"])
            try Self.expectRefused("workers", try Self.file(header + good + "\(ids[0]),\(Self.megabyte),,,,\(Self.uscc(2)),P1,2026-02-01,\n"),
                                   db, conninfo, naming: ["line 3: name: "])
            try Self.expectRefused("workers", try Self.file(header + good + "\(ids[0]),\(String(repeating: "e\u{301}", count: 80)),,,,\(Self.uscc(2)),P1,2026-02-01,\n"),
                                   db, conninfo, naming: ["line 3: name: "])
        }
    }

    // MARK: complaints

    @Test("complaints: every free-text column is stored byte for byte; NUL, bad UTF-8 and overlong text are refused naming line and column")
    func complaints() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let header = "received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,project_code,workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text\n"
            var text = header
            for payload in Self.payloads {
                text += "2026-02-13 10:00,410102,\(Self.cell(Self.channel(payload))),\(Self.cell(payload)),,,\(Self.cell(payload + "公司")),\(Self.cell(payload)),2,5000,,,,\(Self.cell(payload))\n"
            }
            text += "2026-02-13 11:00,410102,12333,,,,长文本公司,,2,5000,,,,\(Self.cell(Self.megabyte))\n"
            try Self.expectImported("complaints", try Self.file(text), db, conninfo)
            let rows = try db.query("SELECT channel, caller_name, employer_name, project_code, text FROM complaints ORDER BY id")
            #expect(rows.count == Self.payloads.count + 1)
            for (row, payload) in zip(rows, Self.payloads) {
                #expect(Self.sameBytes(try row.decode("channel"), Self.channel(payload)))
                #expect(Self.sameBytes(try row.decode("caller_name"), payload), "\(payload.debugDescription)")
                #expect(Self.sameBytes(try row.decode("employer_name"), payload + "公司"))
                #expect(Self.sameBytes(try row.decode("project_code"), payload))
                #expect(Self.sameBytes(try row.decode("text"), payload))
            }
            #expect(Self.sameBytes(try rows.last?.decode("text"), Self.megabyte))

            let good = "2026-02-13 10:00,410102,12333,,,,好公司,,2,5000,,,,\n"
            try Self.expectRefused("complaints", try Self.file(Array((header + good).utf8) + Array("2026-02-13 10:00,410102,12333,,,,坏公司,,2,5000,,,,\"a".utf8)
                                   + [0] + Array("\"\n".utf8)), db, conninfo, naming: ["line 3: text: contains a NUL byte"])
            try Self.expectRefused("complaints", try Self.file(Array((header + good).utf8) + Array("2026-02-13 10:00,410102,12333,".utf8) + [0xC0, 0xAF]
                                   + Array(",,,坏公司,,2,5000,,,,\n".utf8)), db, conninfo, naming: ["line 3: caller_name: is not valid UTF-8"])
            try Self.expectRefused("complaints", try Self.file(header + good + "2026-02-13 10:00,410102,12333,,,,\(Self.megabyte),,2,5000,,,,\n"),
                                   db, conninfo, naming: ["line 3: employer_name: "])
            try Self.expectRefused("complaints", try Self.file(header + good + "2026-02-13 10:00,410102,\(String(repeating: "🇨🇳", count: 20)),,,,坏公司,,2,5000,,,,\n"),
                                   db, conninfo, naming: ["line 3: channel: "])
        }
    }

    @Test("complaint add: hostile free-text options are stored byte for byte, or refused naming the option's field")
    func complaintAdd() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            for payload in Self.payloads {
                let before = try Self.count(db, "complaints")
                let result = try CLI.run([
                    "complaint", "add", "--region", "410102", "--employer-name", payload + "公司", "--caller-name", payload,
                    "--project", payload, "--workers", "3", "--amount", "1.2万", "--received-at", "2026-02-13 10:00",
                    "--text", payload, "--channel", Self.channel(payload), "--json",
                ], database: conninfo, environment: Self.env)
                #expect(result.status == 0, "\(payload.debugDescription): \(result.stderr)")
                #expect(try Self.count(db, "complaints") == before + 1)
                let row = try db.query("SELECT caller_name, employer_name, project_code, text FROM complaints ORDER BY id DESC LIMIT 1").one()
                #expect(Self.sameBytes(try row.decode("caller_name"), payload), "\(payload.debugDescription)")
                #expect(Self.sameBytes(try row.decode("employer_name"), payload + "公司"))
                #expect(Self.sameBytes(try row.decode("project_code"), payload))
                #expect(Self.sameBytes(try row.decode("text"), payload))
            }
            let before = try Self.snapshot(db)
            // (One argument of a command line holds at most 128 KiB on Linux, so not the 1 MB value.)
            let long = try CLI.run([
                "complaint", "add", "--region", "410102", "--employer-name", String(repeating: "长", count: 300), "--workers", "3",
                "--amount", "1.2万", "--received-at", "2026-02-13 10:00",
            ], database: conninfo, environment: Self.env)
            #expect(long.status == 3)
            #expect(long.stderr.contains("employer_name"))
            #expect(try Self.snapshot(db) == before)
            // 20 flags are 20 characters to Swift but 40 to PostgreSQL: refused, though by the column's CHECK.
            let flags = try CLI.run([
                "complaint", "add", "--region", "410102", "--employer-name", "某公司", "--workers", "3", "--amount", "1.2万",
                "--received-at", "2026-02-13 10:00", "--channel", String(repeating: "🇨🇳", count: 20),
            ], database: conninfo, environment: Self.env)
            #expect(flags.status == 3)
            #expect(flags.stderr.contains("channel"))
            #expect(try Self.snapshot(db) == before)
        }
    }

    // MARK: payroll and attendance

    @Test("payroll and attendance: hostile project codes are refused naming line and column; NUL and bad UTF-8 too; nothing is written")
    func payrollAndAttendance() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try Self.seedProjects(db, conninfo)
            try Self.expectImported("workers", try Self.file("""
                id_number,name,employer_uscc,project_code,joined
                \(Self.workerID),王五,\(Self.uscc(2)),P1,2026-02-01

                """), db, conninfo)
            let payrollHeader = "project_code,period,id_number,days_worked,wage_due,wage_paid,paid_on,signed\n"
            let payrollGood = "P1,2026-02,\(Self.workerID),20,6000,6000,2026-03-05,true\n"
            try Self.expectImported("payroll", try Self.file(payrollHeader + payrollGood), db, conninfo)
            let attendanceHeader = "project_code,date,id_number\n"
            let attendanceGood = "P1,2026-02-02,\(Self.workerID)\n"
            try Self.expectImported("attendance", try Self.file(attendanceHeader + attendanceGood), db, conninfo)
            for payload in Self.payloads {
                try Self.expectRefused("payroll", try Self.file(payrollHeader + payrollGood
                                       + "\(Self.cell(payload)),2026-02,\(Self.workerID),20,6000,6000,2026-03-05,true\n"),
                                       db, conninfo, naming: ["line 3: project_code: "])
                try Self.expectRefused("attendance", try Self.file(attendanceHeader + attendanceGood
                                       + "\(Self.cell(payload)),2026-02-03,\(Self.workerID)\n"),
                                       db, conninfo, naming: ["line 3: project_code: "])
            }
            try Self.expectRefused("payroll", try Self.file(Array((payrollHeader + payrollGood).utf8) + Array("P1".utf8) + [0]
                                   + Array(",2026-03,\(Self.workerID),20,6000,6000,2026-04-05,true\n".utf8)),
                                   db, conninfo, naming: ["line 3: project_code: contains a NUL byte"])
            try Self.expectRefused("attendance", try Self.file(Array((attendanceHeader + attendanceGood).utf8) + Array("P1,2026-02-03,".utf8)
                                   + [0xFE] + Array("\n".utf8)), db, conninfo, naming: ["line 3: id_number: is not valid UTF-8"])
            try Self.expectRefused("payroll", try Self.file(payrollHeader + payrollGood
                                   + "\(Self.megabyte),2026-02,\(Self.workerID),20,6000,6000,2026-03-05,true\n"),
                                   db, conninfo, naming: ["line 3: project_code: "])
        }
    }

    // MARK: transfers

    @Test("transfers: hostile keys, memos and external party names are stored byte for byte; NUL, bad UTF-8 and overlong text are refused")
    func transfers() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            try Self.seedProjects(db, conninfo)
            let header = "key,occurred_at,from_account,to_account,amount,memo\n"
            var text = header
            for (n, payload) in Self.payloads.enumerated() {
                text += "\(Self.cell("k\(n) " + payload)),2026-02-10,\(Self.cell("external:" + payload)),fund:P1,100,\(Self.cell(payload))\n"
            }
            try Self.expectImported("transfers", try Self.file(text), db, conninfo)
            for (n, payload) in Self.payloads.enumerated() {
                let row = try db.query("""
                    SELECT t.memo, a.ref, a.name FROM transfers t JOIN ledger_accounts a ON a.region_code = t.region_code AND a.id = t.from_account
                    WHERE t.idempotency_key = \("k\(n) " + payload)
                    """).one()
                #expect(Self.sameBytes(try row.decode("memo"), payload), "\(payload.debugDescription)")
                #expect(Self.sameBytes(try row.decode("ref"), payload))
                #expect(Self.sameBytes(try row.decode("name"), payload))
            }
            let good = "g1,2026-02-10,external:甲,fund:P1,100,\n"
            try Self.expectRefused("transfers", try Self.file(Array((header + good).utf8) + Array("g2,2026-02-10,external:乙,fund:P1,100,\"a".utf8) + [0]
                                   + Array("\"\n".utf8)), db, conninfo, naming: ["line 3: memo: contains a NUL byte"])
            try Self.expectRefused("transfers", try Self.file(Array((header + good).utf8) + Array("g2,2026-02-10,external:".utf8) + [0x80]
                                   + Array(",fund:P1,100,\n".utf8)), db, conninfo, naming: ["line 3: from_account: is not valid UTF-8"])
            try Self.expectRefused("transfers", try Self.file(header + good + "g2,2026-02-10,external:乙,fund:P1,100,\(Self.megabyte)\n"),
                                   db, conninfo, naming: ["line 3: memo: "])
            try Self.expectRefused("transfers", try Self.file(header + good + "\(String(repeating: "🇨🇳", count: 150)),2026-02-10,external:乙,fund:P1,100,\n"),
                                   db, conninfo, naming: ["line 3: key: "])
        }
    }

    // MARK: calendar

    @Test("calendar: hostile kinds and dates, NUL and bad UTF-8 are refused naming the line; nothing is written")
    func calendar() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let header = "date,kind\n"
            let good = "2027-01-01,holiday\n"
            for payload in Self.payloads {
                try Self.expectRefused("calendar", try Self.file(header + good + "2027-01-04,\(Self.cell(payload))\n"), db, conninfo,
                                       naming: ["line 3: kind: "])
                try Self.expectRefused("calendar", try Self.file(header + good + "\(Self.cell(payload)),holiday\n"), db, conninfo,
                                       naming: ["line 3: date: "])
            }
            try Self.expectRefused("calendar", try Self.file(Array((header + good).utf8) + Array("2027-01-04,holi".utf8) + [0]
                                   + Array("day\n".utf8)), db, conninfo, naming: ["line 3: kind: "])
            try Self.expectRefused("calendar", try Self.file(Array((header + good).utf8) + Array("2027-01-04,".utf8) + [0xFF, 0xFE]
                                   + Array("\n".utf8)), db, conninfo, naming: ["line 3"])
        }
    }

    // MARK: reports

    @Test("the weekly HTML report escapes markup in employer names, however it is dressed up")
    func reportEscapesMarkup() async throws {
        try await TestDatabase.withFresh { db, conninfo in
            let names = ["<script>alert(1)</script>", "<img src=x onerror=alert(3)>", "\u{0600}<script>alert(2)</script>",
                         "\u{0600}<img src=x onerror=alert(4) "]
            var text = "received_at,region_code,channel,caller_name,caller_phone,employer_uscc,employer_name,project_code,workers_involved,amount_owed,owed_since,owed_until,employer_absconded,text\n"
            for name in names {
                text += "2026-02-10 10:00,410102,12333,,,,\(Self.cell(name)),,2,5000,,,true,\n"
            }
            try Self.expectImported("complaints", try Self.file(text), db, conninfo)
            let report = try CLI.run(["report", "weekly", "--week", "2026-W07", "--format", "html"], database: conninfo, environment: Self.env)
            #expect(report.status == 0, "\(report.stderr)")
            #expect(report.stdout.contains("&lt;script&gt;alert(1)"))
            #expect(report.stdout.contains("&lt;img src=x onerror=alert(3)&gt;"))
            // Escaped per Unicode scalar: U+0600 before "<" forms one Character with it, and used to
            // let "<img … onerror=…" through (TextEscaping).
            #expect(!report.stdout.lowercased().contains("<script"))
            #expect(!report.stdout.lowercased().contains("<img"))
        }
    }
}
