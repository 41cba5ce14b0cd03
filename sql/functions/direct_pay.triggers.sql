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

-- Maker-checker and frozen lines (sql/functions/direct_pay.sql).
CREATE OR REPLACE TRIGGER direct_pay_batches_guard BEFORE INSERT OR UPDATE ON direct_pay_batches
    FOR EACH ROW EXECUTE FUNCTION ww_direct_pay_batch_guard();
CREATE OR REPLACE TRIGGER direct_pay_lines_guard BEFORE INSERT OR UPDATE ON direct_pay_lines
    FOR EACH ROW EXECUTE FUNCTION ww_direct_pay_line_guard();
