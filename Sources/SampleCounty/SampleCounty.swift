import Foundation
import PostgresClient
import WagewatchCore

/// A seeded, reproducible sample county (中牟县-like, region 410122) for the demo: employers,
/// projects of every type and both funding sources, 600 workers with attendance and payroll,
/// wage accounts with some allocations overdue, a year of complaints, an absconding contractor,
/// a mass-incident complaint and a fund diversion; once the rules have run, ``enforce(configuration:on:narrate:)``
/// adds a direct-pay batch and a blacklisting. Built through the same code paths as real data
/// (intake, ledger, decisions, direct pay, sanctions), so the rules and reports see nothing special.
public struct SampleCounty: Sendable {
    public let region = "410122"
    /// The last day of the sample year (the demo passes today in Asia/Shanghai).
    public let today: LocalDate
    public let seed: UInt64

    public init(today: LocalDate, seed: UInt64 = 2026) {
        self.today = today
        self.seed = seed
    }

    /// What the county holds once loaded, for the demo's narration.
    public struct Summary: Sendable {
        public var employers = 0
        public var projects = 0
        public var workers = 0
        public var complaints = 0
        public var transfers = 0
    }

    /// What ``enforce(configuration:on:narrate:)`` did, for the demo's summary.
    public struct Enforcement: Sendable {
        public var directPayProject = ""
        public var directPayBatch = ""
        public var directPayWorkers = 0
        public var directPayFen: Int64 = 0
        public var blacklisted = ""
    }

    /// The people the demo acts as: a transport-bureau reviewer, an inspector who plans direct
    /// pay and the bureau head who approves it (maker-checker).
    static let users = [("li_jiaotong", "sector", "transport"), ("zhang_jiancha", "inspector", "labor"),
                        ("wang_juzhang", "official", "labor")]
    /// The contractor that absconds, and its government project whose workers go unpaid.
    static let absconderIndex = 5
    static let directPayProject = "ZM-QL03"

    struct Party { let name: String; let kind: String; let uscc: String }
    struct Plan { let code: String; let name: String; let type: String; let owner: Int; let contractor: Int; let valueWan: Int64; let wageAccount: Bool; let allocationsStopAgo: Int }

