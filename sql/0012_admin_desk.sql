-- Administrators disable a login and enable it again (issue 16, item 5). A disabled user keeps
-- their `users` row and everything they did; their PostgreSQL login becomes NOLOGIN, the server's
-- login and the administrators' group stop being able to become them, their web sessions end,
-- and the sign-in and token doors refuse them (sql/functions/users.sql, web.sql, api.sql).
ALTER TABLE users ADD COLUMN disabled_at timestamptz, ADD COLUMN disabled_by text;

-- The audit log of sign-ins names the disabling and enabling too.
ALTER TABLE sign_in_events DROP CONSTRAINT sign_in_events_event_check;
ALTER TABLE sign_in_events ADD CONSTRAINT sign_in_events_event_check
    CHECK (event IN ('login', 'failure', 'locked', 'logout', 'expired', 'password_set', 'disabled', 'enabled'));
ALTER TABLE web_sessions DROP CONSTRAINT web_sessions_ended_why_check;
ALTER TABLE web_sessions ADD CONSTRAINT web_sessions_ended_why_check
    CHECK (ended_why IN ('logout', 'idle', 'expired', 'password_changed', 'disabled'));

-- The administrators' page: each user's last sign-in, and the recent sign-ins, newest first.
CREATE INDEX sign_in_events_logins ON sign_in_events (user_name, at DESC) WHERE event = 'login';
CREATE INDEX sign_in_events_at ON sign_in_events (at DESC, id DESC);
