import Foundation
import Testing
import TestSupport
@testable import WagewatchCore

/// The shipped defaults file at the repository root.
private let defaultsFile = TestDatabase.repositoryRoot.appendingPathComponent("wagewatch.defaults.toml")

/// The error `body` throws, as the user would see it.
private func failure(_ body: () throws -> Configuration) -> WagewatchError? {
    do {
        _ = try body()
        return nil
    } catch {
        return WagewatchError.from(error)
    }
}

private func loadFailure(_ toml: String, source: String = "wagewatch.toml") -> WagewatchError? {
    failure { try Configuration.load(toml: toml, source: source) }
}

/// A folder of its own for one test, removed afterwards.
private func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ww-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// One key of the file, a value other than its default, and the change it must make.
struct Override: Sendable, CustomTestStringConvertible {
    let key: String
    let value: String
    let apply: @Sendable (inout Configuration) -> Void

    init(_ key: String, _ value: String, _ apply: @escaping @Sendable (inout Configuration) -> Void) {
        self.key = key
        self.value = value
        self.apply = apply
    }

    var testDescription: String { "\(key) = \(value)" }

    /// The key under its table header, as a bureau would write it.
    var toml: String {
        let parts = key.split(separator: ".")
        return "[\(parts.dropLast().joined(separator: "."))]\n\(parts.last!) = \(value)\n"
    }

    /// Every key the loader reads: one per setting of `Configuration`.
    static let all: [Override] = [
        Override("complaints.decision_days", "3") { $0.complaints.decisionDays = 3 },
        Override("complaints.time_bar_months", "36") { $0.complaints.timeBarMonths = 36 },
        Override("complaints.merge_window_days", "45") { $0.complaints.mergeWindowDays = 45 },
        Override("complaints.investigation_days", "30") { $0.complaints.investigationDays = 30 },
        Override("complaints.max_extension_days", "15") { $0.complaints.maxExtensionDays = 15 },
        Override("projects.deposit_rate_basis_points", "150") { $0.projects.depositRateBasisPoints = 150 },
        Override("projects.deposit_exempt_below", "\"500万\"") { $0.projects.depositExemptBelowFen = 500_000_000 },
        Override("projects.wage_account_days", "20") { $0.projects.wageAccountDays = 20 },
        Override("projects.allocation_cycle_max_days", "15") { $0.projects.allocationCycleMaxDays = 15 },
        Override("rules.r1.days_after_contract", "45") { $0.rules.r1.daysAfterContract = 45 },
        Override("rules.r2.red_after_days", "15") { $0.rules.r2.redAfterDays = 15 },
        Override("rules.r4.red_percent", "20") { $0.rules.r4.redPercent = 20 },
        Override("rules.r5.per_month", "40000") { $0.rules.r5.perMonthFen = 4_000_000 },
        Override("rules.r5.per_year", "\"250000.50\"") { $0.rules.r5.perYearFen = 25_000_050 },
        Override("rules.r6.window_days", "60") { $0.rules.r6.windowDays = 60 },
        Override("rules.r6.orange_at", "2") { $0.rules.r6.orangeAt = 2 },
        Override("rules.r6.red_at", "4") { $0.rules.r6.redAt = 4 },
        Override("rules.r7.one_worker", "5000") { $0.rules.r7.oneWorkerFen = 500_000 },
        Override("rules.r7.one_worker_months", "2") { $0.rules.r7.oneWorkerMonths = 2 },
        Override("rules.r7.workers", "12") { $0.rules.r7.workers = 12 },
        Override("rules.r7.workers_total", "\"3万\"") { $0.rules.r7.workersTotalFen = 3_000_000 },
        Override("rules.r10.after_months", "3") { $0.rules.r10.afterMonths = 3 },
        Override("escalations.e1.workers", "30") { $0.escalations.e1.workers = 30 },
        Override("escalations.e1.protest_keywords", "[\"讨薪\", \"堵桥\"]") {
            $0.escalations.e1.protestKeywords = ["讨薪", "堵桥"]
        },
        Override("escalations.e2.red_flag_review_days", "2") { $0.escalations.e2.redFlagReviewDays = 2 },
        Override("escalations.e3.mass_incident_ack_minutes", "30") { $0.escalations.e3.massIncidentAckMinutes = 30 },
        Override("escalations.e3.other_ack_working_days", "2") { $0.escalations.e3.otherAckWorkingDays = 2 },
        Override("escalations.delivery.webhook_url", "\"http://127.0.0.1:8080/hook\"") { $0.escalations.delivery.webhookURL = "http://127.0.0.1:8080/hook" },
        Override("escalations.delivery.mail_to", "[\"liangban@example.gov.cn\"]") { $0.escalations.delivery.mailTo = ["liangban@example.gov.cn"] },
        Override("escalations.delivery.sendmail_path", "\"/usr/bin/msmtp\"") { $0.escalations.delivery.sendmailPath = "/usr/bin/msmtp" },
        Override("sms.command", "\"/usr/local/bin/sms-gateway\"") { $0.sms.command = "/usr/local/bin/sms-gateway" },
        Override("sms.webhook", "\"https://sms.example.gov.cn/send\"") { $0.sms.webhook = "https://sms.example.gov.cn/send" },
        Override("sms.templates.recorded", "\"投诉{number}已登记，{deadline}前答复\"") { $0.sms.templates.recorded = "投诉{number}已登记，{deadline}前答复" },
        Override("sms.templates.accepted", "\"投诉{number}已受理\"") { $0.sms.templates.accepted = "投诉{number}已受理" },
        Override("sms.templates.referred", "\"投诉{number}已移送{target}\"") { $0.sms.templates.referred = "投诉{number}已移送{target}" },
        Override("sms.templates.refused", "\"投诉{number}不予受理：{reason}\"") { $0.sms.templates.refused = "投诉{number}不予受理：{reason}" },
        Override("sms.templates.closed", "\"投诉{number}已办结：{disposition}，{amount}\"") { $0.sms.templates.closed = "投诉{number}已办结：{disposition}，{amount}" },
        Override("sanctions.blacklist_months", "24") { $0.sanctions.blacklistMonths = 24 },
        Override("sanctions.early_lift_after_months", "3") { $0.sanctions.earlyLiftAfterMonths = 3 },
        Override("web.pool_size", "4") { $0.web.poolSize = 4 },
        Override("web.idle_minutes", "20") { $0.web.idleMinutes = 20 },
        Override("web.session_minutes", "480") { $0.web.sessionMinutes = 480 },
        Override("web.lockout_failures", "3") { $0.web.lockoutFailures = 3 },
        Override("web.lockout_minutes", "30") { $0.web.lockoutMinutes = 30 },
        Override("web.api_requests_per_minute", "600") { $0.web.apiRequestsPerMinute = 600 },
    ]
}

