-- Escalations (SPEC E1–E4). Raised at once inside the transaction that causes them (E1), or by
-- a catch-up job that raises everything overdue as of now (E2); moved up a level when nobody
-- acknowledges them in time (E3); every raise and level change notifies on channel
-- wagewatch_escalation and writes an outbox row in the same transaction (E4).
--
-- The numbers come from the settings table (sql/0002_settings.sql), written from the
-- configuration; a missing one is an error, never a default of the SQL's own.

DROP FUNCTION IF EXISTS ww_setting_int(text, bigint);

CREATE OR REPLACE FUNCTION ww_setting(p_key text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE v_value text;
BEGIN
    SELECT value INTO v_value FROM settings WHERE key = p_key;
    IF v_value IS NULL THEN
        RAISE EXCEPTION 'the setting % is missing from the database', p_key
            USING ERRCODE = '55000', HINT = 'run: wagewatch db migrate (it writes the settings from the configuration)';
    END IF;
    RETURN v_value;
END $$;

CREATE OR REPLACE FUNCTION ww_setting_int(p_key text) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT ww_setting(p_key)::bigint
$$;

-- The E1 protest keywords, normalised as ww_normalise_text normalises the text, '|'-separated.
CREATE OR REPLACE FUNCTION ww_protest_keywords() RETURNS text[] LANGUAGE sql STABLE AS $$
    SELECT string_to_array(ww_setting('keywords'), '|')
$$;

-- Writes the settings (an object of key → text); only a role that may write the settings table
-- (an administrator, the owner) can.
CREATE OR REPLACE FUNCTION ww_store_settings(p_settings jsonb) RETURNS integer LANGUAGE sql AS $$
    WITH written AS (
        INSERT INTO settings (key, value)
        SELECT key, value FROM jsonb_each_text(p_settings) ORDER BY key
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
            WHERE settings.value IS DISTINCT FROM excluded.value
        RETURNING 1
    )
    SELECT count(*)::integer FROM written
$$;

-- R7 and E1: the province's criminal threshold (拒不支付劳动报酬罪): at least N workers owed F
-- together, or one worker owed F1 for M months. The one definition: intake, case escalation, rule
-- R7 and the blacklisting gate (S2) all ask ww_at_criminal_threshold. Its numbers come from the
-- settings, read once per statement with ww_criminal_threshold_settings().
CREATE OR REPLACE FUNCTION ww_criminal_threshold_settings() RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('workers', ww_setting_int('criminal_workers'),
                              'workers_fen', ww_setting_int('criminal_workers_fen'),
                              'one_worker_fen', ww_setting_int('criminal_one_worker_fen'),
                              'months', ww_setting_int('criminal_months'))
$$;

-- (numeric, so that sums over bigint columns can be passed as they are)
-- p_workers owed p_outstanding_fen together; the most one of them is owed, p_one_worker_fen,
-- unpaid since p_one_worker_since (NULL: not known, which never meets the months), as of p_on.
CREATE OR REPLACE FUNCTION ww_at_criminal_threshold(
    p_threshold jsonb, p_workers numeric, p_outstanding_fen numeric, p_one_worker_fen numeric,
    p_one_worker_since date, p_on date) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce((p_workers >= (p_threshold->>'workers')::numeric
                     AND p_outstanding_fen >= (p_threshold->>'workers_fen')::numeric)
                    OR (p_one_worker_fen >= (p_threshold->>'one_worker_fen')::numeric
                        AND p_one_worker_since <= (p_on - make_interval(months => (p_threshold->>'months')::integer))::date),
                    false)
$$;

-- Text as the keyword list is matched: full-width forms folded to ASCII, the ideographic space
-- and all white space removed.
CREATE OR REPLACE FUNCTION ww_normalise_text(p text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT regexp_replace(
        translate(p,
            '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　',
            '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~ '),
        '\s+', '', 'g')
$$;

-- Notifies and records one event of an escalation (E4): pg_notify is delivered at commit, the
-- outbox row is the durable record a delivery job sends on.
-- The event's JSON (SPEC §5's escalation, with the event's name): the one shape pg_notify, the
-- outbox and the delivery job carry. It is built from the escalation's columns, not from
-- to_jsonb of its row (the earlier form, dropped here): building and taking apart a whole row's
-- JSON cost three times as much for each of a large import's escalations. STABLE (a timestamptz
-- is written in the session's time zone), so that it is inlined.
DROP FUNCTION IF EXISTS ww_escalation_payload(jsonb, text, text, text);
CREATE OR REPLACE FUNCTION ww_escalation_payload(
    p_event text, p_id bigint, p_region text, p_level text, p_reason text, p_mass_incident boolean, p_status text,
    p_complaint bigint, p_case bigint, p_flag bigint, p_employer_name text, p_employer_uscc text, p_project text,
    p_workers integer, p_amount bigint, p_raised_at timestamptz)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('event', p_event, 'id', p_id::text, 'region_code', p_region,
                              'level', p_level, 'reason', p_reason, 'mass_incident', p_mass_incident,
                              'status', p_status, 'complaint_id', p_complaint::text,
                              'case_id', p_case::text, 'flag_id', p_flag::text,
                              'employer_name', p_employer_name, 'employer_uscc', p_employer_uscc,
                              'project_code', p_project, 'workers_involved', p_workers,
                              'amount_fen', p_amount, 'raised_at', p_raised_at)
$$;

CREATE OR REPLACE FUNCTION ww_escalation_event(p_region text, p_id bigint, p_event text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE v_payload jsonb;
BEGIN
    SELECT ww_escalation_payload(p_event, e.id, e.region_code, e.level, e.reason, e.mass_incident, e.status,
                                 e.complaint_id, e.case_id, e.flag_id, m.name, m.uscc, e.project_code,
                                 e.workers_involved, e.amount_fen, e.raised_at) INTO v_payload
    FROM escalations e LEFT JOIN employers m ON m.region_code = e.region_code AND m.id = e.employer_id
    WHERE e.region_code = p_region AND e.id = p_id;
    INSERT INTO escalation_outbox (region_code, escalation_id, event, payload) VALUES (p_region, p_id, p_event, v_payload);
    PERFORM pg_notify('wagewatch_escalation', v_payload::text);
END $$;

-- Raises an escalation once per dedupe key; returns its id, or NULL when it already existed.
CREATE OR REPLACE FUNCTION ww_raise_escalation(
    p_region text, p_reason text, p_level text, p_dedupe text, p_complaint bigint, p_case bigint, p_flag bigint,
    p_employer bigint, p_project text, p_workers integer, p_amount bigint, p_detail jsonb, p_at timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE v_id bigint;
BEGIN
    INSERT INTO escalations (region_code, reason, mass_incident, level, dedupe_key, complaint_id, case_id, flag_id,
                             employer_id, project_code, workers_involved, amount_fen, detail, raised_at, level_since)
    VALUES (p_region, p_reason,
            p_reason IN ('mass_incident_workers', 'employer_absconded', 'protest_keywords', 'criminal_threshold'),
            p_level, p_dedupe, p_complaint, p_case, p_flag, p_employer, p_project, p_workers, p_amount, p_detail, p_at, p_at)
    ON CONFLICT (region_code, dedupe_key) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NOT NULL THEN
        INSERT INTO escalation_levels (region_code, escalation_id, from_level, to_level, at)
        VALUES (p_region, v_id, NULL, p_level, p_at);
        PERFORM ww_escalation_event(p_region, v_id, 'raised');
    END IF;
    RETURN v_id;
END $$;

-- E1 at intake: in the same statement that stores the complaints, so a complaint is never
-- stored without its escalation. One escalation per complaint and reason, then the cases the
-- complaints joined (a case can cross a threshold that no complaint crosses alone); all go to
-- county.
CREATE OR REPLACE FUNCTION ww_escalate_new_complaints() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    -- Read once per statement, not once per complaint.
    v_e1_workers bigint := ww_setting_int('e1_workers');
    v_keywords text[] := ww_protest_keywords();
    v_criminal jsonb := ww_criminal_threshold_settings();
    v_notified bigint;
BEGIN
    -- Set-based: one INSERT per table for the whole statement (raising them one call at a time
    -- cost 80 % of a large complaints import), then one notification per event in id order.
    WITH wanted AS (
        SELECT n.region_code, n.id, n.case_id, n.employer_id, n.project_code, n.workers_involved,
               n.amount_owed_fen, n.received_at, r.reason, r.detail
        FROM new_rows n
        -- The text normalised once per complaint, not once per keyword: OFFSET 0 keeps the planner
        -- from pulling the subquery up and repeating the normalisation in every keyword's test
        -- (which made this test 60 % of raising a large import's escalations).
        CROSS JOIN LATERAL (SELECT ww_normalise_text(coalesce(n.text, '')) AS text OFFSET 0) t
        CROSS JOIN LATERAL (
            SELECT 'mass_incident_workers' AS reason, jsonb_build_object('workers', n.workers_involved) AS detail
            WHERE n.workers_involved >= v_e1_workers
            UNION ALL
            SELECT 'employer_absconded', '{}'::jsonb WHERE n.employer_absconded
            UNION ALL
            SELECT 'protest_keywords', jsonb_build_object('keywords', k.found)
            FROM (SELECT array_agg(kw) AS found FROM unnest(v_keywords) kw
                  WHERE kw <> '' AND t.text <> '' AND position(kw IN t.text) > 0) k
            WHERE k.found IS NOT NULL
            UNION ALL
            SELECT 'criminal_threshold', jsonb_build_object('amount_fen', n.amount_owed_fen, 'workers', n.workers_involved)
            -- A complaint knows one worker's arrears only when it is about one worker.
            WHERE ww_at_criminal_threshold(v_criminal, n.workers_involved, n.amount_owed_fen,
                                           CASE WHEN n.workers_involved = 1 THEN n.amount_owed_fen ELSE 0 END,
                                           n.owed_since, n.received_on)
        ) r
    ),
    raised AS (
        INSERT INTO escalations (region_code, reason, mass_incident, level, dedupe_key, complaint_id, case_id, flag_id,
                                 employer_id, project_code, workers_involved, amount_fen, detail, raised_at, level_since)
        SELECT w.region_code, w.reason, true, 'county', 'complaint:' || w.id || ':' || w.reason, w.id, w.case_id, NULL,
               w.employer_id, w.project_code, w.workers_involved, w.amount_owed_fen, w.detail, w.received_at, w.received_at
        FROM wanted w
        ORDER BY w.id, w.reason
        ON CONFLICT (region_code, dedupe_key) DO NOTHING
        RETURNING *
    ),
    levels AS (
        INSERT INTO escalation_levels (region_code, escalation_id, from_level, to_level, at)
        SELECT e.region_code, e.id, NULL, e.level, e.raised_at FROM raised e ORDER BY e.id
    ),
    events AS (
        INSERT INTO escalation_outbox (region_code, escalation_id, event, payload)
        SELECT e.region_code, e.id, 'raised',
               ww_escalation_payload('raised', e.id, e.region_code, e.level, e.reason, e.mass_incident, e.status,
                                     e.complaint_id, e.case_id, e.flag_id, m.name, m.uscc, e.project_code,
                                     e.workers_involved, e.amount_fen, e.raised_at)
        FROM raised e LEFT JOIN employers m ON m.region_code = e.region_code AND m.id = e.employer_id
        ORDER BY e.id
        RETURNING id, payload
    )
    SELECT count(pg_notify('wagewatch_escalation', o.payload::text)) INTO v_notified
    FROM (SELECT id, payload FROM events ORDER BY id) o;
    PERFORM ww_escalate_case(m.region_code, m.case_id, m.at)
    FROM (SELECT region_code, case_id, max(received_at) AS at FROM new_rows
          WHERE case_id IS NOT NULL GROUP BY region_code, case_id ORDER BY region_code, case_id) m;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ww_escalate_case(p_region text, p_case bigint, p_at timestamptz) RETURNS integer
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
        WHERE t.workers_involved >= ww_setting_int('e1_workers')
        UNION ALL
        SELECT 'criminal_threshold',
               jsonb_build_object('amount_fen', t.owed_fen - t.recovered_fen, 'workers', t.workers_involved)
        -- The case's totals say nothing of one worker's arrears or since when.
        WHERE ww_at_criminal_threshold(ww_criminal_threshold_settings(), t.workers_involved,
                                       t.owed_fen - t.recovered_fen, 0, NULL, NULL)
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

-- Complaints that join a case later (accepted into an open case, or merged by a decision).
CREATE OR REPLACE FUNCTION ww_escalate_joined_cases() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM ww_escalate_case(m.region_code, m.case_id, now())
    FROM (SELECT DISTINCT n.region_code, n.case_id FROM new_rows n JOIN old_rows o ON o.region_code = n.region_code AND o.id = n.id
          WHERE n.case_id IS NOT NULL AND n.case_id IS DISTINCT FROM o.case_id ORDER BY 1, 2) m;
    RETURN NULL;
END $$;

-- Per-worker claims recorded on a case (C6).
CREATE OR REPLACE FUNCTION ww_escalate_claimed_cases() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    PERFORM ww_escalate_case(m.region_code, m.case_id, now())
    FROM (SELECT DISTINCT region_code, case_id FROM new_rows ORDER BY 1, 2) m;
    RETURN NULL;
END $$;

-- E2 and E3, as a catch-up: everything overdue as of p_now is raised once (a job that did not
-- run for a week raises all it missed), and every open escalation nobody acknowledged in time
-- moves up one level per period missed. Returns how many were raised and moved.
CREATE OR REPLACE FUNCTION ww_escalation_catch_up(p_now timestamptz)
RETURNS TABLE (o_raised bigint, o_promoted bigint, o_reminded bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_today date := (p_now AT TIME ZONE 'Asia/Shanghai')::date;
    v_raised bigint := 0;
    v_promoted bigint := 0;
    v_reminded bigint := 0;
    r record;
    v_next timestamptz;
    v_level text;
BEGIN
    -- C2: acceptance decisions overdue.
    SELECT v_raised + count(ww_raise_escalation(c.region_code, 'decision_overdue', 'township', 'decision:' || c.id,
                                                 c.id, NULL, NULL, c.employer_id, c.project_code, c.workers_involved,
                                                 c.amount_owed_fen, jsonb_build_object('due', c.decision_due), p_now))
      INTO v_raised
    FROM complaints c WHERE c.status = 'pending' AND c.decision_due < v_today;
    -- C5: investigations overdue (the due date already counts an approved extension).
    SELECT v_raised + count(ww_raise_escalation(c.region_code, 'investigation_overdue', 'township', 'investigation:' || c.id,
                                                 NULL, c.id, NULL, c.employer_id, c.project_code, t.workers_involved,
                                                 t.owed_fen - t.recovered_fen, jsonb_build_object('due', c.investigation_due), p_now))
      INTO v_raised
    FROM cases c JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.id
    WHERE c.status = 'open' AND c.investigation_due < v_today;
    -- Red flags unreviewed after N working days.
    SELECT v_raised + count(ww_raise_escalation(f.region_code, 'flag_unreviewed', 'township', 'flag:' || f.id,
                                                 NULL, NULL, f.id, f.employer_id, p.code, NULL, NULL,
                                                 jsonb_build_object('rule', f.rule, 'raised_on', f.raised_on), p_now))
      INTO v_raised
    FROM flags f LEFT JOIN projects p ON p.region_code = f.region_code AND p.id = f.project_id
    WHERE f.status = 'open' AND f.severity = 'red'
      AND ww_add_working_days((f.raised_at AT TIME ZONE 'Asia/Shanghai')::date,
                              ww_setting_int('flag_review_days')::integer) < v_today;
    -- E3: unacknowledged escalations move up one level per period missed; at county, a mass
    -- incident gets a reminder each hour instead.
    FOR r IN SELECT * FROM escalations WHERE status = 'open' ORDER BY id FOR UPDATE LOOP
        v_level := r.level;
        v_next := r.level_since;
        LOOP
            IF r.mass_incident THEN
                v_next := v_next + make_interval(mins => ww_setting_int('mass_ack_minutes')::integer);
            ELSE
                v_next := (ww_add_working_days((v_next AT TIME ZONE 'Asia/Shanghai')::date,
                                               ww_setting_int('ack_working_days')::integer)
                           + ((v_next AT TIME ZONE 'Asia/Shanghai')::time)) AT TIME ZONE 'Asia/Shanghai';
            END IF;
            EXIT WHEN v_next > p_now;
            IF v_level = 'county' THEN
                IF r.mass_incident AND NOT EXISTS (
                        SELECT 1 FROM escalation_outbox o WHERE o.escalation_id = r.id AND o.event = 'reminder'
                          AND o.created_at >= p_now - interval '1 hour') THEN
                    PERFORM ww_escalation_event(r.region_code, r.id, 'reminder');
                    v_reminded := v_reminded + 1;
                END IF;
                EXIT;
            END IF;
            INSERT INTO escalation_levels (region_code, escalation_id, from_level, to_level, at)
            VALUES (r.region_code, r.id, v_level, CASE v_level WHEN 'township' THEN 'bureau' ELSE 'county' END, v_next);
            v_level := CASE v_level WHEN 'township' THEN 'bureau' ELSE 'county' END;
            UPDATE escalations SET level = v_level, level_since = v_next WHERE region_code = r.region_code AND id = r.id;
            PERFORM ww_escalation_event(r.region_code, r.id, 'level_changed');
            v_promoted := v_promoted + 1;
        END LOOP;
    END LOOP;
    RETURN QUERY SELECT v_raised, v_promoted, v_reminded;
END $$;
