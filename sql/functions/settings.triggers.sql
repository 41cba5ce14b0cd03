-- Every change of a setting is in the audit log: who changed a threshold, and when.
CREATE OR REPLACE TRIGGER settings_audit_insert AFTER INSERT ON settings REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert();
CREATE OR REPLACE TRIGGER settings_audit_update AFTER UPDATE ON settings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update();
