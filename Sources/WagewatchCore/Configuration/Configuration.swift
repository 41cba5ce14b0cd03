/// Every number SPEC §3 names, with its default (SPEC §7: `wagewatch.toml` overrides them).
/// Money is integer fen (`Int64`), shares are integer percent or basis points: never floating point.
/// `wagewatch.defaults.toml` lists the same values, key for key; a test keeps the two equal.
public struct Configuration: Sendable, Equatable {
    /// Complaints and cases (C2–C5).
    public struct Complaints: Sendable, Equatable {
        /// C2: working days to decide whether to accept a complaint.
        public var decisionDays = 5
        /// C3: a violation that ended more than this many months before receipt is time-barred.
        public var timeBarMonths = 24
        /// C4: a complaint joins an open case for the same employer and project within this many days.
        public var mergeWindowDays = 30
        /// C5: working days for the investigation.
        public var investigationDays = 60
        /// C5: the longest single extension, in working days.
        public var maxExtensionDays = 30
        public init() {}
    }

    public var complaints = Complaints()

    /// Projects and their money (P2–P4).
    public struct Projects: Sendable, Equatable {
        /// P4: the guarantee deposit, in basis points of the contract value (200 = 2 %).
        public var depositRateBasisPoints = 200
        /// P4: projects below this contract value (fen) whose contractor had no arrears in the prior year are exempt.
        public var depositExemptBelowFen: Int64 = 300_000_000
        /// P2: days after contract signing by which the wage account must be open.
        public var wageAccountDays = 30
        /// P3: the longest labour-cost allocation cycle a project may set, in days (one month).
        public var allocationCycleMaxDays = 31
        public init() {}
    }

    public var projects = Projects()

    /// Thresholds of the risk rules (R1–R10), one group per rule that has a number.
    public struct Rules: Sendable, Equatable {
        /// R1 `no_wage_account`.
        public struct NoWageAccount: Sendable, Equatable {
            /// R1: days after contract signing with no wage account before the red flag.
            public var daysAfterContract = 30
            public init() {}
        }

        /// R2 `allocation_overdue`.
        public struct AllocationOverdue: Sendable, Equatable {
            /// R2: days an allocation may stay overdue (orange) before the flag turns red.
            public var redAfterDays = 30
            public init() {}
        }

        /// R4 `partial_payroll`.
        public struct PartialPayroll: Sendable, Equatable {
            /// R4: share of the workers on attendance left unpaid, in percent, at which yellow turns red.
            public var redPercent = 10
            public init() {}
        }

        /// R5 `pay_concentration`.
        public struct PayConcentration: Sendable, Equatable {
            /// R5: one worker paid more than this (fen) for one month is flagged.
            public var perMonthFen: Int64 = 5_000_000
            /// R5: one worker paid more than this (fen) in one calendar year is flagged.
            public var perYearFen: Int64 = 30_000_000
            public init() {}
        }

        /// R6 `complaint_cluster`.
        public struct ComplaintCluster: Sendable, Equatable {
            /// R6: the window, in days back from today, in which complaints against one employer are counted.
            public var windowDays = 90
            /// R6: this many complaints in the window raise an orange flag.
            public var orangeAt = 3
            /// R6: this many complaints in the window raise a red flag.
            public var redAt = 5
            public init() {}
        }

        /// R7 `arrears_outstanding`: the province's criminal threshold (拒不支付劳动报酬罪), also used by E1 and S2.
        public struct CriminalThreshold: Sendable, Equatable {
            /// R7: arrears to one worker at or above this (fen)…
            public var oneWorkerFen: Int64 = 800_000
            /// R7: …owed for at least this many months.
            public var oneWorkerMonths = 3
            /// R7: or arrears to at least this many workers…
            public var workers = 10
            /// R7: …that together reach this (fen).
            public var workersTotalFen: Int64 = 4_000_000
            public init() {}
        }

        /// R10 `stalled_project`.
        public struct StalledProject: Sendable, Equatable {
            /// R10: months without attendance or payroll after which an unfinished project is stalled.
            public var afterMonths = 2
            public init() {}
        }

        public var r1 = NoWageAccount()
        public var r2 = AllocationOverdue()
        public var r4 = PartialPayroll()
        public var r5 = PayConcentration()
        public var r6 = ComplaintCluster()
        public var r7 = CriminalThreshold()
        public var r10 = StalledProject()
        public init() {}
    }

    public var rules = Rules()

