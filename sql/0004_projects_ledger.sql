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

-- Fen as yuan text with two decimals, for messages: integer arithmetic only.
CREATE FUNCTION ww_yuan(fen bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN fen < 0 THEN '-' ELSE '' END || (abs(fen) / 100)::text || '.' || lpad((abs(fen) % 100)::text, 2, '0')
$$;

CREATE FUNCTION ww_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or removed; post a reversing transfer instead', TG_TABLE_NAME
        USING ERRCODE = 'P0001', HINT = 'conflict';
END $$;
CREATE TRIGGER transfers_append_only BEFORE UPDATE OR DELETE ON transfers
    FOR EACH ROW EXECUTE FUNCTION ww_refuse_change();
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON transfers
    FOR EACH STATEMENT EXECUTE FUNCTION ww_refuse_change();

-- Posts one transfer (P6, P7). Idempotent: the same key with the same payload returns the first
-- transfer; with another payload it is a conflict. Both accounts are locked in id order, so two
-- transfers never deadlock, and a wage account or deposit never goes below zero.
CREATE FUNCTION ww_post_transfer(
    p_region text, p_key text, p_from bigint, p_to bigint, p_amount bigint, p_occurred_at timestamptz,
    p_memo text, p_reverses bigint DEFAULT NULL)
RETURNS TABLE (o_id bigint, o_replayed boolean, o_diversion boolean)
LANGUAGE plpgsql AS $$
DECLARE
    -- A JSON array keeps every field apart and NULL distinct from any text.
    v_hash text := encode(sha256(convert_to(jsonb_build_array(p_from, p_to, p_amount,
                          to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), p_memo, p_reverses)::text,
                          'UTF8')), 'hex');
    v_original record;
    v_existing record;
    v_from record;
    v_to record;
    v_diversion boolean := false;
    v_id bigint;
