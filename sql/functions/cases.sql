-- The doors of case work (issue 21, "writes only through doors"; SPEC C5–C6, §10 N3): assigning,
-- the one extension, a worker's claim, a recovery, and closing with a disposition. Inspectors
-- and administrators hold no UPDATE on cases and no INSERT on case_extensions, claims or
-- recoveries (sql/0014_case_doors.sql): every such change is one of these functions. Each runs
-- as the schema's owner and checks what the grants and row security checked before — who may
-- (the EXECUTE grants, and the invoker's user row and group here), in their own region — and
-- then the rule itself: the case is open; C5's one extension of at most the configured days; a
-- recovery never more than is owed; a "paid" disposition only when nothing is unrecovered. The
-- writer and the time are the acting role's and the database's (ww_stamp_writer, ww_clock).
-- Messages name the field and the value (SPEC §4), with the HINT that picks the exit code.

-- Whether a disposition says the workers were paid (SPEC §10 N3): such a close is refused while
-- anything owed on the case is unrecovered, and the scorecard counts these closes as paid.
CREATE OR REPLACE FUNCTION ww_disposition_says_paid(p_disposition text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_disposition IN ('paid_in_full', 'paid_by_contractor', 'paid_by_owner', 'deposit_used', 'emergency_fund', 'direct_pay')
$$;

-- The open case a door works on, locked, once the invoker may change cases: its region. A case
-- of another region is not there for them (row security hides it too).
CREATE OR REPLACE FUNCTION ww_case_for_door(p_id bigint, p_doing text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], format('case %s: %%s do not %s', p_id, p_doing));
    v_c record;
BEGIN
    SELECT c.region_code, c.status INTO v_c FROM cases c WHERE c.id = p_id FOR UPDATE;
    IF NOT FOUND OR (v_scope IS NOT NULL AND v_scope NOT IN ('*', v_c.region_code)) THEN
        RAISE EXCEPTION 'no case %', p_id USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF v_c.status <> 'open' THEN
        RAISE EXCEPTION 'case % is closed', p_id USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN v_c.region_code;
END $$;
REVOKE ALL ON FUNCTION ww_case_for_door(bigint, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION ww_assign_case(p_id bigint, p_user text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_region text := ww_case_for_door(p_id, 'assign cases');
    v_role text;
BEGIN
    SELECT u.role INTO v_role FROM users u WHERE u.name = p_user;
    IF v_role IS NULL THEN
        RAISE EXCEPTION 'no user %; add one with: wagewatch user add % --role inspector --department labor', p_user, p_user
            USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF v_role NOT IN ('inspector', 'admin') THEN
        RAISE EXCEPTION 'user: "%" is not an inspector', p_user USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    UPDATE cases c SET assigned_to = p_user WHERE c.region_code = v_region AND c.id = p_id;
    RETURN v_region;
END $$;

-- C5: one extension of 1 to the configured maximum of working days, with a named approver and a
-- reason; the deadline moves on the working-day calendar.
CREATE OR REPLACE FUNCTION ww_extend_case(p_id bigint, p_days integer, p_approver text, p_reason text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_region text := ww_case_for_door(p_id, 'extend cases');
    v_maximum integer := ww_setting_int('max_extension_days');
BEGIN
    IF p_days IS NULL OR p_days NOT BETWEEN 1 AND v_maximum THEN
        RAISE EXCEPTION 'days: "%" must be from 1 to % working days', p_days, v_maximum USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF coalesce(p_approver, '') ~ '^[[:space:]]*$' THEN
        RAISE EXCEPTION 'approver: "" is required' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF coalesce(p_reason, '') ~ '^[[:space:]]*$' THEN
        RAISE EXCEPTION 'reason: "" is required' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF EXISTS (SELECT 1 FROM case_extensions e WHERE e.region_code = v_region AND e.case_id = p_id) THEN
        RAISE EXCEPTION 'case % was already extended once; C5 allows one extension', p_id USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO case_extensions (region_code, case_id, days, approver, reason) VALUES (v_region, p_id, p_days, p_approver, p_reason);
    UPDATE cases c SET extended_days = p_days,
        investigation_due = ww_add_working_days(c.accepted_on, c.investigation_days + p_days)
    WHERE c.region_code = v_region AND c.id = p_id;
    RETURN v_region;
END $$;

-- C6: what one worker is owed on a case; a second claim for the same worker is a conflict.
CREATE OR REPLACE FUNCTION ww_claim_case(p_id bigint, p_id_number text, p_name text, p_owed_fen bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_region text := ww_case_for_door(p_id, 'record claims');
BEGIN
    IF p_owed_fen IS NULL OR p_owed_fen <= 0 THEN
        RAISE EXCEPTION 'amount: "%" must be positive', ww_yuan(p_owed_fen) USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF EXISTS (SELECT 1 FROM claims cl WHERE cl.region_code = v_region AND cl.case_id = p_id AND cl.id_number = p_id_number) THEN
        RAISE EXCEPTION 'worker % already has a claim on case %', ww_mask_id(p_id_number), p_id
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO claims (region_code, case_id, id_number, worker_name, owed_fen) VALUES (v_region, p_id, p_id_number, p_name, p_owed_fen);
    RETURN v_region;
END $$;

-- What is still owed to one worker on a case, in fen, for a new recovery: the worker's claim
-- less what they recovered when the case has per-worker claims, else the case's total owed less
-- the case's recoveries. NULL when the case has claims but none for this worker.
CREATE OR REPLACE FUNCTION ww_case_unrecovered(p_region text, p_id bigint, p_id_number text) RETURNS bigint
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM claims cl WHERE cl.region_code = p_region AND cl.case_id = p_id)
                THEN (SELECT cl.owed_fen - coalesce((SELECT sum(r.amount_fen) FROM recoveries r
                                                     WHERE r.region_code = p_region AND r.case_id = p_id AND r.id_number = p_id_number), 0)
                      FROM claims cl WHERE cl.region_code = p_region AND cl.case_id = p_id AND cl.id_number = p_id_number)
                ELSE (SELECT t.owed_fen - t.recovered_fen FROM case_totals t WHERE t.region_code = p_region AND t.case_id = p_id) END
$$;

-- C6: a recovery for one worker. More than is still owed is refused; a repeated key with the same
-- recovery changes nothing, with a different one it is a conflict. Not dated in the future.
CREATE OR REPLACE FUNCTION ww_record_recovery(p_id bigint, p_id_number text, p_on date, p_amount_fen bigint,
                                              p_source text, p_key text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_region text := ww_case_for_door(p_id, 'record recoveries');
    v_previous record;
    v_left bigint;
BEGIN
    IF p_amount_fen IS NULL OR p_amount_fen <= 0 THEN
        RAISE EXCEPTION 'amount: "%" must be positive', ww_yuan(p_amount_fen) USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF NOT ww_service_account() AND p_on > (now() AT TIME ZONE 'Asia/Shanghai')::date THEN
        RAISE EXCEPTION 'date: "%" is in the future', p_on USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_key IS NOT NULL THEN
        SELECT r.case_id, r.id_number, r.amount_fen, r.source, r.recovered_on INTO v_previous
        FROM recoveries r WHERE r.region_code = v_region AND r.idempotency_key = p_key;
        IF FOUND THEN
            IF (v_previous.case_id, v_previous.id_number, v_previous.amount_fen, v_previous.source, v_previous.recovered_on)
               IS DISTINCT FROM (p_id, p_id_number, p_amount_fen, p_source, p_on) THEN
                RAISE EXCEPTION 'key: "%" was already used for a different recovery', p_key USING ERRCODE = 'P0001', HINT = 'conflict';
            END IF;
            RETURN v_region;
        END IF;
    END IF;
    v_left := ww_case_unrecovered(v_region, p_id, p_id_number);
    IF v_left IS NULL THEN
        RAISE EXCEPTION 'worker % has no claim on case %; record it with: wagewatch case claim % --worker … --amount …',
            ww_mask_id(p_id_number), p_id, p_id USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF p_amount_fen > v_left THEN
        RAISE EXCEPTION 'amount: "%" is more than the ¥% still owed %', ww_yuan(p_amount_fen), ww_yuan(v_left),
            CASE WHEN EXISTS (SELECT 1 FROM claims cl WHERE cl.region_code = v_region AND cl.case_id = p_id)
                 THEN 'to worker ' || ww_mask_id(p_id_number) ELSE 'on case ' || p_id END
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO recoveries (region_code, case_id, id_number, recovered_on, amount_fen, source, idempotency_key)
    VALUES (v_region, p_id, p_id_number, p_on, p_amount_fen, p_source, p_key);
    RETURN v_region;
END $$;

-- C6 and D1: a paid direct-pay line counts against what its worker is owed on their oldest open
-- case with an unrecovered claim (at most what is left of it), once per line and case. Only for
-- a line that was paid (its transfer posted) in this batch: nobody records a direct-pay recovery
-- without the payment. Returns the case, or NULL when the worker has no such claim.
CREATE OR REPLACE FUNCTION ww_record_direct_pay_recovery(p_batch bigint, p_line integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], format('batch %s: %%s do not record direct-pay recoveries', p_batch));
    v_l record;
    v_claim record;
    v_key text := 'directpay:' || p_batch || ':' || p_line;
BEGIN
    SELECT l.id_number, l.amount_fen, l.status, l.transfer_id INTO v_l
    FROM direct_pay_lines l WHERE l.batch_id = p_batch AND l.line_no = p_line;
    IF NOT FOUND OR v_l.status <> 'paid' OR v_l.transfer_id IS NULL THEN
        RAISE EXCEPTION 'batch % line %: not paid, so no recovery', p_batch, p_line USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    SELECT cl.region_code, cl.case_id, u.left_fen
    INTO v_claim
    FROM claims cl JOIN cases c ON c.region_code = cl.region_code AND c.id = cl.case_id
    CROSS JOIN LATERAL (SELECT ww_case_unrecovered(cl.region_code, cl.case_id, cl.id_number) AS left_fen) u
    WHERE cl.id_number = v_l.id_number AND c.status = 'open'
      AND (v_scope IS NULL OR v_scope IN ('*', cl.region_code))
      AND u.left_fen > 0
    ORDER BY cl.case_id LIMIT 1
    FOR UPDATE OF c;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    INSERT INTO recoveries (region_code, case_id, id_number, recovered_on, amount_fen, source, idempotency_key)
    VALUES (v_claim.region_code, v_claim.case_id, v_l.id_number, (now() AT TIME ZONE 'Asia/Shanghai')::date,
            least(v_l.amount_fen, v_claim.left_fen), 'direct_pay', v_key || ':case:' || v_claim.case_id)
    ON CONFLICT DO NOTHING;
    RETURN v_claim.case_id;
END $$;

-- C6, N3: closes an open case with a disposition; one that says the workers were paid only when
-- nothing owed is unrecovered. The reason is a free note beside the code. The time is the
-- database's (the service account's pinned clock aside).
CREATE OR REPLACE FUNCTION ww_close_case(p_id bigint, p_disposition text, p_reason text, p_at timestamptz DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_region text := ww_case_for_door(p_id, 'close cases');
    v_left bigint;
BEGIN
    IF p_disposition IS NULL THEN
        RAISE EXCEPTION 'disposition: "" is required' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    SELECT t.owed_fen - t.recovered_fen INTO v_left FROM case_totals t WHERE t.region_code = v_region AND t.case_id = p_id;
    IF v_left > 0 AND ww_disposition_says_paid(p_disposition) THEN
        RAISE EXCEPTION 'disposition: "%" says the workers were paid, but case % still has ¥% unrecovered; record the recoveries first, or close with a disposition such as referred_court',
            p_disposition, p_id, to_char(v_left / 100, 'FM999,999,999,999,990') || '.' || lpad((v_left % 100)::text, 2, '0')
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    UPDATE cases c SET status = 'closed', closed_at = ww_clock(p_at), disposition = p_disposition,
        close_reason = CASE WHEN coalesce(p_reason, '') ~ '^[[:space:]]*$' THEN NULL ELSE btrim(p_reason, E' \t\r\n') END
    WHERE c.region_code = v_region AND c.id = p_id;
    RETURN v_region;
END $$;

-- A case is opened by the complaint it comes from (the hotline's or an inspector's intake, which
-- keep their INSERT): whatever the INSERT says, it opens open, unassigned, unextended, now, with
-- the deadline its investigation period gives on the working-day calendar. Only the service
-- account records what it is given (the benchmarks' and tests' fixtures).
CREATE OR REPLACE FUNCTION ww_case_insert_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF ww_service_account() THEN
        RETURN NEW;
    END IF;
    NEW.status := 'open';
    NEW.closed_at := NULL;
    NEW.close_reason := NULL;
    NEW.disposition := NULL;
    NEW.assigned_to := NULL;
    NEW.extended_days := 0;
    NEW.opened_at := now();
    NEW.investigation_due := ww_add_working_days(NEW.accepted_on, NEW.investigation_days);
    RETURN NEW;
END $$;

-- Locks a case a complaint is about to join (an inspector's or administrator's decision) and says
-- whether it is still open: 'open', 'closed', or NULL for a case that is not there for the
-- invoker (another region's, or none). The lock, which the callers' grants no longer allow
-- (SELECT … FOR UPDATE needs UPDATE), keeps a close from slipping between the check and the join.
CREATE OR REPLACE FUNCTION ww_lock_case_to_join(p_region text, p_id bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], format('case %s: %%s do not decide complaints', p_id));
    v_status text;
BEGIN
    IF v_scope NOT IN ('*', p_region) THEN
        RETURN NULL;
    END IF;
    SELECT c.status INTO v_status FROM cases c WHERE c.region_code = p_region AND c.id = p_id FOR UPDATE;
    RETURN v_status;
END $$;
