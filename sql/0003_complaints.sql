-- Complaints, cases, per-worker claims and recoveries (SPEC C1–C7), with the audit log.
--
-- Scale-out by region is planned (SPEC §6): every regional table carries region_code, every
-- primary key leads with it, and every foreign key stays inside one region. Ids come from
-- one identity sequence per table, so an id alone still finds a row on one server.

CREATE TABLE regions (
    code        text PRIMARY KEY CHECK (code ~ '^[1-9][0-9]{5}$'),
    name        text NOT NULL,
    parent_code text
);

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- the audit log's row key
    name        text PRIMARY KEY CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
    role        text NOT NULL CHECK (role IN ('intake', 'inspector', 'sector', 'official', 'admin')),
    department  text NOT NULL REFERENCES departments (code),
    region_code text CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The audit log: one row per changed row, written by statement-level triggers from the
-- transition tables (set-based, so a million-row import costs one INSERT per statement).
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL,
    table_name  text NOT NULL,
    action      text NOT NULL CHECK (action IN ('insert', 'update')),
    row_key     text NOT NULL,
    before      jsonb,
    after       jsonb
);
CREATE INDEX audit_log_row ON audit_log (table_name, row_key);

CREATE FUNCTION ww_audit_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (actor, table_name, action, row_key, after)
    SELECT ww_actor(), TG_TABLE_NAME, 'insert', n.id::text, to_jsonb(n) FROM new_rows n;
    RETURN NULL;
END $$;

CREATE FUNCTION ww_audit_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_log (actor, table_name, action, row_key, before, after)
    SELECT ww_actor(), TG_TABLE_NAME, 'update', n.id::text, to_jsonb(o), to_jsonb(n)
    FROM new_rows n JOIN old_rows o USING (id)
    WHERE to_jsonb(o) IS DISTINCT FROM to_jsonb(n);
    RETURN NULL;
END $$;

-- Nothing in the case store is ever deleted (C1): refuse DELETE and TRUNCATE outright.
CREATE FUNCTION ww_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted; record a new decision instead', TG_TABLE_NAME
        USING ERRCODE = 'P0001', HINT = 'conflict';
END $$;

CREATE TABLE employers (
    region_code text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    uscc        text CHECK (uscc ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    name_key    text NOT NULL,
    kind        text CHECK (kind IN ('owner', 'general_contractor', 'subcontractor', 'enterprise')),
    legal_rep   text,
    phone       text,
    absconded_on date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_code, id)
);
CREATE INDEX employers_id ON employers (id);
CREATE UNIQUE INDEX employers_uscc ON employers (region_code, uscc) WHERE uscc IS NOT NULL;
CREATE UNIQUE INDEX employers_name_key ON employers (region_code, name_key) WHERE uscc IS NULL;
CREATE INDEX employers_name_lookup ON employers (region_code, name_key);

-- Gap-free complaint numbers: the row lock on (region, day) orders concurrent intakes, and a
-- rolled-back intake rolls its increment back with it.
CREATE TABLE complaint_counters (
    region_code text NOT NULL,
    day         date NOT NULL,
    last        integer NOT NULL,
    PRIMARY KEY (region_code, day)
);

