/// Every number SPEC §3 names, with its default (SPEC §7: `wagewatch.toml` overrides them).
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
        public init() {}
    }

    public var projects = Projects()

    public init() {}

    /// The defaults shipped with the program.
    public static let defaults = Configuration()
}
