-- Fixes to the escalations of 0008 (SPEC E1–E4), each shown by a test in
-- Tests/WagewatchCoreTests/EscalationTests.swift.
--
-- 1. The outbox records which targets already took an event (E4). With both a webhook and mail
--    configured, an event the webhook accepted but sendmail refused is retried for mail only: a
--    target that took an event is never sent it again. sent_at is set once every target has it.
ALTER TABLE escalation_outbox ADD COLUMN delivered_to text[] NOT NULL DEFAULT '{}';

-- 2. E1 also for cases: "when a complaint or case involves ≥ 10 workers … or when the arrears
--    reach the criminal threshold". 0008 looked at each complaint alone, so a case that reached
--    10 workers through complaints merged into it (C4, or joined at acceptance) or through the
--    per-worker claims an inspector records (C6) was never escalated. A case is escalated once
--    per reason, and not at all for a reason one of its complaints was already escalated for.
CREATE INDEX escalations_case ON escalations (region_code, case_id) WHERE case_id IS NOT NULL;
CREATE INDEX escalations_complaint ON escalations (region_code, complaint_id) WHERE complaint_id IS NOT NULL;

CREATE FUNCTION ww_escalate_case(p_region text, p_case bigint, p_at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    c cases%ROWTYPE;
    t record;
    r record;
    v_raised integer := 0;
BEGIN
    SELECT * INTO c FROM cases WHERE region_code = p_region AND id = p_case;
    IF NOT FOUND OR c.status <> 'open' THEN
        RETURN 0;
    END IF;
    SELECT * INTO t FROM case_totals WHERE region_code = p_region AND case_id = p_case;
    FOR r IN
        SELECT 'mass_incident_workers' AS reason, jsonb_build_object('workers', t.workers_involved) AS detail
        WHERE t.workers_involved >= ww_setting_int('e1_workers', 10)
        UNION ALL
        SELECT 'criminal_threshold',
               jsonb_build_object('amount_fen', t.owed_fen - t.recovered_fen, 'workers', t.workers_involved)
        WHERE t.workers_involved >= ww_setting_int('criminal_workers', 10)
          AND t.owed_fen - t.recovered_fen >= ww_setting_int('criminal_workers_fen', 4000000)
    LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM escalations e
                              WHERE e.region_code = p_region AND e.case_id = p_case AND e.reason = r.reason)
                   OR EXISTS (SELECT 1 FROM escalations e
                              WHERE e.region_code = p_region AND e.complaint_id = ANY (t.complaint_ids)
                                AND e.reason = r.reason);
        IF ww_raise_escalation(p_region, r.reason, 'county', 'case:' || p_case || ':' || r.reason, NULL, p_case, NULL,
                               c.employer_id, c.project_code, t.workers_involved, t.owed_fen - t.recovered_fen,
                               r.detail, p_at) IS NOT NULL THEN
            v_raised := v_raised + 1;
        END IF;
    END LOOP;
    RETURN v_raised;
END $$;

-- The intake trigger of 0008, unchanged for the complaints themselves, then the cases that
-- complaints were merged into.
CREATE OR REPLACE FUNCTION ww_escalate_new_complaints() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ww_raise_escalation(c.region_code, c.esc_reason, 'county', 'complaint:' || c.id || ':' || c.esc_reason, c.id,
                                c.case_id, NULL, c.employer_id, c.project_code, c.workers_involved,
                                c.amount_owed_fen, c.esc_detail, c.received_at)
    FROM (
        SELECT n.*, r.reason AS esc_reason, r.detail AS esc_detail
        FROM new_rows n
        CROSS JOIN LATERAL (
            SELECT 'mass_incident_workers' AS reason, jsonb_build_object('workers', n.workers_involved) AS detail
            WHERE n.workers_involved >= ww_setting_int('e1_workers', 10)
            UNION ALL
            SELECT 'employer_absconded', '{}'::jsonb WHERE n.employer_absconded
            UNION ALL
            SELECT 'protest_keywords', jsonb_build_object('keywords', k.found)
            FROM (SELECT array_agg(kw) AS found FROM unnest(ww_protest_keywords()) kw
                  WHERE kw <> '' AND position(kw IN ww_normalise_text(coalesce(n.text, ''))) > 0) k
            WHERE k.found IS NOT NULL
            UNION ALL
            SELECT 'criminal_threshold', jsonb_build_object('amount_fen', n.amount_owed_fen, 'workers', n.workers_involved)
            WHERE (n.workers_involved >= ww_setting_int('criminal_workers', 10)
                   AND n.amount_owed_fen >= ww_setting_int('criminal_workers_fen', 4000000))
               OR (n.workers_involved = 1 AND n.amount_owed_fen >= ww_setting_int('criminal_one_worker_fen', 800000)
                   AND n.owed_since IS NOT NULL
                   AND n.owed_since <= (n.received_on - make_interval(months => ww_setting_int('criminal_months', 3)::integer))::date)
        ) r
        ORDER BY n.id, r.reason
    ) c;
    PERFORM ww_escalate_case(m.region_code, m.case_id, m.at)
    FROM (SELECT region_code, case_id, max(received_at) AS at FROM new_rows
          WHERE case_id IS NOT NULL GROUP BY region_code, case_id ORDER BY region_code, case_id) m;
    RETURN NULL;
END $$;

-- Complaints that join a case later (accepted into an open case, or merged by a decision).
CREATE FUNCTION ww_escalate_joined_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ww_escalate_case(m.region_code, m.case_id, now())
    FROM (SELECT DISTINCT n.region_code, n.case_id FROM new_rows n JOIN old_rows o ON o.region_code = n.region_code AND o.id = n.id
          WHERE n.case_id IS NOT NULL AND n.case_id IS DISTINCT FROM o.case_id ORDER BY 1, 2) m;
    RETURN NULL;
END $$;
CREATE TRIGGER complaints_escalate_joined AFTER UPDATE ON complaints
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_escalate_joined_cases();

-- Per-worker claims recorded on a case (C6).
CREATE FUNCTION ww_escalate_claimed_cases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ww_escalate_case(m.region_code, m.case_id, now())
    FROM (SELECT DISTINCT region_code, case_id FROM new_rows ORDER BY 1, 2) m;
    RETURN NULL;
END $$;
CREATE TRIGGER claims_escalate AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_escalate_claimed_cases();
