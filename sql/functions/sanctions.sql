-- The doors of sanctions (issue 21, "writes only through doors"; SPEC S1–S2): recording a
-- restriction measure, lifting one, and the order to pay by a deadline (责令限期支付) that S2's
-- blacklisting needs. Inspectors and administrators hold no INSERT or UPDATE on sanctions or
-- payment_orders (sql/0015_decision_pay_sanction_doors.sql): each change is one of these
-- functions, which run as the schema's owner and check who may (ww_door_scope: the EXECUTE grant,
-- the invoker's users row, role, group and region), the rule — S2's gate on blacklisting, its
-- 3-year term and its early lifting only 6 months after full payment, with the numbers of the
-- settings table — and stamp who and when. Messages name the field and the value (SPEC §4).

-- What an employer still owes on its open cases: in total, to how many workers, the most owed to
-- one worker (per-worker claims, or a one-worker case without claims), and since when the oldest
-- open arrears are owed (the complaints' owed_since, else the case's acceptance). S2 asks
-- ww_at_criminal_threshold with these.
CREATE OR REPLACE FUNCTION ww_employer_open_arrears(p_region text, p_employer bigint)
RETURNS TABLE (outstanding_fen bigint, workers bigint, max_one_worker_fen bigint, owed_since date)
LANGUAGE sql STABLE AS $$
    WITH open_cases AS (
        SELECT t.case_id, t.owed_fen, t.recovered_fen, t.workers_involved,
               EXISTS (SELECT 1 FROM claims cl WHERE cl.region_code = c.region_code AND cl.case_id = c.id) AS has_claims
        FROM cases c JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.id
        WHERE c.region_code = p_region AND c.employer_id = p_employer AND c.status = 'open'
    ),
    per_worker AS (
        SELECT cl.owed_fen - coalesce((SELECT sum(r.amount_fen) FROM recoveries r
                                       WHERE r.region_code = cl.region_code AND r.case_id = cl.case_id
                                         AND r.id_number = cl.id_number), 0) AS outstanding
        FROM claims cl JOIN open_cases o ON o.case_id = cl.case_id
        WHERE cl.region_code = p_region
    )
    SELECT coalesce(sum(o.owed_fen - o.recovered_fen) FILTER (WHERE o.owed_fen > o.recovered_fen), 0)::bigint,
           coalesce(sum(o.workers_involved) FILTER (WHERE o.owed_fen > o.recovered_fen), 0)::bigint,
           greatest(coalesce((SELECT max(outstanding) FROM per_worker), 0),
                    coalesce(max(o.owed_fen - o.recovered_fen) FILTER (WHERE NOT o.has_claims AND o.workers_involved = 1), 0))::bigint,
           (SELECT min(coalesce((SELECT min(k.owed_since) FROM complaints k
                                 WHERE k.region_code = c.region_code AND k.case_id = c.id), c.accepted_on))
            FROM cases c JOIN open_cases oc ON oc.case_id = c.id
            WHERE c.region_code = p_region AND oc.owed_fen > oc.recovered_fen)
    FROM open_cases o
$$;

-- The employer a sanctions door works on, locked (one decision about a contractor at a time),
-- once the invoker may do `p_doing`: its name. Another region's employer is not there for them.
CREATE OR REPLACE FUNCTION ww_sanction_employer(p_region text, p_employer bigint, p_doing text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], '%s do not ' || p_doing);
    v_name text;
BEGIN
    SELECT e.name || ' (' || coalesce(e.uscc, '-') || ')' INTO v_name FROM employers e
    WHERE e.region_code = p_region AND e.id = p_employer FOR UPDATE;
    IF NOT FOUND OR (v_scope IS NOT NULL AND v_scope NOT IN ('*', p_region)) THEN
        RAISE EXCEPTION 'contractor: no employer % in region %', p_employer, p_region USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    RETURN v_name;
END $$;
REVOKE ALL ON FUNCTION ww_sanction_employer(text, bigint, text) FROM PUBLIC;

