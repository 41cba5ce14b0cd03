-- Incremental rule runs (SPEC R1–R12). Every change to what the rules read marks its subject
-- here: a project, or an employer (whose projects as contractor then count as changed too). A
-- run on the same as-of date as the last successful one re-evaluates only the marked subjects;
-- a run on a new date re-evaluates everything, because deadlines may have passed.

CREATE TABLE rule_dirty (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('project', 'employer')),
    subject_id  bigint NOT NULL
);

CREATE FUNCTION ww_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'projects' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id) SELECT DISTINCT region_code, 'project', id FROM new_rows;
    WHEN 'attendance', 'payroll' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id) SELECT DISTINCT region_code, 'project', project_id FROM new_rows;
    WHEN 'ledger_accounts' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id)
        SELECT DISTINCT region_code, 'project', project_id FROM new_rows WHERE project_id IS NOT NULL;
    WHEN 'transfers' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id)
        SELECT DISTINCT a.region_code, 'project', a.project_id
        FROM new_rows t JOIN ledger_accounts a ON a.region_code = t.region_code AND a.id IN (t.from_account, t.to_account)
        WHERE a.project_id IS NOT NULL;
    WHEN 'complaints', 'cases', 'sanctions' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id) SELECT DISTINCT region_code, 'employer', employer_id FROM new_rows;
    WHEN 'claims', 'recoveries' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id)
        SELECT DISTINCT c.region_code, 'employer', c.employer_id
        FROM new_rows n JOIN cases c ON c.region_code = n.region_code AND c.id = n.case_id;
    END CASE;
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'attendance', 'payroll', 'ledger_accounts', 'transfers', 'complaints', 'cases',
                             'sanctions', 'claims', 'recoveries'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_mark_dirty()', t || '_dirty_insert', t);
        -- A balance update (every transfer) is already marked by the transfer itself.
        IF t NOT IN ('transfers', 'ledger_accounts') THEN
            EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION ww_mark_dirty()', t || '_dirty_update', t);
        END IF;
    END LOOP;
END $$;

ALTER TABLE rule_runs ADD COLUMN dirty_upto bigint, ADD COLUMN subjects integer;

-- The subjects an incremental run re-evaluates, into the session's rule_scope table.
CREATE FUNCTION ww_prepare_rule_scope(p_upto bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS rule_scope (kind text NOT NULL, subject_id bigint NOT NULL, PRIMARY KEY (kind, subject_id));
    DELETE FROM rule_scope;
    INSERT INTO rule_scope
    SELECT DISTINCT kind, subject_id FROM rule_dirty WHERE id <= p_upto
    ON CONFLICT DO NOTHING;
    -- An employer's change touches the projects it contracts.
    INSERT INTO rule_scope
    SELECT 'project', p.id FROM projects p
    WHERE p.contractor_id IN (SELECT subject_id FROM rule_scope WHERE kind = 'employer')
    ON CONFLICT DO NOTHING;
    -- A project's change touches its contractor's employer-level flags.
    INSERT INTO rule_scope
    SELECT 'employer', p.contractor_id FROM projects p
    WHERE p.id IN (SELECT subject_id FROM rule_scope WHERE kind = 'project')
    ON CONFLICT DO NOTHING;
    ANALYZE rule_scope;
    SELECT count(*) INTO n FROM rule_scope;
    RETURN n;
END $$;
