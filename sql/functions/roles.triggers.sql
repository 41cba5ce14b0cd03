-- Grants on functions that name group roles: here, after the migrations that make the roles.
GRANT EXECUTE ON FUNCTION ww_flag_lead(bigint) TO wagewatch_sector, wagewatch_admin;

-- The database is closed to every login outside wagewatch (issue 19): PUBLIC may not CONNECT,
-- the groups may (their members through them) and the web desk's login, which inherits nothing,
-- by name. Applied at every migrate, so a database made before this rule is closed too. A
-- migrating login that does not own the database changes nothing here (PostgreSQL warns).
DO $$
BEGIN
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO wagewatch_intake, wagewatch_inspector, wagewatch_sector, '
                   'wagewatch_official, wagewatch_admin, wagewatch_authenticator', current_database());
END $$;
