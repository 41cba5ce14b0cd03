DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'employers', 'cases', 'complaints', 'case_extensions', 'claims', 'recoveries'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
    END LOOP;
    -- Never deleted (C1), and payroll and attendance neither (audit_more.triggers.sql).
    FOREACH t IN ARRAY ARRAY['complaints', 'cases', 'case_extensions', 'claims', 'recoveries', 'payroll', 'attendance'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_delete', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_truncate', t);
    END LOOP;
END $$;

-- The facts of a complaint, its deadline and its one decision (sql/functions/complaints_guard.sql).
CREATE OR REPLACE TRIGGER complaints_guard BEFORE UPDATE ON complaints
    FOR EACH ROW EXECUTE FUNCTION ww_complaint_guard();

-- A complaint is filed as intake files it (sql/functions/complaints_guard.sql).
CREATE OR REPLACE TRIGGER complaints_insert_guard AFTER INSERT ON complaints REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_complaint_insert_guard();

-- The counters' door, for those who file complaints (sql/functions/complaints.sql).
REVOKE ALL ON FUNCTION ww_take_complaint_numbers(text[], date[], integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_take_complaint_numbers(text[], date[], integer[])
    TO wagewatch_intake, wagewatch_inspector, wagewatch_admin;

-- The decision's door (sql/functions/complaints_guard.sql) is for inspectors and administrators.
REVOKE ALL ON FUNCTION ww_decide_complaint(text, bigint, text, text, bigint, date, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_decide_complaint(text, bigint, text, text, bigint, date, timestamptz) TO wagewatch_inspector, wagewatch_admin;
