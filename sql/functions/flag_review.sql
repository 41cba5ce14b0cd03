-- The door of a flag's review (SPEC §3 "a reviewer in the lead department acknowledges, confirms
-- (with an action) or dismisses (with a reason) each flag"; issue 21): the only way anyone but the
-- rule jobs changes a flag. It runs as the schema's owner, so it checks what row security and the
-- grants checked before:
--   - the reviewer is the acting role (ww_actor: the signed-in user, never a name the caller
--     passes); only the service account (a superuser session acting for nobody) records the
--     reviewer it is given, as the other doors do;
--   - the reviewer is a sector user of the department that leads the flag (归口管理: the lead or
--     co-lead department; a township only in its own region), or an administrator;
--   - the transition: open → acknowledged, confirmed or dismissed; acknowledged → confirmed or
--     dismissed; a confirmed or dismissed flag is reviewed no more;
--   - a confirmation names one of the actions, a dismissal a reason;
--   - the time is the database's (now()).
-- It writes the flag, the review row and, for D1 (a confirmed red flag on a government-funded
-- project, with direct pay ordered), the direct-pay order and the project's mode; each of those
-- is audited by the tables' own triggers. It returns the flag's region.
CREATE OR REPLACE FUNCTION ww_review_flag(p_id bigint, p_action text, p_confirm_action text DEFAULT NULL,
                                          p_reason text DEFAULT NULL, p_reviewer text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_service boolean := ww_service_account();
    v_actor text := ww_actor();
    v_actions text[] := ARRAY['rectify', 'stop_work', 'direct_pay', 'sanction'];
    v_reviewer text;
    v_user record;
    v_flag record;
    v_project record;
BEGIN
    IF v_service THEN
        v_reviewer := coalesce(p_reviewer, v_actor);
    ELSIF p_reviewer IS NOT NULL AND p_reviewer IS DISTINCT FROM v_actor THEN
        RAISE EXCEPTION 'reviewer: "%" is not who reviews it (%)', p_reviewer, v_actor
            USING ERRCODE = '42501', HINT = 'denied';
    ELSE
        v_reviewer := v_actor;
    END IF;
    SELECT u.role, u.department, u.region_code INTO v_user FROM users u WHERE u.name = v_reviewer;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a registered user; flags are reviewed by their lead department', v_reviewer
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    -- A user's group is the one their row names (ww_add_user makes both); the acting login must
    -- be in it too, so a users row edited by hand does not make a reviewer.
    IF v_user.role NOT IN ('sector', 'admin')
       OR (NOT v_service AND NOT pg_has_role(v_reviewer, ww_group_role(v_user.role), 'MEMBER')) THEN
        RAISE EXCEPTION 'flag %: % is not a sector department''s reviewer; flags are reviewed by their lead department', p_id, v_reviewer
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    SELECT f.* INTO v_flag FROM flags f WHERE f.id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no flag %', p_id USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    -- coalesce: a flag with no co-department makes `IN` NULL for any other department.
    IF v_user.role <> 'admin'
       AND NOT coalesce(v_user.department IN (v_flag.department, v_flag.co_department)
                        AND (v_user.department <> 'township' OR v_user.region_code IS NULL OR v_user.region_code = v_flag.region_code),
                        false) THEN
        RAISE EXCEPTION 'flag % is led by %; % works for %', p_id,
            v_flag.department || coalesce(' and ' || v_flag.co_department, ''), v_reviewer,
            v_user.department || CASE WHEN v_user.department = 'township' THEN ' of ' || coalesce(v_user.region_code, '-') ELSE '' END
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF p_action IS NULL OR p_action NOT IN ('ack', 'confirm', 'dismiss') THEN
        RAISE EXCEPTION 'action: "%" is not ack, confirm or dismiss', coalesce(p_action, '')
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF NOT (v_flag.status = 'open' OR (v_flag.status = 'acknowledged' AND p_action <> 'ack')) THEN
        RAISE EXCEPTION 'flag % is already %', p_id, v_flag.status USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF p_action = 'confirm' AND (p_confirm_action IS NULL OR NOT p_confirm_action = ANY (v_actions)) THEN
        RAISE EXCEPTION 'confirm: "%" is not one of %', coalesce(p_confirm_action, ''), array_to_string(v_actions, ', ')
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_action = 'dismiss' AND coalesce(btrim(p_reason), '') = '' THEN
        RAISE EXCEPTION 'reason: "" is required to dismiss a flag' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;

    UPDATE flags f
    SET status = CASE p_action WHEN 'ack' THEN 'acknowledged' WHEN 'confirm' THEN 'confirmed' ELSE 'dismissed' END,
        review_action = CASE WHEN p_action = 'confirm' THEN p_confirm_action END,
        review_reason = CASE WHEN p_action = 'dismiss' THEN p_reason END,
        reviewed_at = now(),
        reviewed_by = v_reviewer
    WHERE f.region_code = v_flag.region_code AND f.id = p_id;
    INSERT INTO flag_reviews (region_code, flag_id, action, confirm_action, reason, reviewer, department, at)
    VALUES (v_flag.region_code, p_id, p_action,
            CASE WHEN p_action = 'confirm' THEN p_confirm_action END,
            CASE WHEN p_action = 'dismiss' THEN p_reason END,
            v_reviewer, v_user.department, now());

    -- D1: a confirmed red flag on a government-funded project puts it into direct-pay mode.
    IF p_action = 'confirm' AND p_confirm_action = 'direct_pay' AND v_flag.severity = 'red' AND v_flag.project_id IS NOT NULL THEN
        SELECT p.funding, p.direct_pay_mode INTO v_project FROM projects p
        WHERE p.region_code = v_flag.region_code AND p.id = v_flag.project_id FOR UPDATE;
        IF FOUND AND v_project.funding = 'government' AND NOT v_project.direct_pay_mode THEN
            INSERT INTO direct_pay_orders (region_code, project_id, basis, flag_id, ordered_by, ordered_at)
            VALUES (v_flag.region_code, v_flag.project_id,
                    format('red flag %s (%s) confirmed by %s', p_id, v_flag.rule, v_reviewer), p_id, v_reviewer, now());
            UPDATE projects p SET direct_pay_mode = true WHERE p.region_code = v_flag.region_code AND p.id = v_flag.project_id;
        END IF;
    END IF;
    RETURN v_flag.region_code;
END $$;
