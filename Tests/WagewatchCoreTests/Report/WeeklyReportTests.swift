import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// A fixed instant in Asia/Shanghai (`2026-02-23 10:00`).
private func shanghai(_ text: String) -> Date {
    try! DateInput.receivedAt(text, field: "test")
}

private let week08 = ISOWeek(year: 2026, week: 8)!

@Suite("ISO weeks in Asia/Shanghai")
struct ISOWeekTests {
    @Test("a week is parsed from YYYY-Www and runs Monday to Sunday")
    func parsing() throws {
        let week = try ISOWeek(parsing: "2026-W08")
        #expect(week.monday == LocalDate(year: 2026, month: 2, day: 16))
        #expect(week.sunday == LocalDate(year: 2026, month: 2, day: 22))
        #expect(week.description == "2026-W08")
        // A year before 1000 prints as it parses (Schemathesis found `0891-W28` reported as `891-W28`).
        #expect(try ISOWeek(parsing: "0891-W28").description == "0891-W28")
        #expect(ISOWeek.containing(LocalDate(year: 2026, month: 1, day: 1)!).description == "2026-W01")
        #expect(ISOWeek.containing(LocalDate(year: 2027, month: 1, day: 3)!).description == "2026-W53")
        #expect(ISOWeek.containing(LocalDate(year: 2024, month: 12, day: 30)!).description == "2025-W01")
        #expect(week.trend.count == 12)
        #expect(week.trend.first?.description == "2025-W49")
        #expect(week.trend.last == week)
    }

    @Test("a week that does not exist or is badly written is invalid input naming the value")
    func invalid() {
        for text in ["2026-W99", "2025-W53", "2026-W00", "2026W08", "2026-08", "2026-w08", "二〇二六-W08"] {
            #expect(throws: ValidationError.self, "\(text)") { try ISOWeek(parsing: text) }
            do { _ = try ISOWeek(parsing: text) } catch { #expect(error.description.contains(text)) }
        }
        #expect(ISOWeek(year: 2026, week: 53) != nil)
    }
}

@Suite("Weekly escalation report")
struct WeeklyReportTests {
    let intake = ComplaintIntake()
    let desk = ComplaintDesk()
    let now = shanghai("2026-02-23 10:00")

