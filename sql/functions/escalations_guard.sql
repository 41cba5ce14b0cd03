-- An escalation's acknowledgement and resolution are the acting person's, in their own region,
-- at the database's time (issue 21, finding 5): acknowledged_by and resolved_by are the acting
-- role; officials acknowledge, inspectors and administrators resolve (with a resolution); what
-- raised the escalation never changes; a level moves up only in the catch-up job (the service
-- account or an administrator); a resolved escalation stays resolved. The service account (a
-- superuser session) records the clock it is given, as ww_clock allows.
CREATE OR REPLACE FUNCTION ww_escalation_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_super boolean := ww_superuser_session();
    v_service boolean := ww_service_account();
    v_actor text := ww_actor();
BEGIN
    IF (NEW.region_code, NEW.id, NEW.reason, NEW.mass_incident, NEW.dedupe_key, NEW.complaint_id, NEW.case_id, NEW.flag_id,
        NEW.employer_id, NEW.project_code, NEW.workers_involved, NEW.amount_fen, NEW.detail, NEW.raised_at)
       IS DISTINCT FROM
       (OLD.region_code, OLD.id, OLD.reason, OLD.mass_incident, OLD.dedupe_key, OLD.complaint_id, OLD.case_id, OLD.flag_id,
        OLD.employer_id, OLD.project_code, OLD.workers_involved, OLD.amount_fen, OLD.detail, OLD.raised_at) THEN
        RAISE EXCEPTION 'escalation %: what raised it never changes', OLD.id USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF NOT v_service AND (SELECT ww_my_scope()) IS DISTINCT FROM '*' AND (SELECT ww_my_scope()) IS DISTINCT FROM OLD.region_code THEN
        RAISE EXCEPTION 'escalation % is of region %, not yours', OLD.id, OLD.region_code USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF (NEW.level, NEW.level_since) IS DISTINCT FROM (OLD.level, OLD.level_since)
       AND NOT (v_service OR pg_has_role(v_actor, 'wagewatch_admin', 'MEMBER')) THEN
        RAISE EXCEPTION 'escalation %: its level moves only in the catch-up job', OLD.id USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF OLD.status = 'resolved' AND NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'escalation % is already resolved', OLD.id USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF OLD.acknowledged_by IS NOT NULL
       AND (NEW.acknowledged_by, NEW.acknowledged_at) IS DISTINCT FROM (OLD.acknowledged_by, OLD.acknowledged_at) THEN
        RAISE EXCEPTION 'escalation % was acknowledged by % already', OLD.id, OLD.acknowledged_by
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF OLD.acknowledged_by IS NULL AND NEW.acknowledged_by IS NOT NULL THEN
        IF NOT v_service AND NEW.acknowledged_by IS DISTINCT FROM v_actor THEN
            RAISE EXCEPTION 'acknowledged_by: "%" is not who acknowledges it (%)', NEW.acknowledged_by, v_actor
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        IF NOT v_super THEN NEW.acknowledged_at := now(); END IF;
    END IF;
    IF NEW.status = 'resolved' AND OLD.status <> 'resolved' THEN
        IF NOT v_service AND NOT (pg_has_role(v_actor, 'wagewatch_inspector', 'MEMBER') OR pg_has_role(v_actor, 'wagewatch_admin', 'MEMBER')) THEN
            RAISE EXCEPTION 'escalation %: inspectors and administrators resolve escalations; officials acknowledge them', OLD.id
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        IF coalesce(btrim(NEW.resolution), '') = '' THEN
            RAISE EXCEPTION 'reason: "" is required to resolve an escalation' USING ERRCODE = 'P0001', HINT = 'invalid';
        END IF;
        NEW.resolved_by := v_actor;
        IF NOT v_super THEN
            NEW.resolved_at := now();
            NEW.acknowledged_at := coalesce(OLD.acknowledged_at, now());
        END IF;
    ELSIF NEW.resolved_by IS DISTINCT FROM OLD.resolved_by OR NEW.resolved_at IS DISTINCT FROM OLD.resolved_at
          OR NEW.resolution IS DISTINCT FROM OLD.resolution THEN
        RAISE EXCEPTION 'escalation %: a resolution is recorded only when it is resolved', OLD.id
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN NEW;
END $$;
