-- The departments that lead a project (P1), for routing and filters: the lead department and,
-- for small enterprises, the township too. A complaint or case that names no registered
-- project stays with the labour bureau.
CREATE OR REPLACE FUNCTION ww_department_of_project(p_region text, p_code text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT array_remove(ARRAY[t.lead_department, t.co_department], NULL)
         FROM projects p JOIN project_types t ON t.type = p.type
         WHERE p.region_code = p_region AND p.code = p_code),
        ARRAY['labor'])
$$;

-- Where an employer-level flag goes: the lead department of the employer's latest project
-- as contractor, else the labour bureau.
CREATE OR REPLACE FUNCTION ww_department_of_employer(p_region text, p_employer bigint) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT array_remove(ARRAY[t.lead_department, t.co_department], NULL)
         FROM projects p JOIN project_types t ON t.type = p.type
         WHERE p.region_code = p_region AND p.contractor_id = p_employer
         ORDER BY p.contract_signed DESC, p.id DESC LIMIT 1),
        ARRAY['labor'])
$$;

-- Raises new flags, upgrades the severity (orange → red) of flags still firing, marks the flags
-- of the rules that ran whose condition no longer holds as condition_cleared (the reviewer keeps
-- them), and returns per rule how many were raised and cleared.
CREATE OR REPLACE FUNCTION ww_merge_findings(p_run bigint, p_rules text[], p_as_of date, p_scoped boolean DEFAULT false)
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

CREATE OR REPLACE FUNCTION ww_mark_dirty() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'projects' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id) SELECT DISTINCT region_code, 'project', id FROM new_rows;
    WHEN 'attendance', 'payroll' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id) SELECT DISTINCT region_code, 'project', project_id FROM new_rows;
    WHEN 'ledger_accounts' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id)
        SELECT DISTINCT region_code, 'project', project_id FROM new_rows WHERE project_id IS NOT NULL;
    WHEN 'transfers' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id)
        SELECT DISTINCT a.region_code, 'project', a.project_id
        FROM new_rows t JOIN ledger_accounts a ON a.region_code = t.region_code AND a.id IN (t.from_account, t.to_account)
        WHERE a.project_id IS NOT NULL;
    WHEN 'complaints', 'cases', 'sanctions' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id) SELECT DISTINCT region_code, 'employer', employer_id FROM new_rows;
    WHEN 'claims', 'recoveries' THEN
        INSERT INTO rule_dirty (region_code, kind, subject_id)
        SELECT DISTINCT c.region_code, 'employer', c.employer_id
        FROM new_rows n JOIN cases c ON c.region_code = n.region_code AND c.id = n.case_id;
    END CASE;
    RETURN NULL;
END $$;

-- The subjects an incremental run re-evaluates, into the session's rule_scope table.
CREATE OR REPLACE FUNCTION ww_prepare_rule_scope(p_upto bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS rule_scope (kind text NOT NULL, subject_id bigint NOT NULL, PRIMARY KEY (kind, subject_id));
    DELETE FROM rule_scope;
    INSERT INTO rule_scope
    SELECT DISTINCT kind, subject_id FROM rule_dirty WHERE id <= p_upto
    ON CONFLICT DO NOTHING;
    -- An employer's change touches the projects it contracts.
    INSERT INTO rule_scope
    SELECT 'project', p.id FROM projects p
    WHERE p.contractor_id IN (SELECT subject_id FROM rule_scope WHERE kind = 'employer')
    ON CONFLICT DO NOTHING;
    -- A project's change touches its contractor's employer-level flags.
    INSERT INTO rule_scope
    SELECT 'employer', p.contractor_id FROM projects p
    WHERE p.id IN (SELECT subject_id FROM rule_scope WHERE kind = 'project')
    ON CONFLICT DO NOTHING;
    ANALYZE rule_scope;
    SELECT count(*) INTO n FROM rule_scope;
    RETURN n;
END $$;
