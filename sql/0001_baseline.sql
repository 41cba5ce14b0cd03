-- The schema as of the first release: tables, indexes, constraints, roles, row security, grants
-- data and reference rows, squashed from the development migrations 0001–0014. Functions, views
-- and triggers are not here: each has its one current definition in sql/functions/, which
-- `wagewatch db migrate` re-applies every time (see Sources/WagewatchCore/Database/Migrator.swift).
-- Never edit this file once released: add sql/NNNN_name.sql instead.

-- ───── reference (was 0001) ─────
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

-- ───── calendar (was 0002) ─────
-- The working-day calendar (SPEC C7), which every deadline in the system is counted on.
--
-- calendar_days holds the exceptions only: a public holiday (off, even on a weekday) or an
-- adjusted working day 调休 (on, a weekend day). Every other Monday–Friday is a working day and
-- every other Saturday and Sunday is off. It is a reference table shared by every region (SPEC §6),
-- so it has no region column.
--
-- working_day_index precomputes, for every day from 2000-01-01 to 2100-12-31, whether it is a
-- working day and how many working days there are from 2000-01-01 up to and including it, so
-- "N working days after d" and "working days between a and b" are index lookups, not loops.
-- The Swift twin of this data and arithmetic is WorkingCalendar.swift; CalendarSQLTests checks
-- that the two agree day by day.

CREATE TABLE calendar_days (
    day   date PRIMARY KEY CHECK (day BETWEEN date '2000-01-01' AND date '2100-12-31'),
    kind  text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    note  text
);

COMMENT ON TABLE calendar_days IS
    'Exceptions to Monday–Friday: public holidays (off) and adjusted working days 调休 (on). Reference table.';

CREATE TABLE working_day_index (
    day         date PRIMARY KEY,
    ordinal     integer NOT NULL,
    is_working  boolean NOT NULL
);

-- "The working day whose ordinal is k": the lookup behind ww_add_working_days. Not UNIQUE
-- although it is by construction: the rebuild shifts ordinals row by row, and a unique index
-- would see transient duplicates.
CREATE INDEX working_day_index_ordinal ON working_day_index (ordinal) WHERE is_working;

COMMENT ON TABLE working_day_index IS
    'Derived from calendar_days by ww_rebuild_working_day_index(); never written directly.';

-- The national calendars of SPEC Appendix A (State Council notices), as the notices read:
-- every day of each holiday range, weekends included, and each adjusted working day.
-- WorkingCalendar.national2025and2026 holds the same rows; a test keeps them identical.
INSERT INTO calendar_days (day, kind, note)
SELECT g.day::date, 'holiday', h.note
FROM (VALUES
    (date '2025-01-01', date '2025-01-01', '元旦'),
    (date '2025-01-28', date '2025-02-04', '春节'),
    (date '2025-04-04', date '2025-04-06', '清明节'),
    (date '2025-05-01', date '2025-05-05', '劳动节'),
    (date '2025-05-31', date '2025-06-02', '端午节'),
    (date '2025-10-01', date '2025-10-08', '国庆节、中秋节'),
    (date '2026-01-01', date '2026-01-03', '元旦'),
    (date '2026-02-15', date '2026-02-23', '春节'),
    (date '2026-04-04', date '2026-04-06', '清明节'),
    (date '2026-05-01', date '2026-05-05', '劳动节'),
    (date '2026-06-19', date '2026-06-21', '端午节'),
    (date '2026-09-25', date '2026-09-27', '中秋节'),
    (date '2026-10-01', date '2026-10-07', '国庆节')
) AS h (first_day, last_day, note)
CROSS JOIN LATERAL generate_series(h.first_day::timestamp, h.last_day::timestamp, interval '1 day') AS g (day);

-- The adjusted working days (调休), one line per holiday they make up for.
INSERT INTO calendar_days (day, kind, note)
SELECT d::date, 'workday', a.note
FROM (VALUES
    ('春节调休',           ARRAY['2025-01-26', '2025-02-08', '2026-02-14', '2026-02-28']),
    ('劳动节调休',         ARRAY['2025-04-27', '2026-05-09']),
    ('国庆节、中秋节调休', ARRAY['2025-09-28', '2025-10-11']),
    ('元旦调休',           ARRAY['2026-01-04']),
    ('中秋节调休',         ARRAY['2026-09-20']),
    ('国庆节调休',         ARRAY['2026-10-10'])) AS a (note, days)
CROSS JOIN LATERAL unnest(a.days) AS d
ORDER BY d;

