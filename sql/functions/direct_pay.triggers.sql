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

-- The doors of direct pay (sql/functions/direct_pay.sql): inspectors and administrators order,
-- plan, execute and record returns; a bureau head (official) may also approve. Nobody else may
-- even call them; the owed lines are read with the caller's own rights.
REVOKE ALL ON FUNCTION ww_order_direct_pay(text, bigint, text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_clear_direct_pay(text, bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_plan_direct_pay(text, bigint, date, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_approve_direct_pay(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_execute_direct_pay(bigint, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_return_direct_pay_line(bigint, integer, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_order_direct_pay(text, bigint, text, bigint) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_clear_direct_pay(text, bigint, text) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_plan_direct_pay(text, bigint, date, text) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_approve_direct_pay(bigint, text) TO wagewatch_inspector, wagewatch_official, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_execute_direct_pay(bigint, timestamptz) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_return_direct_pay_line(bigint, integer, text, timestamptz) TO wagewatch_inspector, wagewatch_admin;
