-- What the hotline recorded is what was said on the call (issue 21, finding 4): after intake a
-- complaint's facts never change, its decision deadline only follows the calendar, and it is
-- decided once, by an inspector or an administrator (or the service account), as themselves and
-- at the time it happens. The CHECKs of the table hold the outcome's own rules.
CREATE OR REPLACE FUNCTION ww_complaint_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- The service account (a superuser session: cron, tests, the demo) records the clock it is
    -- given, as ww_clock allows; acting for someone (--as), it is held to that person's role.
    v_super boolean := ww_superuser_session();
    v_service boolean := ww_service_account();
BEGIN
    IF (NEW.region_code, NEW.id, NEW.number, NEW.received_at, NEW.received_on, NEW.channel, NEW.caller_name, NEW.caller_phone,
        NEW.employer_id, NEW.employer_uscc, NEW.employer_name, NEW.project_code, NEW.workers_involved, NEW.amount_owed_fen,
        NEW.owed_since, NEW.owed_until, NEW.employer_absconded, NEW.text, NEW.decision_days, NEW.created_by)
       IS DISTINCT FROM
       (OLD.region_code, OLD.id, OLD.number, OLD.received_at, OLD.received_on, OLD.channel, OLD.caller_name, OLD.caller_phone,
        OLD.employer_id, OLD.employer_uscc, OLD.employer_name, OLD.project_code, OLD.workers_involved, OLD.amount_owed_fen,
        OLD.owed_since, OLD.owed_until, OLD.employer_absconded, OLD.text, OLD.decision_days, OLD.created_by) THEN
        RAISE EXCEPTION 'complaint %: what was recorded at intake never changes', OLD.number
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF NEW.decision_due IS DISTINCT FROM OLD.decision_due
       AND NEW.decision_due IS DISTINCT FROM ww_add_working_days(NEW.received_on, NEW.decision_days) THEN
        RAISE EXCEPTION 'decision_due: "%" is not % working days after %: the deadline follows the calendar only',
            NEW.decision_due, NEW.decision_days, NEW.received_on USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF (NEW.status, NEW.outcome, NEW.reason, NEW.referred_to, NEW.case_id, NEW.decided_at, NEW.decided_by)
       IS NOT DISTINCT FROM (OLD.status, OLD.outcome, OLD.reason, OLD.referred_to, OLD.case_id, OLD.decided_at, OLD.decided_by) THEN
        RETURN NEW;
    END IF;
    IF OLD.status <> 'pending' THEN
        RAISE EXCEPTION 'complaint % was already decided (%); a decision is recorded once', OLD.number, OLD.outcome
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF NOT v_service THEN
        IF NOT (pg_has_role(ww_actor(), 'wagewatch_inspector', 'MEMBER') OR pg_has_role(ww_actor(), 'wagewatch_admin', 'MEMBER')) THEN
            RAISE EXCEPTION 'complaint %: only an inspector or an administrator decides a complaint', OLD.number
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        IF NEW.decided_by IS DISTINCT FROM ww_actor() THEN
            RAISE EXCEPTION 'decided_by: "%" is not who decides it (%)', NEW.decided_by, ww_actor()
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
    END IF;
    IF NOT v_super THEN
        NEW.decided_at := now();
    END IF;
    RETURN NEW;
END $$;

