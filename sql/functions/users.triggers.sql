-- ww_add_user belongs to the user manager, which may read and add users rows; administrators
-- (and the schema's owner) run it. Here, after the migrations that make the roles.
GRANT SELECT, INSERT ON users TO wagewatch_user_manager;
GRANT SELECT ON departments TO wagewatch_user_manager;
ALTER FUNCTION ww_add_user(text, text, text, text) OWNER TO wagewatch_user_manager;
REVOKE ALL ON FUNCTION ww_add_user(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_add_user(text, text, text, text) TO wagewatch_admin;

-- Disabling and enabling a login (ww_set_user_disabled): the user manager's, run by administrators.
GRANT UPDATE (disabled_at, disabled_by) ON users TO wagewatch_user_manager;
ALTER FUNCTION ww_set_user_disabled(text, boolean) OWNER TO wagewatch_user_manager;
REVOKE ALL ON FUNCTION ww_set_user_disabled(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_set_user_disabled(text, boolean) TO wagewatch_admin;
CREATE OR REPLACE TRIGGER users_disabled_guard BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION ww_users_disabled_guard();
