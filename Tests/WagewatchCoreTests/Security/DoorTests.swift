import Foundation
import PostgresClient
import Testing
import TestSupport
import WagewatchCore

/// Issue 21, "writes only through doors": the SECURITY DEFINER functions that check a rule and
/// write for the user. Each test signs in as a user's own login, as a person with psql and their
/// own password would.
@Suite("The doors themselves (issue 21)")
struct DoorCatalogueTests {
    /// The SECURITY DEFINER functions (trigger functions aside) each group may call, beyond
    /// those every role may (`everyone`). A door granted to a group without a line here fails.
    static let everyone: Set<String> = [
        // reads that return only what the caller may read (masked, or under the caller's row security)
        "ww_case_returned_masked", "ww_case_workers_masked", "ww_may_read_case",
        "ww_case_timeline", "ww_complaint_timeline", "ww_timeline_rows", "ww_search_grams",
        // the audit chain's verification: positions and hashes, no content
        "ww_audit_verify_page",
    ]
    static let doors: [String: Set<String>] = [
        "intake": [],
        "inspector": ["ww_post_transfer"],
        "sector": ["ww_flag_lead"],
        "official": [],
        "admin": ["ww_post_transfer", "ww_flag_lead", "ww_add_user", "ww_set_password"],
    ]

    @Test("every SECURITY DEFINER function pins its search_path")
    func pinned() async throws {
        try await TestDatabase.withFresh { db, _ in
            let loose = try db.query("""
                SELECT p.oid::regprocedure::text AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('public', 'audit_chain') AND p.prosecdef
                  AND NOT coalesce(EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\\_path=pg\\_catalog%'), false)
                ORDER BY 1
                """).map { try $0.decode("f", as: String.self) }
            #expect(loose.isEmpty, "\(loose)")
        }
    }

    @Test("each group may call exactly its doors")
    func grants() async throws {
        try await TestDatabase.withFresh { db, _ in
            let rows = try db.query("""
                SELECT g AS grp, p.proname::text AS f
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'public',
                     unnest(ARRAY['intake', 'inspector', 'sector', 'official', 'admin']) g
                WHERE p.prosecdef AND p.prorettype <> 'trigger'::regtype
                  AND has_function_privilege('wagewatch_' || g, p.oid, 'EXECUTE')
                """)
            var found: [String: Set<String>] = [:]
            for row in rows { found[try row.decode("grp"), default: []].insert(try row.decode("f")) }
            // Web sign-in doors run as the server's login, not as a group: leave them to WebTests.
            let signIn = try db.query("""
                SELECT DISTINCT p.proname::text AS f FROM pg_proc p
                WHERE p.prosecdef AND has_function_privilege('wagewatch_authenticator', p.oid, 'EXECUTE')
                  AND NOT has_function_privilege('public', p.oid, 'EXECUTE')
                """).map { try $0.decode("f", as: String.self) }
            for (group, names) in Self.doors {
                let mine = (found[group] ?? []).subtracting(Self.everyone).subtracting(signIn)
                #expect(mine == names, "\(group): \(mine.sorted())")
            }
        }
    }
}