-- S1, S2: records a measure against a contractor for a period. Blacklisting needs a recorded
-- payment order whose deadline passed before `p_from`, and either open arrears at the criminal
-- threshold or a mass-incident escalation about the contractor; without `p_until` it lasts the
-- configured months. One measure of a kind at a time. Returns the sanction.
CREATE OR REPLACE FUNCTION ww_add_sanction(p_region text, p_employer bigint, p_measure text, p_basis text, p_department text,
                                           p_from date, p_until date DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_who text := ww_sanction_employer(p_region, p_employer, 'record sanctions');
    v_basis text := nullif(btrim(coalesce(p_basis, '')), '');
    v_until date := p_until;
    v_order record;
    v_arrears record;
    v_threshold jsonb := ww_criminal_threshold_settings();
    v_overlap bigint;
    v_id bigint;
BEGIN
    IF v_basis IS NULL THEN
        RAISE EXCEPTION 'basis: "%" is required', coalesce(p_basis, '') USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_from IS NULL THEN
        RAISE EXCEPTION 'from: a measure needs its first day' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_until < p_from THEN
        RAISE EXCEPTION 'until: "%" is before the measure''s start %', p_until, p_from USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM departments d WHERE d.code = p_department) THEN
        RAISE EXCEPTION 'department: "%" is not one of %', p_department, (SELECT string_agg(d.code, ', ' ORDER BY d.code) FROM departments d)
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_measure IS NULL OR p_measure NOT IN ('restrict_bidding', 'blacklist', 'restrict_credit', 'restrict_travel', 'public_exposure', 'other') THEN
        RAISE EXCEPTION 'measure: "%" is not one of restrict_bidding, blacklist, restrict_credit, restrict_travel, public_exposure, other', p_measure
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_measure = 'blacklist' THEN
        SELECT max(o.deadline) FILTER (WHERE o.deadline < p_from) AS missed, min(o.deadline) AS any_deadline INTO v_order
        FROM payment_orders o WHERE o.region_code = p_region AND o.employer_id = p_employer;
        IF v_order.any_deadline IS NULL THEN
            RAISE EXCEPTION 'blacklist refused: % has no recorded order to pay by a deadline (责令限期支付); record one with: wagewatch sanction order % --amount YUAN --deadline DATE --basis TEXT',
                v_who, (SELECT e.uscc FROM employers e WHERE e.region_code = p_region AND e.id = p_employer)
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        IF v_order.missed IS NULL THEN
            RAISE EXCEPTION 'blacklist refused: the deadline % of the payment order (责令限期支付) to % has not passed on %',
                v_order.any_deadline, v_who, p_from USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        SELECT * INTO v_arrears FROM ww_employer_open_arrears(p_region, p_employer);
        IF NOT ww_at_criminal_threshold(v_threshold, v_arrears.workers, v_arrears.outstanding_fen, v_arrears.max_one_worker_fen,
                                        v_arrears.owed_since, p_from)
           AND NOT EXISTS (SELECT 1 FROM escalations x WHERE x.region_code = p_region AND x.employer_id = p_employer AND x.mass_incident) THEN
            RAISE EXCEPTION 'blacklist refused: % has neither arrears at the criminal threshold (one worker ¥% for % months, or % workers ¥% together; outstanding now ¥% to % worker(s)) nor a mass-incident escalation',
                v_who, ww_yuan((v_threshold->>'one_worker_fen')::bigint), v_threshold->>'months', v_threshold->>'workers',
                ww_yuan((v_threshold->>'workers_fen')::bigint), ww_yuan(v_arrears.outstanding_fen), v_arrears.workers
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        IF v_until IS NULL THEN
            v_until := (p_from + make_interval(months => ww_setting_int('blacklist_months')::integer))::date - 1;
        END IF;
    END IF;
    SELECT s.id INTO v_overlap FROM sanctions s
    WHERE s.region_code = p_region AND s.employer_id = p_employer AND s.measure = p_measure
      AND s.lifted_on IS NULL AND (s.valid_until IS NULL OR s.valid_until >= p_from)
      AND (v_until IS NULL OR s.valid_from <= v_until)
    ORDER BY s.id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION '% is already under % (sanction %) for that period', v_who, p_measure, v_overlap
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO sanctions (region_code, employer_id, measure, basis, department, valid_from, valid_until)
    VALUES (p_region, p_employer, p_measure, v_basis, p_department, p_from, v_until)
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;