    static let owners = ["中牟县交通运输局", "中牟县自然资源局", "中牟县水利局", "中牟县住房和城乡建设局", "郑州绿博置业有限公司", "郑州中牟汽车零部件有限公司"]
    static let contractors = [
        "河南中原路桥建设有限公司", "河南豫水建设工程有限公司", "郑州宏达建筑劳务有限公司", "河南鼎盛建设集团有限公司",
        "河南金桥市政工程有限公司", "中牟县恒通建筑安装有限公司", "河南华夏土地整理工程有限公司",
        "郑州顺发劳务分包有限公司", "河南力源钢结构有限公司",
    ]
    static let enterprises = ["中牟县雁鸣湖服装加工点", "中牟县官渡箱包来料加工厂", "中牟县刘集电子元件加工点", "中牟县韩寺食品加工作坊", "中牟县白沙家具加工厂"]
    static let plans: [Plan] = [
        Plan(code: "ZM-G220", name: "G220国道中牟段改建工程", type: "gov_transport", owner: 0, contractor: 0, valueWan: 18600, wageAccount: true, allocationsStopAgo: 0),
        Plan(code: "ZM-X012", name: "县道X012白沙至刘集段大修工程", type: "gov_transport", owner: 0, contractor: 4, valueWan: 3200, wageAccount: true, allocationsStopAgo: 3),
        Plan(code: "ZM-QL03", name: "贾鲁河三号桥新建工程", type: "gov_transport", owner: 0, contractor: 5, valueWan: 2600, wageAccount: true, allocationsStopAgo: 4),
        Plan(code: "ZM-TD01", name: "官渡镇高标准农田建设项目", type: "gov_land", owner: 1, contractor: 6, valueWan: 4100, wageAccount: true, allocationsStopAgo: 0),
        Plan(code: "ZM-TD02", name: "狼城岗镇土地整治项目", type: "gov_land", owner: 1, contractor: 6, valueWan: 1800, wageAccount: false, allocationsStopAgo: 0),
        Plan(code: "ZM-SL01", name: "贾鲁河综合治理工程（中牟段）", type: "gov_water", owner: 2, contractor: 1, valueWan: 9500, wageAccount: true, allocationsStopAgo: 0),
        Plan(code: "ZM-SL02", name: "雁鸣湖引黄调蓄工程", type: "gov_water", owner: 2, contractor: 1, valueWan: 5200, wageAccount: true, allocationsStopAgo: 2),
        Plan(code: "ZM-ZJ01", name: "中牟县第三实验小学教学楼", type: "gov_other", owner: 3, contractor: 3, valueWan: 6800, wageAccount: true, allocationsStopAgo: 0),
        Plan(code: "ZM-ZJ02", name: "县人民医院门诊综合楼", type: "gov_other", owner: 3, contractor: 2, valueWan: 12400, wageAccount: true, allocationsStopAgo: 1),
        Plan(code: "ZM-FD01", name: "绿博·御湖湾一期住宅", type: "real_estate", owner: 4, contractor: 3, valueWan: 21800, wageAccount: true, allocationsStopAgo: 0),
        Plan(code: "ZM-FD02", name: "绿博·御湖湾二期住宅", type: "real_estate", owner: 4, contractor: 5, valueWan: 16500, wageAccount: false, allocationsStopAgo: 0),
        Plan(code: "ZM-CF01", name: "汽车零部件产业园3号厂房", type: "factory_build", owner: 5, contractor: 8, valueWan: 3900, wageAccount: true, allocationsStopAgo: 0),
        Plan(code: "ZM-CF02", name: "汽车零部件产业园仓储中心", type: "factory_build", owner: 5, contractor: 7, valueWan: 280, wageAccount: true, allocationsStopAgo: 0),
        Plan(code: "ZM-XQ01", name: "雁鸣湖服装来料加工点", type: "small_enterprise", owner: 5, contractor: 9, valueWan: 60, wageAccount: false, allocationsStopAgo: 0),
        Plan(code: "ZM-XQ02", name: "官渡箱包来料加工厂", type: "small_enterprise", owner: 5, contractor: 10, valueWan: 90, wageAccount: false, allocationsStopAgo: 0),
    ]
    static let surnames = Array("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
    static let givenNames = Array("建国伟强军勇杰涛明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋磊成斌")

    public func load(on db: Connection, narrate: (String) -> Void) throws -> Summary {
        var random = SeededRandom(state: seed)
        var summary = Summary()
        let start = today.adding(days: -364)
        let regionCode = try RegionCode(parsing: region)
        // Each user is a database login in their role's group (kept across demo runs: roles
        // belong to the cluster) and a users row, as `wagewatch user add` makes them.
        for (name, role, department) in Self.users {
            _ = try UserDirectory().add(name: name, role: role, department: department, regionCode: region, on: db)
        }

        // Employers: owners, general contractors and subcontractors, and small enterprises.
        var parties: [Party] = []
        for (i, name) in Self.owners.enumerated() {
            parties.append(Party(name: name, kind: "owner",
                                 uscc: try USCC.make(department: i < 4 ? "1" : "9", type: "1", region: region, organisation: String(format: "%08d", 41_000 + i)).value))
        }
        for (i, name) in Self.contractors.enumerated() {
            parties.append(Party(name: name, kind: i >= 7 ? "subcontractor" : "general_contractor",
                                 uscc: try USCC.make(region: region, organisation: String(format: "%08d", 52_000 + i)).value))
        }
        for (i, name) in Self.enterprises.enumerated() {
            parties.append(Party(name: name, kind: "enterprise",
                                 uscc: try USCC.make(type: "2", region: region, organisation: String(format: "%08d", 63_000 + i)).value))
        }
        let ownerAt = { (i: Int) in parties[i] }
        let contractorAt = { (i: Int) in i < 9 ? parties[6 + i] : parties[15 + (i - 9)] }
        try db.query("""
            INSERT INTO employers (region_code, uscc, name, name_key, kind, legal_rep)
            SELECT \(region), u, n, n, k, '法定代表人' FROM unnest(\(parties.map(\.uscc)), \(parties.map(\.name)), \(parties.map(\.kind))) AS t(u, n, k)
            """)
        summary.employers = parties.count
        narrate("登记 \(parties.count) 家用人单位：建设单位、施工总承包、劳务分包和来料加工点。")

        // Projects, their wage accounts and labour-cost allocations.
        let ledger = Ledger(defaultRegion: region)
        for plan in Self.plans {
            let signed = start.adding(days: 10 + random.below(60))
            let plannedStart = signed.adding(days: 20)
            try db.query("""
                INSERT INTO projects (region_code, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                    contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen,
                    status, actual_start, forced_start_reason, deposit_exempt)
                SELECT \(region), \(plan.code), \(plan.name), \(plan.type),
                       \(plan.type.hasPrefix("gov_") ? "government" : "social"),
                       (SELECT id FROM employers WHERE uscc = \(ownerAt(plan.owner).uscc)),
                       (SELECT id FROM employers WHERE uscc = \(contractorAt(plan.contractor).uscc)),
                       \(plan.valueWan * Money.fenPerWan), \(signed), \(plannedStart), \(today.adding(days: 200)), 30,
                       \(plan.valueWan * Money.fenPerWan / 40), 'started', \(plannedStart),
                       \(plan.wageAccount || plan.type == "small_enterprise" ? nil : "抢工期，专户手续在办"),
                       \(plan.valueWan < 300)
                """)
            _ = try ledger.transfer(key: "\(plan.code)-funds", from: .external(name: ownerAt(plan.owner).name),
                                    to: .fund(project: plan.code), amountFen: plan.valueWan * Money.fenPerWan / 2,
                                    occurredAt: instant(signed), memo: "工程款拨付", on: db)
            guard plan.wageAccount else { continue }
            _ = try ledger.open(.wage(project: plan.code), bank: "中国农业银行中牟县支行",
                                number: "16" + String(format: "%015d", 510_000 + summary.projects), openedOn: signed.adding(days: 5), on: db)
            var due = plannedStart
            var month = 0
            let stop = today.adding(days: -30 * plan.allocationsStopAgo)
            while due <= today {
                if due <= stop {
                    _ = try ledger.transfer(key: "\(plan.code)-alloc-\(month)", from: .fund(project: plan.code),
                                            to: .wage(project: plan.code), amountFen: plan.valueWan * Money.fenPerWan / 40,
                                            occurredAt: instant(due), memo: "人工费用拨付", on: db)
                }
                due = due.adding(days: 30)
                month += 1
            }
            summary.projects += 1
        }
        summary.projects = Self.plans.count
        narrate("登记 \(Self.plans.count) 个项目（交通、国土、水务、住建、房地产、厂房、来料加工），开立农民工工资专用账户并按月拨付人工费。")

        // Workers with attendance and monthly payroll; most are paid through the wage account.
        var workerRows: [(id: String, name: String, project: String, contractor: String)] = []
        for (p, plan) in Self.plans.enumerated() {
            for w in 0..<40 {
                let n = p * 40 + w
                let birth = LocalDate(year: 1965 + random.below(35), month: 1 + random.below(12), day: 1 + random.below(28))!
                let id = ResidentID.make(region: regionCode, birth: birth, sequence: 100 + n).value
                let name = String(Self.surnames[random.below(Self.surnames.count)])
                    + String(Self.givenNames[random.below(Self.givenNames.count)])
                workerRows.append((id, name, plan.code, contractorAt(plan.contractor).uscc))
            }
        }
        try db.query("""
            INSERT INTO workers (region_code, id_number, name, bank, bank_account, employer_id, project_id, joined)
            SELECT \(region), w.id, w.name, '中国农业银行', '62284800' || lpad(w.ord::text, 11, '0'),
                   (SELECT id FROM employers WHERE uscc = w.contractor), (SELECT id FROM projects WHERE code = w.project),
                   \(start)
            FROM unnest(\(workerRows.map(\.id)), \(workerRows.map(\.name)), \(workerRows.map(\.project)), \(workerRows.map(\.contractor)))
                 WITH ORDINALITY AS w(id, name, project, contractor, ord)
            """)
        summary.workers = workerRows.count
        let firstMonth = Month(containing: today.adding(days: -180))
        try db.query("""
            INSERT INTO attendance (region_code, project_id, day, worker_id)
            SELECT w.region_code, w.project_id, d::date, w.id
            FROM workers w CROSS JOIN generate_series(\(firstMonth.firstDay), \(today), interval '1 day') d
            WHERE extract(isodow FROM d) < 7 AND hashtext(w.id_number || d::text) % 10 <> 0
            """)
        // Payroll per month up to last month; the stalled projects stop paying three months ago.
        let unpaidProjects = ["ZM-QL03", "ZM-FD02", "ZM-XQ02"]
        try db.query("""
            INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, paid_on, signed)
            SELECT w.region_code, w.project_id, m::date, w.id, a.days, a.days * 28000,
                   CASE WHEN p.code = ANY(\(unpaidProjects)) AND m >= \(today.adding(days: -100)) THEN 0 ELSE a.days * 28000 END,
                   CASE WHEN p.code = ANY(\(unpaidProjects)) AND m >= \(today.adding(days: -100)) THEN NULL
                        ELSE (m + interval '1 month 9 days')::date END,
                   true
            FROM workers w
            JOIN projects p ON p.region_code = w.region_code AND p.id = w.project_id
            CROSS JOIN generate_series(\(firstMonth.firstDay), \(Month(containing: today).previous.firstDay), interval '1 month') m
            CROSS JOIN LATERAL (SELECT count(*)::int AS days FROM attendance a WHERE a.region_code = w.region_code
                                AND a.project_id = w.project_id AND a.worker_id = w.id
                                AND a.day >= m::date AND a.day < (m + interval '1 month')::date) a
            WHERE a.days > 0
            """)
        // Wages out of the wage accounts, one transfer per worker per month paid (to the worker's card).
        let payouts = try db.query("""
            SELECT p.code, w.id AS worker_row, w.id_number, pr.period, pr.wage_paid_fen, pr.paid_on
            FROM payroll pr JOIN workers w ON w.region_code = pr.region_code AND w.id = pr.worker_id
            JOIN projects p ON p.region_code = pr.region_code AND p.id = pr.project_id
            WHERE pr.wage_paid_fen > 0 AND pr.paid_on <= \(today)
              AND EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.kind = 'wage' AND a.ref = p.code)
            ORDER BY pr.paid_on, p.code, w.id_number
            """)
        var paid = 0
        for row in payouts {
            let code: String = try row.decode("code")
            let id: String = try row.decode("id_number")
            let period: LocalDate = try row.decode("period")
            do {
                // Keys name the worker by row, never by ID number: keys are shown in ledgers.
                let workerRow: Int64 = try row.decode("worker_row")
                _ = try ledger.transfer(key: "\(code)-wage-\(period)-w\(workerRow)", from: .wage(project: code), to: .worker(idNumber: id),
                                        amountFen: try row.decode("wage_paid_fen"), occurredAt: instant(try row.decode("paid_on")),
                                        memo: "\(period.year)年\(period.month)月工资", on: db)
                paid += 1
            } catch where WagewatchError.from(error).kind == .conflict {
                // The wage account ran dry: the rest of the month stays unpaid, as on a real site.
                continue
            }
        }
        narrate("\(workerRows.count) 名农民工实名登记，考勤和工资表逐月生成；\(paid) 笔工资经专户代发到人，部分项目停发。")

        // A fund diversion on a government project.
        _ = try ledger.transfer(key: "ZM-X012-diversion", from: .fund(project: "ZM-X012"), to: .external(name: "安徽某物资贸易有限公司"),
                                amountFen: 860_000_00, occurredAt: instant(today.adding(days: -20)), memo: "材料款", on: db)

        // A year of complaints, then this week's mass-incident risk and an absconding contractor.
        let intake = ComplaintIntake()
        let desk = ComplaintDesk()
        let cases = CaseDesk()
        var complaints: [(IntakeResult, ComplaintInput)] = []
        for n in 0..<147 {
            let day = start.adding(days: (n * 364) / 147 + random.below(2))
            let hour = 8 + random.below(9)
            let contractor = contractorAt(random.below(11))
            let workers = 1 + random.below(8)
            let fields: [String: String] = [
                "received_at": "\(day) \(String(format: "%02d:%02d", hour, random.below(60)))", "region_code": region,
                "channel": ["12333", "12333", "12333", "walk_in", "online", "letter"][random.below(6)],
                "caller_name": String(Self.surnames[random.below(Self.surnames.count)]) + "师傅",
                "caller_phone": "13\(random.below(10))\(String(format: "%08d", random.below(100_000_000)))",
                "employer_name": contractor.name, "employer_uscc": contractor.uscc,
                "workers_involved": String(workers), "amount_owed": String(workers * (2_500 + random.below(3_500))),
                "owed_since": day.adding(days: -60 - random.below(60)).description, "owed_until": day.adding(days: -20).description,
                "text": ["工地结束后工资一直未结清", "包工头说上面没拨款", "干了三个月只发了生活费", "年底要回家，工资还没给"][random.below(4)],
            ]
            let input = try ComplaintInput.parse { fields[$0] }.get()
            complaints.append((try intake.add(input, on: db), input))
        }
        // Decisions within the deadline for most; recoveries on most accepted cases.
        for (index, (result, input)) in complaints.enumerated() where result.outcome == nil {
            let received = DateInput.shanghaiDate(of: input.receivedAt)
            guard received < today.adding(days: -7) else { continue }
            let decidedOn = received.adding(days: 1 + random.below(4))
            let decidedAt = try DateInput.receivedAt("\(decidedOn) 10:30", field: "decided_at")
            if index % 9 == 0 {
                _ = try desk.decide(.number(result.number), .refer(target: "中牟县劳动人事争议仲裁委员会"), today: decidedOn, at: decidedAt, on: db)
            } else if index % 13 == 0 {
                _ = try desk.decide(.number(result.number), .refuse(reason: "不属于劳动关系"), today: decidedOn, at: decidedAt, on: db)
            } else {
                let decided = try desk.decide(.number(result.number), .accept, today: decidedOn, at: decidedAt, on: db)
                guard let caseID = decided.caseID, random.chance(80) else { continue }
                let record = try cases.find(caseID, on: db)
                let outstanding = record.owedFen - record.recoveredFen
                guard outstanding > 0 else { continue }
                let worker = workerRows[random.below(workerRows.count)].id
                let amount = random.chance(70) ? outstanding : outstanding / 2
                let recoveredOn = min(today, decidedOn.adding(days: 10 + random.below(40)))
                let source: RecoverySource = random.chance(75) ? .employer : .generalContractor
                _ = try cases.recover(caseID, worker: try ResidentID(parsing: worker, today: today), amountFen: amount,
                                      source: source, on: recoveredOn,
                                      key: "demo-recovery-\(caseID)-\(index)", on: db)
                if amount == outstanding && random.chance(85) {
                    // Closed on the day the last of it was recovered, as the inspector would.
                    _ = try cases.close(caseID, disposition: source == .employer ? .paidInFull : .paidByContractor,
                                        at: try DateInput.receivedAt("\(recoveredOn) 16:00", field: "closed_at"), on: db)
                }
            }
        }

        // The absconding contractor's story. Its government bridge project stopped paying wages;
        // 25 days ago 12 workers complained, the case lists what each of the 40 on site is owed,
        // and the contractor was ordered to pay by a deadline (责令限期支付) that passed unpaid.
        let absconder = contractorAt(Self.absconderIndex)
        let absconderUSCC = try USCC(parsing: absconder.uscc)
        let bridge = try unpaidWages(project: Self.directPayProject, on: db)
        guard bridge.count >= 40, let firstUnpaid = bridge.first?.firstMonth else {
            throw WagewatchError.failure("demo: \(Self.directPayProject) should have 40 unpaid workers, has \(bridge.count)")
        }
        func complaint(_ received: String, project: String, workers: [UnpaidWages], amountFen: Int64, since: LocalDate,
                       absconded: Bool, text: String) throws -> (IntakeResult, ComplaintInput) {
            let fields: [String: String] = [
                "received_at": received, "region_code": region, "channel": "12333", "caller_name": "工人代表",
                "caller_phone": "139\(String(format: "%08d", 20_000_000 + random.below(70_000_000)))",
                "employer_name": absconder.name, "employer_uscc": absconder.uscc, "project_code": project,
                "workers_involved": String(workers.count), "amount_owed": Money.yuan(amountFen),
                "owed_since": since.description, "employer_absconded": absconded ? "true" : "false", "text": text,
            ]
            let input = try ComplaintInput.parse { fields[$0] }.get()
            return (try intake.add(input, on: db), input)
        }
        let first = try complaint(
            "\(today.adding(days: -25)) 10:32", project: Self.directPayProject, workers: Array(bridge.prefix(12)),
            amountFen: bridge.prefix(12).reduce(0) { $0 + $1.firstMonthFen }, since: firstUnpaid.firstDay, absconded: false,
            text: "贾鲁河三号桥工地12名工人\(firstUnpaid.month)月工资未发，项目经理说等上面拨款")
        complaints.append(first)
        guard let bridgeCase = try desk.decide(
            .number(first.0.number), .accept, today: today.adding(days: -24),
            at: try DateInput.receivedAt("\(today.adding(days: -24)) 09:40", field: "decided_at"), on: db).caseID else {
            throw WagewatchError.failure("demo: accepting \(first.0.number) opened no case")
        }
        for worker in bridge {
            _ = try cases.claim(bridgeCase, worker: try ResidentID(parsing: worker.idNumber, today: today), name: worker.name,
                                owedFen: worker.owedFen, on: db)
        }
        let owedOnBridge = bridge.reduce(Int64(0)) { $0 + $1.owedFen }
        _ = try SanctionDesk().order(
            contractor: absconderUSCC, amountFen: owedOnBridge, issuedOn: today.adding(days: -22), deadline: today.adding(days: -12),
            basis: "中牟县人力资源和社会保障局劳动保障监察限期改正指令书（中人社监令〔\(today.year)〕17号）", caseID: bridgeCase, on: db)

        // This week: the other 28 threaten to gather at the county government (a mass-incident
        // risk, merged into the open case), and the contractor's housing site is abandoned.
        let recent = today.isoWeekday == 1 ? "\(today) 00:1" : "\(today.adding(days: -1)) 09:1"
        complaints.append(try complaint(
            recent + "8", project: Self.directPayProject, workers: Array(bridge.dropFirst(12)),
            amountFen: bridge.dropFirst(12).reduce(0) { $0 + $1.owedFen }, since: firstUnpaid.firstDay, absconded: false,
            text: "二十多名工人扬言明天去县政府门口聚集讨薪，还要拉横幅"))
        let housing = Array(try unpaidWages(project: "ZM-FD02", on: db).prefix(9))
        complaints.append(try complaint(
            recent + "2", project: "ZM-FD02", workers: housing, amountFen: housing.reduce(0) { $0 + $1.owedFen },
            since: housing.first?.firstMonth.firstDay ?? firstUnpaid.firstDay, absconded: true,
            text: "老板电话打不通，项目部人去楼空，工人堵在工地门口"))
        try db.query("UPDATE employers SET absconded_on = \(today.adding(days: -1)) WHERE uscc = \(absconder.uscc)")
        summary.complaints = complaints.count

        // A restriction on the absconding contractor, recorded by the construction bureau.
        _ = try SanctionDesk().add(
            contractor: absconderUSCC, measure: .restrictBidding, basis: "《保障农民工工资支付条例》第四十八条：限制参与政府投资项目招投标",
            department: "construction", from: today.adding(days: -90), until: today.adding(days: 275), on: db)
        summary.transfers = try db.query("SELECT count(*) AS n FROM transfers").one().decode("n")
        narrate("一年来受理 \(complaints.count) 起欠薪投诉，多数已立案追回。\(absconder.name)拖欠贾鲁河三号桥 \(bridge.count) 名工人工资，"
                + "责令限期支付逾期未付；本周 \(bridge.count - 12) 名工人扬言到县政府聚集讨薪，老板失联、工地人去楼空。")
        return summary
    }

    func instant(_ day: LocalDate) -> Date {
        PostgresTimestamp.parse("\(day)T10:00:00+08:00")!
    }
}
