import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore
import SampleCounty
import WagewatchWeb

/// `wagewatch demo`: the sample county, from scratch, in its own database.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a sample county into its own database, run the rules and show what a bureau sees.",
        discussion: """
            A year of a 中牟县-like county: 20 employers, 15 projects of every type, 600 workers with attendance
            and payroll, 150 complaints, an absconding contractor, a mass-incident complaint and a fund
            diversion. It runs the rules and escalations, confirms a red flag with direct pay, plans, approves
            and pays a direct-pay batch, blacklists the absconder, and writes this week's report in HTML and
            Markdown. It (re)creates the database wagewatch_demo on the same server (the embedded cluster
            unless --db or DATABASE_URL names another) and never touches any other database. The same day
            gives the same county.

            Example: wagewatch demo --out-dir /tmp/wagewatch-demo
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("out-dir"), help: "Folder to write this week's report into, as weekly-YYYY-Www.html and .md (default: ./out).")
    var outputFolder: String?

    @Flag(help: "Then keep the web desk running on the sample county until Ctrl-C.") var serve = false
    @Option(help: ArgumentHelp("Where the desk listens with --serve.", valueName: "host:port")) var listen = "127.0.0.1:8080"

    func validate() throws {
        guard ServeCommand.split(listen) != nil else {
            throw ArgumentParser.ValidationError("--listen: \"\(listen)\" is not HOST:PORT (e.g. 127.0.0.1:8080)")
        }
    }

    static let database = "wagewatch_demo"
    /// The web desk's password of every sample user (a demo: never a real deployment's).
    static let deskPassword = "wagewatch-demo"
    /// The hotline worker of the sample county, beside the sample county's own users.
    static let hotline = "liu_rexian"
    /// The bureau's administrator (users, the configuration in force, the audit log), so that a
    /// newcomer can try the administrators' desk too.
    static let administrator = "sun_guanli"

    func run() throws {
        let output = Output(json: global.json)
        let configuration = try global.configuration()
        let pinned = try global.pinnedNow()
        func step(_ text: String) { output.note("▸ " + text) }

        // The demo database, reset: never the database the user works in.
        let server = try global.openDatabase(output: output, checkSchema: false, mayCreateCluster: true)
        let conninfo = try SampleCounty.recreateDatabase(named: Self.database, on: server)
        server.close()
        let connection = try Connection(conninfo)
        try global.migrator().migrate(connection)
        try configuration.storeSettings(on: connection)
        let session = try Session.begin(
            on: connection, Session.Request(connect: { try Connection(conninfo) }, configuration: configuration, pinnedNow: pinned),
            systemNow: Date())
        defer { session.close() }
        let db = session.connection
        let now = session.now
        let today = session.today
        step("建立演示数据库 \(Self.database)（每次运行都重建，不会改动其他数据库）。")

        let started = ContinuousClock.now
        let county = SampleCounty(today: today)
        let summary = try county.load(on: db) { step($0) }

        let rules = try session.rules
            .run(asOf: today, full: true, on: db)
        let flags = try session.flags.list(FlagFilter(), on: db)
        let red = flags.filter { $0.severity == .red }.count
        step("风险规则 R1–R12 运行完毕：\(flags.count) 条预警（红色 \(red) 条），已按归口管理推送到交通、国土、水务、住建、经贸和乡镇。")
        let catchUp = try session.escalations.catchUp(now: now, on: db)
        let escalations = try session.escalations.list(EscalationFilter(), now: now, on: db)
        step("升级处置：\(escalations.count) 条（群体性风险 \(escalations.filter(\.massIncident).count) 条直报两办），本次补报逾期事项 \(catchUp.raised) 条。")

        // What the departments do about it: direct pay on the flagged bridge, and a blacklisting.
        let enforcement = try county.enforce(configuration: configuration, now: now, on: db) { step($0) }

        // This week's report for the county's officials, in HTML and Markdown.
        let week = ISOWeek.containing(today)
        let report = try WeeklyReport.build(week: week, region: nil, now: now, on: db)
        let renderer = ReportRenderer(report: report, version: WagewatchVersion.current, generatedAt: now, language: .zh)
        let folder = URL(fileURLWithPath: outputFolder ?? "out", isDirectory: true).standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let htmlPath = folder.appendingPathComponent("weekly-\(week).html").path
        let markdownPath = folder.appendingPathComponent("weekly-\(week).md").path
        do {
            try renderer.html().write(toFile: htmlPath, atomically: true, encoding: .utf8)
            try renderer.markdown().write(toFile: markdownPath, atomically: true, encoding: .utf8)
        } catch {
            throw WagewatchError.failure("out: cannot write the report into \(folder.path): \(error.localizedDescription)")
        }
        step("本周（\(week)）升级处置周报已生成，供县委县政府两办和局领导阅看。")

        // The web desk's people: the sample county's users and a hotline worker, one demo password.
        let region = county.region
        let existing = try session.users.list(on: db)
        if !existing.contains(where: { $0.name == Self.hotline }) {
            _ = try session.users.add(name: Self.hotline, role: "intake", department: "labor", regionCode: region, on: db)
        }
        if !existing.contains(where: { $0.name == Self.administrator }) {
            _ = try session.users.add(name: Self.administrator, role: "admin", department: "labor", regionCode: nil, on: db)
        }
        let hash = try Passwords.hash(Self.deskPassword)
        let deskUsers = try session.users.list(on: db)
        for user in deskUsers { try session.users.setPassword(name: user.name, hash: hash, on: db) }

        let totals = try SampleCounty.totals(on: db)
        let (complaints, workers, owed, recovered) = (totals.complaints, totals.workers, totals.owedFen, totals.recoveredFen)
        let elapsed = ContinuousClock.now - started
        output.say("""

            中牟县（示例）欠薪监测 — 截至 \(today)
            一年来已处理劳资纠纷\(complaints)起，涉及民工\(workers)人，金额\(Money.forOfficials(owed))；已追回\(Money.forOfficials(recovered))。
            \(summary.employers) 家单位、\(summary.projects) 个项目、\(summary.workers) 名农民工、\(summary.transfers) 笔专户资金往来。
            预警 \(flags.count) 条（红 \(red)），升级 \(escalations.count) 条；规则运行 \(rules.outcomes.reduce(0) { $0 + $1.milliseconds }) ms，全程 \(elapsed.components.seconds) s。
            本周直接支付（代发工资）\(report.directPayments)笔，共\(Money.forOfficials(report.directPayFen))（\(enforcement.directPayProject) 批次 #\(enforcement.directPayBatch)，\(enforcement.directPayWorkers) 人）；新增惩戒 \(report.sanctions.count) 项：\(enforcement.blacklisted)列入失信联合惩戒名单。

            Weekly report: \(htmlPath)
                           \(markdownPath)
            Explore it:  wagewatch --db "\(conninfo)" flags list

            The web desk: ./scripts/demo --serve (or wagewatch demo --serve), then http://\(listen)/
              sign in as \(deskUsers.map { "\($0.name) (\(Labels.text(.userRole, $0.role.rawValue)))" }.joined(separator: ", "))
              password: \(Self.deskPassword)
            """)
        guard serve else { return }
        let (host, port) = ServeCommand.split(listen)!
        let serverConninfo = try ServeCommand.serverConninfo(from: db, explicitURL: conninfo)
        try ServeCommand.serve(conninfo: serverConninfo, configuration: configuration, pinnedNow: pinned, host: host, port: port,
                               publicURL: nil, output: output)
    }
}