-- Lifts a measure as of today (the database's; the service account's pinned day aside). A
-- blacklisting may be lifted early only once the contractor has paid everything on its cases and
-- the configured months (6) have passed since (S2).
CREATE OR REPLACE FUNCTION ww_lift_sanction(p_id bigint, p_reason text, p_today date DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], format('sanction %s: %%s do not lift sanctions', p_id));
    v_s record;
    v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
    v_today date := CASE WHEN p_today IS NOT NULL AND ww_superuser_session() THEN p_today
                         ELSE (now() AT TIME ZONE 'Asia/Shanghai')::date END;
    v_months integer := ww_setting_int('early_lift_after_months')::integer;
    v_outstanding bigint;
    v_paid_on date;
    v_earliest date;
BEGIN
    IF v_reason IS NULL THEN
        RAISE EXCEPTION 'reason: "%" is required', coalesce(p_reason, '') USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    SELECT s.region_code, s.employer_id, s.measure, s.valid_from, s.valid_until, s.lifted_on, e.name INTO v_s
    FROM sanctions s JOIN employers e ON e.region_code = s.region_code AND e.id = s.employer_id
    WHERE s.id = p_id AND (v_scope IS NULL OR v_scope IN ('*', s.region_code))
    FOR UPDATE OF s;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no sanction %', p_id USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF v_s.lifted_on IS NOT NULL THEN
        RAISE EXCEPTION 'sanction % was already lifted on %', p_id, v_s.lifted_on USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF v_s.valid_until < v_today THEN
        RAISE EXCEPTION 'sanction % already ended on %; there is nothing to lift', p_id, v_s.valid_until
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF v_s.measure = 'blacklist' THEN
        SELECT coalesce(sum(greatest(t.owed_fen - t.recovered_fen, 0)), 0)::bigint,
               (SELECT max(r.recovered_on) FROM recoveries r JOIN cases c2 ON c2.region_code = r.region_code AND c2.id = r.case_id
                WHERE c2.region_code = v_s.region_code AND c2.employer_id = v_s.employer_id)
        INTO v_outstanding, v_paid_on
        FROM cases c JOIN case_totals t ON t.region_code = c.region_code AND t.case_id = c.id
        WHERE c.region_code = v_s.region_code AND c.employer_id = v_s.employer_id;
        IF v_outstanding > 0 THEN
            RAISE EXCEPTION 'blacklist % cannot be lifted: % still owes ¥% on its cases; early lifting needs full payment and % months since',
                p_id, v_s.name, ww_yuan(v_outstanding), v_months USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        v_paid_on := coalesce(v_paid_on, v_s.valid_from);
        v_earliest := (v_paid_on + make_interval(months => v_months))::date;
        IF v_today < v_earliest THEN
            RAISE EXCEPTION 'blacklist % cannot be lifted before %: % paid in full on %, and early lifting needs % months since full payment',
                p_id, v_earliest, v_s.name, v_paid_on, v_months USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
    END IF;
    UPDATE sanctions SET lifted_on = v_today, lift_reason = v_reason WHERE region_code = v_s.region_code AND id = p_id;
END $$;

-- S2: an order to pay wages by a deadline (责令限期支付), optionally on one of the contractor's cases.
CREATE OR REPLACE FUNCTION ww_order_payment(p_region text, p_employer bigint, p_case bigint, p_amount bigint,
                                            p_issued_on date, p_deadline date, p_basis text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_who text := ww_sanction_employer(p_region, p_employer, 'order payment');
    v_basis text := nullif(btrim(coalesce(p_basis, '')), '');
    v_case_employer bigint;
    v_id bigint;
BEGIN
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'amount: "%" must be positive', ww_yuan(p_amount) USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_deadline < p_issued_on THEN
        RAISE EXCEPTION 'deadline: "%" is before the order''s issue date %', p_deadline, p_issued_on USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF v_basis IS NULL THEN
        RAISE EXCEPTION 'basis: "%" is required', coalesce(p_basis, '') USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_case IS NOT NULL THEN
        SELECT c.employer_id INTO v_case_employer FROM cases c WHERE c.region_code = p_region AND c.id = p_case;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no case % in region %', p_case, p_region USING ERRCODE = 'P0001', HINT = 'not_found';
        END IF;
        IF v_case_employer <> p_employer THEN
            RAISE EXCEPTION 'case % is not against %', p_case, v_who USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
    END IF;
    INSERT INTO payment_orders (region_code, employer_id, case_id, amount_fen, issued_on, deadline, basis, issued_by, created_at)
    VALUES (p_region, p_employer, p_case, p_amount, p_issued_on, p_deadline, v_basis, ww_actor(), now())
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;
