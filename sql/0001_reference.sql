-- Reference data shared by every region (a distributed deployment replicates these tables):
-- the departments of SPEC P0 and the acting user for the audit log.

CREATE TABLE departments (
    code     text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
    name_zh  text NOT NULL,
    name_en  text NOT NULL
);

INSERT INTO departments (code, name_zh, name_en) VALUES
    ('labor',         '人社局劳动保障监察', 'Labour inspection'),
    ('transport',     '交通运输局',         'Transport'),
    ('land',          '自然资源局（国土）', 'Land and resources'),
    ('water',         '水务局',             'Water'),
    ('construction',  '住房和城乡建设局',   'Housing and construction'),
    ('commerce',      '经贸局',             'Commerce'),
    ('township',      '乡镇人民政府',       'Township government'),
    ('county_office', '县委县政府两办',     'County party and government offices');

-- The user acting in this session, as the CLI sets it from --as / WAGEWATCH_USER.
CREATE FUNCTION ww_actor() RETURNS text
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(nullif(current_setting('wagewatch.actor', true), ''), session_user::text) $$;
