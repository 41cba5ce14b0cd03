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

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sanctions', 'flags', 'flag_reviews'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['sanctions', 'flags'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['flags', 'flag_reviews', 'sanctions'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_delete', t);
    END LOOP;
END $$;

-- Where an employer-level flag goes: the lead department of the employer's latest project
-- as contractor, else the labour bureau.
CREATE FUNCTION ww_department_of_employer(p_region text, p_employer bigint) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT array_remove(ARRAY[t.lead_department, t.co_department], NULL)
         FROM projects p JOIN project_types t ON t.type = p.type
         WHERE p.region_code = p_region AND p.contractor_id = p_employer
         ORDER BY p.contract_signed DESC, p.id DESC LIMIT 1),
        ARRAY['labor'])
$$;

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

-- Raises new flags, upgrades the severity (orange → red) of flags still firing, marks the flags
-- of the rules that ran whose condition no longer holds as condition_cleared (the reviewer keeps
-- them), and returns per rule how many were raised and cleared.
CREATE FUNCTION ww_merge_findings(p_run bigint, p_rules text[], p_as_of date, p_scoped boolean DEFAULT false)
RETURNS TABLE (o_rule text, o_raised bigint, o_cleared bigint)
LANGUAGE plpgsql AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS merge_counts (rule text, kind text) ON COMMIT DROP;
    CREATE TEMP TABLE IF NOT EXISTS rule_scope (kind text NOT NULL, subject_id bigint NOT NULL, PRIMARY KEY (kind, subject_id));
    -- The findings were written in this transaction: give the planner their real size, so the
    -- anti-join below hashes instead of looping.
    ANALYZE rule_findings;
    DELETE FROM merge_counts;

    WITH routed AS (
        SELECT f.*, ww_department_of_project(f.region_code, p.code) AS p_depts,
               ww_department_of_employer(f.region_code, f.employer_id) AS e_depts
        FROM rule_findings f
        LEFT JOIN projects p ON p.region_code = f.region_code AND p.id = f.project_id
        WHERE f.run_id = p_run
    ),
    ins AS (
        INSERT INTO flags (region_code, rule, severity, subject_kind, subject_id, project_id, employer_id,
                           department, co_department, period, raised_on, raised_by_run, evidence, last_seen_run)
        SELECT r.region_code, r.rule, r.severity, r.subject_kind, r.subject_id, r.project_id, r.employer_id,
               (CASE WHEN r.project_id IS NOT NULL THEN r.p_depts ELSE r.e_depts END)[1],
               (CASE WHEN r.project_id IS NOT NULL THEN r.p_depts ELSE r.e_depts END)[2],
               r.period, p_as_of, p_run, r.evidence, p_run
        FROM routed r
        ON CONFLICT (region_code, rule, subject_kind, subject_id, period) DO UPDATE
            SET last_seen_run = EXCLUDED.last_seen_run,
                condition_cleared_at = NULL,
                severity = CASE WHEN flags.severity <> 'red' AND EXCLUDED.severity = 'red' THEN 'red'
                                WHEN flags.severity = 'yellow' AND EXCLUDED.severity = 'orange' THEN 'orange'
                                ELSE flags.severity END,
                evidence = CASE WHEN flags.severity <> EXCLUDED.severity THEN EXCLUDED.evidence ELSE flags.evidence END
            -- A flag still firing unchanged is left alone, so repeated runs write nothing (and
            -- add nothing to the audit log).
            WHERE flags.condition_cleared_at IS NOT NULL
               OR (flags.severity <> 'red' AND EXCLUDED.severity = 'red')
               OR (flags.severity = 'yellow' AND EXCLUDED.severity = 'orange')
        RETURNING flags.rule, (xmax = 0) AS inserted, flags.severity
    )
    INSERT INTO merge_counts SELECT rule, CASE WHEN inserted THEN 'raised' ELSE 'seen' END FROM ins;

    WITH cleared AS (
        UPDATE flags f SET condition_cleared_at = now()
        WHERE f.rule = ANY (p_rules) AND f.condition_cleared_at IS NULL
          -- An incremental run only speaks for the subjects it re-evaluated (rule_scope).
          AND (NOT p_scoped OR EXISTS (SELECT 1 FROM rule_scope s WHERE s.kind = f.subject_kind AND s.subject_id = f.subject_id))
          AND NOT EXISTS (SELECT 1 FROM rule_findings r
                          WHERE r.run_id = p_run AND r.region_code = f.region_code AND r.rule = f.rule
                            AND r.subject_kind = f.subject_kind AND r.subject_id = f.subject_id AND r.period = f.period)
        RETURNING f.rule
    )
    INSERT INTO merge_counts SELECT rule, 'cleared' FROM cleared;

    DELETE FROM rule_findings WHERE run_id = p_run;

    RETURN QUERY
    SELECT r.rule,
           count(*) FILTER (WHERE m.kind = 'raised'),
           count(*) FILTER (WHERE m.kind = 'cleared')
    FROM unnest(p_rules) AS r(rule) LEFT JOIN merge_counts m ON m.rule = r.rule
    GROUP BY r.rule;
END $$;
