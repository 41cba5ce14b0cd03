-- SPEC §10 R13: statement lines are audited and never deleted; they are written only through
-- the door of `import bank` (sql/functions/bank.sql), by inspectors and administrators.
CREATE OR REPLACE TRIGGER bank_statement_lines_audit_insert AFTER INSERT ON bank_statement_lines
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert();
CREATE OR REPLACE TRIGGER bank_statement_lines_audit_update AFTER UPDATE ON bank_statement_lines
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update();
CREATE OR REPLACE TRIGGER bank_statement_lines_no_delete BEFORE DELETE ON bank_statement_lines
    FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete();

REVOKE ALL ON FUNCTION ww_import_bank_lines(text, bigint, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_import_bank_lines(text, bigint, jsonb, timestamptz) TO wagewatch_inspector, wagewatch_admin;
REVOKE ALL ON FUNCTION ww_match_bank_lines(text, bigint, timestamptz) FROM PUBLIC;
