import ArgumentParser
import Foundation
import PostgresClient
import WagewatchCore

/// `wagewatch project …`: construction projects and the enterprises the bureau watches.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Register projects, start and finish them; each is led by its sector department (归口管理).",
        discussion: """
            A construction project must have its wage account (农民工工资专用账户) open before it starts;
            starting without one is refused unless forced with a reason, and then it is flagged.

            Lead departments by type: gov_transport → transport, gov_land → land, gov_water → water,
            gov_other, real_estate and factory_build → construction, small_enterprise → commerce and the township.

            Example:
              wagewatch project list --dept transport
              wagewatch project start ZZ-G107 --date 2026-08-01
            """,
        subcommands: [Add.self, List.self, Show.self, Start.self, Finish.self])

    struct Add: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a project with its owner, general contractor and labour-cost allocation plan.",
            discussion: """
                The owner and the contractor must be registered employers (wagewatch import employers). The first
                labour-cost allocation into the wage account is due on the planned start date, the next one a
                cycle later. Give either --allocation-amount (yuan per cycle) or --allocation-share (a percentage
                of everything paid into the project's fund account, e.g. 20 or 12.5), not both.

                Example:
                  wagewatch project add --code ZZ-G107 --name G107改建工程 --type gov_transport --funding government \\
                    --region 410102 --owner 11410102MB0T48211D --contractor 91410102MA9G2K37XK --contract-value 1.2亿 \\
                    --signed 2026-07-01 --planned-start 2026-08-01 --planned-end 2027-06-30 --allocation-amount 48万
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Project code, unique in the region (e.g. ZZ-G107).") var code: String
        @Option(help: "Project name.") var name: String
        @Option(help: "gov_transport, gov_land, gov_water, gov_other, real_estate, factory_build or small_enterprise.") var type: String
        @Option(help: "government or social.") var funding: String
        @Option(help: "6-digit region code, e.g. 410102 (else WAGEWATCH_REGION).") var region: String?
        @Option(help: "Project owner's USCC (建设单位).") var owner: String
        @Option(help: "General contractor's USCC (施工总承包单位).") var contractor: String
        @Option(help: "Contract value in yuan (120000000, 1.2亿 or 12000万).") var contractValue: String
        @Option(help: "Contract signing date (YYYY-MM-DD).") var signed: String
        @Option(help: "Planned start date (YYYY-MM-DD).") var plannedStart: String
        @Option(help: "Planned end date (YYYY-MM-DD).") var plannedEnd: String
        @Option(help: "Labour-cost allocation cycle in days (at most 31).") var cycleDays = "30"
        @Option(help: "Labour-cost allocation per cycle, in yuan (e.g. 48万).") var allocationAmount: String?
        @Option(help: "Or: the share of each project payment allocated, in percent (e.g. 20 or 12.5).") var allocationShare: String?

        func run(_ session: Session) throws -> CommandResult {
            let fields: [String: String?] = [
                "code": code, "name": name, "type": type, "funding": funding,
                "region_code": region ?? session.defaultRegion,
                "owner_uscc": owner, "contractor_uscc": contractor, "contract_value": contractValue,
                "contract_signed": signed, "planned_start": plannedStart, "planned_end": plannedEnd,
                "allocation_cycle_days": cycleDays, "allocation_amount": allocationAmount,
                "allocation_share": allocationShare,
            ]
            let input = try ProjectInput.parse(configuration: session.configuration) { fields[$0].flatMap { $0 } }.get()
            let registry = ProjectRegistry(configuration: session.configuration, region: input.regionCode)
            try registry.store([(1, input)], on: session.connection)
            let project = try registry.find(input.code, on: session.connection)
            return CommandResult(json: project, text: "project \(project.code) registered; led by \(project.leadDepartment)\(project.coDepartment.map { " and \($0)" } ?? "")")
        }
    }

    struct List: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "List projects with their lead department and whether the wage account is open.",
            discussion: "Example: wagewatch project list --dept transport")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("dept"), help: "Only projects this department leads: a department code (transport, land, water, construction, commerce, township).")
        var department: String?
        @Option(help: "planned, started or finished.") var status: String?

        func run(_ session: Session) throws -> CommandResult {
            let projects = try session.projects
                .list(department: department, status: status, on: session.connection)
            return CommandResult(json: projects, text: projects.map { p in
                "\(p.code)  \(p.name)  \(p.type)/\(p.funding)  \(p.status)  lead \(p.leadDepartment)  wage account: \(p.wageAccount == nil ? "none" : "open")"
            }, notes: ["\(projects.count) project(s)"])
        }
    }

    struct Show: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a project: departments, contract, wage account, allocation, deposit, direct-pay mode.",
            discussion: "Example: wagewatch project show ZZ-G107")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var code: String

        func run(_ session: Session) throws -> CommandResult {
            let p = try session.projects.find(code, on: session.connection)
            return CommandResult(json: p, text: """
                \(p.code) \(p.name) (\(p.type), \(p.funding)), region \(p.regionCode)
                lead department: \(p.leadDepartment)\(p.coDepartment.map { " + \($0)" } ?? "")
                owner: \(p.ownerName)   general contractor: \(p.contractorName)
                contract ¥\(Money.yuanGrouped(p.contractValueFen)) signed \(p.contractSigned); planned \(p.plannedStart) – \(p.plannedEnd)
                status: \(p.status)\(p.actualStart.map { ", started \($0)" } ?? "")\(p.actualEnd.map { ", finished \($0)" } ?? "")\(p.forcedStartReason.map { " (forced: \($0))" } ?? "")
                wage account: \(p.wageAccount ?? "none")
                labour-cost allocation: \(p.allocationShareBasisPoints.map { "\(Share.percent($0)) of each project payment" } ?? "¥\(Money.yuanGrouped(p.allocationAmountFen ?? 0))") every \(p.allocationCycleDays) days
                guarantee deposit required: ¥\(Money.yuanGrouped(p.depositRequiredFen))
                direct pay mode: \(p.directPayMode ? "on" : "off")
                """)
        }
    }

    struct Start: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that construction started (refused without a wage account unless forced).",
            discussion: "Example: wagewatch project start ZZ-G107 --date 2026-03-01")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var code: String
        @Option(help: "Start date (YYYY-MM-DD).") var date: String
        @Flag(help: "Start even without a wage account (recorded and flagged).") var force = false
        @Option(help: "Why it starts without one (required with --force).") var reason: String?

        func run(_ session: Session) throws -> CommandResult {
            let day = try DateInput.date(date, field: "date")
            let p = try session.projects
                .start(code, on: day, force: force, reason: reason, on: session.connection)
            return CommandResult(json: p, text: "project \(p.code) started \(day)\(p.forcedStartReason != nil ? " WITHOUT a wage account (forced; it will be flagged)" : "")")
        }
    }

    struct Finish: SessionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record that a project finished (completion acceptance, 竣工).",
            discussion: "Example: wagewatch project finish ZZ-G107 --date 2027-06-30")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Project code.") var code: String
        @Option(help: "Finish date (YYYY-MM-DD).") var date: String

        func run(_ session: Session) throws -> CommandResult {
            let day = try DateInput.date(date, field: "date")
            let p = try session.projects.finish(code, on: day, on: session.connection)
            return CommandResult(json: p, text: "project \(p.code) finished \(day)")
        }
    }
}
