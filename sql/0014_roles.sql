-- Access by department in the database itself (SPEC §1, §6; issue 9).
--
-- Five group roles, one per SPEC §1 role. Every person signs in as a login role of their own,
-- member of exactly one group and linked to one department by their `users` row
-- (`wagewatch user add` creates both). What a role may touch is decided here, by grants,
-- column privileges and row-level security keyed on `current_user` — never by a value the
-- client sends.
--
-- Later migrations follow the same pattern: add rows to `app_grants` (and `pii_columns` for
-- personal data), create policies for regional tables, then `SELECT ww_apply_grants();`.
-- A test fails when a table has no `app_grants` row.

-- Roles are cluster-wide: another database of the same cluster may have made them already.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['intake', 'inspector', 'sector', 'official', 'admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wagewatch_' || r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', 'wagewatch_' || r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;   -- made concurrently by a migration of another database
            END;
        END IF;
    END LOOP;
END $$;

-- The group role of a SPEC §1 role name.
CREATE FUNCTION ww_group_role(p_role text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'wagewatch_' || p_role $$;

-- The signed-in user's department and region, from their `users` row. Policies call these
-- as `(SELECT ww_my_department())` so they run once per statement, not once per row.
CREATE FUNCTION ww_my_department() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT department FROM users WHERE name = current_user $$;

CREATE FUNCTION ww_my_region() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT region_code FROM users WHERE name = current_user $$;

-- Whether the signed-in sector department leads (归口管理) projects of this type in this
-- region: the lead or co-lead department of the type; a township only in its own region.
CREATE FUNCTION ww_leads(p_department text, p_region text, p_type text, p_row_region text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM project_types t
                   WHERE t.type = p_type AND p_department IN (t.lead_department, t.co_department))
       AND (p_department <> 'township' OR p_region IS NULL OR p_region = p_row_region)
$$;

-- Masking (SPEC §6), the same shapes as the program's own: ID numbers and bank accounts keep
-- their first and last four characters (`4101**********1234`); a mobile keeps 3 + 4 digits
-- (`138****1234`); a landline its area code and last two digits (`0371-******67`).
CREATE FUNCTION ww_mask_id(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p IS NULL THEN NULL
                WHEN length(p) <= 8 THEN repeat('*', length(p))
                ELSE left(p, 4) || repeat('*', 10) || right(p, 4) END
$$;

CREATE FUNCTION ww_mask_phone(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p IS NULL THEN NULL
                WHEN p ~ '^1[0-9]{10}$' THEN left(p, 3) || '****' || right(p, 4)
                WHEN p ~ '^0[0-9]{2,3}-[0-9]{7,8}(-[0-9]+)?$' THEN
                    split_part(p, '-', 1) || '-' || repeat('*', length(split_part(p, '-', 2)) - 2)
                    || right(split_part(p, '-', 2), 2)
                ELSE '****' END
$$;

-- Personal data: readable in full only by inspectors and administrators. Everyone else reads
-- the `*_masked` column beside it, computed by the database when the row is written.
CREATE TABLE pii_columns (
    table_name  text NOT NULL,
    column_name text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('id_number', 'phone', 'bank_account')),
    PRIMARY KEY (table_name, column_name)
);
INSERT INTO pii_columns VALUES
    ('complaints', 'caller_phone', 'phone'),
    ('employers', 'phone', 'phone'),
    ('workers', 'id_number', 'id_number'),
    ('workers', 'phone', 'phone'),
    ('workers', 'bank_account', 'bank_account'),
    ('claims', 'id_number', 'id_number'),
    ('recoveries', 'id_number', 'id_number'),
    ('direct_pay_lines', 'id_number', 'id_number'),
    ('direct_pay_lines', 'bank_account', 'bank_account');

ALTER TABLE complaints ADD COLUMN caller_phone_masked text GENERATED ALWAYS AS (ww_mask_phone(caller_phone)) STORED;
ALTER TABLE employers ADD COLUMN phone_masked text GENERATED ALWAYS AS (ww_mask_phone(phone)) STORED;
ALTER TABLE workers ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED,
                    ADD COLUMN phone_masked text GENERATED ALWAYS AS (ww_mask_phone(phone)) STORED,
                    ADD COLUMN bank_account_masked text GENERATED ALWAYS AS (ww_mask_id(bank_account)) STORED;
ALTER TABLE claims ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED;
ALTER TABLE recoveries ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED;
ALTER TABLE direct_pay_lines ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED,
                             ADD COLUMN bank_account_masked text GENERATED ALWAYS AS (ww_mask_id(bank_account)) STORED;

-- What each group may do to each table. SELECT for a group other than inspector and admin
-- covers every column but those in pii_columns. An entry may name columns: 'UPDATE (a, b)'.
CREATE TABLE app_grants (
    table_name text NOT NULL,
    role       text NOT NULL CHECK (role IN ('intake', 'inspector', 'sector', 'official', 'admin')),
    privileges text[] NOT NULL,
    PRIMARY KEY (table_name, role)
);

INSERT INTO app_grants (table_name, role, privileges)
SELECT t, r, '{SELECT}'
FROM unnest(ARRAY['schema_migrations', 'departments', 'regions', 'users', 'project_types',
                  'calendar_days', 'working_day_index', 'escalation_levels', 'rule_runs',
                  'pii_columns', 'app_grants']) t,
     unnest(ARRAY['intake', 'inspector', 'sector', 'official']) r;

INSERT INTO app_grants (table_name, role, privileges) VALUES
    -- reference data: the administrator keeps departments, users and the calendar
    ('schema_migrations', 'admin', '{SELECT}'),
    ('departments', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('regions', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('users', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('project_types', 'admin', '{SELECT}'),
    ('calendar_days', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('working_day_index', 'admin', '{SELECT}'),
    ('escalation_levels', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('rule_runs', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('pii_columns', 'admin', '{SELECT}'),
    ('app_grants', 'admin', '{SELECT}'),
    -- the audit log: read by the administrator, written only by the database's own triggers
    ('audit_log', 'admin', '{SELECT}'),
    -- complaints and cases: the hotline logs, inspectors investigate, officials read
    ('employers', 'intake', '{SELECT,INSERT,UPDATE}'),
    ('employers', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('employers', 'sector', '{SELECT}'),
    ('employers', 'official', '{SELECT}'),
    ('employers', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('complaint_counters', 'intake', '{SELECT,INSERT,UPDATE}'),
    ('complaint_counters', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('complaint_counters', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('complaints', 'intake', '{SELECT,INSERT,UPDATE}'),
    ('complaints', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('complaints', 'official', '{SELECT}'),
    ('complaints', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('cases', 'intake', '{SELECT,INSERT}'),
    ('cases', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('cases', 'official', '{SELECT}'),
    ('cases', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('case_totals', 'intake', '{SELECT}'),
    ('case_totals', 'inspector', '{SELECT}'),
    ('case_totals', 'official', '{SELECT}'),
    ('case_totals', 'admin', '{SELECT}'),
    ('case_extensions', 'intake', '{SELECT}'),
    ('case_extensions', 'inspector', '{SELECT,INSERT}'),
    ('case_extensions', 'official', '{SELECT}'),
    ('case_extensions', 'admin', '{SELECT,INSERT}'),
    ('claims', 'intake', '{SELECT}'),
    ('claims', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('claims', 'official', '{SELECT}'),
    ('claims', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('recoveries', 'intake', '{SELECT}'),
    ('recoveries', 'inspector', '{SELECT,INSERT}'),
    ('recoveries', 'official', '{SELECT}'),
    ('recoveries', 'admin', '{SELECT,INSERT}'),
    ('payment_orders', 'inspector', '{SELECT,INSERT}'),
    ('payment_orders', 'official', '{SELECT}'),
    ('payment_orders', 'admin', '{SELECT,INSERT}'),
    -- projects, workers and the ledger: inspectors register, sector departments read what they lead
    ('projects', 'intake', '{SELECT}'),
    ('projects', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('projects', 'sector', '{SELECT,"UPDATE (direct_pay_mode)"}'),
    ('projects', 'official', '{SELECT}'),
    ('projects', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('project_subcontractors', 'inspector', '{SELECT,INSERT}'),
    ('project_subcontractors', 'sector', '{SELECT}'),
    ('project_subcontractors', 'official', '{SELECT}'),
    ('project_subcontractors', 'admin', '{SELECT,INSERT}'),
    ('workers', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('workers', 'official', '{SELECT}'),
    ('workers', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('attendance', 'inspector', '{SELECT,INSERT}'),
    ('attendance', 'official', '{SELECT}'),
    ('attendance', 'admin', '{SELECT,INSERT}'),
    ('payroll', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('payroll', 'official', '{SELECT}'),
    ('payroll', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('ledger_accounts', 'intake', '{SELECT}'),
    ('ledger_accounts', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('ledger_accounts', 'sector', '{SELECT}'),
    ('ledger_accounts', 'official', '{SELECT}'),
    ('ledger_accounts', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('transfers', 'inspector', '{SELECT,INSERT}'),
    ('transfers', 'official', '{SELECT}'),
    ('transfers', 'admin', '{SELECT,INSERT}'),
    -- risk flags: sector departments review what they lead; rule jobs run as the administrator
    ('flags', 'inspector', '{SELECT}'),
    ('flags', 'sector', '{SELECT,"UPDATE (status, review_action, review_reason, reviewed_at, reviewed_by)"}'),
    ('flags', 'official', '{SELECT}'),
    ('flags', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('flag_reviews', 'inspector', '{SELECT}'),
    ('flag_reviews', 'sector', '{SELECT,INSERT}'),
    ('flag_reviews', 'official', '{SELECT}'),
    ('flag_reviews', 'admin', '{SELECT,INSERT}'),
    ('rule_dirty', 'admin', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('rule_findings', 'admin', '{SELECT,INSERT,DELETE}'),
    ('sanctions', 'intake', '{SELECT}'),
    ('sanctions', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('sanctions', 'sector', '{SELECT}'),
    ('sanctions', 'official', '{SELECT}'),
    ('sanctions', 'admin', '{SELECT,INSERT,UPDATE}'),
    -- escalations: officials acknowledge, inspectors and administrators resolve
    ('escalations', 'intake', '{SELECT}'),
    ('escalations', 'inspector', '{SELECT,UPDATE}'),
    ('escalations', 'official', '{SELECT,"UPDATE (status, acknowledged_at, acknowledged_by)"}'),
    ('escalations', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('escalation_outbox', 'admin', '{SELECT,INSERT,UPDATE}'),
    -- direct pay: ordered on a sector department's confirmation, planned and paid by inspectors
    ('direct_pay_orders', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_orders', 'sector', '{SELECT,INSERT}'),
    ('direct_pay_orders', 'official', '{SELECT}'),
    ('direct_pay_orders', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_batches', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_batches', 'official', '{SELECT}'),
    ('direct_pay_batches', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_lines', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_lines', 'official', '{SELECT}'),
    ('direct_pay_lines', 'admin', '{SELECT,INSERT,UPDATE}');

-- (Re)applies app_grants: revokes everything the groups hold on public tables, then grants
-- each entry, leaving out personal-data columns for every group but inspector and admin.
CREATE FUNCTION ww_apply_grants() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    g record;
    p text;
    columns text;
    grp text;
BEGIN
    FOREACH grp IN ARRAY ARRAY['intake', 'inspector', 'sector', 'official', 'admin'] LOOP
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', ww_group_role(grp));
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', ww_group_role(grp));
    END LOOP;
    FOR g IN SELECT a.* FROM app_grants a JOIN pg_class c ON c.relname = a.table_name
             JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' LOOP
        FOREACH p IN ARRAY g.privileges LOOP
            IF p = 'SELECT' AND g.role NOT IN ('inspector', 'admin')
               AND EXISTS (SELECT 1 FROM pii_columns WHERE table_name = g.table_name) THEN
                SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
                FROM pg_attribute
                WHERE attrelid = format('public.%I', g.table_name)::regclass AND attnum > 0 AND NOT attisdropped
                  AND attname NOT IN (SELECT column_name FROM pii_columns WHERE table_name = g.table_name);
                EXECUTE format('GRANT SELECT (%s) ON public.%I TO %I', columns, g.table_name, ww_group_role(g.role));
            ELSE
                EXECUTE format('GRANT %s ON public.%I TO %I', p, g.table_name, ww_group_role(g.role));
            END IF;
        END LOOP;
    END LOOP;
END $$;

-- A view reads its tables with the privileges and row policies of the user reading the view.
ALTER VIEW case_totals SET (security_invoker = true);

SELECT ww_apply_grants();

-- The database's own trigger functions (audit, deadlines, escalations, rule bookkeeping) write
-- tables no application role may write directly: they run as their owner.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.prorettype = 'trigger'::regtype LOOP
        EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp', f);
    END LOOP;
END $$;

-- Row-level security. Policies are permissive and per group; a table owner is held to them
-- too (FORCE). Superusers — the service account of cron jobs and the embedded cluster's
-- owner — are not subject to row security in PostgreSQL.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'flags', 'flag_reviews', 'workers', 'cases', 'complaints',
                             'claims', 'recoveries', 'ledger_accounts'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        -- administrators change everything; officials read everything
        EXECUTE format('CREATE POLICY admin_all ON %I TO wagewatch_admin USING (true) WITH CHECK (true)', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['projects', 'flags', 'flag_reviews', 'workers', 'cases', 'complaints',
                             'claims', 'recoveries'] LOOP
        EXECUTE format('CREATE POLICY official_read ON %I FOR SELECT TO wagewatch_official USING (true)', t);
    END LOOP;
    -- the hotline and inspectors work in their region (all regions when the user has none)
    FOREACH t IN ARRAY ARRAY['projects', 'cases', 'complaints', 'claims', 'recoveries'] LOOP
        EXECUTE format($p$CREATE POLICY own_region ON %I TO wagewatch_intake, wagewatch_inspector
            USING (region_code = coalesce((SELECT ww_my_region()), region_code))
            WITH CHECK (region_code = coalesce((SELECT ww_my_region()), region_code))$p$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['workers', 'flags', 'flag_reviews'] LOOP
        EXECUTE format($p$CREATE POLICY own_region ON %I TO wagewatch_inspector
            USING (region_code = coalesce((SELECT ww_my_region()), region_code))
            WITH CHECK (region_code = coalesce((SELECT ww_my_region()), region_code))$p$, t);
    END LOOP;
END $$;

-- Officials acknowledge escalations; the escalation table carries no personal data and is
-- read by everyone who works cases, so it has no row policy.

-- Inspectors keep workers' ledger accounts; everyone else sees project and fund accounts only.
CREATE POLICY inspector_all ON ledger_accounts TO wagewatch_inspector USING (true) WITH CHECK (true);
CREATE POLICY no_worker_accounts ON ledger_accounts FOR SELECT TO wagewatch_intake, wagewatch_official
    USING (kind <> 'worker');
-- A sector department sees the accounts of the projects it leads (the projects policy below
-- applies inside the subquery).
CREATE POLICY sector_leads ON ledger_accounts FOR SELECT TO wagewatch_sector
    USING (kind <> 'worker' AND project_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM projects p WHERE p.region_code = ledger_accounts.region_code
                                                  AND p.id = ledger_accounts.project_id));

-- A sector department sees and changes only the projects and flags it leads (归口管理).
CREATE POLICY sector_leads ON projects TO wagewatch_sector
    USING (ww_leads((SELECT ww_my_department()), (SELECT ww_my_region()), type, region_code))
    WITH CHECK (ww_leads((SELECT ww_my_department()), (SELECT ww_my_region()), type, region_code));
CREATE POLICY sector_leads ON flags TO wagewatch_sector
    USING ((SELECT ww_my_department()) IN (department, co_department)
           AND ((SELECT ww_my_department()) <> 'township'
                OR region_code = coalesce((SELECT ww_my_region()), region_code)))
    WITH CHECK ((SELECT ww_my_department()) IN (department, co_department));
CREATE POLICY sector_own ON flag_reviews TO wagewatch_sector
    USING (department = (SELECT ww_my_department()))
    WITH CHECK (department = (SELECT ww_my_department()) AND reviewer = current_user);

-- A case's per-worker balances and returned direct payments join claims, recoveries and bank
-- lines on the worker's ID number, which only inspectors and administrators may read. For
-- everyone else who may read cases these functions do the join as their owner and return the
-- ID numbers masked; they return nothing to a user who could not read the case itself.
CREATE FUNCTION ww_invoker() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN current_setting('role') <> 'none' THEN current_setting('role') ELSE session_user::text END
$$;

CREATE FUNCTION ww_may_read_case(p_region text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce((SELECT u.role IN ('official', 'admin')
                            OR (u.role IN ('intake', 'inspector') AND coalesce(u.region_code, p_region) = p_region)
                     FROM users u WHERE u.name = ww_invoker()), false)
$$;

CREATE FUNCTION ww_case_workers_masked(p_region text, p_case bigint)
RETURNS TABLE (id_number text, worker_name text, owed_fen bigint, recovered_fen bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH w AS (
        SELECT c.id_number FROM claims c WHERE c.region_code = p_region AND c.case_id = p_case
        UNION SELECT r.id_number FROM recoveries r WHERE r.region_code = p_region AND r.case_id = p_case)
    SELECT ww_mask_id(w.id_number), cl.worker_name, cl.owed_fen,
           coalesce((SELECT sum(r.amount_fen) FROM recoveries r WHERE r.region_code = p_region
                     AND r.case_id = p_case AND r.id_number = w.id_number), 0)::bigint
    FROM w LEFT JOIN claims cl ON cl.region_code = p_region AND cl.case_id = p_case AND cl.id_number = w.id_number
    WHERE ww_may_read_case(p_region)
    ORDER BY w.id_number
$$;

CREATE FUNCTION ww_case_returned_masked(p_region text, p_case bigint)
RETURNS TABLE (id_number text, batch_id bigint, line_no integer, amount_fen bigint, returned_reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT ww_mask_id(l.id_number), l.batch_id, l.line_no, l.amount_fen, l.returned_reason
    FROM direct_pay_lines l
    WHERE ww_may_read_case(p_region) AND l.status = 'returned' AND l.id_number IN (
        SELECT c.id_number FROM claims c WHERE c.region_code = p_region AND c.case_id = p_case
        UNION SELECT r.id_number FROM recoveries r WHERE r.region_code = p_region AND r.case_id = p_case)
    ORDER BY l.batch_id, l.line_no
$$;

-- Which department leads a flag, for the message that refuses a review by another department
-- (row security hides the flag itself from them). Says nothing else about the flag.
CREATE FUNCTION ww_flag_lead(p_id bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT department || coalesce(' and ' || co_department, '') FROM flags WHERE id = p_id
$$;

-- When a decision, a closure or an acknowledgement is recorded. The program passes its clock
-- (WAGEWATCH_NOW pins it for tests and the demo); only the service account — a superuser
-- session — may record another time than the server's, so a signed-in user cannot backdate
-- their work onto the scorecard.
CREATE FUNCTION ww_clock(p_at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_at IS NOT NULL AND (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                THEN p_at ELSE now() END
$$;