    /// When escalations are raised and how fast they must be acknowledged (E1–E3).
    public struct Escalations: Sendable, Equatable {
        /// E1: raised at once, without waiting for a rule run.
        public struct Immediate: Sendable, Equatable {
            /// E1: a complaint or case involving at least this many workers escalates.
            public var workers = 10
            /// E1: a complaint text containing any of these words reports a collective protest or an extreme act.
            public var protestKeywords = [
                "堵路", "围堵", "聚集", "上访", "跳楼", "讨薪", "拉横幅", "自残", "自杀", "爬塔吊", "静坐", "集体",
            ]
            public init() {}
        }

        /// E2: raised when a deadline is breached.
        public struct DeadlineBreach: Sendable, Equatable {
            /// E2: working days a red flag may stay unreviewed.
            public var redFlagReviewDays = 3
            public init() {}
        }

        /// E3: how long an escalation may stay unacknowledged before it moves up a level.
        public struct Acknowledgement: Sendable, Equatable {
            /// E3: minutes for a mass-incident escalation (群体性事件).
            public var massIncidentAckMinutes = 60
            /// E3: working days for every other escalation.
            public var otherAckWorkingDays = 1
            public init() {}
        }

        /// E4: where the delivery job (`escalations deliver`) sends each outbox row on.
        public struct Delivery: Sendable, Equatable {
            /// E4: the webhook as written in the file; empty means none (TOML has no null).
            public var webhookURLText = ""
            /// E4: a URL that receives each escalation event's JSON by HTTP POST; nil sends none.
            public var webhookURL: String? {
                get { webhookURLText.isEmpty ? nil : webhookURLText }
                set { webhookURLText = newValue ?? "" }
            }
            /// E4: addresses mailed each escalation event; empty sends no mail.
            public var mailTo: [String] = []
            /// E4: the sendmail program, run as `sendmail -t -i` with the whole message on stdin.
            public var sendmailPath = "/usr/sbin/sendmail"
            public init() {}
        }

        public var e1 = Immediate()
        public var e2 = DeadlineBreach()
        public var e3 = Acknowledgement()
        public var delivery = Delivery()
        public init() {}
    }

    public var escalations = Escalations()

    /// The arrears blacklist (S2).
    public struct Sanctions: Sendable, Equatable {
        /// S2: months a blacklisting lasts (3 years).
        public var blacklistMonths = 36
        /// S2: months after full payment from which a blacklisting may be lifted early.
        public var earlyLiftAfterMonths = 6
        public init() {}
    }

    public var sanctions = Sanctions()

    /// The web desk and the API (SPEC §8, §9).
    public struct Web: Sendable, Equatable {
        /// Database connections the server keeps; each serves one request at a time.
        public var poolSize = 8
        /// A signed-in session ends after this many minutes without a request.
        public var idleMinutes = 30
        /// A signed-in session ends this many minutes after sign-in, however busy (12 hours).
        public var sessionMinutes = 720
        /// Failed passwords for one name that lock the name out …
        public var lockoutFailures = 5
        /// … when they fall within this many minutes; the name is refused until they are older.
        public var lockoutMinutes = 15
        /// API requests one token may make in a minute (SPEC §9); more answer 429 with Retry-After.
        public var apiRequestsPerMinute = 60
        /// The largest request body the API reads (1 MB); a larger one answers 413.
        public static let apiMaxBodyBytes = 1 << 20
        public init() {}
    }

    public var web = Web()

    /// SPEC §10 N1: the complainant's SMS, sent on by `escalations deliver`.
    public struct SMS: Sendable, Equatable {
        /// A program run once per message with `{"to","text","complaint_number","event"}` on stdin
        /// (exit 0 = sent); empty means none. Only from a file nobody else can write (as sendmail_path).
        public var command = ""
        /// A URL the same JSON object is POSTed to (any 2xx = sent); empty means none.
        public var webhook = ""
        public var templates = Templates()

        /// The texts, one per event and decision; `{name}` is replaced by the complaint's facts
        /// (``SMSMessage/placeholders``). Each must fit one SMS part (70 characters) with the
        /// longest values, checked when the file is read.
        public struct Templates: Sendable, Equatable {
            public var recorded = "【劳动保障监察】您的欠薪投诉已登记，编号{number}，将于{deadline}前决定是否受理。"
            public var accepted = "【劳动保障监察】您的欠薪投诉{number}已受理，我们将依法调查处理，请保持电话畅通。"
            public var referred = "【劳动保障监察】您的欠薪投诉{number}已移送{target}处理，请与其联系。"
            public var refused = "【劳动保障监察】您的欠薪投诉{number}不予受理，原因：{reason}。"
            public var closed = "【劳动保障监察】您的欠薪投诉{number}已办结：{disposition}，追回工资{amount}。"
            public init() {}
        }

        public init() {}
    }

    public var sms = SMS()

    public init() {}

    /// The defaults shipped with the program.
    public static let defaults = Configuration()
}