-- A complaint is filed as what intake writes (issue 21): by the person filing it, pending, or
-- decided at once only as intake decides (merged into an open case, refused as time-barred: by
-- 'system', at the transaction's time), with the calendar's deadline, on the day it was received
-- (Asia/Shanghai) and under the numbers its counter has just given out: the last N of that region
-- and day for the N complaints of the statement (ww_take_complaint_numbers), so a login's own
-- INSERT can neither choose a number nor take one the hotline will be given next. A hotline
-- login's own INSERT cannot name another person as its writer or come decided. Checked once per
-- statement, over its rows, so an import of a million lines pays one pass (the deadline once per
-- day, the counter once per region and day).
CREATE OR REPLACE FUNCTION ww_complaint_insert_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_actor text;
    v_days integer;
    v_bar integer;
    v_merge integer;
    r record;
BEGIN
    IF ww_service_account() THEN
        RETURN NULL;
    END IF;
    v_actor := ww_actor();
    v_days := ww_setting_int('decision_days');
    v_bar := ww_setting_int('time_bar_months');
    v_merge := ww_setting_int('merge_window_days');
    WITH days AS (SELECT DISTINCT received_on, decision_days FROM new_rows),
         dues AS (SELECT received_on, decision_days, ww_add_working_days(received_on, decision_days) AS due FROM days),
         groups AS (SELECT region_code, received_on, count(*) AS n FROM new_rows GROUP BY 1, 2),
         counted AS (SELECT g.region_code, g.received_on, g.n, c.last
                     FROM groups g LEFT JOIN complaint_counters c ON c.region_code = g.region_code AND c.day = g.received_on)
    -- Each check once per row, as a column; the first row that fails one is the refusal.
    SELECT * INTO r FROM (
        SELECT n.number, n.created_by, n.status, n.outcome, n.decided_by, n.decision_due, u.due, n.received_on, n.decision_days,
               (n.received_at AT TIME ZONE 'Asia/Shanghai')::date AS received_day, k.last, k.n,
               coalesce(CASE WHEN n.number ~ '^TS-[0-9]{8}-[0-9]{4,9}$' AND substr(n.number, 4, 8) = to_char(n.received_on, 'YYYYMMDD')
                             THEN substr(n.number, 13)::bigint END BETWEEN k.last - k.n + 1 AND k.last, false) AS counted,
               (n.status = 'pending' AND n.outcome IS NULL AND n.case_id IS NULL AND n.decided_at IS NULL AND n.decided_by IS NULL
                OR n.status = 'decided' AND n.decided_by = 'system' AND n.decided_at = now()
                   AND (n.outcome = 'merged' AND n.case_id IS NOT NULL OR n.outcome = 'refused' AND n.reason = 'time_barred'))
                   AS as_intake_files,
               -- C3: refused at intake only when time-barred; C4: merged only into the case it joins.
               CASE WHEN n.outcome = 'refused'
                    THEN NOT coalesce(n.owed_until < (n.received_on - make_interval(months => v_bar))::date, false)
                    ELSE false END AS not_barred,
               CASE WHEN n.outcome = 'merged'
                    THEN n.case_id IS DISTINCT FROM ww_case_to_join(n.region_code, n.employer_id, n.project_code, n.received_at, v_merge)
                    ELSE false END AS not_joinable
        FROM new_rows n JOIN dues u ON u.received_on = n.received_on AND u.decision_days = n.decision_days
        JOIN counted k ON k.region_code = n.region_code AND k.received_on = n.received_on
    ) c
    WHERE c.created_by IS DISTINCT FROM v_actor
       OR c.decision_days IS DISTINCT FROM v_days
       OR c.decision_due IS DISTINCT FROM c.due
       OR c.received_on IS DISTINCT FROM c.received_day
       OR NOT c.counted
       OR NOT c.as_intake_files
       OR c.not_barred
       OR c.not_joinable
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF r.created_by IS DISTINCT FROM v_actor THEN
        RAISE EXCEPTION 'created_by: "%" is not who files complaint % (%)', r.created_by, r.number, v_actor
            USING ERRCODE = '42501', HINT = 'denied';
    ELSIF r.decision_days IS DISTINCT FROM v_days THEN
        RAISE EXCEPTION 'decision_days: "%" is not the configured % working days for complaint %', r.decision_days, v_days, r.number
            USING ERRCODE = '42501', HINT = 'denied';
    ELSIF r.not_barred THEN
        RAISE EXCEPTION 'complaint %: refused as time-barred, but what it reports ended within % months of its receipt', r.number, v_bar
            USING ERRCODE = '42501', HINT = 'denied';
    ELSIF r.not_joinable THEN
        RAISE EXCEPTION 'complaint %: filed as merged into a case it does not join (C4: the employer''s open case about the project within % days)',
            r.number, v_merge USING ERRCODE = '42501', HINT = 'denied';
    ELSIF r.decision_due IS DISTINCT FROM r.due THEN
        RAISE EXCEPTION 'decision_due: "%" is not the calendar''s deadline % for complaint %', r.decision_due, r.due, r.number
            USING ERRCODE = 'P0001', HINT = 'invalid';
    ELSIF r.received_on IS DISTINCT FROM r.received_day THEN
        RAISE EXCEPTION 'received_on: "%" is not the day complaint % was received (%)', r.received_on, r.number, r.received_day
            USING ERRCODE = 'P0001', HINT = 'invalid';
    ELSIF NOT r.counted THEN
        RAISE EXCEPTION 'number: "%" is not given by the counter of % (its last % numbers up to %): a complaint''s number is the counter''s',
            r.number, r.received_on, r.n, coalesce(r.last::text, 'none yet') USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    RAISE EXCEPTION 'complaint %: filed as % (%) by %: a complaint is filed pending, or decided at intake only as intake decides',
        r.number, r.status, coalesce(r.outcome, '-'), coalesce(r.decided_by, '-') USING ERRCODE = '42501', HINT = 'denied';
END $$;

-- ───── The decision's door (issue 21, "writes only through doors"; SPEC C1, C4, C5) ─────
-- Inspectors and administrators hold no UPDATE on complaints (sql/0015_decision_pay_sanction_doors.sql):
-- a complaint is decided once, through this function, which runs as the schema's owner and checks
-- who may (ww_door_scope: the EXECUTE grant, the invoker's users row, role, group and region), that
-- the complaint is still pending, the outcome's own rule (a refusal's reason, a referral's target,
-- a merge into an open case of the same region), and stamps who decided and when: the acting role
-- and the database's clock, never before the complaint was received. An acceptance joins the
-- employer's open case about the same project within the merge window (C4) or opens one with
-- C5's investigation deadline; both numbers come from the settings table, not from the caller.
-- `p_today` and `p_at` are kept only for the service account (tests, the demo's pinned clock).
-- Returns the case the complaint is now part of (NULL for a refusal or a referral).
CREATE OR REPLACE FUNCTION ww_decide_complaint(p_region text, p_id bigint, p_outcome text, p_note text DEFAULT NULL,
                                               p_case bigint DEFAULT NULL, p_today date DEFAULT NULL, p_at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], format('complaint %s: %%s do not decide complaints', p_id));
    v_c record;
    v_case bigint;
    v_status text;
    v_at timestamptz := ww_clock(p_at);
    v_today date := CASE WHEN p_today IS NOT NULL AND ww_superuser_session() THEN p_today
                         ELSE (now() AT TIME ZONE 'Asia/Shanghai')::date END;
    v_note text := nullif(btrim(coalesce(p_note, '')), '');
    v_days integer;
BEGIN
    SELECT k.number, k.status, k.outcome, k.received_at, k.employer_id, k.project_code, k.employer_absconded INTO v_c
    FROM complaints k WHERE k.region_code = p_region AND k.id = p_id FOR UPDATE;
    IF NOT FOUND OR (v_scope IS NOT NULL AND v_scope NOT IN ('*', p_region)) THEN
        RAISE EXCEPTION 'no complaint %', p_id USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF v_c.status <> 'pending' THEN
        RAISE EXCEPTION 'complaint % was already decided (%); a decision is recorded once', v_c.number, v_c.outcome
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF v_at < v_c.received_at THEN
        RAISE EXCEPTION 'decided_at: "%" is before complaint % was received (%)', v_at, v_c.number, v_c.received_at
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    CASE p_outcome
    WHEN 'accepted' THEN
        v_case := ww_case_to_join(p_region, v_c.employer_id, v_c.project_code, v_c.received_at,
                                  ww_setting_int('merge_window_days')::integer);
        IF v_case IS NOT NULL THEN
            SELECT c.status INTO v_status FROM cases c WHERE c.region_code = p_region AND c.id = v_case FOR UPDATE;
            IF v_status IS DISTINCT FROM 'open' THEN
                v_case := NULL;
            END IF;
        END IF;
        IF v_case IS NULL THEN
            v_days := ww_setting_int('investigation_days')::integer;
            INSERT INTO cases (region_code, employer_id, project_code, accepted_on, investigation_days, investigation_due,
                               employer_absconded)
            VALUES (p_region, v_c.employer_id, v_c.project_code, v_today, v_days, ww_add_working_days(v_today, v_days),
                    v_c.employer_absconded)
            RETURNING id INTO v_case;
        END IF;
    WHEN 'merged' THEN
        IF p_case IS NULL THEN
            RAISE EXCEPTION 'case: a merge names the open case the complaint joins' USING ERRCODE = 'P0001', HINT = 'invalid';
        END IF;
        SELECT c.status INTO v_status FROM cases c WHERE c.region_code = p_region AND c.id = p_case FOR UPDATE;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no case % in region %', p_case, p_region USING ERRCODE = 'P0001', HINT = 'not_found';
        END IF;
        IF v_status <> 'open' THEN
            RAISE EXCEPTION 'case % is closed; a complaint can only join an open case', p_case USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        v_case := p_case;
    WHEN 'refused' THEN
        IF v_note IS NULL THEN
            RAISE EXCEPTION 'refuse: a reason is required' USING ERRCODE = 'P0001', HINT = 'invalid';
        END IF;
    WHEN 'referred' THEN
        IF v_note IS NULL THEN
            RAISE EXCEPTION 'refer: a target is required (arbitration, court or another jurisdiction)'
                USING ERRCODE = 'P0001', HINT = 'invalid';
        END IF;
    ELSE
        RAISE EXCEPTION 'decision: "%" is not one of accepted, merged, refused, referred', p_outcome
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END CASE;
    UPDATE complaints
    SET status = 'decided', outcome = p_outcome, case_id = v_case,
        reason = CASE WHEN p_outcome = 'refused' THEN v_note END,
        referred_to = CASE WHEN p_outcome = 'referred' THEN v_note END,
        decided_at = v_at, decided_by = ww_actor()
    WHERE region_code = p_region AND id = p_id;
    RETURN v_case;
END $$;
