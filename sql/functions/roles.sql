-- The group role of a SPEC §1 role name.
CREATE OR REPLACE FUNCTION ww_group_role(p_role text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT 'wagewatch_' || p_role $$;

-- The signed-in user's department and region, from their `users` row. Policies call these
-- as `(SELECT ww_my_department())` so they run once per statement, not once per row.
CREATE OR REPLACE FUNCTION ww_my_department() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT department FROM users WHERE name = current_user $$;

CREATE OR REPLACE FUNCTION ww_my_region() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT region_code FROM users WHERE name = current_user $$;

-- Whether the signed-in sector department leads (归口管理) projects of this type in this
-- region: the lead or co-lead department of the type; a township only in its own region.
CREATE OR REPLACE FUNCTION ww_leads(p_department text, p_region text, p_type text, p_row_region text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM project_types t
                   WHERE t.type = p_type AND p_department IN (t.lead_department, t.co_department))
       AND (p_department <> 'township' OR p_region IS NULL OR p_region = p_row_region)
$$;

-- Masking (SPEC §6), the same shapes as the program's own: ID numbers and bank accounts keep
-- their first and last four characters (`4101**********1234`); a mobile keeps 3 + 4 digits
-- (`138****1234`); a landline its area code and last two digits (`0371-******67`).
CREATE OR REPLACE FUNCTION ww_mask_id(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p IS NULL THEN NULL
                WHEN length(p) <= 8 THEN repeat('*', length(p))
                ELSE left(p, 4) || repeat('*', 10) || right(p, 4) END
$$;

CREATE OR REPLACE FUNCTION ww_mask_phone(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p IS NULL THEN NULL
                WHEN p ~ '^1[0-9]{10}$' THEN left(p, 3) || '****' || right(p, 4)
                WHEN p ~ '^0[0-9]{2,3}-[0-9]{7,8}(-[0-9]+)?$' THEN
                    split_part(p, '-', 1) || '-' || repeat('*', length(split_part(p, '-', 2)) - 2)
                    || right(split_part(p, '-', 2), 2)
                ELSE '****' END
$$;

-- (Re)applies app_grants: revokes everything the groups hold on public tables, then grants
-- each entry, leaving out personal-data columns for every group but inspector and admin.
CREATE OR REPLACE FUNCTION ww_apply_grants() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    g record;
    p text;
    columns text;
    grp text;
BEGIN
    FOREACH grp IN ARRAY ARRAY['intake', 'inspector', 'sector', 'official', 'admin'] LOOP
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', ww_group_role(grp));
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', ww_group_role(grp));
    END LOOP;
    -- A sequence only to a group that inserts into its table: a sequence's value tells how many
    -- rows there are, which a department that may not read the table has no business knowing.
    FOR g IN SELECT DISTINCT s.oid::regclass::text AS seq, a.role
             FROM pg_class s JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
             JOIN pg_class t ON t.oid = d.refobjid
             JOIN pg_namespace n ON n.oid = s.relnamespace AND n.nspname = 'public'
             JOIN app_grants a ON a.table_name = t.relname AND 'INSERT' = ANY (a.privileges)
             WHERE s.relkind = 'S' LOOP
        EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I', g.seq, ww_group_role(g.role));
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

-- A case's per-worker balances and returned direct payments join claims, recoveries and bank
-- lines on the worker's ID number, which only inspectors and administrators may read. For
-- everyone else who may read cases these functions do the join as their owner and return the
-- ID numbers masked; they return nothing to a user who could not read the case itself.
CREATE OR REPLACE FUNCTION ww_invoker() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN current_setting('role') <> 'none' THEN current_setting('role') ELSE session_user::text END
$$;

CREATE OR REPLACE FUNCTION ww_may_read_case(p_region text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce((SELECT u.role IN ('official', 'admin')
                            OR (u.role IN ('intake', 'inspector') AND coalesce(u.region_code, p_region) = p_region)
                     FROM users u WHERE u.name = ww_invoker()), false)
$$;

CREATE OR REPLACE FUNCTION ww_case_workers_masked(p_region text, p_case bigint)
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

CREATE OR REPLACE FUNCTION ww_case_returned_masked(p_region text, p_case bigint)
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
CREATE OR REPLACE FUNCTION ww_flag_lead(p_id bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT department || coalesce(' and ' || co_department, '') FROM flags WHERE id = p_id
$$;
-- Only for the reviewers it explains itself to (sql/functions/roles.triggers.sql grants it).
REVOKE ALL ON FUNCTION ww_flag_lead(bigint) FROM PUBLIC;

-- When a decision, a closure or an acknowledgement is recorded. The program passes its clock
-- (WAGEWATCH_NOW pins it for tests and the demo); only the service account — a superuser
-- session — may record another time than the server's, so a signed-in user cannot backdate
-- their work onto the scorecard.
CREATE OR REPLACE FUNCTION ww_clock(p_at timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_at IS NOT NULL AND ww_superuser_session()
                THEN p_at ELSE now() END
$$;

-- Deny by default: the regions the acting role works in — its own region code, '*' for a user
-- whose row names no region (every region), and NULL for a role with no `users` row (a group
-- role such as wagewatch_inspector, or a stranger), which every policy reads as "nothing".
CREATE OR REPLACE FUNCTION ww_my_scope() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT coalesce(region_code, '*') FROM users WHERE name = current_user $$;

-- Makes a cluster-wide role once (another database of the same cluster, or a concurrent
-- migration, may have made it already): for the migrations that add the server's and the user
-- manager's roles.
CREATE OR REPLACE FUNCTION ww_create_role_once(p_name text, p_options text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
        BEGIN
            EXECUTE format('CREATE ROLE %I %s', p_name, p_options);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;   -- made concurrently by a migration of another database
        END;
    END IF;
END $$;

-- The service account: a superuser session (cron's rule jobs, the embedded cluster's owner, the
-- tests and the demo). It may pin the clock (ww_clock) and, acting for nobody (no SET ROLE),
-- record the names it is given; every guard asks these two, and nothing else, about it.
CREATE OR REPLACE FUNCTION ww_superuser_session() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
$$;

CREATE OR REPLACE FUNCTION ww_service_account() RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT ww_superuser_session() AND current_setting('role') = 'none' $$;

-- Who may pass a door (the SECURITY DEFINER functions that write for a user, issue 21): the
-- invoker's scope — their region, '*' for every region — once they have a `users` row whose role
-- is one of p_roles and are a member of that role's group; NULL for the service account, which
-- may pass every door. Anyone else is refused with p_refusal, in which %s stands for who they are
-- ("users of role intake", "those who are not wagewatch users"). Run inside the doors, as their
-- owner: it reads the users row of ww_invoker(), not of current_user.
CREATE OR REPLACE FUNCTION ww_door_scope(p_roles text[], p_refusal text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_role text;
    v_scope text;
BEGIN
    IF ww_service_account() THEN
        RETURN NULL;
    END IF;
    SELECT u.role, coalesce(u.region_code, '*') INTO v_role, v_scope FROM users u WHERE u.name = ww_invoker();
    IF v_role IS NULL OR NOT v_role = ANY (p_roles) OR NOT pg_has_role(ww_invoker(), ww_group_role(v_role), 'MEMBER') THEN
        RAISE EXCEPTION '%', format(p_refusal, CASE WHEN v_role IS NULL THEN 'those who are not wagewatch users' ELSE 'users of role ' || v_role END)
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    RETURN v_scope;
END $$;
