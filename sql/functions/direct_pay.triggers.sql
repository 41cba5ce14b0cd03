DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['direct_pay_orders', 'direct_pay_batches', 'direct_pay_lines'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_delete', t);
    END LOOP;
END $$;