/// The settings of a configuration, found by reflection: numbers, strings and lists of strings.
private func leafCount(_ value: Any) -> Int {
    switch value {
    case is Int, is Int64, is String, is [String]: return 1
    default: return Mirror(reflecting: value).children.reduce(0) { $0 + leafCount($1.value) }
    }
}

/// The dotted keys assigned in a TOML file (headers and `key = value` lines; not a TOML parser).
private func assignedKeys(in text: String) -> [String] {
    var table = ""
    var keys: [String] = []
    for line in text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
        if line.hasPrefix("["), line.hasSuffix("]"), !line.contains("\"") {
            table = String(line.dropFirst().dropLast())
        } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#"), !line.hasPrefix("\"") {
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            keys.append(table.isEmpty ? key : "\(table).\(key)")
        }
    }
    return keys
}

@Suite("wagewatch.toml: the shipped defaults")
struct ConfigurationDefaultsTests {
    @Test("the shipped wagewatch.defaults.toml loads to exactly the built-in defaults")
    func defaultsFileEqualsDefaults() throws {
        let loaded = try Configuration.load(path: defaultsFile.path)
        #expect(loaded == Configuration.defaults)
    }

    @Test("the defaults file sets every key the loader reads, each once")
    func defaultsFileListsEveryKey() throws {
        let text = try String(contentsOf: defaultsFile, encoding: .utf8)
        let inFile = assignedKeys(in: text)
        #expect(inFile.count == Set(inFile).count, "a key appears twice")
        #expect(Set(inFile) == Set(Override.all.map(\.key)))
    }

    @Test("every setting of Configuration has a key in the file")
    func everySettingHasAKey() {
        #expect(leafCount(Configuration.defaults) == Override.all.count)
        #expect(Set(Override.all.map(\.key)).count == Override.all.count)
    }