SELECT ww_rebuild_working_day_index();

-- ───── complaints (was 0003) ─────
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

-- ───── projects ledger (was 0004) ─────
-- Projects, their workers, attendance and payroll, and the wage-fund ledger (SPEC P1–P7).
-- Same scale-out rules as 0003: region_code leads every key, foreign keys stay in one region.

CREATE TABLE project_types (
    type            text PRIMARY KEY,
    lead_department text NOT NULL REFERENCES departments (code),
    co_department   text REFERENCES departments (code),
    construction    boolean NOT NULL
);

-- P1: who leads (归口管理) each type of project; small enterprises are shared with the township.
INSERT INTO project_types VALUES
    ('gov_transport',    'transport',    NULL,       true),
    ('gov_land',         'land',         NULL,       true),
    ('gov_water',        'water',        NULL,       true),
    ('gov_other',        'construction', NULL,       true),
    ('real_estate',      'construction', NULL,       true),
    ('factory_build',    'construction', NULL,       true),
    ('small_enterprise', 'commerce',     'township', false);

CREATE TABLE projects (
    region_code           text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    id                    bigint GENERATED ALWAYS AS IDENTITY,
    code                  text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
    name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    type                  text NOT NULL REFERENCES project_types (type),
    funding               text NOT NULL CHECK (funding IN ('government', 'social')),
    owner_id              bigint NOT NULL,
    contractor_id         bigint NOT NULL,
    contract_value_fen    bigint NOT NULL CHECK (contract_value_fen >= 0),
    contract_signed       date NOT NULL,
    planned_start         date NOT NULL,
    planned_end           date NOT NULL CHECK (planned_end >= planned_start),
    allocation_cycle_days integer NOT NULL CHECK (allocation_cycle_days BETWEEN 1 AND 31),
    allocation_amount_fen bigint NOT NULL CHECK (allocation_amount_fen >= 0),
    deposit_rate_bp       integer NOT NULL DEFAULT 200 CHECK (deposit_rate_bp BETWEEN 100 AND 300),
    deposit_exempt        boolean NOT NULL DEFAULT false,
    status                text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'started', 'finished')),
    actual_start          date,
    actual_end            date,
    forced_start_reason   text,
    direct_pay_mode       boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, code),
    FOREIGN KEY (region_code, owner_id) REFERENCES employers (region_code, id),
    FOREIGN KEY (region_code, contractor_id) REFERENCES employers (region_code, id),
    CHECK ((status = 'planned') = (actual_start IS NULL)),
    CHECK ((status = 'finished') = (actual_end IS NOT NULL))
);

CREATE INDEX projects_id ON projects (id);

CREATE INDEX projects_code ON projects (code);

CREATE INDEX projects_contractor ON projects (region_code, contractor_id);

CREATE TABLE project_subcontractors (
    region_code   text NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    project_id    bigint NOT NULL,
    employer_id   bigint NOT NULL,
    PRIMARY KEY (region_code, project_id, employer_id),
    FOREIGN KEY (region_code, project_id) REFERENCES projects (region_code, id),
    FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id)
);

-- Real-name registration (实名制): one row per worker, on their current project.
CREATE TABLE workers (
    region_code  text NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    id_number    text NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    phone        text,
    bank         text,
    bank_account text CHECK (bank_account ~ '^[0-9]{8,30}$'),
    employer_id  bigint NOT NULL,
    project_id   bigint NOT NULL,
    joined       date NOT NULL,
    "left"       date CHECK ("left" IS NULL OR "left" >= joined),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, id_number),
    FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
    FOREIGN KEY (region_code, project_id) REFERENCES projects (region_code, id)
);

CREATE INDEX workers_project ON workers (region_code, project_id);

CREATE TABLE attendance (
    region_code text NOT NULL,
    project_id  bigint NOT NULL,
    day         date NOT NULL,
    worker_id   bigint NOT NULL,
    PRIMARY KEY (region_code, project_id, day, worker_id)
);

CREATE TABLE payroll (
    region_code   text NOT NULL,
    project_id    bigint NOT NULL,
    period        date NOT NULL CHECK (extract(day FROM period) = 1),
    worker_id     bigint NOT NULL,
    days_worked   integer NOT NULL CHECK (days_worked BETWEEN 0 AND 31),
    wage_due_fen  bigint NOT NULL CHECK (wage_due_fen >= 0),
    wage_paid_fen bigint NOT NULL CHECK (wage_paid_fen >= 0),
    paid_on       date,
    signed        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (region_code, project_id, period, worker_id)
);

