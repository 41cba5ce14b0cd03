/// A code's words in both languages.
public struct Label: Sendable, Hashable {
    public let zh: String
    public let en: String

    public init(_ zh: String, _ en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(_ language: ReportLanguage) -> String { language == .zh ? zh : en }
}

/// Every code's zh/en words, in one table: the weekly report, the escalation mail and webhook
/// text, and the web pages print codes through it and nowhere else. A code missing from the
/// table prints as itself, so a new code shows up as its code rather than as a wrong word.
public enum Labels {
    /// The kinds of code, one per CHECK constraint or fixed list of SPEC.
    public enum Kind: String, Sendable, CaseIterable {
        case rule, deadlineRule, severity, flagStatus, confirmAction
        case complaintStatus, complaintOutcome, refusalReason, channel, caseStatus, recoverySource, caseDisposition
        case escalationLevel, escalationReason, escalationStatus, escalationEvent
        case department, projectType, funding, sanctionMeasure, userRole, projectStatus
        /// The department scorecard's column headers (the weekly report's table and the web page's).
        case scorecardColumn
        /// Core's user-facing messages (refusals and validation problems), templates with `{1}`,
        /// `{2}`… (``Messages``): the CLI says the English, the web desk the page's language.
        case message
    }

    /// The words for `code`, or nil when the table has none.
    public static func label(_ kind: Kind, _ code: String) -> Label? { table[kind]?[code] }

    /// The words for `code` in `language`; the code itself when the table has none.
    public static func text(_ kind: Kind, _ code: String, _ language: ReportLanguage = .zh) -> String {
        label(kind, code)?.text(language) ?? code
    }

