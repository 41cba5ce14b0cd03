-- The HTTP API (SPEC §9): bearer tokens, the calls made with them, and the answers kept for
-- idempotent intake. Reference tables of the deployment, like `users` and `web_sessions`.
--
-- A token (256 random bits) is shown once and kept only as its SHA-256. A request with it runs
-- as the token's user (SET LOCAL ROLE, as the web desk does); every call is recorded in
-- `api_calls` under the token's user and name, and that table is in the audit log.
-- Nobody holds a privilege on these tables: they are written and read only through the doors of
-- sql/functions/api.sql.

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
    user_name    text NOT NULL REFERENCES users (name),
    token_hash   bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    revoked_by   text,
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- A name names one live token; a revoked token's name may be given to a new one.
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- Every API call: who (the token's user and name), what (method and path, never the query or
-- the body), when.
CREATE TABLE api_calls (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    token_name text NOT NULL,
    user_name  text NOT NULL REFERENCES users (name),
    method     text NOT NULL CHECK (length(method) <= 10),
    path       text NOT NULL CHECK (length(path) <= 200)
);

-- `Idempotency-Key` of POST /api/v1/complaints: per user, the body's hash and the first answer.
-- A second request with the key waits on the first's row (the primary key) until it commits,
-- then answers what the first answered.
CREATE TABLE api_idempotency (
    user_name    text NOT NULL REFERENCES users (name),
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash bytea NOT NULL CHECK (length(request_hash) = 32),
    complaint_id bigint,
    response     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_name, key)
);

INSERT INTO app_grants (table_name, role, privileges) VALUES
    ('api_tokens', 'admin', '{}'),
    ('api_calls', 'admin', '{SELECT}'),
    ('api_idempotency', 'admin', '{}');
