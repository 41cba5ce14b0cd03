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
    r record;
BEGIN
    IF ww_service_account() THEN
        RETURN NULL;
    END IF;
    v_actor := ww_actor();
    WITH days AS (SELECT DISTINCT received_on, decision_days FROM new_rows),
         dues AS (SELECT received_on, decision_days, ww_add_working_days(received_on, decision_days) AS due FROM days),
         groups AS (SELECT region_code, received_on, count(*) AS n FROM new_rows GROUP BY 1, 2),
         counted AS (SELECT g.region_code, g.received_on, g.n, c.last
                     FROM groups g LEFT JOIN complaint_counters c ON c.region_code = g.region_code AND c.day = g.received_on)
    SELECT n.number, n.created_by, n.status, n.outcome, n.decided_by, n.decision_due, u.due, n.received_on,
           (n.received_at AT TIME ZONE 'Asia/Shanghai')::date AS received_day, k.last, k.n,
           coalesce(CASE WHEN n.number ~ '^TS-[0-9]{8}-[0-9]{4,9}$' AND substr(n.number, 4, 8) = to_char(n.received_on, 'YYYYMMDD')
                         THEN substr(n.number, 13)::bigint END BETWEEN k.last - k.n + 1 AND k.last, false) AS counted INTO r
    FROM new_rows n JOIN dues u ON u.received_on = n.received_on AND u.decision_days = n.decision_days
    JOIN counted k ON k.region_code = n.region_code AND k.received_on = n.received_on
    WHERE n.created_by IS DISTINCT FROM v_actor
       OR n.decision_due IS DISTINCT FROM u.due
       OR n.received_on IS DISTINCT FROM (n.received_at AT TIME ZONE 'Asia/Shanghai')::date
       OR NOT coalesce(CASE WHEN n.number ~ '^TS-[0-9]{8}-[0-9]{4,9}$' AND substr(n.number, 4, 8) = to_char(n.received_on, 'YYYYMMDD')
                            THEN substr(n.number, 13)::bigint END BETWEEN k.last - k.n + 1 AND k.last, false)
       OR NOT (n.status = 'pending' AND n.outcome IS NULL AND n.case_id IS NULL AND n.decided_at IS NULL AND n.decided_by IS NULL
               OR n.status = 'decided' AND n.decided_by = 'system' AND n.decided_at = now()
                  AND (n.outcome = 'merged' AND n.case_id IS NOT NULL OR n.outcome = 'refused' AND n.reason = 'time_barred'))
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF r.created_by IS DISTINCT FROM v_actor THEN
        RAISE EXCEPTION 'created_by: "%" is not who files complaint % (%)', r.created_by, r.number, v_actor
            USING ERRCODE = '42501', HINT = 'denied';
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
