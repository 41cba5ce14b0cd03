DO $$
BEGIN
    CREATE OR REPLACE TRIGGER payment_orders_audit_insert AFTER INSERT ON payment_orders REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert();
    CREATE OR REPLACE TRIGGER payment_orders_audit_update AFTER UPDATE ON payment_orders
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update();
    CREATE OR REPLACE TRIGGER payment_orders_no_delete BEFORE DELETE ON payment_orders
        FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete();
    CREATE OR REPLACE TRIGGER payment_orders_no_truncate BEFORE TRUNCATE ON payment_orders
        FOR EACH STATEMENT EXECUTE FUNCTION ww_refuse_delete();
END $$;