-- The ledger (P6): accounts and transfers between them. A transfer is never changed or removed;
-- a correction is a reversing transfer.
CREATE TABLE ledger_accounts (
    region_code text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    kind        text NOT NULL CHECK (kind IN ('fund', 'wage', 'deposit', 'worker', 'emergency', 'external')),
    ref         text NOT NULL,   -- project code, ID number, or name; '' for the emergency fund
    name        text NOT NULL,
    project_id  bigint,
    bank        text,
    number      text,
    opened_on   date,
    balance_fen bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, kind, ref),
    -- A wage account or a deposit can never go below zero.
    CHECK (balance_fen >= 0 OR kind NOT IN ('wage', 'deposit'))
);

CREATE INDEX ledger_accounts_id ON ledger_accounts (id);

CREATE TABLE transfers (
    region_code     text NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    payload_hash    text NOT NULL,
    from_account    bigint NOT NULL,
    to_account      bigint NOT NULL,
    amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
    occurred_at     timestamptz NOT NULL,
    memo            text,
    reverses        bigint,
    diversion       boolean NOT NULL DEFAULT false,   -- P7: for R9
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text NOT NULL DEFAULT ww_actor(),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, idempotency_key),
    FOREIGN KEY (region_code, from_account) REFERENCES ledger_accounts (region_code, id),
    FOREIGN KEY (region_code, to_account) REFERENCES ledger_accounts (region_code, id),
    CHECK (from_account <> to_account)
);

CREATE INDEX transfers_from ON transfers (region_code, from_account, occurred_at);

CREATE INDEX transfers_to ON transfers (region_code, to_account, occurred_at);

CREATE INDEX transfers_diversion ON transfers (region_code) WHERE diversion;

CREATE UNIQUE INDEX transfers_reversed_once ON transfers (region_code, reverses) WHERE reverses IS NOT NULL;

-- ───── rules flags (was 0007) ─────
-- Rule jobs and risk flags (SPEC R1–R12): each run is recorded; each flag is raised once per
-- (rule, subject, period), routed to the department that leads the project (P1), and reviewed
-- there. Sanctions are recorded here because R12 reads them (direct pay and blacklisting build
-- on this table).

CREATE TABLE sanctions (
    region_code   text NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    employer_id   bigint NOT NULL,
    measure       text NOT NULL CHECK (measure IN ('restrict_bidding', 'blacklist', 'restrict_credit',
                                                   'restrict_travel', 'public_exposure', 'other')),
    basis         text NOT NULL CHECK (length(basis) > 0),
    department    text NOT NULL REFERENCES departments (code),
    valid_from    date NOT NULL,
    valid_until   date,
    lifted_on     date,
    lift_reason   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL DEFAULT ww_actor(),
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);

CREATE TABLE rule_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at   timestamptz,
    as_of         date NOT NULL,
    full_run      boolean NOT NULL,
    only_rule     text,
    status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
    started_by    text NOT NULL DEFAULT ww_actor(),
    -- per rule: {"rule": {"examined": n, "raised": n, "upgraded": n, "cleared": n, "ms": n}}
    stats         jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE flags (
    region_code     text NOT NULL,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    rule            text NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('red', 'orange', 'yellow')),
    status          text NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'acknowledged', 'confirmed', 'dismissed')),
    subject_kind    text NOT NULL CHECK (subject_kind IN ('project', 'employer')),
    subject_id      bigint NOT NULL,
    project_id      bigint,
    employer_id     bigint NOT NULL,          -- the contractor or enterprise the flag is about
    department      text NOT NULL REFERENCES departments (code),
    co_department   text REFERENCES departments (code),
    period          text NOT NULL,
    raised_at       timestamptz NOT NULL DEFAULT now(),
    raised_on       date NOT NULL,            -- the as-of date of the run that raised it
    raised_by_run   bigint NOT NULL REFERENCES rule_runs (id),
    evidence        jsonb NOT NULL,
    last_seen_run   bigint NOT NULL REFERENCES rule_runs (id),   -- the last run that raised, upgraded or revived it
    condition_cleared_at timestamptz,
    review_action   text CHECK (review_action IN ('rectify', 'stop_work', 'direct_pay', 'sanction')),
    review_reason   text,
    reviewed_at     timestamptz,
    reviewed_by     text,
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, rule, subject_kind, subject_id, period),
    CHECK ((status = 'confirmed') = (review_action IS NOT NULL)),
    CHECK (status <> 'dismissed' OR review_reason IS NOT NULL)
);

CREATE INDEX flags_id ON flags (id);