    @Test("the defaults are SPEC §3's numbers, money in fen")
    func defaultsAreTheSpecNumbers() {
        let d = Configuration.defaults
        #expect(d.complaints.decisionDays == 5)
        #expect(d.projects.depositExemptBelowFen == 300_000_000)
        #expect(d.rules.r5.perMonthFen == 5_000_000 && d.rules.r5.perYearFen == 30_000_000)
        #expect(d.rules.r7.oneWorkerFen == 800_000 && d.rules.r7.workersTotalFen == 4_000_000)
        #expect(d.rules.r6.windowDays == 90 && d.rules.r6.orangeAt == 3 && d.rules.r6.redAt == 5)
        #expect(d.escalations.e1.protestKeywords.count == 12)
        #expect(d.escalations.e3.massIncidentAckMinutes == 60)
        #expect(d.sanctions.blacklistMonths == 36 && d.sanctions.earlyLiftAfterMonths == 6)
    }
}

@Suite("wagewatch.toml: overriding the defaults")
struct ConfigurationOverrideTests {
    @Test("an empty file, or one of comments only, gives the defaults")
    func emptyFileGivesDefaults() throws {
        #expect(try Configuration.load(toml: "", source: "wagewatch.toml") == .defaults)
        #expect(try Configuration.load(toml: "# 本县使用默认值\n\n", source: "wagewatch.toml") == .defaults)
        #expect(try Configuration.load(toml: "[complaints]\n[rules.r6]\n", source: "wagewatch.toml") == .defaults)
    }

    @Test("a file saved by Windows Notepad (byte-order mark, CRLF line ends) reads the same")
    func notepadFile() throws {
        let loaded = try Configuration.load(
            toml: "\u{FEFF}# 本县配置\r\n[complaints]\r\ndecision_days = 3\r\n", source: "wagewatch.toml")
        #expect(loaded.complaints.decisionDays == 3)
    }

    @Test("each key overrides its own setting and nothing else", arguments: Override.all)
    func overrideChangesOnlyThatKey(_ override: Override) throws {
        var expected = Configuration.defaults
        override.apply(&expected)
        #expect(expected != .defaults, "the override must differ from the default")
        #expect(try Configuration.load(toml: override.toml, source: "wagewatch.toml") == expected)
    }

    @Test("dotted keys and inline tables work as well as table headers")
    func dottedKeys() throws {
        let loaded = try Configuration.load(toml: """
            rules.r6.orange_at = 2
            complaints = { decision_days = 3 }
            """, source: "wagewatch.toml")
        var expected = Configuration.defaults
        expected.rules.r6.orangeAt = 2
        expected.complaints.decisionDays = 3
        #expect(loaded == expected)
    }

    @Test("money is yuan, as an integer or any string Money.parseYuan reads", arguments: [
        ("8000", Int64(800_000)),
        ("\"8000\"", 800_000),
        ("\"8000.50\"", 800_050),
        ("\"0.8万\"", 800_000),
        ("\"¥8,000\"", 800_000),
    ])
    func moneyInYuan(_ written: String, _ fen: Int64) throws {
        let loaded = try Configuration.load(toml: "[rules.r7]\none_worker = \(written)\n", source: "wagewatch.toml")
        #expect(loaded.rules.r7.oneWorkerFen == fen)
    }

    @Test("money written as a TOML float is refused, saying to write an integer or a string")
    func floatMoneyRefused() throws {
        let error = try #require(loadFailure("[rules.r7]\none_worker = 8000.0\n"))
        #expect(error.exitCode == 3)
        #expect(error.message.hasPrefix("config: rules.r7.one_worker = 8000.0 in wagewatch.toml"))
        #expect(error.message.contains("integer"))
        #expect(error.message.contains("string"))
    }

    @Test("the protest keyword list is replaced whole, trimmed, and may be emptied")
    func keywordListOverride() throws {
        let replaced = try Configuration.load(toml: """
            [escalations.e1]
            protest_keywords = ["讨薪", " 堵桥 ", "爬塔吊"]
            """, source: "wagewatch.toml")
        #expect(replaced.escalations.e1.protestKeywords == ["讨薪", "堵桥", "爬塔吊"])
        #expect(replaced.escalations.e1.workers == 10)

        let emptied = try Configuration.load(toml: "[escalations.e1]\nprotest_keywords = []\n", source: "wagewatch.toml")
        #expect(emptied.escalations.e1.protestKeywords.isEmpty)

        let blank = try #require(loadFailure("[escalations.e1]\nprotest_keywords = [\"讨薪\", \"  \"]\n"))
        #expect(blank.message.contains("escalations.e1.protest_keywords[1]"))
        #expect(blank.message.contains("blank"))
        let number = try #require(loadFailure("[escalations.e1]\nprotest_keywords = [\"讨薪\", 5]\n"))
        #expect(number.message.contains("escalations.e1.protest_keywords[1] = 5"))
        #expect(number.message.contains("expected a string, found an integer"))
    }
}

