import Foundation
import PostgresClient

extension SanctionDesk {
    /// Records an order to pay wages by a deadline (责令限期支付), optionally on one of the contractor's
    /// cases, through the door `ww_order_payment`.
    public func order(
        contractor uscc: USCC, amountFen: Int64, issuedOn: LocalDate, deadline: LocalDate, basis: String,
        caseID: CaseID? = nil, region: String? = nil, on connection: Connection
    ) throws -> PaymentOrderRecord {
        try connection.transaction { tx in
            let employer = try contractor(uscc, region: region, on: tx)
            let id: PaymentOrderID = try WagewatchError.throughDoor {
                try tx.query("""
                    SELECT ww_order_payment(\(employer.region), \(employer.id), \(caseID), \(amountFen), \(issuedOn), \(deadline), \(basis)) AS id
                    """).one().decode("id")
            }
            return try orders(where: "o.region_code = \(employer.region) AND o.id = \(id)", on: tx)[0]
        }
    }

    /// Every payment order, oldest first.
    public func orders(on connection: Connection) throws -> [PaymentOrderRecord] {
        try orders(where: "true", on: connection)
    }

    private func orders(where condition: SQL, on connection: Connection) throws -> [PaymentOrderRecord] {
        let sql: SQL = """
            SELECT o.id, o.region_code, e.uscc AS contractor_uscc, e.name AS contractor_name, o.case_id, o.amount_fen,
                   o.issued_on, o.deadline, o.basis, o.issued_by
            FROM payment_orders o JOIN employers e ON e.region_code = o.region_code AND e.id = o.employer_id
            WHERE
            """
        return try connection.query(sql + " " + condition + " ORDER BY o.id").map(PaymentOrderRecord.init(row:))
    }
}