CREATE INDEX flags_department ON flags (department, status);

CREATE INDEX flags_open_red ON flags (raised_on) WHERE status = 'open' AND severity = 'red';

CREATE TABLE flag_reviews (
    region_code text NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    flag_id     bigint NOT NULL,
    action      text NOT NULL CHECK (action IN ('ack', 'confirm', 'dismiss')),
    confirm_action text,
    reason      text,
    reviewer    text NOT NULL,
    department  text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, flag_id) REFERENCES flags (region_code, id)
);

-- What the rules found in one run, before it is merged into flags: every rule's query inserts
-- its findings here, then ww_merge_findings raises, upgrades and clears flags set-based.
CREATE UNLOGGED TABLE rule_findings (
    run_id       bigint NOT NULL,
    region_code  text NOT NULL,
    rule         text NOT NULL,
    severity     text NOT NULL,
    subject_kind text NOT NULL,
    subject_id   bigint NOT NULL,
    project_id   bigint,
    employer_id  bigint NOT NULL,
    period       text NOT NULL,
    evidence     jsonb NOT NULL
);

CREATE INDEX rule_findings_run ON rule_findings (run_id, region_code, rule, subject_kind, subject_id, period);

-- ───── escalations (was 0008) ─────

CREATE TABLE escalations (
    region_code      text NOT NULL,
    id               bigint GENERATED ALWAYS AS IDENTITY,
    reason           text NOT NULL CHECK (reason IN ('mass_incident_workers', 'employer_absconded', 'protest_keywords',
                                                     'criminal_threshold', 'decision_overdue', 'investigation_overdue',
                                                     'flag_unreviewed')),
    mass_incident    boolean NOT NULL,
    level            text NOT NULL CHECK (level IN ('township', 'bureau', 'county')),
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
    dedupe_key       text NOT NULL,
    complaint_id     bigint,
    case_id          bigint,
    flag_id          bigint,
    employer_id      bigint,
    project_code     text,
    workers_involved integer,
    amount_fen       bigint,
    detail           jsonb NOT NULL DEFAULT '{}',
    raised_at        timestamptz NOT NULL DEFAULT now(),
    level_since      timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    resolved_at      timestamptz,
    resolution       text,
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, dedupe_key)
);

CREATE INDEX escalations_id ON escalations (id);

CREATE INDEX escalations_open ON escalations (level_since) WHERE status = 'open';

CREATE TABLE escalation_levels (
    region_code   text NOT NULL,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    escalation_id bigint NOT NULL,
    from_level    text,
    to_level      text NOT NULL,
    at            timestamptz NOT NULL,
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, escalation_id) REFERENCES escalations (region_code, id)
);

CREATE TABLE escalation_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code     text NOT NULL,
    escalation_id   bigint NOT NULL,
    event           text NOT NULL CHECK (event IN ('raised', 'level_changed', 'reminder')),
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    last_error      text,
    -- The targets that already have this row, so a retry after a partial failure sends each once.
    delivered_to    text[] NOT NULL DEFAULT '{}'
);

CREATE INDEX escalation_outbox_pending ON escalation_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- E1 for cases: a case that reaches the thresholds through merged complaints or claims.
CREATE INDEX escalations_case ON escalations (region_code, case_id) WHERE case_id IS NOT NULL;

CREATE INDEX escalations_complaint ON escalations (region_code, complaint_id) WHERE complaint_id IS NOT NULL;

-- ───── incremental rules (was 0010) ─────
-- Incremental rule runs (SPEC R1–R12). Every change to what the rules read marks its subject
-- here: a project, or an employer (whose projects as contractor then count as changed too). A
-- run on the same as-of date as the last successful one re-evaluates only the marked subjects;
-- a run on a new date re-evaluates everything, because deadlines may have passed.

CREATE TABLE rule_dirty (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_code text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('project', 'employer')),
    subject_id  bigint NOT NULL
);

ALTER TABLE rule_runs ADD COLUMN dirty_upto bigint, ADD COLUMN subjects integer;

-- ───── payment orders (was 0011) ─────
-- Orders to pay wages by a deadline (责令限期支付, SPEC S2): blacklisting a contractor needs a
-- recorded order whose deadline it missed. Orders are never deleted; a wrong one is superseded
-- by a new order.