    @Test("the week's totals equal independent SQL counts over a generated data set")
    func totalsMatchSQL() async throws {
        try await TestDatabase.withFresh { db, _ in
            // 60 complaints over six weeks, some accepted, some recovered and closed.
            var seed: UInt64 = 20260216
            func next(_ bound: Int) -> Int {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Int((seed >> 33) % UInt64(bound))
            }
            var accepted: [CaseID] = []
            for i in 0..<60 {
                let day = LocalDate(year: 2026, month: 1, day: 19)!.adding(days: next(42))
                let hour = next(24), minute = next(60)
                let received = "\(day) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
                let added = try intake.add(try complaint(
                    received: received, employer: "测试建筑劳务公司\(i)", workers: 1 + next(15),
                    amount: "\(1000 + next(90000)).\(next(100))"), on: db)
                if added.outcome == nil, next(2) == 0 {
                    let decided = try desk.decide(.number(added.number), .accept, today: day.adding(days: 1 + next(3)), on: db)
                    if let caseID = decided.caseID { accepted.append(caseID) }
                }
            }
            let worker = try ResidentID(parsing: "11010519491231002X", today: .testToday)
            for (i, caseID) in accepted.enumerated() where i % 2 == 0 {
                let on = LocalDate(year: 2026, month: 2, day: 10)!.adding(days: i % 14)
                _ = try CaseDesk().recover(caseID, worker: worker, amountFen: 50_000, source: i % 4 == 0 ? .directPay : .employer,
                                           on: on, key: "k\(i)", on: db)
            }
            try db.query("""
                UPDATE cases SET status = 'closed', closed_at = '2026-02-18 23:30+08', close_reason = 'paid'
                WHERE id % 3 = 0
                """)
            let report = try WeeklyReport.build(week: week08, region: nil, now: now, on: db)
            // Independent counts by instants, not by the stored received_on.
            let expected = try db.query("""
                SELECT (SELECT count(*) FROM complaints WHERE received_at >= '2026-02-16 00:00+08'
                            AND received_at < '2026-02-23 00:00+08')::bigint AS complaints,
                       (SELECT coalesce(sum(workers_involved), 0) FROM complaints WHERE received_at >= '2026-02-16 00:00+08'
                            AND received_at < '2026-02-23 00:00+08')::bigint AS workers,
                       (SELECT coalesce(sum(amount_owed_fen), 0) FROM complaints WHERE received_at >= '2026-02-16 00:00+08'
                            AND received_at < '2026-02-23 00:00+08')::bigint AS owed,
                       (SELECT count(*) FROM cases WHERE accepted_on BETWEEN '2026-02-16' AND '2026-02-22')::bigint AS accepted,
                       (SELECT count(*) FROM cases WHERE closed_at >= '2026-02-16 00:00+08'
                            AND closed_at < '2026-02-23 00:00+08')::bigint AS closed,
                       (SELECT coalesce(sum(amount_fen), 0) FROM recoveries
                            WHERE recovered_on BETWEEN '2026-02-16' AND '2026-02-22')::bigint AS recovered,
                       (SELECT coalesce(sum(amount_fen), 0) FROM recoveries WHERE source = 'direct_pay'
                            AND recovered_on BETWEEN '2026-02-16' AND '2026-02-22')::bigint AS direct,
                       (SELECT count(*) FROM complaints WHERE received_at >= '2026-01-01 00:00+08'
                            AND received_at < '2026-02-23 00:00+08')::bigint AS ytd
                """).one()
            #expect(report.totals.complaints == (try expected.decode("complaints", as: Int64.self)))
            #expect(report.totals.complaints > 0)
            #expect(report.totals.workersInvolved == (try expected.decode("workers", as: Int64.self)))
            #expect(report.totals.owedFen == (try expected.decode("owed", as: Int64.self)))
            #expect(report.totals.casesAccepted == (try expected.decode("accepted", as: Int64.self)))
            #expect(report.totals.casesClosed == (try expected.decode("closed", as: Int64.self)))
            #expect(report.totals.recoveredFen == (try expected.decode("recovered", as: Int64.self)))
            #expect(report.directPayFen == (try expected.decode("direct", as: Int64.self)))
            #expect(report.yearToDate.complaints == (try expected.decode("ytd", as: Int64.self)))
            #expect(report.trend.map(\.complaints).reduce(0, +) <= report.yearToDate.complaints + 60)
            #expect(report.trend.last?.complaints == report.totals.complaints)
            #expect(!report.zeroReport)
        }
    }

