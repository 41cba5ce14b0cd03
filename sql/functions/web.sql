-- The sign-in doors of the web desk (SPEC §8), the only things the server's own login
-- (`wagewatch_authenticator`, sql/0003_web_sign_in.sql) may run before it knows who is asking.
-- The numbers (idle and absolute expiry, the lockout) come from the settings table.
--
-- The server hashes the cookie's token (SHA-256) and checks the password against the bcrypt
-- hash in its own process; the database never sees a password or a token in clear.

-- Whether `p_name` is locked out now: the lockout's number of failures within its window,
-- none of them older than the window (a sign-in does not reset it: the count is of failures).
CREATE OR REPLACE FUNCTION ww_web_locked(p_name text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT count(*) >= ww_setting_int('web_lockout_failures')
    FROM sign_in_events
    WHERE user_name = p_name AND event = 'failure'
      AND at > now() - make_interval(mins => ww_setting_int('web_lockout_minutes')::int)
$$;

-- The bcrypt hash to check a password against, with the lockout: `locked` true means refuse
-- whatever the password (and the refusal is recorded). A name with no password (or no user)
-- answers a NULL hash; the server then checks against a dummy hash so the time is the same.
CREATE OR REPLACE FUNCTION ww_web_password(p_name text, p_address text, OUT locked boolean, OUT hash text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    locked := ww_web_locked(p_name);
    IF locked THEN
        INSERT INTO sign_in_events (user_name, event, address) VALUES (left(p_name, 200), 'locked', left(p_address, 100));
        hash := NULL;
        RETURN;
    END IF;
    -- A disabled login (ww_set_user_disabled) answers as a name with no password: refused.
    SELECT p.hash INTO hash FROM user_passwords p JOIN users u ON u.name = p.name
    WHERE p.name = p_name AND u.disabled_at IS NULL;
END $$;

-- A failed password: recorded, and counted by the lockout.
CREATE OR REPLACE FUNCTION ww_web_sign_in_failed(p_name text, p_address text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    INSERT INTO sign_in_events (user_name, event, address) VALUES (left(p_name, 200), 'failure', left(p_address, 100))
$$;

-- A good password: a new session for the user (the token's hash and the form token kept),
-- and the sign-in recorded.
CREATE OR REPLACE FUNCTION ww_web_sign_in(p_name text, p_token_hash bytea, p_csrf text, p_lang text, p_address text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM user_passwords WHERE name = p_name) THEN
        RAISE EXCEPTION '% has no password', p_name USING ERRCODE = '28P01', HINT = 'denied';
    END IF;
    IF EXISTS (SELECT 1 FROM users WHERE name = p_name AND disabled_at IS NOT NULL) THEN
        RAISE EXCEPTION '% is disabled', p_name USING ERRCODE = '28000', HINT = 'denied';
    END IF;
    INSERT INTO web_sessions (token_hash, user_name, csrf_token, lang) VALUES (p_token_hash, p_name, p_csrf, coalesce(p_lang, 'zh'));
    INSERT INTO sign_in_events (user_name, event, address) VALUES (p_name, 'login', left(p_address, 100));
END $$;

-- The signed-in user of a cookie, if its session is still open: not signed out, used within
-- the idle time and younger than the absolute limit. A session found expired is ended (and the
-- expiry recorded) and answers nothing.
--
-- Reading a session takes no row lock and writes nothing on most requests: `last_seen_at` moves
-- at most once a minute. (It used to be `SELECT … FOR UPDATE` and an UPDATE on every request,
-- which made every page a write and queued a person's concurrent requests — a page and the
-- board's stream, two tabs — on that one row until each page's transaction committed.) Because
-- the recorded time may be up to that minute behind, the idle check allows the minute as well:
-- a session never ends before its idle time, and at most a minute after it.
CREATE OR REPLACE FUNCTION ww_web_session(p_token_hash bytea)
RETURNS TABLE (user_name text, role text, csrf_token text, lang text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    s web_sessions%ROWTYPE;
    v_why text;
    c_seen_step constant interval := interval '1 minute';
BEGIN
    SELECT * INTO s FROM web_sessions w WHERE w.token_hash = p_token_hash AND w.ended_at IS NULL;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF s.created_at <= now() - make_interval(mins => ww_setting_int('web_session_minutes')::int) THEN
        v_why := 'expired';
    ELSIF s.last_seen_at <= now() - make_interval(mins => ww_setting_int('web_idle_minutes')::int) - c_seen_step THEN
        v_why := 'idle';
    END IF;
    IF v_why IS NOT NULL THEN
        -- Two requests may find the same session expired; only the one that ends it records it.
        UPDATE web_sessions SET ended_at = now(), ended_why = v_why WHERE id = s.id AND ended_at IS NULL;
        IF FOUND THEN
            INSERT INTO sign_in_events (user_name, event) VALUES (s.user_name, 'expired');
        END IF;
        RETURN;
    END IF;
    IF s.last_seen_at <= now() - c_seen_step THEN
        UPDATE web_sessions SET last_seen_at = now() WHERE id = s.id AND last_seen_at = s.last_seen_at;
    END IF;
    RETURN QUERY SELECT u.name, u.role, s.csrf_token, s.lang FROM users u WHERE u.name = s.user_name AND u.disabled_at IS NULL;
END $$;

-- The page language remembered for the session (`?lang=en`).
CREATE OR REPLACE FUNCTION ww_web_session_lang(p_token_hash bytea, p_lang text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    UPDATE web_sessions SET lang = p_lang WHERE token_hash = p_token_hash AND ended_at IS NULL
$$;

-- POST /logout: the session ends and the sign-out is recorded.
CREATE OR REPLACE FUNCTION ww_web_sign_out(p_token_hash bytea, p_address text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_user text;
BEGIN
    UPDATE web_sessions SET ended_at = now(), ended_why = 'logout'
    WHERE token_hash = p_token_hash AND ended_at IS NULL
    RETURNING user_name INTO v_user;
    IF v_user IS NOT NULL THEN
        INSERT INTO sign_in_events (user_name, event, address) VALUES (v_user, 'logout', left(p_address, 100));
    END IF;
END $$;

-- `wagewatch user passwd` and `user add --password-stdin`: an administrator (or the schema's
-- owner) sets a user's password: the web desk's bcrypt hash and, when given, the SCRAM verifier
-- of their PostgreSQL login (computed by the client, so the password itself never reaches the
-- server); the user's open web sessions end. Owned by wagewatch_user_manager, which alone may
-- change a login (users.triggers.sql).
DROP FUNCTION IF EXISTS ww_set_password(text, text);
CREATE OR REPLACE FUNCTION ww_set_password(p_name text, p_hash text, p_verifier text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NOT (pg_has_role(ww_invoker(), 'wagewatch_admin', 'MEMBER')
            OR ww_superuser_session()) THEN
        RAISE EXCEPTION 'only an administrator may set a password' USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM users WHERE name = p_name) THEN
        RAISE EXCEPTION 'no user %', p_name USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF p_verifier IS NOT NULL THEN
        IF p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:' THEN
            RAISE EXCEPTION 'password: not a SCRAM-SHA-256 verifier' USING ERRCODE = 'P0001', HINT = 'invalid';
        END IF;
        IF (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = p_name) THEN
            RAISE EXCEPTION '% is a privileged role; its password is not set here', p_name USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        EXECUTE format('ALTER ROLE %I PASSWORD %L', p_name, p_verifier);
    END IF;
    INSERT INTO user_passwords (name, hash) VALUES (p_name, p_hash)
    ON CONFLICT (name) DO UPDATE SET hash = EXCLUDED.hash, changed_at = now();
    UPDATE web_sessions SET ended_at = now(), ended_why = 'password_changed' WHERE user_name = p_name AND ended_at IS NULL;
    INSERT INTO sign_in_events (user_name, event) VALUES (p_name, 'password_set');
END $$;

-- Health: whether the database answers, for GET /healthz (no detail).
CREATE OR REPLACE FUNCTION ww_web_ping() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT true $$;
