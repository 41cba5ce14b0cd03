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
    v_scope text;
BEGIN
    IF (NEW.region_code, NEW.id, NEW.reason, NEW.mass_incident, NEW.dedupe_key, NEW.complaint_id, NEW.case_id, NEW.flag_id,
        NEW.employer_id, NEW.project_code, NEW.workers_involved, NEW.amount_fen, NEW.detail, NEW.raised_at)
       IS DISTINCT FROM
       (OLD.region_code, OLD.id, OLD.reason, OLD.mass_incident, OLD.dedupe_key, OLD.complaint_id, OLD.case_id, OLD.flag_id,
        OLD.employer_id, OLD.project_code, OLD.workers_involved, OLD.amount_fen, OLD.detail, OLD.raised_at) THEN
        RAISE EXCEPTION 'escalation %: what raised it never changes', OLD.id USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    -- The acting person's scope, as ww_my_scope() but asked of the invoker: inside the doors
    -- below (SECURITY DEFINER) current_user is the owner, not the person.
    IF NOT v_service THEN
        v_scope := (SELECT coalesce(u.region_code, '*') FROM users u WHERE u.name = ww_invoker());
    END IF;
    IF NOT v_service AND v_scope IS DISTINCT FROM '*' AND v_scope IS DISTINCT FROM OLD.region_code THEN
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

-- The doors of an escalation's acknowledgement and resolution (issue 21): the only way anyone
-- but the catch-up job (an administrator or the service account) changes an escalation. They run
-- as the schema's owner and check what the grants and row security checked before: who may
-- (officials, inspectors and administrators acknowledge; inspectors and administrators resolve:
-- the EXECUTE grants, and the user's row and group here), in their own region, the transition
-- (open → acknowledged; open or acknowledged → resolved, with a resolution), the acting person
-- (ww_actor; only the service account records the acknowledger it is given) and the time
-- (ww_clock: the database's, or the service account's pinned clock). ww_escalation_guard, which
-- the UPDATE fires, holds the same rules for the administrators' own UPDATEs. Each returns the
-- escalation's region.

-- The escalation a door works on, locked, once the invoker may: its region and status.
CREATE OR REPLACE FUNCTION ww_escalation_for_door(p_id bigint, p_roles text[], p_doing text,
                                                  OUT o_region text, OUT o_status text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(p_roles, format('escalation %s: %%s do not %s', p_id, p_doing));
    v_e record;
BEGIN
    SELECT e.region_code, e.status INTO v_e FROM escalations e WHERE e.id = p_id FOR UPDATE;
    IF NOT FOUND OR (v_scope IS NOT NULL AND v_scope NOT IN ('*', v_e.region_code)) THEN
        -- Another region's escalation is not there for them (row security hides it too).
        RAISE EXCEPTION 'no escalation %', p_id USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    o_region := v_e.region_code;
    o_status := v_e.status;
END $$;
REVOKE ALL ON FUNCTION ww_escalation_for_door(bigint, text[], text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION ww_acknowledge_escalation(p_id bigint, p_at timestamptz DEFAULT NULL, p_by text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_actor text := ww_actor();
    v_by text := v_actor;
    v_e record;
BEGIN
    IF ww_service_account() THEN
        v_by := coalesce(p_by, v_actor);
    ELSIF p_by IS NOT NULL AND p_by IS DISTINCT FROM v_actor THEN
        RAISE EXCEPTION 'acknowledged_by: "%" is not who acknowledges it (%)', p_by, v_actor USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    SELECT * INTO v_e FROM ww_escalation_for_door(p_id, ARRAY['official', 'inspector', 'admin'], 'acknowledge escalations');
    IF v_e.o_status <> 'open' THEN
        RAISE EXCEPTION 'escalation % is already %', p_id, v_e.o_status USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    UPDATE escalations e SET status = 'acknowledged', acknowledged_at = ww_clock(p_at), acknowledged_by = v_by
    WHERE e.region_code = v_e.o_region AND e.id = p_id;
    RETURN v_e.o_region;
END $$;

CREATE OR REPLACE FUNCTION ww_resolve_escalation(p_id bigint, p_resolution text, p_at timestamptz DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_e record;
BEGIN
    SELECT * INTO v_e FROM ww_escalation_for_door(p_id, ARRAY['inspector', 'admin'], 'resolve escalations; officials acknowledge them');
    IF coalesce(btrim(p_resolution), '') = '' THEN
        RAISE EXCEPTION 'reason: "" is required to resolve an escalation' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF v_e.o_status = 'resolved' THEN
        RAISE EXCEPTION 'escalation % is already resolved', p_id USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    -- resolved_by is the acting role, written by ww_escalation_guard.
    UPDATE escalations e SET status = 'resolved', resolved_at = ww_clock(p_at), resolution = p_resolution,
        acknowledged_at = coalesce(e.acknowledged_at, ww_clock(p_at))
    WHERE e.region_code = v_e.o_region AND e.id = p_id;
    RETURN v_e.o_region;
END $$;
