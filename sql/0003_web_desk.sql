-- The web desk (SPEC §8): passwords, server-side sessions and sign-in events; the indexes its lists need.
--
-- The server signs in to PostgreSQL as `wagewatch_authenticator` (the PostgREST model): a login
-- with no rights of its own, NOINHERIT, that may become each user login (every user is granted
-- to it) and does so with SET LOCAL ROLE inside each request's transaction. Before it knows who
-- is asking it can only call the sign-in doors of sql/functions/web.sql; it reads no table.
--
-- These are reference tables of the deployment, like `users`: a person signs in once for every
-- region their role lets them see.

SELECT ww_create_role_once('wagewatch_authenticator', 'LOGIN NOINHERIT');

-- Every user made before this migration may be become by the server.
DO $$
DECLARE
    u record;
BEGIN
    FOR u IN SELECT name FROM users LOOP
        EXECUTE format('GRANT %I TO wagewatch_authenticator', u.name);
    END LOOP;
END $$;

-- A password is kept only as a bcrypt hash (cost ≥ 10), written through ww_set_password.
CREATE TABLE user_passwords (
    id         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    name       text PRIMARY KEY REFERENCES users (name),
    hash       text NOT NULL CHECK (hash ~ '^\$2[aby]\$(1[0-9]|2[0-9]|3[01])\$[./A-Za-z0-9]{53}$'),
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- A signed-in browser. The cookie's token (256 random bits) is kept only as its SHA-256.
CREATE TABLE web_sessions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_name    text NOT NULL REFERENCES users (name),
    csrf_token   text NOT NULL CHECK (length(csrf_token) >= 32),
    lang         text NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz,
    ended_why    text CHECK (ended_why IN ('logout', 'idle', 'expired', 'password_changed')),
    CHECK ((ended_at IS NULL) = (ended_why IS NULL))
);
CREATE INDEX web_sessions_open ON web_sessions (user_name) WHERE ended_at IS NULL;

-- Sign-ins, failures, refusals while locked, sign-outs and password changes: audited rows.
-- `user_name` is the name typed, which need not be a user.
CREATE TABLE sign_in_events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    user_name text NOT NULL CHECK (length(user_name) <= 200),
    event     text NOT NULL CHECK (event IN ('login', 'failure', 'locked', 'logout', 'expired', 'password_set')),
    address   text CHECK (length(address) <= 100)
);
CREATE INDEX sign_in_events_failures ON sign_in_events (user_name, at) WHERE event = 'failure';

-- Only administrators read these (and never the hashes: no grant on user_passwords at all).
INSERT INTO app_grants (table_name, role, privileges) VALUES
    ('web_sessions', 'admin', '{SELECT}'),
    ('sign_in_events', 'admin', '{SELECT}');
INSERT INTO app_grants (table_name, role, privileges) VALUES ('user_passwords', 'admin', '{}');

-- The complaint list of the web desk: newest first, 50 a page.
CREATE INDEX complaints_received_at ON complaints (received_at DESC, id DESC);

-- The case list of the web desk and an inspector's desk: open cases by investigation deadline.
CREATE INDEX cases_investigation_due ON cases (investigation_due, id);
