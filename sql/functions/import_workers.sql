-- The door of `import workers` (SPEC §5 `workers`, the real-name register; issue 21): the rows
-- the engine checked and staged in worker_staging (WorkerImport.swift) are registered in the
-- region of their project, which must be in the caller's scope (ww_import_projects); a worker
-- already registered there (same ID number) is updated. Inspectors and administrators
-- (import_doors.triggers.sql). Returns how many rows it inserted and updated. See
-- import_scope.sql for how the doors read the session's staging table.
CREATE OR REPLACE FUNCTION ww_import_workers() RETURNS TABLE (o_inserted bigint, o_updated bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET jit = off AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], 'import: %s do not import workers');
    v_projects record;
BEGIN
    -- First, in a statement of its own: the projects in the caller's scope, or a refusal.
    SELECT * INTO v_projects FROM ww_import_projects(v_scope, 'worker_staging');
    RETURN QUERY
    WITH upserted AS (
        INSERT INTO workers AS w (region_code, id_number, name, phone, bank, bank_account, employer_id,
                                  project_id, joined, "left")
        SELECT p.o_region, s.id_number, s.name, s.phone, s.bank, s.bank_account, e.id, p.o_id, s.joined, s."left"
        FROM pg_temp.worker_staging s
        JOIN unnest(v_projects.o_codes, v_projects.o_regions, v_projects.o_ids) AS p (o_code, o_region, o_id)
             ON p.o_code = s.project_code
        JOIN employers e ON e.region_code = p.o_region AND e.uscc = s.employer_uscc
        ORDER BY s.line
        ON CONFLICT (region_code, id_number) DO UPDATE
            SET name = EXCLUDED.name, phone = EXCLUDED.phone, bank = EXCLUDED.bank,
                bank_account = EXCLUDED.bank_account, employer_id = EXCLUDED.employer_id,
                project_id = EXCLUDED.project_id, joined = EXCLUDED.joined, "left" = EXCLUDED."left"
            WHERE (w.name, w.phone, w.bank, w.bank_account, w.employer_id, w.project_id, w.joined, w."left")
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.phone, EXCLUDED.bank, EXCLUDED.bank_account,
                                    EXCLUDED.employer_id, EXCLUDED.project_id, EXCLUDED.joined, EXCLUDED."left")
        RETURNING (w.xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE u.inserted), count(*) FILTER (WHERE NOT u.inserted) FROM upserted u;
END $$;