CREATE TABLE cases (
    region_code        text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    id                 bigint GENERATED ALWAYS AS IDENTITY,
    status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    employer_id        bigint NOT NULL,
    project_code       text,
    opened_at          timestamptz NOT NULL DEFAULT now(),
    accepted_on        date NOT NULL,
    investigation_days integer NOT NULL CHECK (investigation_days > 0),
    extended_days      integer NOT NULL DEFAULT 0 CHECK (extended_days >= 0),
    investigation_due  date NOT NULL,
    assigned_to        text,
    employer_absconded boolean NOT NULL DEFAULT false,
    closed_at          timestamptz,
    close_reason       text,
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX cases_id ON cases (id);
CREATE INDEX cases_open_employer ON cases (region_code, employer_id, opened_at) WHERE status = 'open';

CREATE TABLE complaints (
    region_code       text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    id                bigint GENERATED ALWAYS AS IDENTITY,
    number            text NOT NULL,
    received_at       timestamptz NOT NULL,
    received_on       date NOT NULL,
    channel           text NOT NULL CHECK (length(channel) BETWEEN 1 AND 32),
    caller_name       text,
    caller_phone      text,
    employer_id       bigint NOT NULL,
    employer_uscc     text,
    employer_name     text NOT NULL,
    project_code      text,
    workers_involved  integer NOT NULL CHECK (workers_involved >= 1),
    amount_owed_fen   bigint NOT NULL CHECK (amount_owed_fen >= 0),
    owed_since        date,
    owed_until        date,
    employer_absconded boolean NOT NULL DEFAULT false,
    text              text,
    decision_days     integer NOT NULL CHECK (decision_days > 0),
    decision_due      date NOT NULL,
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'decided')),
    outcome           text CHECK (outcome IN ('accepted', 'merged', 'referred', 'refused')),
    reason            text,
    referred_to       text,
    case_id           bigint,
    decided_at        timestamptz,
    decided_by        text,
    created_by        text NOT NULL DEFAULT ww_actor(),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, number),
    FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
    FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
    -- C1: exactly one recorded outcome once decided, with what that outcome needs.
    CHECK ((status = 'pending') = (outcome IS NULL)),
    CHECK (outcome IS DISTINCT FROM 'accepted' OR case_id IS NOT NULL),
    CHECK (outcome IS DISTINCT FROM 'merged' OR case_id IS NOT NULL),
    CHECK (outcome IS DISTINCT FROM 'referred' OR referred_to IS NOT NULL),
    CHECK (outcome IS DISTINCT FROM 'refused' OR reason IS NOT NULL),
    CHECK (owed_since IS NULL OR owed_until IS NULL OR owed_since <= owed_until)
);
CREATE INDEX complaints_id ON complaints (id);
CREATE INDEX complaints_number ON complaints (number);
CREATE INDEX complaints_case ON complaints (region_code, case_id) WHERE case_id IS NOT NULL;
CREATE INDEX complaints_pending_due ON complaints (decision_due) WHERE status = 'pending';
CREATE INDEX complaints_received ON complaints (received_on);
CREATE INDEX complaints_employer ON complaints (region_code, employer_id, received_at);

CREATE TABLE case_extensions (
    region_code text NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    case_id     bigint NOT NULL,
    days        integer NOT NULL CHECK (days > 0),
    approver    text NOT NULL CHECK (length(approver) > 0),
    reason      text NOT NULL CHECK (length(reason) > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  text NOT NULL DEFAULT ww_actor(),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, case_id),  -- C5: one extension per case
    FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);

-- C6: what each worker is owed on a case.
CREATE TABLE claims (
    region_code  text NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    case_id      bigint NOT NULL,
    id_number    text NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
    worker_name  text,
    owed_fen     bigint NOT NULL CHECK (owed_fen > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL DEFAULT ww_actor(),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, case_id, id_number),
    FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);

-- C6: every recovery, per worker, with its source.
CREATE TABLE recoveries (
    region_code  text NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    case_id      bigint NOT NULL,
    id_number    text NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
    recovered_on date NOT NULL,
    amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
    source       text NOT NULL CHECK (source IN ('employer', 'general_contractor', 'project_owner',
                                                 'guarantee_deposit', 'emergency_fund', 'direct_pay')),
    idempotency_key text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL DEFAULT ww_actor(),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, idempotency_key),
    FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id)
);
CREATE INDEX recoveries_case ON recoveries (region_code, case_id);

-- One place that says what a case adds up to (C6): owed is the sum of per-worker claims once
-- any are recorded, else what the complaints reported.
CREATE VIEW case_totals AS
SELECT c.region_code, c.id AS case_id,
       coalesce(cl.owed_fen, cp.owed_fen, 0)::bigint AS owed_fen,
       coalesce(r.recovered_fen, 0)::bigint AS recovered_fen,
       greatest(coalesce(cl.workers, 0), coalesce(cp.workers, 0))::integer AS workers_involved,
       coalesce(cp.complaint_ids, ARRAY[]::bigint[]) AS complaint_ids
FROM cases c
LEFT JOIN LATERAL (SELECT sum(owed_fen) AS owed_fen, count(*) AS workers FROM claims
                   WHERE region_code = c.region_code AND case_id = c.id) cl ON cl.workers > 0
LEFT JOIN LATERAL (SELECT sum(amount_owed_fen) AS owed_fen, sum(workers_involved) AS workers,
                          array_agg(id ORDER BY id) AS complaint_ids
                   FROM complaints WHERE region_code = c.region_code AND case_id = c.id) cp ON true
LEFT JOIN LATERAL (SELECT sum(amount_fen) AS recovered_fen FROM recoveries
                   WHERE region_code = c.region_code AND case_id = c.id) r ON true;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'employers', 'cases', 'complaints', 'case_extensions', 'claims', 'recoveries'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['complaints', 'cases', 'case_extensions', 'claims', 'recoveries', 'audit_log'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_delete', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_truncate', t);
    END LOOP;
