-- The numbers the database's own functions need (SPEC §3 E1–E3 and the criminal threshold of R7):
-- one row per key, written from the configuration (`Configuration.databaseSettings`) by
-- `wagewatch db migrate` and by an administrator, never defaulted in SQL and never taken from a
-- session setting (which any login could SET). A reference table: one county policy, no region.
CREATE TABLE settings (
    id         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- the audit log's row key
    key        text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO app_grants (table_name, role, privileges)
SELECT 'settings', r, '{SELECT}' FROM unnest(ARRAY['intake', 'inspector', 'sector', 'official']) r;
INSERT INTO app_grants (table_name, role, privileges) VALUES ('settings', 'admin', '{SELECT,INSERT,UPDATE}');
