CREATE OR REPLACE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION ww_refuse_change();

CREATE OR REPLACE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION ww_refuse_change();

CREATE OR REPLACE TRIGGER ledger_accounts_balance_guard BEFORE UPDATE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ww_guard_balance();

CREATE OR REPLACE TRIGGER ledger_accounts_open_at_zero BEFORE INSERT ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ww_guard_new_account();

CREATE OR REPLACE TRIGGER transfers_by_door BEFORE INSERT ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION ww_ledger_by_door();

REVOKE ALL ON FUNCTION ww_post_transfer(text, text, bigint, bigint, bigint, timestamptz, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_post_transfer(text, text, bigint, bigint, bigint, timestamptz, text, bigint)
    TO wagewatch_inspector, wagewatch_admin;

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
