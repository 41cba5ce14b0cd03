-- The door of `import payroll` (SPEC §5 `payroll`, 工资表; issue 21): the rows the engine checked
-- and staged in payroll_staging (PayrollImport.swift), one per worker, project and month, each of
-- a project in the caller's scope (ww_import_projects); a line already stored for the same
-- project, month and worker is replaced. Inspectors and administrators
-- (import_doors.triggers.sql). Returns how many rows it inserted and updated. See
-- import_scope.sql for how the doors read the session's staging table.
CREATE OR REPLACE FUNCTION ww_import_payroll() RETURNS TABLE (o_inserted bigint, o_updated bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET jit = off AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], 'import: %s do not import payroll');
    v_projects record;
BEGIN
    -- First, in a statement of its own: the projects in the caller's scope, or a refusal.
    SELECT * INTO v_projects FROM ww_import_projects(v_scope, 'payroll_staging');
    RETURN QUERY
    WITH upserted AS (
        INSERT INTO payroll AS y (region_code, project_id, period, worker_id, days_worked, wage_due_fen,
                                  wage_paid_fen, paid_on, signed)
        SELECT p.o_region, p.o_id, s.period, w.id, s.days_worked, s.wage_due_fen, s.wage_paid_fen, s.paid_on, s.signed
        FROM pg_temp.payroll_staging s
        JOIN unnest(v_projects.o_codes, v_projects.o_regions, v_projects.o_ids) AS p (o_code, o_region, o_id)
             ON p.o_code = s.project_code
        JOIN workers w ON w.region_code = p.o_region AND w.id_number = s.id_number
        ON CONFLICT (region_code, project_id, period, worker_id) DO UPDATE
            SET days_worked = EXCLUDED.days_worked, wage_due_fen = EXCLUDED.wage_due_fen,
                wage_paid_fen = EXCLUDED.wage_paid_fen, paid_on = EXCLUDED.paid_on, signed = EXCLUDED.signed
            WHERE (y.days_worked, y.wage_due_fen, y.wage_paid_fen, y.paid_on, y.signed)
                  IS DISTINCT FROM (EXCLUDED.days_worked, EXCLUDED.wage_due_fen, EXCLUDED.wage_paid_fen,
                                    EXCLUDED.paid_on, EXCLUDED.signed)
        RETURNING (y.xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE u.inserted), count(*) FILTER (WHERE NOT u.inserted) FROM upserted u;
END $$;
