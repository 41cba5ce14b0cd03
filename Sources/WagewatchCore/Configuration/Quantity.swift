/// What a whole-number key counts, with the range it accepts. Zero is never allowed: a zero
/// deadline or threshold would flag or escalate everything.
enum Quantity {
    case workingDays, days, months, minutes, workers, complaints, percent, basisPoints, connections, attempts, requests
    /// P4: a guarantee-deposit rate, 1 %–3 % of the contract value.
    case depositBasisPoints
    /// P3: a labour-cost allocation cycle, at most a month.
    case allocationCycleDays

    var range: ClosedRange<Int> {
        switch self {
        case .workingDays: 1...1_000
        case .days: 1...3_660
        case .months: 1...1_200
        case .minutes: 1...10_080
        case .workers, .complaints: 1...100_000
        case .percent: 1...100
        case .basisPoints: 1...10_000
        case .connections: 1...1_000
        case .attempts: 1...1_000
        case .requests: 1...1_000_000
        case .depositBasisPoints: 100...300
        case .allocationCycleDays: 1...31
        }
    }

    var noun: String {
        switch self {
        case .workingDays: "working days"
        case .days: "days"
        case .months: "months"
        case .minutes: "minutes"
        case .workers: "workers"
        case .complaints: "complaints"
        case .percent: "percent"
        case .basisPoints: "basis points (100 = 1 %)"
        case .connections: "connections"
        case .attempts: "attempts"
        case .requests: "requests"
        case .depositBasisPoints: "basis points (100 = 1 %; P4 allows 1 %–3 %)"
        case .allocationCycleDays: "days (P3: at most a month)"
        }
    }
}
