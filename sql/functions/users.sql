-- Adding a user (SPEC §1, `wagewatch user add`): their login role (reused when another database
-- of the cluster made it already) in the group of their role, given to the web desk's server
-- login and, for everyone but administrators, to the administrators' group (so an administrator
-- may act as them), and their `users` row. Owned by wagewatch_user_manager (sql/0005): the only
-- thing that makes logins, and it makes them only inside the wagewatch groups. Runs as an
-- administrator or the schema's owner.
CREATE OR REPLACE FUNCTION ww_add_user(p_name text, p_role text, p_department text, p_region text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_existing record;
BEGIN
    IF NOT (pg_has_role(ww_invoker(), 'wagewatch_admin', 'MEMBER')
            OR ww_superuser_session()) THEN
        RAISE EXCEPTION 'only an administrator adds users' USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF p_role NOT IN ('intake', 'inspector', 'sector', 'official', 'admin') THEN
        RAISE EXCEPTION 'role: "%" is not one of intake, inspector, sector, official, admin', p_role
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_name !~ '^[a-z_][a-z0-9_]*$' OR length(p_name) > 63 OR p_name LIKE 'pg\_%' OR p_name LIKE 'wagewatch\_%' THEN
        RAISE EXCEPTION 'name: "%" must be lower-case letters, digits and _, at most 63, not starting with pg_ or wagewatch_', p_name
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF EXISTS (SELECT 1 FROM users WHERE name = p_name) THEN
        RAISE EXCEPTION 'user % already exists', p_name USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication INTO v_existing FROM pg_roles WHERE rolname = p_name;
    IF FOUND AND (v_existing.rolsuper OR v_existing.rolcreaterole OR v_existing.rolcreatedb OR v_existing.rolbypassrls
                  OR v_existing.rolreplication) THEN
        RAISE EXCEPTION '% is a privileged role of this PostgreSQL cluster; choose another name', p_name
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO users (name, role, department, region_code) VALUES (p_name, p_role, p_department, p_region);
    IF v_existing IS NULL THEN
        EXECUTE format('CREATE ROLE %I LOGIN', p_name);
    END IF;
    EXECUTE format('GRANT %I TO %I', 'wagewatch_' || p_role, p_name);
    EXECUTE format('GRANT %I TO wagewatch_authenticator', p_name);
    IF p_role <> 'admin' AND NOT pg_has_role(p_name, 'wagewatch_admin', 'MEMBER') THEN
        EXECUTE format('GRANT %I TO wagewatch_admin', p_name);
    END IF;
END $$;

-- `wagewatch user disable NAME` / `enable NAME` and the administrators' page: a login stops
-- working, or works again. Disabling makes the login NOLOGIN, takes it from the server's login
-- and from the administrators' group (so neither the web desk nor `--as` can become it), ends
-- its web sessions and is recorded; the sign-in, session and token doors refuse a disabled user
-- (web.sql, api.sql). Enabling gives back what disabling took. An administrator cannot disable
-- their own login (someone must be left to enable it). Owned by wagewatch_user_manager.
CREATE OR REPLACE FUNCTION ww_set_user_disabled(p_name text, p_disabled boolean) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    u users%ROWTYPE;
BEGIN
    IF NOT (pg_has_role(ww_invoker(), 'wagewatch_admin', 'MEMBER')
            OR ww_superuser_session()) THEN
        RAISE EXCEPTION 'only an administrator disables or enables a login' USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    SELECT * INTO u FROM users WHERE name = p_name FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'name: no user %', p_name USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = p_name) THEN
        RAISE EXCEPTION '% is a privileged role of this PostgreSQL cluster; it is not disabled here', p_name
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF p_disabled THEN
        IF u.disabled_at IS NOT NULL THEN
            RAISE EXCEPTION 'name: % is disabled already (since %)', p_name, u.disabled_at USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        IF p_name = ww_invoker() THEN
            RAISE EXCEPTION 'name: % is your own login; another administrator disables it', p_name
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        UPDATE users SET disabled_at = now(), disabled_by = ww_actor() WHERE name = p_name;
        EXECUTE format('ALTER ROLE %I NOLOGIN', p_name);
        EXECUTE format('REVOKE %I FROM wagewatch_authenticator', p_name);
        IF u.role <> 'admin' THEN
            EXECUTE format('REVOKE %I FROM wagewatch_admin', p_name);
        END IF;
        UPDATE web_sessions SET ended_at = now(), ended_why = 'disabled' WHERE user_name = p_name AND ended_at IS NULL;
        INSERT INTO sign_in_events (user_name, event) VALUES (p_name, 'disabled');
    ELSE
        IF u.disabled_at IS NULL THEN
            RAISE EXCEPTION 'name: % is not disabled', p_name USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        UPDATE users SET disabled_at = NULL, disabled_by = NULL WHERE name = p_name;
        EXECUTE format('ALTER ROLE %I LOGIN', p_name);
        EXECUTE format('GRANT %I TO wagewatch_authenticator', p_name);
        IF u.role <> 'admin' THEN
            EXECUTE format('GRANT %I TO wagewatch_admin', p_name);
        END IF;
        INSERT INTO sign_in_events (user_name, event) VALUES (p_name, 'enabled');
    END IF;
END $$;

-- Whether a login is disabled only changes through ww_set_user_disabled (an administrator's
-- UPDATE on users could otherwise clear it without giving the login back, or set it without
-- taking it away).
CREATE OR REPLACE FUNCTION ww_users_disabled_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.disabled_at IS DISTINCT FROM OLD.disabled_at OR NEW.disabled_by IS DISTINCT FROM OLD.disabled_by)
       AND current_user <> 'wagewatch_user_manager' THEN
        RAISE EXCEPTION 'disabled_at: a login is disabled and enabled only through wagewatch user disable / enable'
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    RETURN NEW;
END $$;