    @Test("a complaint received Sunday 23:59 in Shanghai is in the week; Monday 00:00 is in the next")
    func weekBoundaries() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try intake.add(try complaint(received: "2026-02-22 23:59", employer: "周日公司", workers: 2, amount: "1000"), on: db)
            _ = try intake.add(try complaint(received: "2026-02-23 00:00", employer: "周一公司", workers: 5, amount: "3000"), on: db)
            // 2026-02-15 16:00 UTC is Monday 00:00 in Shanghai: in week 8, though Sunday in UTC.
            _ = try intake.add(try complaint(received: "2026-02-15T16:00:00Z", employer: "时区公司", workers: 1, amount: "500"), on: db)
            let w08 = try WeeklyReport.build(week: week08, region: nil, now: shanghai("2026-03-02 10:00"), on: db)
            let w09 = try WeeklyReport.build(week: week08.adding(weeks: 1), region: nil, now: shanghai("2026-03-02 10:00"), on: db)
            #expect(w08.totals.complaints == 2)
            #expect(w08.totals.workersInvolved == 3)
            #expect(w08.totals.owedFen == 150_000)
            #expect(w09.totals.complaints == 1)
            #expect(w09.totals.workersInvolved == 5)
            #expect(w09.week.description == "2026-W09")
        }
    }

    @Test("an empty week gives a zero report, never an error")
    func zeroReport() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try intake.add(try complaint(received: "2026-01-05 10:00", employer: "一月公司"), on: db)
            let report = try WeeklyReport.build(week: week08, region: nil, now: now, on: db)
            #expect(report.zeroReport)
            #expect(report.totals.isZero)
            #expect(report.yearToDate.complaints == 1)
            for language in ReportLanguage.allCases {
                let renderer = ReportRenderer(report: report, version: "0.1.0", generatedAt: now, language: language)
                let md = renderer.markdown()
                #expect(md.contains(language == .zh ? "零报告" : "Zero report: nothing to report this week"))
                #expect(renderer.html().contains(language == .zh ? "零报告" : "Zero report"))
                #expect(try renderer.json().contains("\"zero_report\" : true"))
            }
        }
    }

    @Test("the scorecard counts a complaint decided or a case closed on time at once, before its deadline passes, and a late one from its deadline")
    func scorecardCountsEarlyWork() async throws {
        try await TestDatabase.withFresh { db, _ in
            // Week 10 is 2026-03-02 to 03-08; the report is made on Monday 03-09, so its date is 03-08.
            // Received Monday 03-02, a complaint is due 03-09 (03-03 … 03-06, 03-09: no holiday, no 调休).
            let early = try intake.add(try complaint(received: "2026-03-02 09:00", employer: "早办公司"), on: db)
            _ = try intake.add(try complaint(received: "2026-03-02 09:30", employer: "未办公司"), on: db)
            // Received Monday 02-02, due 02-09 (02-03 … 02-06, 02-09), decided late on 02-10.
            let late = try intake.add(try complaint(received: "2026-02-02 09:00", employer: "迟办公司"), on: db)
            let decided = try desk.decide(.number(early.number), .accept, today: LocalDate(year: 2026, month: 3, day: 3)!,
                                          at: PostgresTimestamp.parse("2026-03-03T10:00:00+08:00")!, on: db)
            _ = try desk.decide(.number(late.number), .refuse(reason: "不属于本辖区"), today: LocalDate(year: 2026, month: 2, day: 10)!,
                                at: PostgresTimestamp.parse("2026-02-10T10:00:00+08:00")!, on: db)
            // Its case, due 60 working days after 03-03, closed on 03-05.
            let caseID = try #require(decided.caseID)
            try db.query("""
                UPDATE cases SET status = 'closed', closed_at = '2026-03-05 10:00+08', close_reason = 'paid' WHERE id = \(caseID)
                """)
            let report = try WeeklyReport.build(week: ISOWeek(year: 2026, week: 10)!, region: nil, now: shanghai("2026-03-09 10:00"), on: db)
            let labor = try #require(report.scorecard.first { $0.department == "labor" })
            // The early decision and the late one count; the undecided complaint, due 03-09, does not yet.
            #expect(labor.complaintsDue == 2 && labor.complaintsOnTime == 1, "\(labor)")
            #expect(labor.casesDue == 1 && labor.casesOnTime == 1, "\(labor)")
        }
    }

    @Test("the scorecard's share of cases closed with the wages paid counts dispositions, not close reasons (SPEC §10 N3)")
    func scorecardCountsPaidDispositions() async throws {
        try await TestDatabase.withFresh { db, _ in
            var cases: [CaseID] = []
            for (index, employer) in ["甲公司", "乙公司", "丙公司"].enumerated() {
                let logged = try intake.add(try complaint(received: "2026-03-02 0\(index + 1):00", employer: employer), on: db)
                let decided = try desk.decide(.number(logged.number), .accept, today: LocalDate(year: 2026, month: 3, day: 3)!,
                                              at: PostgresTimestamp.parse("2026-03-03T10:00:00+08:00")!, on: db)
                cases.append(try #require(decided.caseID))
            }
            let closeAt = PostgresTimestamp.parse("2026-03-05T10:00:00+08:00")!
            // A paid disposition only once nothing is outstanding: record the whole amount first.
            let owed = try CaseDesk().find(cases[0], on: db).owedFen
            _ = try CaseDesk().recover(cases[0], worker: try ResidentID(parsing: "11010519491231002X", today: .testToday), amountFen: owed,
                                       source: .employer, on: LocalDate(year: 2026, month: 3, day: 4)!, key: nil, on: db)
            _ = try CaseDesk().close(cases[0], disposition: .paidInFull, at: closeAt, on: db)
            _ = try CaseDesk().close(cases[1], disposition: .referredCourt, reason: "移送法院", at: closeAt, on: db)
            // The third stays open: it is not among the closed.
            let report = try WeeklyReport.build(week: ISOWeek(year: 2026, week: 10)!, region: nil, now: shanghai("2026-03-09 10:00"), on: db)
            let labor = try #require(report.scorecard.first { $0.department == "labor" })
            #expect(labor.casesClosed == 2 && labor.casesClosedPaid == 1, "\(labor)")
            #expect(labor.closedPaidPermille == 500)
            let markdown = ReportRenderer(report: report, version: "0.1.0", generatedAt: shanghai("2026-03-09 10:00"), language: .en).markdown()
            #expect(markdown.contains("50.0% (1/2)"), "\(markdown)")
        }
    }

    @Test("absconded employers of the year to date stand beside the week's, in the officials' words, in every format")
    func abscondedYearToDate() async throws {
        try await TestDatabase.withFresh { db, _ in
            // Six employers absconded earlier in 2026 (one of them twice), one in December 2025, one
            // in another region; none in week 10 (2026-03-02 … 03-08).
            let earlier = [("一号劳务队", "2026-01-05 09:00"), ("二号劳务队", "2026-01-12 09:00"), ("三号劳务队", "2026-01-19 09:00"),
                           ("四号劳务队", "2026-02-02 09:00"), ("五号劳务队", "2026-02-09 09:00"), ("六号劳务队", "2026-02-24 09:00"),
                           ("一号劳务队", "2026-02-25 09:00")]
            for (employer, received) in earlier {
                _ = try intake.add(try complaint(received: received, employer: employer, workers: 2, amount: "1000", absconded: true), on: db)
            }
            _ = try intake.add(try complaint(received: "2025-12-29 09:00", employer: "去年劳务队", absconded: true), on: db)
            _ = try intake.add(try complaint(received: "2026-02-10 09:00", region: "410103", employer: "外区劳务队", absconded: true), on: db)
            _ = try intake.add(try complaint(received: "2026-03-03 09:00", employer: "本周未逃匿公司"), on: db)
            let w10 = ISOWeek(year: 2026, week: 10)!, monday = shanghai("2026-03-09 10:00")
            let report = try WeeklyReport.build(week: w10, region: "410102", now: monday, on: db)
            #expect(report.abscondedEmployers.isEmpty)
            // Largest amount first: 一号 (two complaints), then the five of ¥1,000 each.
            #expect(report.abscondedYearToDate.first?.employerName == "一号劳务队")
            #expect(Set(report.abscondedYearToDate.map(\.employerName))
                    == ["一号劳务队", "二号劳务队", "三号劳务队", "四号劳务队", "五号劳务队", "六号劳务队"])
            let first = try #require(report.abscondedYearToDate.first)
            #expect(first.complaints == 2 && first.workersInvolved == 4 && first.owedFen == 200_000 && first.firstReportedOn == "2026-01-05")
            let zh = ReportRenderer(report: report, version: "0.1.0", generatedAt: monday, language: .zh)
            let en = ReportRenderer(report: report, version: "0.1.0", generatedAt: monday, language: .en)
            for text in [zh.markdown(), zh.html()] {
                #expect(text.contains("今年以来企业主欠薪逃匿的已经有6家（本周0家）。"))
                #expect(text.contains("本周无欠薪逃匿企业。"))
                #expect(text.contains("今年以来欠薪逃匿企业") && text.contains("六号劳务队"))
            }
            for text in [en.markdown(), en.html()] {
                #expect(text.contains("This year 6 employer(s) have absconded owing wages (0 this week)."))
                #expect(text.contains("No absconded employers this week."))
            }
            let csv = zh.csv()
            #expect(csv.contains("absconded_year_to_date,year_to_date,employers,6,今年以来企业主欠薪逃匿的已经有6家（本周0家）。\n"))
            #expect(csv.contains("absconded_year_to_date,一号劳务队,complaints,2,一号劳务队\n"))
            #expect(csv.contains("absconded_year_to_date,一号劳务队,first_reported_on,2026-01-05,一号劳务队\n"))
            #expect(!csv.contains("\nabsconded,"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(try en.json().utf8)) as? [String: Any])
            let ytd = try #require(json["absconded_employers_year_to_date"] as? [[String: Any]])
            #expect(ytd.count == 6)
            #expect(ytd.first?["owed_fen"] as? Int == 200_000 && ytd.first?["complaints"] as? Int == 2)
            #expect((json["absconded_employers"] as? [Any])?.isEmpty == true)

            // A quiet year says so.
            let quiet = try WeeklyReport.build(week: w10, region: "410199", now: monday, on: db)
            #expect(ReportRenderer(report: quiet, version: "0.1.0", generatedAt: monday, language: .zh).markdown()
                        .contains("今年以来没有企业主欠薪逃匿。"))
        }
    }

    /// Week 10 (2026-03-02 … 03-08), reported on Monday 03-09: its date is Sunday 03-08. The
    /// investigation deadlines are set on the cases (C5's 60 working days are tested in the case
    /// tests); a deadline is met up to the end of its day, so one due 03-08 is not yet breached.
    @Test("C5 breaches by department, worked by hand: due in the week and open past it, or closed late; on time or due later is not")
    func investigationBreaches() async throws {
        try await TestDatabase.withFresh { db, _ in
            try CountyFixture.register([CountyFixture.owner, CountyFixture.contractor], on: db)
            try CountyFixture.register([CountyFixture.g107], on: db)
            // (employer, project, investigation due, closed at)
            let plan: [(String, String?, String, String?)] = [
                ("甲公司", nil, "2026-03-04", nil),                  // open past its due: breached, outstanding
                ("乙公司", nil, "2026-03-05", "2026-03-06 10:00+08"),  // closed a day late: breached
                ("丙公司", nil, "2026-03-06", "2026-03-06 16:00+08"),  // closed on its day: on time
                ("丁公司", nil, "2026-02-25", nil),                  // breached last week: outstanding only
                ("戊公司", nil, "2026-03-08", nil),                  // due on the report's date: not yet
                ("河南路桥建设集团有限公司", "ZZ-G107", "2026-03-03", nil),  // transport's: breached, outstanding
            ]
            for (index, (employer, project, due, closed)) in plan.enumerated() {
                let logged = try intake.add(try complaint(received: "2026-01-0\(index + 1) 09:00", employer: employer,
                                                          project: project), on: db)
                let decided = try desk.decide(.number(logged.number), .accept, today: LocalDate(year: 2026, month: 1, day: 9)!,
                                              at: PostgresTimestamp.parse("2026-01-09T10:00:00+08:00")!, on: db)
                let caseID = try #require(decided.caseID)
                try db.query("UPDATE cases SET investigation_due = \(LocalDate(iso: due)!) WHERE id = \(caseID)")
                if let closed {
                    try db.query("""
                        UPDATE cases SET status = 'closed', closed_at = \(closed)::timestamptz, close_reason = 'paid' WHERE id = \(caseID)
                        """)
                }
            }
            let report = try WeeklyReport.build(week: ISOWeek(year: 2026, week: 10)!, region: "410102",
                                                now: shanghai("2026-03-09 10:00"), on: db)
            let c5 = report.deadlinesBreached.filter { $0.rule == "C5" }
                .map { "\($0.department) \($0.breached)/\($0.outstanding)" }
            #expect(c5 == ["labor 2/2", "transport 1/1"], "\(report.deadlinesBreached)")
            let md = ReportRenderer(report: report, version: "0.1.0", generatedAt: shanghai("2026-03-09 10:00"), language: .en).markdown()
            #expect(md.contains("| Transport |"), "\(md)")
        }
    }

    @Test("E3 breaches by department, worked by hand: each level an escalation moved up in the week; open ones outstanding")
    func escalationBreaches() async throws {
        try await TestDatabase.withFresh { db, _ in
            try CountyFixture.register([CountyFixture.owner, CountyFixture.contractor], on: db)
            try CountyFixture.register([CountyFixture.g107], on: db)
            func raise(_ key: String, project: String?, at: String) throws -> Int64 {
                try db.query("""
                    SELECT ww_raise_escalation('410102', 'flag_unreviewed', 'township', \(key), NULL, NULL, NULL, NULL,
                                               \(project), NULL, NULL, '{}', \(shanghai(at))) AS id
                    """).one().decode("id")
            }
            let escalations = EscalationDesk()
            // Transport's, raised Monday 03-02 10:00: bureau Tuesday 10:00, county Wednesday 10:00; never acknowledged.
            _ = try raise("x", project: "ZZ-G107", at: "2026-03-02 10:00")
            // Labour's, raised Friday 02-27 10:00: bureau on the 调休 Saturday 02-28 (last week),
            // county Monday 03-02 10:00 (this week); acknowledged on Thursday.
            let y = try raise("y", project: nil, at: "2026-02-27 10:00")
            // Labour's, raised Friday 03-06 10:00 and acknowledged within the hour: never moved.
            let z = try raise("z", project: nil, at: "2026-03-06 10:00")
            _ = try escalations.catchUp(now: shanghai("2026-03-04 12:00"), on: db)
            _ = try escalations.acknowledge(EscalationID(y), by: "wang_juzhang", now: shanghai("2026-03-05 09:00"), on: db)
            _ = try escalations.acknowledge(EscalationID(z), by: "wang_juzhang", now: shanghai("2026-03-06 10:30"), on: db)
            _ = try escalations.catchUp(now: shanghai("2026-03-09 10:00"), on: db)
            let report = try WeeklyReport.build(week: ISOWeek(year: 2026, week: 10)!, region: "410102",
                                                now: shanghai("2026-03-09 10:00"), on: db)
            let e3 = report.deadlinesBreached.filter { $0.rule == "E3" }
                .map { "\($0.department) \($0.breached)/\($0.outstanding)" }
            #expect(e3 == ["labor 1/0", "transport 2/1"], "\(report.deadlinesBreached)")
        }
    }

    @Test("a region's report counts that region only; the all-regions report counts both")
    func regionScoped() async throws {
        try await TestDatabase.withFresh { db, _ in
            _ = try intake.add(try complaint(received: "2026-02-16 09:00", region: "410102", employer: "金水区公司", workers: 3, amount: "9000"), on: db)
            _ = try intake.add(try complaint(received: "2026-02-17 09:00", region: "410103", employer: "二七区公司", workers: 5, amount: "2万"), on: db)
            _ = try intake.add(try complaint(received: "2026-02-18 09:00", region: "410103", employer: "二七区逃匿公司", workers: 2,
                                             amount: "3000", absconded: true), on: db)
            let jinshui = try WeeklyReport.build(week: week08, region: "410102", now: now, on: db)
            let erqi = try WeeklyReport.build(week: week08, region: "410103", now: now, on: db)
            let all = try WeeklyReport.build(week: week08, region: nil, now: now, on: db)
            #expect(jinshui.region == "410102" && jinshui.totals.complaints == 1 && jinshui.totals.owedFen == 900_000)
            #expect(jinshui.abscondedEmployers.isEmpty && jinshui.openEscalations.isEmpty)
            #expect(erqi.totals.complaints == 2 && erqi.totals.workersInvolved == 7 && erqi.totals.owedFen == 2_300_000)
            #expect(erqi.abscondedEmployers.map(\.employerName) == ["二七区逃匿公司"])
            #expect(erqi.openEscalations.map(\.employerName) == ["二七区逃匿公司"])
            #expect(all.totals.complaints == 3 && all.yearToDate.complaints == 3)
            let md = ReportRenderer(report: jinshui, version: "0.1.0", generatedAt: now, language: .zh).markdown()
            #expect(md.contains("410102") && !md.contains("二七区"))
        }
    }

    /// A small fixed data set: ids, instants and every clock-dependent column are pinned.
    func seedGolden(_ db: Connection) throws {
        let a = try intake.add(try complaint(received: "2026-02-16 09:30", employer: "郑州宏达建筑劳务有限公司",
                                             workers: 3, amount: "8600"), on: db)
        _ = try intake.add(try complaint(received: "2026-02-17 14:00", employer: "河南远大建设工程有限公司",
                                         workers: 12, amount: "298万", text: "工人准备到县政府门口聚集讨薪"), on: db)
        _ = try intake.add(try complaint(received: "2026-02-20 08:15", employer: "新郑市顺利装饰工程队",
                                         workers: 2, amount: "15000", absconded: true), on: db)
        _ = try intake.add(try complaint(received: "2026-01-26 11:00", employer: "中牟县老王五金加工厂",
                                         workers: 1, amount: "4200.50"), on: db)
        // An employer that absconded earlier in the year: in the year-to-date list, not the week's.
        // Referred to the court the next day.
        let fled = try intake.add(try complaint(received: "2026-01-12 09:00", employer: "中牟县鑫盛劳务队",
                                                workers: 4, amount: "2.4万", absconded: true), on: db)
        _ = try desk.decide(.number(fled.number), .refer(target: "中牟县人民法院"), today: LocalDate(year: 2026, month: 1, day: 13)!,
                            at: PostgresTimestamp.parse("2026-01-13T10:00:00+08:00")!, on: db)
        // Decided at 10:00 on the 17th: the service account's pinned clock (a decision is recorded once).
        let decided = try desk.decide(.number(a.number), .accept, today: LocalDate(year: 2026, month: 2, day: 17)!,
                                      at: PostgresTimestamp.parse("2026-02-17T10:00:00+08:00")!, on: db)
        let caseID = try #require(decided.caseID)
        _ = try CaseDesk().recover(caseID, worker: try ResidentID(parsing: "11010519491231002X", today: .testToday), amountFen: 200_000,
                                   source: .directPay, on: LocalDate(year: 2026, month: 2, day: 18)!, key: "golden-1", on: db)
        try db.query("""
            INSERT INTO sanctions (region_code, employer_id, measure, basis, department, valid_from, valid_until)
            SELECT region_code, employer_id, 'restrict_bidding', '《保障农民工工资支付条例》第四十八条', 'labor',
                   '2026-02-19', '2029-02-18'
            FROM complaints WHERE number = \(a.number)
            """)
        let run = try db.query("INSERT INTO rule_runs (as_of, full_run, status) VALUES ('2026-02-16', true, 'done') RETURNING id")
            .one().decode("id", as: Int64.self)
        try db.query("""
            INSERT INTO flags (region_code, rule, severity, subject_kind, subject_id, employer_id, department, period,
                               raised_at, raised_on, raised_by_run, evidence, last_seen_run)
            SELECT c.region_code, r.rule, r.severity, 'employer', c.employer_id, c.employer_id, r.department, '2026-02',
                   r.raised_at, (r.raised_at AT TIME ZONE 'Asia/Shanghai')::date, \(run), '{}', \(run)
            FROM complaints c,
                 (VALUES ('complaint_cluster', 'red', 'construction', '2026-02-16 09:00+08'::timestamptz),
                         ('stalled_project', 'orange', 'labor', '2026-02-02 09:00+08'::timestamptz)) r(rule, severity, department, raised_at)
            WHERE c.number = \(a.number)
            """)
        // The absconded employer's escalation is acknowledged on Friday.
        let absconded = try db.query("""
            SELECT e.id::text AS id FROM escalations e JOIN complaints c ON c.id = e.complaint_id
            WHERE e.reason = 'employer_absconded' AND c.employer_name = '新郑市顺利装饰工程队'
            """)
            .one().decode("id", as: EscalationID.self)
        _ = try EscalationDesk().acknowledge(absconded, by: "wang_juzhang", now: shanghai("2026-02-20 10:00"), on: db)
    }

    /// Tests/WagewatchCoreTests/Golden, beside this file's Report/ folder.
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden", isDirectory: true)

    @Test("the report renders byte-identically to the golden files in every format and language")
    func golden() async throws {
        try await TestDatabase.withFresh { db, _ in
            try seedGolden(db)
            let report = try WeeklyReport.build(week: week08, region: nil, now: now, on: db)
            #expect(!report.zeroReport)
            #expect(report.totals.complaints == 3)
            #expect(report.totals.workersInvolved == 17)
            #expect(report.directPayFen == 200_000)
            #expect(report.sanctions.count == 1)
            #expect(report.abscondedEmployers.map(\.employerName) == ["新郑市顺利装饰工程队"])
            #expect(report.abscondedYearToDate.map(\.employerName) == ["中牟县鑫盛劳务队", "新郑市顺利装饰工程队"])
            #expect(report.escalations.first?.massIncident == true)
            #expect(report.deadlinesBreached.contains { $0.rule == "C2" && $0.department == "labor" && $0.outstanding == 1 })
            // The scorecard worked by hand (report date 2026-02-22, the week's Sunday). The five
            // complaints name no project, so all are labour's. 01-12's is due 2026-01-19 (Jan 13–16,
            // 19) and was referred on the 13th: on time. 02-16's is due 2026-02-28 (Feb 17–23
            // are the Spring Festival holiday; Feb 24–27 and the 调休 Saturday 28th are its five
            // working days) and was decided on the 17th: on time, and counted at once. 01-26's is
            // due 2026-02-02 (Jan 27–30, Feb 2) and still pending: late. 02-17's and 02-20's are
            // undecided and due 2026-02-28, after the report's date: not yet counted. So 2 of 3.
            // The one labour flag (stalled_project, raised 02-02, review due 02-05) is unreviewed: 0 of 1.
            let labor = try #require(report.scorecard.first { $0.department == "labor" })
            #expect(labor.complaintsDue == 3 && labor.complaintsOnTime == 2, "\(labor)")
            #expect(labor.casesDue == 0 && labor.flagsDue == 1 && labor.flagsOnTime == 0, "\(labor)")
            for language in ReportLanguage.allCases {
                let renderer = ReportRenderer(report: report, version: "0.1.0", generatedAt: now, language: language)
                let again = ReportRenderer(report: try WeeklyReport.build(week: week08, region: nil, now: now, on: db),
                                           version: "0.1.0", generatedAt: now, language: language)
                for (ext, text, second) in [("md", renderer.markdown(), again.markdown()), ("csv", renderer.csv(), again.csv()),
                                            ("json", try renderer.json(), try again.json()), ("html", renderer.html(), again.html())] {
                    #expect(text == second, "\(ext) \(language) is not stable")
                    let file = Self.goldenFolder.appendingPathComponent("weekly-2026-W08.\(language.rawValue).\(ext)")
                    try GoldenOutput.record(text, for: file)
                    let golden = try String(contentsOf: file, encoding: .utf8)
                    #expect(text == golden, "\(file.lastPathComponent) differs; \(GoldenOutput.advice)")
                    try expectNoPersonalData(text, ext)
                }
            }
        }
    }

    @Test("no ID number, phone or bank account appears in any format")
    func noPersonalData() async throws {
        try await TestDatabase.withFresh { db, _ in
            try seedGolden(db)
            let report = try WeeklyReport.build(week: week08, region: nil, now: now, on: db)
            for language in ReportLanguage.allCases {
                let r = ReportRenderer(report: report, version: "0.1.0", generatedAt: now, language: language)
                for (ext, text) in [("md", r.markdown()), ("csv", r.csv()), ("json", try r.json()), ("html", r.html())] {
                    try expectNoPersonalData(text, ext)
                    #expect(!text.contains("11010519491231002X"))
                }
            }
        }
    }

    func expectNoPersonalData(_ text: String, _ what: String) throws {
        for pattern in ["[0-9]{17}[0-9X]", "1[3-9][0-9]{9}", "[0-9]{16,19}"] {
            let regex = try Regex(pattern)
            #expect(text.firstMatch(of: regex) == nil, "\(what) matches \(pattern)")
        }
    }
}
