-- The door of `import attendance` (SPEC §5 `attendance`, the sign-in machines' days; issue 21):
-- the rows the engine checked and staged in attendance_staging (AttendanceImport.swift), each of
-- a project in the caller's scope (ww_import_projects), go in in one INSERT … SELECT; a day
-- already recorded is left as it is. Inspectors and administrators (import_doors.triggers.sql).
-- Returns how many rows it inserted. See import_scope.sql for how the doors read the session's
-- staging table.
CREATE OR REPLACE FUNCTION ww_import_attendance() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET jit = off AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], 'import: %s do not import attendance');
    v_projects record;
    v_inserted bigint;
BEGIN
    -- First, in a statement of its own: the projects in the caller's scope, or a refusal.
    SELECT * INTO v_projects FROM ww_import_projects(v_scope, 'attendance_staging');
    WITH inserted AS (
        INSERT INTO attendance (region_code, project_id, day, worker_id)
        SELECT p.o_region, p.o_id, s.day, w.id
        FROM pg_temp.attendance_staging s
        JOIN unnest(v_projects.o_codes, v_projects.o_regions, v_projects.o_ids) AS p (o_code, o_region, o_id)
             ON p.o_code = s.project_code
        JOIN workers w ON w.region_code = p.o_region AND w.id_number = s.id_number
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT count(*) INTO v_inserted FROM inserted;
    RETURN v_inserted;
END $$;
