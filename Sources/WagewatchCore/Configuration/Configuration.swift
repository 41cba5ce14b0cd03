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

    public init() {}

    /// The defaults shipped with the program.
    public static let defaults = Configuration()
}
