-- Deny by default (issue 21): a role with no `users` row — a group role such as
-- wagewatch_inspector that a member may SET ROLE to, or a stranger — sees and changes nothing.
-- The policies of the baseline read a missing region as "every region"; here they read the
-- acting role's scope (ww_my_scope: its region, '*' for a user of every region, NULL for no
-- user) and NULL matches no row.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'flags', 'flag_reviews', 'workers', 'cases', 'complaints',
                             'claims', 'recoveries', 'ledger_accounts'] LOOP
        EXECUTE format($p$ALTER POLICY admin_all ON %I
            USING ((SELECT ww_my_scope()) IS NOT NULL) WITH CHECK ((SELECT ww_my_scope()) IS NOT NULL)$p$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['projects', 'flags', 'flag_reviews', 'workers', 'cases', 'complaints',
                             'claims', 'recoveries'] LOOP
        EXECUTE format($p$ALTER POLICY official_read ON %I USING ((SELECT ww_my_scope()) IS NOT NULL)$p$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['projects', 'cases', 'complaints', 'claims', 'recoveries', 'workers', 'flags', 'flag_reviews'] LOOP
        EXECUTE format($p$ALTER POLICY own_region ON %I
            USING ((SELECT ww_my_scope()) IN ('*', region_code))
            WITH CHECK ((SELECT ww_my_scope()) IN ('*', region_code))$p$, t);
    END LOOP;
END $$;

ALTER POLICY inspector_all ON ledger_accounts
    USING ((SELECT ww_my_scope()) IS NOT NULL) WITH CHECK ((SELECT ww_my_scope()) IS NOT NULL);
ALTER POLICY no_worker_accounts ON ledger_accounts USING (kind <> 'worker' AND (SELECT ww_my_scope()) IS NOT NULL);

-- A township sees the small enterprises of its own region; a sector user of every region, all.
ALTER POLICY sector_leads ON flags
    USING ((SELECT ww_my_department()) IN (department, co_department)
           AND ((SELECT ww_my_department()) <> 'township' OR (SELECT ww_my_scope()) IN ('*', region_code)))
    WITH CHECK ((SELECT ww_my_department()) IN (department, co_department));

-- A decision is never dated before the complaint it decides was received (new rows; the rows
-- already stored are not re-checked).
ALTER TABLE complaints ADD CONSTRAINT complaints_decided_after_receipt
    CHECK (decided_at IS NULL OR decided_at >= received_at) NOT VALID;