    public static let table: [Kind: [String: Label]] = [
        // SPEC §3 R1–R12, by the code flags carry.
        .rule: [
            "no_wage_account": Label("未开立农民工工资专用账户", "No wage account"),
            "allocation_overdue": Label("人工费用拨付逾期", "Labour-cost allocation overdue"),
            "wages_unpaid": Label("工资未通过专户发放", "Wages not paid through the wage account"),
            "partial_payroll": Label("部分农民工工资未发放", "Workers left unpaid"),
            "pay_concentration": Label("工资集中发放到个人", "Wages concentrated on one person"),
            "complaint_cluster": Label("投诉集中", "Complaint cluster"),
            "arrears_outstanding": Label("欠薪达到拒不支付劳动报酬罪标准", "Arrears at the criminal threshold"),
            "account_shortfall": Label("专用账户余额不足", "Wage account short of the next payroll"),
            "fund_diversion": Label("资金向外地转移", "Funds diverted"),
            "stalled_project": Label("停产、半停产", "Project stalled"),
            "no_deposit": Label("未缴纳工资保证金", "No wage guarantee deposit"),
            "sanctioned_contractor": Label("失信或受限企业承揽新项目", "Sanctioned contractor on a new project"),
            // SPEC §10 R13.
            "bank_mismatch": Label("银行流水与专户台账不符", "Bank statement disagrees with the ledger"),
        ],
        // The deadlines the report counts as breached.
        .deadlineRule: [
            "C2": Label("C2 受理决定超期", "C2 acceptance decision late"),
            "C5": Label("C5 案件调查超期", "C5 investigation late"),
            "E3": Label("E3 升级未及时签收", "E3 escalation not acknowledged in time"),
        ],
        .severity: [
            "red": Label("红色", "Red"),
            "orange": Label("橙色", "Orange"),
            "yellow": Label("黄色", "Yellow"),
        ],
        .flagStatus: [
            "open": Label("待处理", "Open"),
            "acknowledged": Label("已签收", "Acknowledged"),
            "confirmed": Label("已确认", "Confirmed"),
            "dismissed": Label("已排除", "Dismissed"),
        ],
        .confirmAction: [
            "rectify": Label("责令整改", "Rectification ordered"),
            "stop_work": Label("责令停工", "Work stopped"),
            "direct_pay": Label("直接代发工资", "Direct pay"),
            "sanction": Label("实施惩戒", "Sanction"),
        ],
        .complaintStatus: [
            "pending": Label("待决定", "Pending"),
            "decided": Label("已决定", "Decided"),
        ],
        .complaintOutcome: [
            "accepted": Label("受理", "Accepted"),
            "merged": Label("并案", "Merged"),
            "referred": Label("移送", "Referred"),
            "refused": Label("不予受理", "Refused"),
        ],
        .refusalReason: [
            "time_barred": Label("超过两年时效", "Time-barred"),
        ],
        .channel: [
            "12333": Label("12333热线", "12333 hotline"),
            "walk_in": Label("来访", "Walk-in"),
            "online": Label("网上投诉", "Online"),
            "letter": Label("来信", "Letter"),
        ],
        .caseStatus: [
            "open": Label("办理中", "Open"),
            "closed": Label("已结案", "Closed"),
        ],
        // SPEC C6.
        .recoverySource: [
            "employer": Label("用人单位支付", "Employer paid"),
            "general_contractor": Label("施工总承包单位支付", "General contractor paid"),
            "project_owner": Label("建设单位垫付", "Project owner advanced"),
            "guarantee_deposit": Label("工资保证金支付", "Guarantee deposit"),
            "emergency_fund": Label("应急周转金垫付", "Emergency fund"),
            "direct_pay": Label("直接代发", "Direct pay"),
        ],
        // SPEC §10 N3.
        .caseDisposition: [
            "paid_in_full": Label("用人单位已全额支付", "Paid in full by the employer"),
            "paid_by_contractor": Label("总承包单位清偿", "Paid by the general contractor"),
            "paid_by_owner": Label("建设单位垫付", "Paid by the project owner"),
            "deposit_used": Label("动用工资保证金支付", "Paid from the guarantee deposit"),
            "emergency_fund": Label("应急周转金垫付", "Paid from the emergency fund"),
            "direct_pay": Label("专户直接代发", "Paid by direct pay"),
            "referred_arbitration": Label("移送劳动仲裁", "Referred to arbitration"),
            "referred_police": Label("移送公安（拒不支付劳动报酬罪）", "Referred to the police (refusal to pay wages)"),
            "referred_court": Label("移送法院", "Referred to court"),
            "not_established": Label("欠薪不成立", "Arrears not established"),
            "withdrawn": Label("投诉人撤回", "Withdrawn"),
            "unreachable": Label("无法联系投诉人", "Complainant unreachable"),
        ],
        // SPEC E3: township → bureau → county (两办).
        .escalationLevel: [
            "township": Label("乡镇", "Township"),
            "bureau": Label("人社局", "Bureau"),
            "county": Label("县两办", "County"),
        ],
        .escalationReason: [
            "mass_incident_workers": Label("涉及人数众多（群体性欠薪）", "Many workers (mass incident risk)"),
            "employer_absconded": Label("用人单位欠薪逃匿", "Employer absconded"),
            "protest_keywords": Label("反映集体讨薪或极端行为", "Protest or extreme act reported"),
            "criminal_threshold": Label("达到拒不支付劳动报酬罪立案标准", "Criminal threshold reached"),
            "decision_overdue": Label("投诉超期未作受理决定", "Acceptance decision overdue"),
            "investigation_overdue": Label("案件超期未办结", "Investigation overdue"),
            "flag_unreviewed": Label("红色预警超期未处理", "Red flag unreviewed"),
        ],
        .escalationStatus: [
            "open": Label("未签收", "Open"),
            "acknowledged": Label("已签收", "Acknowledged"),
            "resolved": Label("已办结", "Resolved"),
        ],
        .escalationEvent: [
            "raised": Label("新预警", "Raised"),
            "level_changed": Label("逐级上报", "Moved up a level"),
            "reminder": Label("仍未签收", "Still not acknowledged"),
        ],
        .projectStatus: [
            "planned": Label("未开工", "Planned"),
            "started": Label("在建", "Under way"),
            "finished": Label("已完工", "Finished"),
        ],
        // SPEC §1.
        .userRole: [
            "intake": Label("12333热线受理", "Hotline (intake)"),
            "inspector": Label("劳动保障监察员", "Labour inspector"),
            "sector": Label("行业主管部门", "Sector department"),
            "official": Label("县两办、局领导", "Official"),
            "admin": Label("系统管理员", "Administrator"),
        ],
        // SPEC P0, as the `departments` reference table names them (a test keeps the two equal).
        .department: [
            "labor": Label("人社局劳动保障监察", "Labour inspection"),
            "transport": Label("交通运输局", "Transport"),
            "land": Label("自然资源局（国土）", "Land and resources"),
            "water": Label("水务局", "Water"),
            "construction": Label("住房和城乡建设局", "Housing and construction"),
            "commerce": Label("经贸局", "Commerce"),
            "township": Label("乡镇人民政府", "Township government"),
            "county_office": Label("县委县政府两办", "County party and government offices"),
        ],
        // SPEC P1.
        .projectType: [
            "gov_transport": Label("政府投资交通项目", "Government transport project"),
            "gov_land": Label("政府投资国土项目", "Government land project"),
            "gov_water": Label("政府投资水利项目", "Government water project"),
            "gov_other": Label("其他政府投资项目", "Other government project"),
            "real_estate": Label("房地产开发项目", "Real estate"),
            "factory_build": Label("厂房建设项目", "Factory build"),
            "small_enterprise": Label("小微企业及来料加工点", "Small enterprise"),
        ],
        .funding: [
            "government": Label("政府投资", "Government-funded"),
            "social": Label("社会投资", "Privately funded"),
        ],
        // SPEC S1.
        .sanctionMeasure: [
            "restrict_bidding": Label("限制招投标", "Bidding restricted"),
            "blacklist": Label("列入失信联合惩戒名单", "Blacklisted"),
            "restrict_credit": Label("限制融资信贷", "Credit restricted"),
            "restrict_travel": Label("限制高消费", "Travel restricted"),
            "public_exposure": Label("公开曝光", "Public exposure"),
            "other": Label("其他", "Other"),
        ],
        // SPEC §3's department scorecard (绩效考核) and §10 N3: the weekly report's table and the
        // web desk's /reports/scorecard take their headers from here.
        .scorecardColumn: [
            "department": Label("部门", "Department"),
            "complaints": Label("投诉按时受理", "Complaints decided on time"),
            "cases": Label("案件按时办结", "Cases closed on time"),
            "flags": Label("预警按时处理", "Flags reviewed on time"),
            "owed": Label("欠薪金额", "Owed"),
            "recovered": Label("已追回金额", "Recovered"),
            "recovered_share": Label("欠薪追回率", "Arrears recovered"),
            "closed_paid": Label("结案已支付占比", "Cases closed with wages paid"),
        ],
        // Messages, by key (``Messages``). The English is what the CLI prints and what the
        // doors of sql/functions raise (the same words, so one entry keys both); `{n}` is the
        // n-th value and is itself translated when it is one of these messages.
        .message: [
            // A field's problem, after `field: "value"` (ValidationError).
            "phone_invalid": Label("不是有效的电话号码（{1}）", "is not a valid phone number ({1})"),
            "phone_empty": Label("为空", "empty"),
            "phone_digits": Label("只能是数字", "only digits expected"),
            "phone_mobile_length": Label("手机号码为 11 位", "a mobile number has 11 digits"),
            "phone_mobile_prefix": Label("手机号码以 13–19 开头", "a mobile number starts with 13–19"),
            "phone_landline": Label("固定电话为区号（0 加 2–3 位）加 7–8 位号码", "area code 0 + 2–3 digits and a 7–8 digit number expected"),
            "phone_extension": Label("分机号为 1–6 位数字", "an extension has 1–6 digits"),
            "uscc_invalid": Label("不是有效的统一社会信用代码（{1}）", "is not a valid unified social credit code ({1})"),
            "uscc_length": Label("应为 18 位", "18 characters expected"),
            "uscc_character": Label("不能含字符“{1}”", "'{1}' is not allowed"),
            "uscc_character_code": Label("不能含字符“{1}”（{2}）", "'{1}' is not allowed ({2})"),
            "uscc_department": Label("登记管理部门代码“{1}”不存在", "unknown registration department '{1}'"),
            "uscc_type": Label("机构类别代码“{1}”不存在", "unknown organisation type '{1}'"),
            "uscc_region": Label("第 3–8 位行政区划码应为 6 位数字", "region code must be 6 digits"),
            "uscc_organisation_check": Label("组织机构代码校验位不符", "organisation code check digit"),
            "uscc_check": Label("校验位不符", "check digit"),
            "required": Label("必须填写", "is required"),
            "positive": Label("必须大于零", "must be positive"),
            "in_future": Label("不能晚于今天", "is in the future"),
            "working_days_range": Label("须为 {1} 至 {2} 个工作日", "must be from {1} to {2} working days"),
            "close_unrecovered": Label("表示工资已付清，但案件 {1} 仍有 ¥{2} 未追回；请先登记追回款项，或选择其他结案方式（如 referred_court 移送法院）",
                                       "says the workers were paid, but case {1} still has ¥{2} unrecovered; record the recoveries first, or close with a disposition such as referred_court"),
            "more_than_owed": Label("超过尚欠的 ¥{1}（{2}）", "is more than the ¥{1} still owed {2}"),
            // Refusals of a whole request (a desk's or a door's).
            "no_case": Label("没有案件 {1}", "no case {1}"),
            "no_case_in_region": Label("地区 {2} 没有案件 {1}", "no case {1} in region {2}"),
            "no_complaint": Label("没有投诉 {1}", "no complaint {1}"),
            "no_escalation": Label("没有预警 {1}", "no escalation {1}"),
            "case_closed": Label("案件 {1} 已结案", "case {1} is closed"),
            "case_closed_join": Label("案件 {1} 已结案；投诉只能并入未结案件", "case {1} is closed; a complaint can only join an open case"),
            "case_extended": Label("案件 {1} 已延期过一次；C5 只允许延期一次", "case {1} was already extended once; C5 allows one extension"),
            "escalation_acknowledged": Label("预警 {1} 已签收", "escalation {1} is already acknowledged"),
            "escalation_resolved": Label("预警 {1} 已办结", "escalation {1} is already resolved"),
        ],
    ]
}
