-- Employers (SPEC §5 `employers`) are written only through these doors (issue 21): the employers
-- import (EmployerImport.swift) and the hotline's intake, which registers an employer named for
-- the first time (ww_intake_staged, complaints.sql). See import_scope.sql for how the doors read
-- the session's staging table.

-- The door of `import employers`: the rows the engine checked and staged in employer_staging,
-- each of a region in the caller's scope, are written — an employer known so far only by name
-- from complaints gets its USCC attached, then every row is upserted by USCC. Inspectors and
-- administrators (import_doors.triggers.sql). Returns how many rows it inserted and updated.
-- JIT is off, as in intake: the estimates of a large staged file would compile every statement.
CREATE OR REPLACE FUNCTION ww_import_employers() RETURNS TABLE (o_inserted bigint, o_updated bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET jit = off AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], 'import: %s do not import employers');
    v_attached bigint;
BEGIN
    PERFORM ww_import_regions(v_scope, 'employer_staging');
    UPDATE employers e SET uscc = s.uscc, name = s.name, kind = s.kind, legal_rep = s.legal_rep, phone = s.phone
    FROM pg_temp.employer_staging s
    WHERE e.region_code = s.region_code AND e.uscc IS NULL AND e.name_key = s.name_key
      AND NOT EXISTS (SELECT 1 FROM employers x WHERE x.region_code = s.region_code AND x.uscc = s.uscc);
    GET DIAGNOSTICS v_attached = ROW_COUNT;
    RETURN QUERY
    WITH upserted AS (
        INSERT INTO employers AS e (region_code, uscc, name, name_key, kind, legal_rep, phone)
        SELECT s.region_code, s.uscc, s.name, s.name_key, s.kind, s.legal_rep, s.phone FROM pg_temp.employer_staging s
        ON CONFLICT (region_code, uscc) WHERE uscc IS NOT NULL DO UPDATE
            SET name = EXCLUDED.name, name_key = EXCLUDED.name_key, kind = EXCLUDED.kind,
                legal_rep = EXCLUDED.legal_rep, phone = EXCLUDED.phone
            WHERE (e.name, e.kind, e.legal_rep, e.phone) IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.legal_rep, EXCLUDED.phone)
        RETURNING (e.xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE u.inserted), count(*) FILTER (WHERE NOT u.inserted) + v_attached FROM upserted u;
END $$;

-- Employers named for the first time at intake (C1), from the session's intake_staging: by
-- USCC, or by normalised name when there is none. Only for those who file complaints, in their
-- own scope; called by ww_intake_staged before it numbers the complaints.
CREATE OR REPLACE FUNCTION ww_register_intake_employers() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET jit = off AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['intake', 'inspector', 'admin'], 'employer_name: %s do not file complaints');
BEGIN
    PERFORM ww_import_regions(v_scope, 'intake_staging');
    INSERT INTO employers (region_code, uscc, name, name_key)
    SELECT DISTINCT ON (s.region_code, coalesce(s.employer_uscc, s.name_key))
           s.region_code, s.employer_uscc, s.employer_name, s.name_key
    FROM pg_temp.intake_staging s
    WHERE (s.employer_uscc IS NULL OR NOT EXISTS (
               SELECT 1 FROM employers e WHERE e.region_code = s.region_code AND e.uscc = s.employer_uscc))
      AND (s.employer_uscc IS NOT NULL OR NOT EXISTS (
               SELECT 1 FROM employers e WHERE e.region_code = s.region_code AND e.name_key = s.name_key))
    ORDER BY s.region_code, coalesce(s.employer_uscc, s.name_key), s.line
    ON CONFLICT DO NOTHING;
END $$;
