-- Tokens made and revoked, and every API call, are in the audit log (SPEC §9). The answers kept
-- for idempotency keys are a work table: the complaint each one filed is audited itself.
CREATE OR REPLACE TRIGGER api_tokens_audit_insert AFTER INSERT ON api_tokens REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert();
CREATE OR REPLACE TRIGGER api_tokens_audit_update AFTER UPDATE ON api_tokens REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update();
CREATE OR REPLACE TRIGGER api_tokens_no_delete BEFORE DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete();
CREATE OR REPLACE TRIGGER api_calls_audit_insert AFTER INSERT ON api_calls REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert();
-- A call happened as recorded: append-only, like the ledger's transfers.
CREATE OR REPLACE TRIGGER api_calls_append_only BEFORE UPDATE OR DELETE ON api_calls
    FOR EACH ROW EXECUTE FUNCTION ww_refuse_change();

REVOKE ALL ON FUNCTION ww_api_may_manage(text), ww_api_token_add(text, text, bytea, timestamptz), ww_api_token_list(),
    ww_api_token_revoke(text), ww_api_token_use(bytea), ww_api_call(bytea, text, text), ww_api_idempotency_begin(text, bytea),
    ww_api_idempotency_finish(text, bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_api_token_use(bytea) TO wagewatch_authenticator;
GRANT EXECUTE ON FUNCTION ww_api_token_add(text, text, bytea, timestamptz), ww_api_token_list(), ww_api_token_revoke(text),
    ww_api_call(bytea, text, text) TO wagewatch_intake, wagewatch_inspector, wagewatch_sector, wagewatch_official, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_api_idempotency_begin(text, bytea), ww_api_idempotency_finish(text, bigint, text)
    TO wagewatch_intake, wagewatch_inspector, wagewatch_admin;
