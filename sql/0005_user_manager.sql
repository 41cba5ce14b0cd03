-- Administrators without CREATEROLE (issue 21, finding 3). On PostgreSQL 15 CREATEROLE lets a
-- role grant itself pg_execute_server_program and run programs as the server. Users are added
-- instead through ww_add_user (sql/functions/users.sql), owned by wagewatch_user_manager: a role
-- nobody signs in as or may become, which alone holds CREATEROLE.
SELECT ww_create_role_once('wagewatch_user_manager', 'NOLOGIN CREATEROLE');

-- The administrators made before this migration lose CREATEROLE.
DO $$
DECLARE
    u record;
BEGIN
    FOR u IN SELECT r.rolname FROM users JOIN pg_roles r ON r.rolname = users.name WHERE r.rolcreaterole AND NOT r.rolsuper LOOP
        EXECUTE format('ALTER ROLE %I NOCREATEROLE', u.rolname);
    END LOOP;
END $$;