BEGIN
    SELECT id, payload_hash, diversion INTO v_existing FROM transfers
    WHERE region_code = p_region AND idempotency_key = p_key;
    IF FOUND THEN
        IF v_existing.payload_hash <> v_hash THEN
            RAISE EXCEPTION 'key "%" was already used for a different transfer', p_key
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        RETURN QUERY SELECT v_existing.id, true, v_existing.diversion;
        RETURN;
    END IF;
    IF p_amount <= 0 THEN
        RAISE EXCEPTION 'amount must be positive' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_from = p_to THEN
        RAISE EXCEPTION 'a transfer needs two different accounts' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    -- A correction reverses one earlier transfer exactly: same amount, opposite direction, once.
    IF p_reverses IS NOT NULL THEN
        SELECT * INTO v_original FROM transfers WHERE region_code = p_region AND id = p_reverses;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'transfer % does not exist, so it cannot be reversed', p_reverses
                USING ERRCODE = 'P0001', HINT = 'not_found';
        END IF;
        IF v_original.from_account <> p_to OR v_original.to_account <> p_from OR v_original.amount_fen <> p_amount THEN
            RAISE EXCEPTION 'a reversal of transfer % must move ¥% back from its receiving account to its paying account',
                p_reverses, ww_yuan(v_original.amount_fen) USING ERRCODE = 'P0001', HINT = 'invalid';
        END IF;
        IF EXISTS (SELECT 1 FROM transfers WHERE region_code = p_region AND reverses = p_reverses) THEN
            RAISE EXCEPTION 'transfer % was already reversed', p_reverses USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
    END IF;
    -- Lock in id order.
    PERFORM 1 FROM ledger_accounts WHERE region_code = p_region AND id IN (p_from, p_to) ORDER BY id FOR UPDATE;
    -- A caller with the same key may have committed while we waited for the accounts.
    SELECT id, payload_hash, diversion INTO v_existing FROM transfers
    WHERE region_code = p_region AND idempotency_key = p_key;
    IF FOUND THEN
        IF v_existing.payload_hash <> v_hash THEN
            RAISE EXCEPTION 'key "%" was already used for a different transfer', p_key
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        RETURN QUERY SELECT v_existing.id, true, v_existing.diversion;
        RETURN;
    END IF;
    SELECT * INTO v_from FROM ledger_accounts WHERE region_code = p_region AND id = p_from;
    SELECT * INTO v_to FROM ledger_accounts WHERE region_code = p_region AND id = p_to;
    IF v_from.id IS NULL OR v_to.id IS NULL THEN
        RAISE EXCEPTION 'no such account' USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF v_from.kind IN ('wage', 'deposit') AND v_from.balance_fen < p_amount THEN
        RAISE EXCEPTION '% holds ¥%, less than the ¥% asked for; a wage account can never go below zero',
            v_from.name, ww_yuan(v_from.balance_fen), ww_yuan(p_amount) USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    -- P7: money out of a government project's fund must go to its wage account or a registered party.
    IF v_from.kind = 'fund' THEN
        SELECT p.funding = 'government' AND NOT (
                   (v_to.kind IN ('wage', 'deposit') AND v_to.project_id = p.id)
                OR (v_to.kind = 'worker' AND EXISTS (SELECT 1 FROM workers w WHERE w.region_code = p.region_code
                                                     AND w.project_id = p.id AND w.id_number = v_to.ref))
                OR (v_to.kind = 'external' AND EXISTS (
                        SELECT 1 FROM employers e WHERE e.region_code = p.region_code AND e.uscc = v_to.ref
                          AND (e.id IN (p.owner_id, p.contractor_id)
                               OR EXISTS (SELECT 1 FROM project_subcontractors s WHERE s.region_code = p.region_code
                                          AND s.project_id = p.id AND s.employer_id = e.id)))))
          INTO v_diversion
        FROM projects p WHERE p.region_code = p_region AND p.id = v_from.project_id;
        v_diversion := coalesce(v_diversion, false);
    END IF;
    -- A second caller with the same key waits here for the first to commit, then finds its
    -- transfer: a replay when the payload is the same, a conflict when it is not.
    INSERT INTO transfers (region_code, idempotency_key, payload_hash, from_account, to_account, amount_fen,
                           occurred_at, memo, reverses, diversion)
    VALUES (p_region, p_key, v_hash, p_from, p_to, p_amount, p_occurred_at, p_memo, p_reverses, v_diversion)
    ON CONFLICT (region_code, idempotency_key) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        SELECT id, payload_hash, diversion INTO v_existing FROM transfers
        WHERE region_code = p_region AND idempotency_key = p_key;
        IF v_existing.payload_hash <> v_hash THEN
            RAISE EXCEPTION 'key "%" was already used for a different transfer', p_key
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        RETURN QUERY SELECT v_existing.id, true, v_existing.diversion;
        RETURN;
    END IF;
    PERFORM set_config('wagewatch.posting', 'on', true);
    UPDATE ledger_accounts SET balance_fen = balance_fen - p_amount WHERE region_code = p_region AND id = p_from;
    UPDATE ledger_accounts SET balance_fen = balance_fen + p_amount WHERE region_code = p_region AND id = p_to;
    PERFORM set_config('wagewatch.posting', 'off', true);
    RETURN QUERY SELECT v_id, false, v_diversion;
END $$;

-- A kept balance changes only inside ww_post_transfer, so it always equals the sum of transfers.
CREATE FUNCTION ww_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.balance_fen IS DISTINCT FROM OLD.balance_fen
       AND coalesce(current_setting('wagewatch.posting', true), 'off') <> 'on' THEN
        RAISE EXCEPTION 'an account balance changes only by posting a transfer'
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_accounts_balance_guard BEFORE UPDATE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ww_guard_balance();

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['projects', 'project_subcontractors', 'workers', 'ledger_accounts', 'transfers'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['projects', 'workers'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
    END LOOP;
END $$;
