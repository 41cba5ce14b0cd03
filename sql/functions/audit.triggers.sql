-- Append-only for everyone but the superuser: no privilege for anyone else, and UPDATE, DELETE
-- and TRUNCATE refused outright (the old DELETE/TRUNCATE triggers said "record a new decision",
-- which is wrong for the audit log).
CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION ww_audit_refuse_change();

CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_refuse_change();

CREATE OR REPLACE TRIGGER head_no_delete BEFORE DELETE ON audit_chain.head
    FOR EACH ROW EXECUTE FUNCTION ww_audit_refuse_change();

CREATE OR REPLACE TRIGGER head_no_truncate BEFORE TRUNCATE ON audit_chain.head
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_refuse_change();
