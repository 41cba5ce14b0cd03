DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sanctions', 'flags', 'flag_reviews'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['sanctions', 'flags'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['flags', 'flag_reviews', 'sanctions'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_delete', t);
    END LOOP;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'attendance', 'payroll', 'ledger_accounts', 'transfers', 'complaints', 'cases',
                             'sanctions', 'claims', 'recoveries'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_mark_dirty()', t || '_dirty_insert', t);
        -- A balance update (every transfer) is already marked by the transfer itself.
        IF t NOT IN ('transfers', 'ledger_accounts') THEN
            EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows
                            FOR EACH STATEMENT EXECUTE FUNCTION ww_mark_dirty()', t || '_dirty_update', t);
        END IF;
    END LOOP;
END $$;
