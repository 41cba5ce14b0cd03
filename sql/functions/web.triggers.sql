-- Sign-ins, failures and sign-outs are in the audit log (SPEC §8).
CREATE OR REPLACE TRIGGER sign_in_events_audit_insert AFTER INSERT ON sign_in_events REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert();
CREATE OR REPLACE TRIGGER sign_in_events_no_delete BEFORE DELETE ON sign_in_events
    FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete();

-- Who may run the sign-in doors (here, after the migrations that make the roles).
REVOKE ALL ON FUNCTION ww_web_locked(text), ww_web_password(text, text), ww_web_sign_in_failed(text, text),
    ww_web_sign_in(text, bytea, text, text, text), ww_web_session(bytea), ww_web_session_lang(bytea, text),
    ww_web_sign_out(bytea, text), ww_set_password(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_web_password(text, text), ww_web_sign_in_failed(text, text),
    ww_web_sign_in(text, bytea, text, text, text), ww_web_session(bytea), ww_web_session_lang(bytea, text),
    ww_web_sign_out(bytea, text) TO wagewatch_authenticator;
GRANT EXECUTE ON FUNCTION ww_set_password(text, text, text) TO wagewatch_admin;
-- The user manager changes logins' passwords, and the password tables with them.
GRANT SELECT, INSERT, UPDATE ON user_passwords TO wagewatch_user_manager;
GRANT SELECT, UPDATE ON web_sessions TO wagewatch_user_manager;
GRANT INSERT ON sign_in_events TO wagewatch_user_manager;
ALTER FUNCTION ww_set_password(text, text, text) OWNER TO wagewatch_user_manager;
