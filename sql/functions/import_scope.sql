-- Imports through doors (issue 21): the import engine (Sources/WagewatchCore/Import) checks each
-- line and COPYs it into a temporary staging table of the session; each kind's SECURITY DEFINER
-- door (import_employers.sql, import_workers.sql, import_payroll.sql, import_attendance.sql) then
-- reads that table, checks who may (ww_door_scope) and the region of every staged row, and writes
-- set-based: a statement per step, never a function call or a loop per row. Their shared checks,
-- run inside the doors (as the doors' owner; nobody else may call them).
--
-- The staging tables belong to the role that made them; StagingTable.prepare grants them to
-- PUBLIC (as ww_create_intake_staging does), so that a door's owner and the next user of a pooled
-- connection may use them. A temporary table is visible only in its own session, and every
-- door reads it by its schema-qualified name (pg_temp.…), never through the search path.

-- A staging table a door reads must be the session's own plain table: not a view, no row
-- security, no rules or triggers. Any of those runs expressions of the table's maker with the
-- door's rights (a login could make pg_temp.worker_staging a view over a function of its own in
-- pg_temp, and the door would run it as the schema's owner). Checked first by every door that
-- reads one (through ww_import_regions and ww_import_projects), whatever the caller's scope.
CREATE OR REPLACE FUNCTION ww_staging_is_plain(p_staging text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class c
                   WHERE c.oid = to_regclass('pg_temp.' || quote_ident(p_staging))
                     AND c.relkind = 'r' AND c.relpersistence = 't'
                     AND NOT c.relrowsecurity AND NOT c.relhasrules AND NOT c.relhastriggers) THEN
        RAISE EXCEPTION 'import: pg_temp.% is not the session''s plain staging table; a door reads nothing else', p_staging
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
END $$;
REVOKE ALL ON FUNCTION ww_staging_is_plain(text) FROM PUBLIC;

-- Refuses a staged row outside the caller's scope, naming its line, the value and the region.
CREATE OR REPLACE FUNCTION ww_refuse_other_region(p_line integer, p_column text, p_value text, p_region text, p_scope text)
RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF p_column = 'region_code' THEN
        RAISE EXCEPTION 'line %: region_code: "%" is not your region (%)', p_line, p_value, p_scope
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    RAISE EXCEPTION 'line %: %: "%" is a project of region %, not of your region (%)', p_line, p_column, p_value, p_region, p_scope
        USING ERRCODE = '42501', HINT = 'denied';
END $$;
REVOKE ALL ON FUNCTION ww_refuse_other_region(integer, text, text, text, text) FROM PUBLIC;

-- Refuses the first row of the session's staging table p_staging whose region_code is outside
-- the caller's scope (p_scope as ww_door_scope returns it: nothing to check for '*' or the
-- service account's NULL). One statement over the staging table, before the door writes.
CREATE OR REPLACE FUNCTION ww_import_regions(p_scope text, p_staging text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_line integer;
    v_region text;
BEGIN
    PERFORM ww_staging_is_plain(p_staging);
    IF p_scope IS NULL OR p_scope = '*' THEN
        RETURN;
    END IF;
    EXECUTE format('SELECT s.line, s.region_code FROM pg_temp.%I s WHERE s.region_code IS DISTINCT FROM $1
                    ORDER BY s.line LIMIT 1', p_staging) INTO v_line, v_region USING p_scope;
    IF v_line IS NOT NULL THEN
        PERFORM ww_refuse_other_region(v_line, 'region_code', v_region, v_region, p_scope);
    END IF;
END $$;
REVOKE ALL ON FUNCTION ww_import_regions(text, text) FROM PUBLIC;

-- The projects the rows of the session's staging table p_staging (worker_staging …) name, as
-- the door's caller may write to them: per code, the one project of that code in the caller's
-- scope (p_scope: a region, '*' for every region, NULL for the service account) — what the
-- engine's `staged_projects` (StagedRows.swift) finds under the caller's row security; a code of
-- several projects in the scope is left out (the engine has refused it already). A code whose
-- projects all lie outside the scope is refused, naming the first line that gives it and the
-- project's region. One pass over the staging table for its distinct codes; the projects come
-- back as three arrays (code, region, id) that a door unnests: called in a statement of its own
-- before the door writes, the check always runs (a join that finds no rows on its other side
-- would never read a set-returning function's rows).
CREATE OR REPLACE FUNCTION ww_import_projects(p_scope text, p_staging text,
                                              OUT o_codes text[], OUT o_regions text[], OUT o_ids bigint[])
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_codes text[];
    v_lines integer[];
    v record;
BEGIN
    PERFORM ww_staging_is_plain(p_staging);
    EXECUTE format('SELECT array_agg(c.code ORDER BY c.line), array_agg(c.line ORDER BY c.line)
                    FROM (SELECT s.project_code AS code, min(s.line) AS line FROM pg_temp.%I s GROUP BY s.project_code) c',
                   p_staging) INTO v_codes, v_lines;
    IF p_scope IS NOT NULL AND p_scope <> '*' THEN
        SELECT c.line, c.code, min(p.region_code) AS region INTO v
        FROM unnest(v_codes, v_lines) AS c (code, line)
        JOIN projects p ON p.code = c.code
        GROUP BY c.line, c.code
        HAVING NOT bool_or(p.region_code = p_scope)
        ORDER BY c.line
        LIMIT 1;
        IF FOUND THEN
            PERFORM ww_refuse_other_region(v.line, 'project_code', v.code, v.region, p_scope);
        END IF;
    END IF;
    SELECT coalesce(array_agg(k.code), '{}'), coalesce(array_agg(k.region_code), '{}'), coalesce(array_agg(k.id), '{}')
    INTO o_codes, o_regions, o_ids
    FROM (SELECT p.code, min(p.region_code) AS region_code, min(p.id) AS id
          FROM projects p
          WHERE p.code = ANY (v_codes) AND (p_scope IS NULL OR p_scope IN ('*', p.region_code))
          GROUP BY p.code
          HAVING count(*) = 1) k;
END $$;
REVOKE ALL ON FUNCTION ww_import_projects(text, text) FROM PUBLIC;
