-- Escalations are read and written as the complaints, cases and flags they come from (issue 16's
-- live board, issue 21): until now the table had no row security, so the hotline or an inspector
-- of one county read every county's escalations (employers, workers, amounts) while row security
-- hid the complaints themselves. Now, as on complaints (0001, 0004): administrators and officials
-- read every region (officials acknowledge only in their own, as the escalations guard already
-- says), the hotline and inspectors work in their own region (every region when they have none),
-- and a role without a user has no scope and sees nothing. Superusers (the service account: rule
-- jobs, the catch-up, delivery) are not subject to row security.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['escalations', 'escalation_levels'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY admin_all ON %I TO wagewatch_admin
            USING ((SELECT ww_my_scope()) IS NOT NULL) WITH CHECK ((SELECT ww_my_scope()) IS NOT NULL)$p$, t);
        EXECUTE format($p$CREATE POLICY official_read ON %I FOR SELECT TO wagewatch_official
            USING ((SELECT ww_my_scope()) IS NOT NULL)$p$, t);
        EXECUTE format($p$CREATE POLICY own_region ON %I TO wagewatch_intake, wagewatch_inspector, wagewatch_official
            USING ((SELECT ww_my_scope()) IN ('*', region_code))
            WITH CHECK ((SELECT ww_my_scope()) IN ('*', region_code))$p$, t);
    END LOOP;
END $$;