CREATE TABLE payment_orders (
    region_code text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    employer_id bigint NOT NULL,
    case_id     bigint,
    amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
    issued_on   date NOT NULL,
    deadline    date NOT NULL,
    basis       text NOT NULL CHECK (length(basis) > 0),
    issued_by   text NOT NULL DEFAULT ww_actor(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
    FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
    CHECK (deadline >= issued_on)
);

CREATE INDEX payment_orders_employer ON payment_orders (region_code, employer_id, deadline);

CREATE INDEX sanctions_employer ON sanctions (region_code, employer_id, measure);

-- ───── direct pay (was 0012) ─────
-- Direct pay of migrant wages from project funds (代付到人, SPEC D1–D4).

-- D1: why a project is in direct-pay mode, and the decision that ended it.
CREATE TABLE direct_pay_orders (
    region_code text NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    project_id  bigint NOT NULL,
    basis       text NOT NULL CHECK (length(basis) > 0),
    flag_id     bigint,
    ordered_by  text NOT NULL DEFAULT ww_actor(),
    ordered_at  timestamptz NOT NULL DEFAULT now(),
    cleared_at  timestamptz,
    cleared_by  text,
    clear_reason text,
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, project_id) REFERENCES projects (region_code, id)
);

CREATE TABLE direct_pay_batches (
    region_code  text NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    project_id   bigint NOT NULL,
    period       date NOT NULL CHECK (extract(day FROM period) = 1),
    status       text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'approved', 'executed')),
    source       text NOT NULL CHECK (source IN ('wage', 'fund')),
    total_fen    bigint NOT NULL CHECK (total_fen > 0),
    planned_by   text NOT NULL,
    planned_at   timestamptz NOT NULL DEFAULT now(),
    approved_by  text,
    approved_at  timestamptz,
    executed_at  timestamptz,
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, project_id) REFERENCES projects (region_code, id),
    -- D3: maker-checker.
    CHECK (approved_by IS NULL OR approved_by <> planned_by)
);

CREATE INDEX direct_pay_batches_id ON direct_pay_batches (id);

CREATE TABLE direct_pay_lines (
    region_code  text NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    batch_id     bigint NOT NULL,
    line_no      integer NOT NULL,
    project_id   bigint NOT NULL,
    period       date NOT NULL,
    worker_id    bigint NOT NULL,
    id_number    text NOT NULL,
    worker_name  text NOT NULL,
    bank         text NOT NULL,
    bank_account text NOT NULL,
    amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'returned')),
    transfer_id  bigint,
    returned_reason text,
    returned_transfer_id bigint,
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, batch_id, line_no),
    FOREIGN KEY (region_code, batch_id) REFERENCES direct_pay_batches (region_code, id)
);

-- D3: a worker is never paid twice for one period, across batches (a returned payment frees it).
CREATE UNIQUE INDEX direct_pay_once ON direct_pay_lines (region_code, project_id, period, worker_id)
    WHERE status <> 'returned';

-- ───── audit chain (was 0013) ─────

-- The chain's head: its last position, row id and hash. Its one row is locked FOR UPDATE by
-- every append and held to commit, which orders the appends of concurrent transactions. It is
-- no application table: it lives in a schema of its own on which no role but the owner has
-- any privilege (so it needs no entry in 0014's app_grants either).
CREATE SCHEMA audit_chain;

REVOKE ALL ON SCHEMA audit_chain FROM PUBLIC;

CREATE TABLE audit_chain.head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seq  bigint NOT NULL,
    last_id   bigint NOT NULL,
    last_hash bytea NOT NULL
);

-- Chain what is already there, in id order, in one pass.
ALTER TABLE audit_log ADD COLUMN seq bigint, ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea;

UPDATE audit_log a
SET seq = c.seq, prev_hash = coalesce(c.prev_hash, ww_audit_genesis()), hash = c.hash
FROM (
    SELECT h.id, h.seq, h.hash, lag(h.hash) OVER (ORDER BY h.seq) AS prev_hash
    FROM (
        SELECT s.id, s.seq, ww_audit_chain(s.content_hash, ww_audit_genesis()) OVER (ORDER BY s.seq) AS hash
        FROM (
            SELECT l.id, n.seq,
                   ww_audit_content_hash(n.seq, l.id, l.at, l.actor, l.table_name, l.action, l.row_key,
                                         l.before, l.after) AS content_hash
            FROM audit_log l
            JOIN (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM audit_log) n USING (id)
        ) s
    ) h
) c
WHERE a.id = c.id;

