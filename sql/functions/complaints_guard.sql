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