@Suite("wagewatch.toml: mistakes are named")
struct ConfigurationErrorTests {
    @Test("an unknown key is named by its dotted path, with the key meant")
    func unknownKey() throws {
        let error = try #require(loadFailure("[rules.r6]\norang_at = 4\n"))
        #expect(error.exitCode == 3)
        #expect(error.message.hasPrefix("config: unknown key \"rules.r6.orang_at\" in wagewatch.toml"))
        #expect(error.message.contains("did you mean \"rules.r6.orange_at\"?"))

        let topLevel = try #require(loadFailure("decision_days = 3\n"))
        #expect(topLevel.message.hasPrefix("config: unknown key \"decision_days\" in wagewatch.toml"))

        let quoted = try #require(loadFailure("[complaints]\n\"decision days\" = 3\n"))
        #expect(quoted.message.contains("unknown key \"complaints.\"decision days\"\""), "\(quoted.message)")
    }

    @Test("an unknown table is named by its dotted path")
    func unknownTable() throws {
        let top = try #require(loadFailure("[rulez.r6]\norange_at = 4\n"))
        #expect(top.exitCode == 3)
        #expect(top.message.hasPrefix("config: unknown table \"rulez\" in wagewatch.toml"))
        #expect(top.message.contains("did you mean \"rules\"?"))

        let nested = try #require(loadFailure("[rules.r3]\ndays = 4\n"))
        #expect(nested.message.hasPrefix("config: unknown table \"rules.r3\" in wagewatch.toml"))

    }

    @Test("report.time_zone is gone (SPEC fixes Asia/Shanghai): a file that still sets it is refused like any unknown table")
    func removedTimeZone() throws {
        for toml in ["[report]\ntime_zone = \"Asia/Shanghai\"\n", "report = { time_zone = \"Asia/Urumqi\" }\n"] {
            let error = try #require(loadFailure(toml))
            #expect(error.exitCode == 3)
            #expect(error.message.hasPrefix("config: unknown table \"report\" in wagewatch.toml"), "\(error.message)")
        }
    }

