import Foundation
import Hummingbird
import PostgresClient
import WagewatchCore

/// Projects, one project, and a wage (or deposit) account's balance and ledger (SPEC §8),
/// as the user's grants and row security let them read.
struct ProjectRoutes: Sendable {
    let app: WebApp

    func add(to router: Router<WebContext>) {
        router.get("/projects") { request, context in
            let query = request.query
            let page = Format.page(query)
            return try await app.asUser(request, context) { session, signed in
                let lang = signed.lang
                let found = try session.projects.list(department: nil, status: nil, limit: Format.pageSize + 1,
                                                      offset: (page - 1) * Format.pageSize, on: session.connection)
                let rows: [[String: Any]] = found.prefix(Format.pageSize).map { p in
                    [
                        "code": p.code, "name": p.name, "type": Format.label(.projectType, p.type, lang),
                        "department": Format.label(.department, p.leadDepartment.rawValue, lang),
                        "contractor": p.contractorName, "value": Format.money(p.contractValueFen, lang),
                        "status": Format.label(.projectStatus, p.status.rawValue, lang),
                    ]
                }
                return app.pages.page(
                    "projects",
                    ["rows": rows, "hasRows": !rows.isEmpty,
                     "pager": Format.pager(path: "/projects", query: query, page: page, hasNext: found.count > Format.pageSize, lang) ?? false],
                    chrome: app.chrome(signed, path: "/projects", title: Words.text("projects", lang)))
            }
        }
        router.get("/projects/:code") { request, context in
            guard let code = context.parameters.get("code"), !code.isEmpty, code.count <= 64 else {
                throw WagewatchError.notFound("no such project")
            }
            return try await app.asUser(request, context) { session, signed in
                let lang = signed.lang
                let p = try session.projects.find(code, on: session.connection)
                let deposit = try session.ledger.isOpen(.deposit(project: p.code), on: session.connection) ? "deposit:\(p.code)" : nil
                let view: [String: Any] = [
                    "code": p.code, "name": p.name, "type": Format.label(.projectType, p.type, lang),
                    "funding": Format.label(.funding, p.funding, lang),
                    "department": Format.label(.department, p.leadDepartment.rawValue, lang)
                        + (p.coDepartment.map { " · " + Format.label(.department, $0.rawValue, lang) } ?? ""),
                    "region": p.regionCode, "owner": p.ownerName, "contractor": p.contractorName,
                    "value": Format.money(p.contractValueFen, lang), "plannedStart": p.plannedStart.description,
                    "plannedEnd": p.plannedEnd.description, "status": Format.label(.projectStatus, p.status.rawValue, lang),
                    "wageAccount": p.wageAccount == nil ? false : "wage:\(p.code)", "depositAccount": deposit ?? false,
                    // The hotline and the sector departments read no ledger: the account named, not linked to a 403.
                    "accountLinks": try session.may("SELECT", on: "transfers"),
                ]
                return app.pages.page("project", view, chrome: app.chrome(signed, path: "/projects/\(p.code)", title: p.name))
            }
        }
        router.get("/accounts/:account") { request, context in
            guard let text = context.parameters.get("account")?.removingPercentEncoding, !text.isEmpty, text.count <= 240 else {
                throw WagewatchError.notFound("no such account")
            }
            let query = request.query
            let page = Format.page(query)
            return try await app.asUser(request, context) { session, signed in
                let lang = signed.lang
                let account = try AccountRef(parsing: text, field: "account", today: session.today)
                let balance = try session.ledger.balance(account, asOf: nil, on: session.connection)
                let entries = try session.ledger.entries(account, on: session.connection)
                // The newest first (what an inspector looks for), 50 a page.
                let newest = Array(entries.reversed())
                let shown = newest.dropFirst((page - 1) * Format.pageSize).prefix(Format.pageSize)
                let rows: [[String: Any]] = shown.map { e in
                    [
                        "date": Format.minute(e.occurredAt), "key": e.key,
                        "from": e.amountFen >= 0 ? e.counterparty : account.description,
                        "to": e.amountFen >= 0 ? account.description : e.counterparty,
                        "credit": e.amountFen >= 0 ? Format.money(e.amountFen, lang) : "",
                        "debit": e.amountFen < 0 ? Format.money(-e.amountFen, lang) : "",
                        "balance": Format.money(e.balanceFen, lang), "memo": e.memo ?? "",
                    ]
                }
                return app.pages.page(
                    "account",
                    ["account": account.description, "balance": Format.money(balance.balanceFen, lang),
                     "asOf": session.today.description, "rows": rows, "hasRows": !rows.isEmpty,
                     "pager": Format.pager(path: "/accounts/\(account.description)", query: query, page: page,
                                           hasNext: newest.count > page * Format.pageSize, lang) ?? false],
                    chrome: app.chrome(signed, path: "/accounts/\(account.description)", title: account.description))
            }
        }
    }
}