END $$;

-- Deadlines are stored (so overdue items are found by index) and recomputed here whenever the
-- calendar changes (the calendar migration calls this after every change).
CREATE OR REPLACE FUNCTION ww_on_calendar_change() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE complaints SET decision_due = ww_add_working_days(received_on, decision_days)
    WHERE status = 'pending' AND decision_due IS DISTINCT FROM ww_add_working_days(received_on, decision_days);
    UPDATE cases SET investigation_due = ww_add_working_days(accepted_on, investigation_days + extended_days)
    WHERE status = 'open'
      AND investigation_due IS DISTINCT FROM ww_add_working_days(accepted_on, investigation_days + extended_days);
END $$;

-- C4: "within 30 days of an open case" is read as within the window of a complaint already on
-- that open case, so historical imports merge the same way as today's calls.
--
-- Intake (C1, C3, C4), set-based over the session's staging table, so one complaint from the
-- hotline and a million from a CSV file take the same path. The caller fills
-- intake_staging (see ComplaintIntake.swift) inside a transaction and calls this once.
CREATE FUNCTION ww_intake_staged(p_decision_days integer, p_time_bar_months integer, p_merge_days integer)
RETURNS TABLE (o_id bigint, o_number text, o_outcome text, o_case_id bigint, o_decision_due date)
LANGUAGE plpgsql AS $$
BEGIN
    -- Employers named for the first time: by USCC, or by normalised name when there is none.
    INSERT INTO employers (region_code, uscc, name, name_key)
    SELECT DISTINCT ON (s.region_code, coalesce(s.employer_uscc, s.name_key))
           s.region_code, s.employer_uscc, s.employer_name, s.name_key
    FROM intake_staging s
    WHERE (s.employer_uscc IS NULL OR NOT EXISTS (
               SELECT 1 FROM employers e WHERE e.region_code = s.region_code AND e.uscc = s.employer_uscc))
      AND (s.employer_uscc IS NOT NULL OR NOT EXISTS (
               SELECT 1 FROM employers e WHERE e.region_code = s.region_code AND e.name_key = s.name_key))
    ORDER BY s.region_code, coalesce(s.employer_uscc, s.name_key), s.line
    ON CONFLICT DO NOTHING;

    RETURN QUERY
    WITH staged AS (
        -- Two index lookups, never a CASE that would hide both indexes from the planner.
        SELECT st.*, (st.received_at AT TIME ZONE 'Asia/Shanghai')::date AS received_on,
               coalesce(
                   (SELECT e.id FROM employers e
                    WHERE e.region_code = st.region_code AND e.uscc = st.employer_uscc),
                   (SELECT e.id FROM employers e
                    WHERE st.employer_uscc IS NULL AND e.region_code = st.region_code AND e.name_key = st.name_key
                    ORDER BY (e.uscc IS NULL), e.id LIMIT 1)) AS employer_id
        FROM intake_staging st
    ),
    counts AS (
        SELECT region_code, received_on, count(*)::integer AS n FROM staged GROUP BY region_code, received_on
    ),
    bumped AS (
        INSERT INTO complaint_counters AS c (region_code, day, last)
        SELECT region_code, received_on, n FROM counts
        ON CONFLICT (region_code, day) DO UPDATE SET last = c.last + EXCLUDED.last
        RETURNING c.region_code, c.day, c.last
    ),
    numbered AS (
        SELECT s.*, b.last - k.n + row_number() OVER (
                   PARTITION BY s.region_code, s.received_on ORDER BY s.received_at, s.line) AS seq
        FROM staged s
        JOIN counts k ON k.region_code = s.region_code AND k.received_on = s.received_on
        JOIN bumped b ON b.region_code = s.region_code AND b.day = s.received_on
    ),
    decided AS (
        SELECT n.*,
               (n.owed_until IS NOT NULL
                AND n.owed_until < (n.received_on - make_interval(months => p_time_bar_months))::date) AS time_barred,
               m.case_id AS open_case_id
        FROM numbered n
        LEFT JOIN LATERAL (
            SELECT c.id AS case_id FROM cases c
            WHERE c.region_code = n.region_code AND c.status = 'open' AND c.employer_id = n.employer_id
              AND c.project_code IS NOT DISTINCT FROM n.project_code
              AND EXISTS (SELECT 1 FROM complaints k
                          WHERE k.region_code = c.region_code AND k.case_id = c.id
                            AND n.received_at BETWEEN k.received_at - make_interval(days => p_merge_days)
                                                  AND k.received_at + make_interval(days => p_merge_days))
            ORDER BY c.opened_at DESC
            LIMIT 1) m ON true
    ),
    inserted AS (
        INSERT INTO complaints (
            region_code, number, received_at, received_on, channel, caller_name, caller_phone,
            employer_id, employer_uscc, employer_name, project_code, workers_involved, amount_owed_fen,
            owed_since, owed_until, employer_absconded, text, decision_days, decision_due,
            status, outcome, reason, case_id, decided_at, decided_by)
        SELECT d.region_code,
               'TS-' || to_char(d.received_on, 'YYYYMMDD') || '-' ||
                   CASE WHEN d.seq > 9999 THEN d.seq::text ELSE lpad(d.seq::text, 4, '0') END,
               d.received_at, d.received_on, d.channel, d.caller_name, d.caller_phone,
               d.employer_id, d.employer_uscc, d.employer_name, d.project_code, d.workers_involved,
               d.amount_owed_fen, d.owed_since, d.owed_until, d.employer_absconded, d.text,
               p_decision_days, ww_add_working_days(d.received_on, p_decision_days),
               CASE WHEN d.time_barred OR d.open_case_id IS NOT NULL THEN 'decided' ELSE 'pending' END,
               CASE WHEN d.time_barred THEN 'refused' WHEN d.open_case_id IS NOT NULL THEN 'merged' END,
               CASE WHEN d.time_barred THEN 'time_barred' END,
               CASE WHEN d.time_barred THEN NULL ELSE d.open_case_id END,
               CASE WHEN d.time_barred OR d.open_case_id IS NOT NULL THEN now() END,
               CASE WHEN d.time_barred OR d.open_case_id IS NOT NULL THEN 'system' END
        FROM decided d
        ORDER BY d.region_code, d.received_on, d.seq
        RETURNING complaints.id, complaints.number, complaints.outcome, complaints.case_id,
                  complaints.decision_due, complaints.region_code, complaints.received_at
    )
    SELECT i.id, i.number, i.outcome, i.case_id, i.decision_due FROM inserted i;
    -- The staging table lives for the session (ON COMMIT DELETE ROWS would truncate it, and a
    -- truncation invalidates every cached plan that reads it): empty it here instead.
    DELETE FROM intake_staging;