    @Test("a value of the wrong type names the key, the value and what was expected", arguments: [
        ("[complaints]\ndecision_days = \"five\"", "complaints.decision_days = \"five\"", "expected a whole number of working days, found a string"),
        ("[complaints]\ndecision_days = 5.5", "complaints.decision_days = 5.5", "found a float"),
        ("[rules.r6]\norange_at = true", "rules.r6.orange_at = true", "found a boolean"),
        ("complaints = 5", "complaints = 5", "expected a table, found an integer"),
        ("[rules]\nr6 = [3, 5]", "rules.r6 = [", "expected a table, found an array"),
        ("[escalations.e1]\nprotest_keywords = \"讨薪\"", "escalations.e1.protest_keywords = \"讨薪\"", "expected an array of strings"),
        ("[rules.r7]\none_worker = true", "rules.r7.one_worker = true", "expected an amount in yuan"),
    ])
    func wrongType(_ toml: String, _ named: String, _ expected: String) throws {
        let error = try #require(loadFailure(toml))
        #expect(error.exitCode == 3)
        #expect(error.message.hasPrefix("config: \(named)"), "\(error.message)")
        #expect(error.message.contains(" in wagewatch.toml"))
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test("a value out of range names the key and the value", arguments: [
        ("[complaints]\ndecision_days = -1", "complaints.decision_days = -1", "must be from 1 to"),
        ("[complaints]\ntime_bar_months = 0", "complaints.time_bar_months = 0", "must be from 1 to"),
        ("[rules.r4]\nred_percent = 101", "rules.r4.red_percent = 101", "from 1 to 100 percent"),
        ("[rules.r6]\norange_at = 0", "rules.r6.orange_at = 0", "must be from 1 to"),
        ("[rules.r6]\nred_at = 2", "rules.r6.red_at = 2", "must not be below rules.r6.orange_at (3)"),
        ("[escalations.e1]\nworkers = 0", "escalations.e1.workers = 0", "must be from 1 to"),
        ("[projects]\ndeposit_rate_basis_points = 20000", "projects.deposit_rate_basis_points = 20000", "basis points"),
        // P4's 1 %–3 %: just outside either bound is refused (100 and 300 load, below).
        ("[projects]\ndeposit_rate_basis_points = 99", "projects.deposit_rate_basis_points = 99", "must be from 100 to 300 basis points"),
        ("[projects]\ndeposit_rate_basis_points = 301", "projects.deposit_rate_basis_points = 301", "must be from 100 to 300 basis points"),
        // P3's cycle of at most a month.
        ("[projects]\nallocation_cycle_max_days = 32", "projects.allocation_cycle_max_days = 32", "must be from 1 to 31 days"),
        ("[rules.r7]\none_worker = 0", "rules.r7.one_worker = 0", "must be more than 0 yuan"),
        ("[rules.r7]\none_worker = -8000", "rules.r7.one_worker = -8000", "must be more than 0 yuan"),
        ("[rules.r7]\none_worker = \"-8000\"", "rules.r7.one_worker = \"-8000\"", "is negative"),
        ("[rules.r7]\none_worker = \"8000.001\"", "rules.r7.one_worker = \"8000.001\"", "decimal places"),
        ("[rules.r7]\none_worker = \"八千\"", "rules.r7.one_worker = \"八千\"", "is not an amount in yuan"),
        ("[rules.r5]\nper_year = 9223372036854775807", "rules.r5.per_year = 9223372036854775807", "is too large"),
    ])
    func outOfRange(_ toml: String, _ named: String, _ problem: String) throws {
        let error = try #require(loadFailure(toml))
        #expect(error.exitCode == 3)
        #expect(error.message.hasPrefix("config: \(named) in wagewatch.toml: "), "\(error.message)")
        #expect(error.message.contains(problem), "\(error.message)")
    }

    @Test("a malformed file is refused with its name and the line of the mistake")
    func malformedFile() throws {
        let unclosed = try #require(loadFailure("# county settings\n[complaints\ndecision_days = 3\n", source: "county.toml"))
        #expect(unclosed.exitCode == 3)
        #expect(unclosed.message.hasPrefix("config: county.toml is not valid TOML: line 2, column"), "\(unclosed.message)")

        let twice = try #require(loadFailure("[complaints]\ndecision_days = 3\ndecision_days = 4\n", source: "county.toml"))
        #expect(twice.message.hasPrefix("config: county.toml is not valid TOML: line 3"), "\(twice.message)")
    }
}

@Suite("wagewatch.toml: which file is read")
struct ConfigurationResolveTests {
    @Test("with no file and no --config the defaults apply")
    func noFile() throws {
        try withTemporaryDirectory { dir in
            let resolved = try Configuration.resolve(explicitPath: nil, workingDirectory: dir.path)
            #expect(resolved == .defaults)
        }
    }

    @Test("wagewatch.toml in the working directory is read, and --config wins over it")
    func workingDirectoryFileAndExplicitPath() throws {
        try withTemporaryDirectory { dir in
            try "[complaints]\ndecision_days = 3\n"
                .write(to: dir.appendingPathComponent("wagewatch.toml"), atomically: true, encoding: .utf8)
            try "[complaints]\ndecision_days = 7\n"
                .write(to: dir.appendingPathComponent("county.toml"), atomically: true, encoding: .utf8)
            let implicit = try Configuration.resolve(explicitPath: nil, workingDirectory: dir.path)
            #expect(implicit.complaints.decisionDays == 3)
            let relative = try Configuration.resolve(explicitPath: "county.toml", workingDirectory: dir.path)
            #expect(relative.complaints.decisionDays == 7)
            let absolute = try Configuration.resolve(
                explicitPath: dir.appendingPathComponent("county.toml").path, workingDirectory: "/")
            #expect(absolute.complaints.decisionDays == 7)
        }
    }

    @Test("a --config file that does not exist is not found (exit 4), naming it")
    func explicitPathMissing() throws {
        try withTemporaryDirectory { dir in
            let error = try #require(failure { try Configuration.resolve(explicitPath: "nope.toml", workingDirectory: dir.path) })
            #expect(error.exitCode == 4)
            #expect(error.message.hasPrefix("config: \"nope.toml\""))
        }
    }

    @Test("a malformed wagewatch.toml on disk is refused naming the file")
    func malformedFileOnDisk() throws {
        try withTemporaryDirectory { dir in
            try "[complaints]\ndecision_days = \n"
                .write(to: dir.appendingPathComponent("wagewatch.toml"), atomically: true, encoding: .utf8)
            let error = try #require(failure { try Configuration.resolve(explicitPath: nil, workingDirectory: dir.path) })
            #expect(error.exitCode == 3)
            #expect(error.message.hasPrefix("config: wagewatch.toml is not valid TOML: line 2"), "\(error.message)")
        }
    }
}