INSERT INTO audit_chain.head (last_seq, last_id, last_hash)
SELECT coalesce(max(seq), 0), coalesce(max(id), 0),
       coalesce((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ww_audit_genesis())
FROM audit_log;

-- Ids now come from the chain head (so the hash can cover them), gap-free from here on.
ALTER TABLE audit_log
    ALTER COLUMN id DROP IDENTITY,
    ALTER COLUMN seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL,
    ADD CONSTRAINT audit_log_seq_key UNIQUE (seq);

REVOKE ALL ON audit_log, audit_chain.head FROM PUBLIC;

-- ───── roles (was 0014) ─────
-- Access by department in the database itself (SPEC §1, §6; issue 9).
--
-- Five group roles, one per SPEC §1 role. Every person signs in as a login role of their own,
-- member of exactly one group and linked to one department by their `users` row
-- (`wagewatch user add` creates both). What a role may touch is decided here, by grants,
-- column privileges and row-level security keyed on `current_user` — never by a value the
-- client sends.
--
-- Later migrations follow the same pattern: add rows to `app_grants` (and `pii_columns` for
-- personal data) and create policies for regional tables; `db migrate` then runs
-- `ww_apply_grants()` (sql/functions/roles.sql) after every migration and function file.
-- A test fails when a table has no `app_grants` row.

-- Roles are cluster-wide: another database of the same cluster may have made them already.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['intake', 'inspector', 'sector', 'official', 'admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'wagewatch_' || r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', 'wagewatch_' || r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;   -- made concurrently by a migration of another database
            END;
        END IF;
    END LOOP;
END $$;

-- Personal data: readable in full only by inspectors and administrators. Everyone else reads
-- the `*_masked` column beside it, computed by the database when the row is written.
CREATE TABLE pii_columns (
    table_name  text NOT NULL,
    column_name text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('id_number', 'phone', 'bank_account')),
    PRIMARY KEY (table_name, column_name)
);

INSERT INTO pii_columns VALUES
    ('complaints', 'caller_phone', 'phone'),
    ('employers', 'phone', 'phone'),
    ('workers', 'id_number', 'id_number'),
    ('workers', 'phone', 'phone'),
    ('workers', 'bank_account', 'bank_account'),
    ('claims', 'id_number', 'id_number'),
    ('recoveries', 'id_number', 'id_number'),
    ('direct_pay_lines', 'id_number', 'id_number'),
    ('direct_pay_lines', 'bank_account', 'bank_account');

ALTER TABLE complaints ADD COLUMN caller_phone_masked text GENERATED ALWAYS AS (ww_mask_phone(caller_phone)) STORED;

ALTER TABLE employers ADD COLUMN phone_masked text GENERATED ALWAYS AS (ww_mask_phone(phone)) STORED;

ALTER TABLE workers ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED,
                    ADD COLUMN phone_masked text GENERATED ALWAYS AS (ww_mask_phone(phone)) STORED,
                    ADD COLUMN bank_account_masked text GENERATED ALWAYS AS (ww_mask_id(bank_account)) STORED;

ALTER TABLE claims ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED;

ALTER TABLE recoveries ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED;

ALTER TABLE direct_pay_lines ADD COLUMN id_number_masked text GENERATED ALWAYS AS (ww_mask_id(id_number)) STORED,
                             ADD COLUMN bank_account_masked text GENERATED ALWAYS AS (ww_mask_id(bank_account)) STORED;

-- What each group may do to each table. SELECT for a group other than inspector and admin
-- covers every column but those in pii_columns. An entry may name columns: 'UPDATE (a, b)'.
CREATE TABLE app_grants (
    table_name text NOT NULL,
    role       text NOT NULL CHECK (role IN ('intake', 'inspector', 'sector', 'official', 'admin')),
    privileges text[] NOT NULL,
    PRIMARY KEY (table_name, role)
);

INSERT INTO app_grants (table_name, role, privileges)
SELECT t, r, '{SELECT}'
FROM unnest(ARRAY['schema_migrations', 'schema_functions', 'departments', 'regions', 'users', 'project_types',
                  'calendar_days', 'working_day_index', 'escalation_levels', 'rule_runs',
                  'pii_columns', 'app_grants']) t,
     unnest(ARRAY['intake', 'inspector', 'sector', 'official']) r;

INSERT INTO app_grants (table_name, role, privileges) VALUES
    -- reference data: the administrator keeps departments, users and the calendar
    ('schema_migrations', 'admin', '{SELECT}'),
    ('schema_functions', 'admin', '{SELECT}'),
    ('departments', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('regions', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('users', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('project_types', 'admin', '{SELECT}'),
    ('calendar_days', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('working_day_index', 'admin', '{SELECT}'),
    ('escalation_levels', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('rule_runs', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('pii_columns', 'admin', '{SELECT}'),
    ('app_grants', 'admin', '{SELECT}'),
    -- the audit log: read by the administrator, written only by the database's own triggers
    ('audit_log', 'admin', '{SELECT}'),
    -- complaints and cases: the hotline logs, inspectors investigate, officials read
    ('employers', 'intake', '{SELECT,INSERT,UPDATE}'),
    ('employers', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('employers', 'sector', '{SELECT}'),
    ('employers', 'official', '{SELECT}'),
    ('employers', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('complaint_counters', 'intake', '{SELECT,INSERT,UPDATE}'),
    ('complaint_counters', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('complaint_counters', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('complaints', 'intake', '{SELECT,INSERT,UPDATE}'),
    ('complaints', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('complaints', 'official', '{SELECT}'),
    ('complaints', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('cases', 'intake', '{SELECT,INSERT}'),
    ('cases', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('cases', 'official', '{SELECT}'),
    ('cases', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('case_totals', 'intake', '{SELECT}'),
    ('case_totals', 'inspector', '{SELECT}'),
    ('case_totals', 'official', '{SELECT}'),
    ('case_totals', 'admin', '{SELECT}'),
    ('case_extensions', 'intake', '{SELECT}'),
    ('case_extensions', 'inspector', '{SELECT,INSERT}'),
    ('case_extensions', 'official', '{SELECT}'),
    ('case_extensions', 'admin', '{SELECT,INSERT}'),
    ('claims', 'intake', '{SELECT}'),
    ('claims', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('claims', 'official', '{SELECT}'),
    ('claims', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('recoveries', 'intake', '{SELECT}'),
    ('recoveries', 'inspector', '{SELECT,INSERT}'),
    ('recoveries', 'official', '{SELECT}'),
    ('recoveries', 'admin', '{SELECT,INSERT}'),
    ('payment_orders', 'inspector', '{SELECT,INSERT}'),
    ('payment_orders', 'official', '{SELECT}'),
    ('payment_orders', 'admin', '{SELECT,INSERT}'),
    -- projects, workers and the ledger: inspectors register, sector departments read what they lead
    ('projects', 'intake', '{SELECT}'),
    ('projects', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('projects', 'sector', '{SELECT,"UPDATE (direct_pay_mode)"}'),
    ('projects', 'official', '{SELECT}'),
    ('projects', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('project_subcontractors', 'inspector', '{SELECT,INSERT}'),
    ('project_subcontractors', 'sector', '{SELECT}'),
    ('project_subcontractors', 'official', '{SELECT}'),
    ('project_subcontractors', 'admin', '{SELECT,INSERT}'),
    ('workers', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('workers', 'official', '{SELECT}'),
    ('workers', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('attendance', 'inspector', '{SELECT,INSERT}'),
    ('attendance', 'official', '{SELECT}'),
    ('attendance', 'admin', '{SELECT,INSERT}'),
    ('payroll', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('payroll', 'official', '{SELECT}'),
    ('payroll', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('ledger_accounts', 'intake', '{SELECT}'),
    ('ledger_accounts', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('ledger_accounts', 'sector', '{SELECT}'),
    ('ledger_accounts', 'official', '{SELECT}'),
    ('ledger_accounts', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('transfers', 'inspector', '{SELECT,INSERT}'),
    ('transfers', 'official', '{SELECT}'),
    ('transfers', 'admin', '{SELECT,INSERT}'),
    -- risk flags: sector departments review what they lead; rule jobs run as the administrator
    ('flags', 'inspector', '{SELECT}'),
    ('flags', 'sector', '{SELECT,"UPDATE (status, review_action, review_reason, reviewed_at, reviewed_by)"}'),
    ('flags', 'official', '{SELECT}'),
    ('flags', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('flag_reviews', 'inspector', '{SELECT}'),
    ('flag_reviews', 'sector', '{SELECT,INSERT}'),
    ('flag_reviews', 'official', '{SELECT}'),
    ('flag_reviews', 'admin', '{SELECT,INSERT}'),
    ('rule_dirty', 'admin', '{SELECT,INSERT,UPDATE,DELETE}'),
    ('rule_findings', 'admin', '{SELECT,INSERT,DELETE}'),
    ('sanctions', 'intake', '{SELECT}'),
    ('sanctions', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('sanctions', 'sector', '{SELECT}'),
    ('sanctions', 'official', '{SELECT}'),
    ('sanctions', 'admin', '{SELECT,INSERT,UPDATE}'),
    -- escalations: officials acknowledge, inspectors and administrators resolve
    ('escalations', 'intake', '{SELECT}'),
    ('escalations', 'inspector', '{SELECT,UPDATE}'),
    ('escalations', 'official', '{SELECT,"UPDATE (status, acknowledged_at, acknowledged_by)"}'),
    ('escalations', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('escalation_outbox', 'admin', '{SELECT,INSERT,UPDATE}'),
    -- direct pay: ordered on a sector department's confirmation, planned and paid by inspectors
    ('direct_pay_orders', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_orders', 'sector', '{SELECT,INSERT}'),
    ('direct_pay_orders', 'official', '{SELECT}'),
    ('direct_pay_orders', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_batches', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_batches', 'official', '{SELECT}'),
    ('direct_pay_batches', 'admin', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_lines', 'inspector', '{SELECT,INSERT,UPDATE}'),
    ('direct_pay_lines', 'official', '{SELECT}'),
    ('direct_pay_lines', 'admin', '{SELECT,INSERT,UPDATE}');

-- Row-level security. Policies are permissive and per group; a table owner is held to them
-- too (FORCE). Superusers — the service account of cron jobs and the embedded cluster's
-- owner — are not subject to row security in PostgreSQL.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'flags', 'flag_reviews', 'workers', 'cases', 'complaints',
                             'claims', 'recoveries', 'ledger_accounts'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        -- administrators change everything; officials read everything
        EXECUTE format('CREATE POLICY admin_all ON %I TO wagewatch_admin USING (true) WITH CHECK (true)', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['projects', 'flags', 'flag_reviews', 'workers', 'cases', 'complaints',
                             'claims', 'recoveries'] LOOP
        EXECUTE format('CREATE POLICY official_read ON %I FOR SELECT TO wagewatch_official USING (true)', t);
    END LOOP;
    -- the hotline and inspectors work in their region (all regions when the user has none)
    FOREACH t IN ARRAY ARRAY['projects', 'cases', 'complaints', 'claims', 'recoveries'] LOOP
        EXECUTE format($p$CREATE POLICY own_region ON %I TO wagewatch_intake, wagewatch_inspector
            USING (region_code = coalesce((SELECT ww_my_region()), region_code))
            WITH CHECK (region_code = coalesce((SELECT ww_my_region()), region_code))$p$, t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['workers', 'flags', 'flag_reviews'] LOOP
        EXECUTE format($p$CREATE POLICY own_region ON %I TO wagewatch_inspector
            USING (region_code = coalesce((SELECT ww_my_region()), region_code))
            WITH CHECK (region_code = coalesce((SELECT ww_my_region()), region_code))$p$, t);
    END LOOP;
END $$;

-- Officials acknowledge escalations; the escalation table carries no personal data and is
-- read by everyone who works cases, so it has no row policy.

-- Inspectors keep workers' ledger accounts; everyone else sees project and fund accounts only.
CREATE POLICY inspector_all ON ledger_accounts TO wagewatch_inspector USING (true) WITH CHECK (true);

CREATE POLICY no_worker_accounts ON ledger_accounts FOR SELECT TO wagewatch_intake, wagewatch_official
    USING (kind <> 'worker');

-- A sector department sees the accounts of the projects it leads (the projects policy below
-- applies inside the subquery).
CREATE POLICY sector_leads ON ledger_accounts FOR SELECT TO wagewatch_sector
    USING (kind <> 'worker' AND project_id IS NOT NULL
           AND EXISTS (SELECT 1 FROM projects p WHERE p.region_code = ledger_accounts.region_code
                                                  AND p.id = ledger_accounts.project_id));

-- A sector department sees and changes only the projects and flags it leads (归口管理).
CREATE POLICY sector_leads ON projects TO wagewatch_sector
    USING (ww_leads((SELECT ww_my_department()), (SELECT ww_my_region()), type, region_code))
    WITH CHECK (ww_leads((SELECT ww_my_department()), (SELECT ww_my_region()), type, region_code));

CREATE POLICY sector_leads ON flags TO wagewatch_sector
    USING ((SELECT ww_my_department()) IN (department, co_department)
           AND ((SELECT ww_my_department()) <> 'township'
                OR region_code = coalesce((SELECT ww_my_region()), region_code)))
    WITH CHECK ((SELECT ww_my_department()) IN (department, co_department));

CREATE POLICY sector_own ON flag_reviews TO wagewatch_sector
    USING (department = (SELECT ww_my_department()))
    WITH CHECK (department = (SELECT ww_my_department()) AND reviewer = current_user);
