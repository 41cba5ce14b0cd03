import Foundation
import PostgresClient
import WagewatchCore

/// What the bureau does about the county once the rules have run: direct pay and a blacklisting.
extension SampleCounty {
    /// One worker's unpaid wages on a project, from the signed payroll.
    struct UnpaidWages {
        let idNumber: String
        let name: String
        /// Everything unpaid, and the oldest unpaid month with what is unpaid for it.
        let owedFen: Int64
        let firstMonth: Month
        let firstMonthFen: Int64
    }

    func unpaidWages(project code: String, on db: Connection) throws -> [UnpaidWages] {
        try db.query("""
            SELECT w.id_number, w.name, sum(pr.wage_due_fen - pr.wage_paid_fen)::bigint AS owed,
                   min(pr.period) AS first_month,
                   (array_agg(pr.wage_due_fen - pr.wage_paid_fen ORDER BY pr.period))[1] AS first_month_fen
            FROM payroll pr
            JOIN workers w ON w.region_code = pr.region_code AND w.id = pr.worker_id
            JOIN projects p ON p.region_code = pr.region_code AND p.id = pr.project_id
            WHERE p.code = \(code) AND pr.wage_paid_fen < pr.wage_due_fen
            GROUP BY w.id_number, w.name
            ORDER BY w.id_number
            """).map { row in
            UnpaidWages(idNumber: try row.decode("id_number"), name: try row.decode("name"), owedFen: try row.decode("owed"),
                        firstMonth: Month(containing: try row.decode("first_month", as: LocalDate.self)),
                        firstMonthFen: try row.decode("first_month_fen"))
        }
    }

    /// What a bureau does once the rules have flagged the bridge project (run after the rule run):
    /// the transport bureau confirms the red flag with direct pay (D1), an inspector plans that
    /// month's batch from the signed payroll, the bureau head approves it (maker-checker, D3) and
    /// it is paid to each worker's card; then the absconded contractor, ordered to pay and past
    /// its deadline, with a mass incident, is blacklisted (S2). Every step goes through the desks
    /// the commands use, acting as the user who would do it.
    public func enforce(configuration: Configuration, now: Date, on db: Connection, narrate: (String) -> Void) throws -> Enforcement {
        var done = Enforcement()
        let code = Self.directPayProject
        let (reviewer, planner, approver) = (Self.users[0].0, Self.users[1].0, Self.users[2].0)
        func acting(_ user: String) throws { try db.query("SELECT set_config('wagewatch.actor', \(user), false)") }
        let previous = try db.query("SELECT current_setting('wagewatch.actor', true) AS actor").one()
            .decode("actor", as: String?.self) ?? ""
        defer { _ = try? db.query("SELECT set_config('wagewatch.actor', \(previous), false)") }

        // D1: the lead department confirms the red flag with direct pay.
        var filter = FlagFilter()
        filter.projectCode = code
        filter.severity = "red"
        filter.status = "open"
        let red = try FlagDesk().list(filter, on: db)
        // Workers unpaid is what direct pay answers; any other red flag on the project would do.
        guard let flag = red.first(where: { $0.rule == "wages_unpaid" }) ?? red.first(where: { $0.rule == "partial_payroll" })
            ?? red.first else {
            throw WagewatchError.failure("demo: the rules raised no open red flag on \(code)")
        }
        try acting(reviewer)
        _ = try FlagDesk().review(flag.id, .confirm(action: "direct_pay"), reviewer: reviewer, on: db)
        let ruleID = RiskRule.all.first { $0.name == flag.rule }?.id ?? ""
        narrate("交通运输局 \(reviewer) 复核 \(code) 的红色预警 #\(flag.id)（\(ruleID) \(flag.rule)，\(flag.period)），确认并处置为“直接支付”：政府投资项目即转为工资代发到人。")

        // The oldest unpaid month; the owner first tops the wage account up to what it needs.
        let workers = try unpaidWages(project: code, on: db)
        guard let month = workers.map(\.firstMonth).min() else {
            throw WagewatchError.failure("demo: nobody on \(code) is owed wages")
        }
        let needed = try db.query("""
            SELECT coalesce(sum(pr.wage_due_fen - pr.wage_paid_fen), 0)::bigint AS fen
            FROM payroll pr JOIN projects p ON p.region_code = pr.region_code AND p.id = pr.project_id
            WHERE p.code = \(code) AND pr.period = \(month.firstDay) AND pr.signed
            """).one().decode("fen", as: Int64.self)
        let ledger = Ledger(defaultRegion: region)
        let balance = try ledger.balance(.wage(project: code), asOf: nil, on: db).balanceFen
        if needed > balance {
            _ = try ledger.transfer(key: "\(code)-directpay-\(month)", from: .fund(project: code), to: .wage(project: code),
                                    amountFen: needed - balance, occurredAt: now, memo: "按代发令拨付\(month.month)月人工费", on: db)
        }

        // D2, D3: planned by the inspector, refused to the same person, approved by the bureau head.
        let desk = DirectPayDesk()
        try acting(planner)
        let plan = try desk.plan(project: code, period: month, planner: planner, on: db)
        do {
            _ = try desk.approve(plan.batchID, approver: planner, on: db)
            throw WagewatchError.failure("demo: \(planner) approved a batch they planned")
        } catch let error where WagewatchError.from(error).kind == .permissionDenied {}
        try acting(approver)
        _ = try desk.approve(plan.batchID, approver: approver, on: db)
        let (paid, _) = try desk.execute(plan.batchID, at: now, on: db)
        done.directPayProject = code
        done.directPayBatch = paid.batchID.description
        done.directPayWorkers = paid.lines.count
        done.directPayFen = paid.totalFen
        narrate("监察员 \(planner) 按已签字工资表编制 \(month) 代发批次 #\(paid.batchID)：\(paid.lines.count) 人 \(Money.forOfficials(paid.totalFen))；"
                + "制单人自审被拒，局长 \(approver) 审批后执行，每人一笔转账直达工资卡，计入案件追回。")

        // S2: ordered to pay, deadline missed, and a mass incident: the arrears blacklist.
        guard let row = try db.query("SELECT uscc, name FROM employers WHERE absconded_on IS NOT NULL ORDER BY id LIMIT 1").first else {
            throw WagewatchError.failure("demo: no absconded contractor")
        }
        try acting(approver)
        let sanction = try SanctionDesk(configuration: configuration).add(
            contractor: try USCC(parsing: try row.decode("uscc", as: String.self)), measure: .blacklist,
            basis: "《保障农民工工资支付条例》第四十八条；《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条",
            department: "labor", from: today, until: nil, on: db)
        done.blacklisted = sanction.contractorName
        narrate("\(sanction.contractorName)：责令限期支付逾期未付，又引发群体性讨薪，列入拖欠农民工工资失信联合惩戒名单"
                + "（\(sanction.validFrom) 至 \(sanction.validUntil.map(\.description) ?? "—")），联合限制招投标、融资和高消费。")
        return done
    }
}
