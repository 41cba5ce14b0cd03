CREATE OR REPLACE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION ww_refuse_change();

CREATE OR REPLACE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION ww_refuse_change();

CREATE OR REPLACE TRIGGER ledger_accounts_balance_guard BEFORE UPDATE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ww_guard_balance();

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'project_subcontractors', 'workers', 'ledger_accounts', 'transfers'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['projects', 'workers'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
    END LOOP;
END $$;
