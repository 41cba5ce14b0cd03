-- The doors of the HTTP API (SPEC §9, sql/0009_api.sql): tokens made, listed and revoked by
-- their users (an administrator for anyone), a token used by the server's own login, and the
-- answers kept for `Idempotency-Key`. The tables themselves grant nothing to anyone.

-- Whether the invoker may manage `p_user`'s tokens: their own, or anyone's as an administrator
-- (or the schema's service account, which runs `wagewatch token …` without --as).
CREATE OR REPLACE FUNCTION ww_api_may_manage(p_user text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT ww_service_account()
        OR EXISTS (SELECT 1 FROM users u WHERE u.name = ww_invoker() AND (u.name = p_user OR u.role = 'admin'))
$$;

-- `wagewatch token add NAME --as USER [--expires DATE]`: a new token for a user, kept as its
-- SHA-256 (the server made the token and shows it once). The name must not name a live token.
CREATE OR REPLACE FUNCTION ww_api_token_add(p_name text, p_user text, p_token_hash bytea, p_expires_at timestamptz)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_id bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users WHERE name = p_user) THEN
        RAISE EXCEPTION 'as: % is not a wagewatch user (a token runs as a user: give --as USER)', p_user
            USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF NOT ww_api_may_manage(p_user) THEN
        RAISE EXCEPTION 'permission denied: only % or an administrator may make a token for %', p_user, p_user
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF p_name !~ '^[a-z0-9][a-z0-9_.-]{0,62}$' THEN
        RAISE EXCEPTION 'name: "%" is not a token name (lower-case letters, digits, ".", "_", "-"; at most 63)', p_name
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_expires_at IS NOT NULL AND p_expires_at <= now() THEN
        RAISE EXCEPTION 'expires: % is not in the future', p_expires_at USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF EXISTS (SELECT 1 FROM api_tokens WHERE name = p_name AND revoked_at IS NULL) THEN
        RAISE EXCEPTION 'name: a token named % exists already (revoke it first)', p_name USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO api_tokens (name, user_name, token_hash, created_by, expires_at)
    VALUES (p_name, p_user, p_token_hash, ww_actor(), p_expires_at)
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;

-- `wagewatch token list`: the invoker's tokens, every token for an administrator; never a hash.
CREATE OR REPLACE FUNCTION ww_api_token_list()
RETURNS TABLE (name text, user_name text, created_at timestamptz, created_by text, expires_at timestamptz,
               last_used_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT t.name, t.user_name, t.created_at, t.created_by, t.expires_at, t.last_used_at, t.revoked_at
    FROM api_tokens t
    WHERE ww_api_may_manage(t.user_name)
    ORDER BY t.revoked_at IS NOT NULL, t.name, t.id
$$;

-- `wagewatch token revoke NAME`: the live token of that name stops working at once.
CREATE OR REPLACE FUNCTION ww_api_token_revoke(p_name text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_user text;
BEGIN
    SELECT t.user_name INTO v_user FROM api_tokens t WHERE t.name = p_name AND t.revoked_at IS NULL FOR UPDATE;
    IF NOT FOUND OR NOT ww_api_may_manage(v_user) THEN
        RAISE EXCEPTION 'no live token named %', p_name USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    UPDATE api_tokens SET revoked_at = now(), revoked_by = ww_actor() WHERE name = p_name AND revoked_at IS NULL;
    RETURN v_user;
END $$;

-- A request's bearer token, as the server's own login sees it before it knows who is asking:
-- `ok` with the user, role and token name, or `revoked` / `expired`; an unknown hash answers no
-- row. A busy token's last use is written at most once a minute (it is for people, not a lock
-- every request of the token waits on).
CREATE OR REPLACE FUNCTION ww_api_token_use(p_token_hash bytea)
RETURNS TABLE (state text, user_name text, role text, token_name text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    t api_tokens%ROWTYPE;
BEGIN
    SELECT * INTO t FROM api_tokens a WHERE a.token_hash = p_token_hash;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF t.revoked_at IS NOT NULL THEN
        RETURN QUERY SELECT 'revoked', t.user_name, NULL::text, t.name;
        RETURN;
    END IF;
    IF t.expires_at IS NOT NULL AND t.expires_at <= now() THEN
        RETURN QUERY SELECT 'expired', t.user_name, NULL::text, t.name;
        RETURN;
    END IF;
    -- A token of a disabled login (ww_set_user_disabled) is refused while it is disabled.
    IF EXISTS (SELECT 1 FROM users u WHERE u.name = t.user_name AND u.disabled_at IS NOT NULL) THEN
        RETURN QUERY SELECT 'disabled', t.user_name, NULL::text, t.name;
        RETURN;
    END IF;
    UPDATE api_tokens SET last_used_at = now()
    WHERE id = t.id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
    RETURN QUERY SELECT 'ok', u.name, u.role, t.name FROM users u WHERE u.name = t.user_name;
END $$;

-- One API call, recorded as the token's user once the request has become them (so the audit
-- log names them as the actor, and the row names the token). Only the holder of a live token
-- of the invoker's can record a call with it.
CREATE OR REPLACE FUNCTION ww_api_call(p_token_hash bytea, p_method text, p_path text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_name text;
BEGIN
    SELECT t.name INTO v_name FROM api_tokens t
    WHERE t.token_hash = p_token_hash AND t.user_name = ww_invoker() AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > now());
    IF NOT FOUND THEN
        RAISE EXCEPTION 'permission denied: no live token of % given', ww_invoker() USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    INSERT INTO api_calls (token_name, user_name, method, path)
    VALUES (v_name, ww_invoker(), left(p_method, 10), left(p_path, 200));
END $$;

-- `Idempotency-Key` on POST /api/v1/complaints, as the token's user: `new` (the key is theirs
-- now: file the complaint, then ww_api_idempotency_finish), `replay` with the first answer, or
-- `conflict` (the key came with another body). A second request with a key still being used
-- waits here for the first to commit (the primary key), then answers what the first answered;
-- if the first rolled back, the key is free again.
CREATE OR REPLACE FUNCTION ww_api_idempotency_begin(p_key text, p_request_hash bytea)
RETURNS TABLE (state text, response text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_user text := ww_invoker();
    r api_idempotency%ROWTYPE;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM users u WHERE u.name = v_user) THEN
        RAISE EXCEPTION 'permission denied: % is not a wagewatch user', v_user USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 200 OR p_key ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'Idempotency-Key: "%" is not a key (1 to 200 printable characters)', left(p_key, 40)
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    INSERT INTO api_idempotency (user_name, key, request_hash) VALUES (v_user, p_key, p_request_hash)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
        RETURN QUERY SELECT 'new', NULL::text;
        RETURN;
    END IF;
    SELECT * INTO r FROM api_idempotency i WHERE i.user_name = v_user AND i.key = p_key;
    IF r.request_hash <> p_request_hash THEN
        RETURN QUERY SELECT 'conflict', NULL::text;
    ELSE
        RETURN QUERY SELECT 'replay', r.response;
    END IF;
END $$;

-- The answer a new key's request gave, kept for its retries.
CREATE OR REPLACE FUNCTION ww_api_idempotency_finish(p_key text, p_complaint_id bigint, p_response text) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    UPDATE api_idempotency SET complaint_id = p_complaint_id, response = p_response
    WHERE user_name = ww_invoker() AND key = p_key AND response IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Idempotency-Key: % was not begun in this request', left(p_key, 40) USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
END $$;