END $$;

-- One complaint from the hotline in one statement (one round trip, atomic on its own): stage it
-- and run the same set-based intake as a file import.
CREATE FUNCTION ww_intake_one(
    p_region_code text, p_received_at timestamptz, p_channel text, p_caller_name text, p_caller_phone text,
    p_employer_uscc text, p_employer_name text, p_name_key text, p_project_code text, p_workers integer,
    p_amount_fen bigint, p_owed_since date, p_owed_until date, p_absconded boolean, p_text text,
    p_decision_days integer, p_time_bar_months integer, p_merge_days integer)
RETURNS TABLE (o_id bigint, o_number text, o_outcome text, o_case_id bigint, o_decision_due date)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ww_create_intake_staging();
    INSERT INTO intake_staging (line, region_code, received_at, channel, caller_name, caller_phone, employer_uscc,
        employer_name, name_key, project_code, workers_involved, amount_owed_fen, owed_since, owed_until,
        employer_absconded, text)
    VALUES (1, p_region_code, p_received_at, p_channel, p_caller_name, p_caller_phone, p_employer_uscc,
        p_employer_name, p_name_key, p_project_code, p_workers, p_amount_fen, p_owed_since, p_owed_until,
        p_absconded, p_text);
    RETURN QUERY SELECT * FROM ww_intake_staged(p_decision_days, p_time_bar_months, p_merge_days);
END $$;

-- The session's staging table for intake; it lives as long as the connection.
CREATE FUNCTION ww_create_intake_staging() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.intake_staging') IS NULL THEN
        CREATE TEMP TABLE intake_staging (
            line integer NOT NULL, region_code text NOT NULL, received_at timestamptz NOT NULL,
            channel text NOT NULL, caller_name text, caller_phone text, employer_uscc text,
            employer_name text NOT NULL, name_key text NOT NULL, project_code text,
            workers_involved integer NOT NULL, amount_owed_fen bigint NOT NULL, owed_since date,
            owed_until date, employer_absconded boolean NOT NULL, text text);
    END IF;
END $$;
