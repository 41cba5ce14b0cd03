-- C4: "within 30 days of an open case" is read as within the window of a complaint already on
-- that open case, so historical imports merge the same way as today's calls.
--
-- Intake (C1, C3, C4), set-based over the session's staging table, so one complaint from the
-- hotline and a million from a CSV file take the same path. The caller fills
-- intake_staging (see ComplaintIntake.swift) inside a transaction and calls this once.
-- C4: the open case a complaint received at p_received_at joins: same employer, same project (or
-- none), and a complaint already on the case within p_merge_days of it; the newest such case.
-- NULL when there is none. The one definition intake, imports and `complaint decide` use.
-- Written as a set-returning SQL function (at most one row) so that a LATERAL call is inlined
-- into the calling query: intake asks it once per staged complaint, and a scalar SQL function
-- with a subquery is never inlined (a million calls of its own executor each).
CREATE OR REPLACE FUNCTION ww_cases_to_join(p_region text, p_employer bigint, p_project text,
                                            p_received_at timestamptz, p_merge_days integer) RETURNS SETOF bigint
LANGUAGE sql STABLE AS $$
    SELECT c.id FROM cases c
    WHERE c.region_code = p_region AND c.status = 'open' AND c.employer_id = p_employer
      AND c.project_code IS NOT DISTINCT FROM p_project
      AND EXISTS (SELECT 1 FROM complaints k
                  WHERE k.region_code = c.region_code AND k.case_id = c.id
                    AND p_received_at BETWEEN k.received_at - make_interval(days => p_merge_days)
                                          AND k.received_at + make_interval(days => p_merge_days))
    ORDER BY c.opened_at DESC
    LIMIT 1
$$;

CREATE OR REPLACE FUNCTION ww_case_to_join(p_region text, p_employer bigint, p_project text,
                                           p_received_at timestamptz, p_merge_days integer) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT j FROM ww_cases_to_join(p_region, p_employer, p_project, p_received_at, p_merge_days) j
$$;

-- Gap-free complaint numbers (C1): takes the next p_counts[i] numbers of region p_regions[i] on
-- day p_days[i] and returns each counter's new last number. The counters' only door: it runs as
-- the schema's owner, for those who file complaints (intake, inspectors, administrators) in their
-- own region, and only ever moves a counter forward, so no login can reset a day's numbers
-- (which would stop the hotline filing with a duplicate number) or hand itself one. Counters are
-- locked in (region, day) order, so concurrent intakes never deadlock on them.
CREATE OR REPLACE FUNCTION ww_take_complaint_numbers(p_regions text[], p_days date[], p_counts integer[])
RETURNS TABLE (o_region text, o_day date, o_last integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_user record;
    v_region text;
BEGIN
    IF NOT ww_superuser_session() THEN
        SELECT u.role, u.region_code INTO v_user FROM users u WHERE u.name = ww_invoker();
        IF NOT FOUND OR v_user.role NOT IN ('intake', 'inspector', 'admin')
           OR NOT pg_has_role(ww_invoker(), ww_group_role(v_user.role), 'MEMBER') THEN
            RAISE EXCEPTION 'only the hotline, inspectors and administrators file complaints'
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        IF v_user.role <> 'admin' AND v_user.region_code IS NOT NULL THEN
            SELECT r INTO v_region FROM unnest(p_regions) r WHERE r IS DISTINCT FROM v_user.region_code LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'region_code: "%" is not your region (%)', v_region, v_user.region_code
                    USING ERRCODE = '42501', HINT = 'denied';
            END IF;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_counts) n WHERE n IS NULL OR n < 1) THEN
        RAISE EXCEPTION 'a counter only moves forward' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    RETURN QUERY
    INSERT INTO complaint_counters AS c (region_code, day, last)
    SELECT r, d, n FROM unnest(p_regions, p_days, p_counts) AS u (r, d, n) ORDER BY r, d
    ON CONFLICT (region_code, day) DO UPDATE SET last = c.last + EXCLUDED.last
    RETURNING c.region_code, c.day, c.last;
END $$;

-- JIT is off: the estimates of a large staged file make PostgreSQL compile every statement and
-- trigger query of the import (about a second each time), which never pays for itself here.
CREATE OR REPLACE FUNCTION ww_intake_staged(p_decision_days integer, p_time_bar_months integer, p_merge_days integer)
RETURNS TABLE (o_id bigint, o_number text, o_outcome text, o_case_id bigint, o_decision_due date)
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    -- Once per call, not once per row (the column default would ask for every complaint).
    v_actor text := ww_actor();
BEGIN
    -- C2's days, C3's time bar and C4's merge window are the settings table's for every login
    -- (issue 21, "nothing settable decides"); only the service account's calls keep their own
    -- numbers (tests and benchmarks of other configurations). ww_complaint_insert_guard holds a
    -- login's own INSERT to the same numbers.
    IF NOT ww_service_account() THEN
        p_decision_days := ww_setting_int('decision_days');
        p_time_bar_months := ww_setting_int('time_bar_months');
        p_merge_days := ww_setting_int('merge_window_days');
    END IF;
    -- Employers named for the first time, through their door (import_employers.sql).
    PERFORM ww_register_intake_employers();

    RETURN QUERY
    WITH staged AS (
        -- Two index lookups, never a CASE that would hide both indexes from the planner.
        SELECT st.*, (st.received_at AT TIME ZONE 'Asia/Shanghai')::date AS received_on,
               coalesce(
                   (SELECT e.id FROM employers e
                    WHERE e.region_code = st.region_code AND e.uscc = st.employer_uscc),
                   (SELECT e.id FROM employers e
                    WHERE st.employer_uscc IS NULL AND e.region_code = st.region_code AND e.name_key = st.name_key
                    ORDER BY (e.uscc IS NULL), e.id LIMIT 1)) AS employer_id
        FROM intake_staging st
    ),
    counts AS (
        SELECT region_code, received_on, count(*)::integer AS n FROM staged GROUP BY region_code, received_on
    ),
    -- C2's deadline once per day of receipt (a year of complaints has 365 of them).
    dues AS (
        SELECT received_on, ww_add_working_days(received_on, p_decision_days) AS decision_due
        FROM counts GROUP BY received_on
    ),
    -- The numbers come from the counters' door (no role writes complaint_counters itself).
    bumped AS (
        SELECT b.o_region AS region_code, b.o_day AS day, b.o_last AS last
        FROM (SELECT array_agg(region_code ORDER BY region_code, received_on) AS regions,
                     array_agg(received_on ORDER BY region_code, received_on) AS days,
                     array_agg(n ORDER BY region_code, received_on) AS counts
              FROM counts) k
        CROSS JOIN LATERAL ww_take_complaint_numbers(k.regions, k.days, k.counts) b
    ),
    numbered AS (
        SELECT s.*, b.last - k.n + row_number() OVER (
                   PARTITION BY s.region_code, s.received_on ORDER BY s.received_at, s.line) AS seq
        FROM staged s
        JOIN counts k ON k.region_code = s.region_code AND k.received_on = s.received_on
        JOIN bumped b ON b.region_code = s.region_code AND b.day = s.received_on
    ),
    decided AS (
        SELECT n.*,
               (n.owed_until IS NOT NULL
                AND n.owed_until < (n.received_on - make_interval(months => p_time_bar_months))::date) AS time_barred,
               m.case_id AS open_case_id
        FROM numbered n
        LEFT JOIN LATERAL ww_cases_to_join(n.region_code, n.employer_id, n.project_code, n.received_at, p_merge_days)
            AS m (case_id) ON true
    ),
    inserted AS (
        INSERT INTO complaints (
            region_code, number, received_at, received_on, channel, caller_name, caller_phone,
            employer_id, employer_uscc, employer_name, project_code, workers_involved, amount_owed_fen,
            owed_since, owed_until, employer_absconded, text, decision_days, decision_due,
            status, outcome, reason, case_id, decided_at, decided_by, created_by)
        SELECT d.region_code,
               'TS-' || to_char(d.received_on, 'YYYYMMDD') || '-' ||
                   CASE WHEN d.seq > 9999 THEN d.seq::text ELSE lpad(d.seq::text, 4, '0') END,
               d.received_at, d.received_on, d.channel, d.caller_name, d.caller_phone,
               d.employer_id, d.employer_uscc, d.employer_name, d.project_code, d.workers_involved,
               d.amount_owed_fen, d.owed_since, d.owed_until, d.employer_absconded, d.text,
               p_decision_days, u.decision_due,
               CASE WHEN d.time_barred OR d.open_case_id IS NOT NULL THEN 'decided' ELSE 'pending' END,
               CASE WHEN d.time_barred THEN 'refused' WHEN d.open_case_id IS NOT NULL THEN 'merged' END,
               CASE WHEN d.time_barred THEN 'time_barred' END,
               CASE WHEN d.time_barred THEN NULL ELSE d.open_case_id END,
               CASE WHEN d.time_barred OR d.open_case_id IS NOT NULL THEN now() END,
               CASE WHEN d.time_barred OR d.open_case_id IS NOT NULL THEN 'system' END,
               v_actor
        FROM decided d
        JOIN dues u ON u.received_on = d.received_on
        ORDER BY d.region_code, d.received_on, d.seq
        RETURNING complaints.id, complaints.number, complaints.outcome, complaints.case_id,
                  complaints.decision_due, complaints.region_code, complaints.received_at
    )
    SELECT i.id, i.number, i.outcome, i.case_id, i.decision_due FROM inserted i;
    -- The staging table lives for the session (ON COMMIT DELETE ROWS would truncate it, and a
    -- truncation invalidates every cached plan that reads it): empty it here instead.
    DELETE FROM intake_staging;
END $$;

-- One complaint from the hotline in one statement (one round trip, atomic on its own): stage it
-- and run the same set-based intake as a file import.
CREATE OR REPLACE FUNCTION ww_intake_one(
    p_region_code text, p_received_at timestamptz, p_channel text, p_caller_name text, p_caller_phone text,
    p_employer_uscc text, p_employer_name text, p_name_key text, p_project_code text, p_workers integer,
    p_amount_fen bigint, p_owed_since date, p_owed_until date, p_absconded boolean, p_text text,
    p_decision_days integer, p_time_bar_months integer, p_merge_days integer)
RETURNS TABLE (o_id bigint, o_number text, o_outcome text, o_case_id bigint, o_decision_due date)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ww_create_intake_staging();
    INSERT INTO intake_staging (line, region_code, received_at, channel, caller_name, caller_phone, employer_uscc,
        employer_name, name_key, project_code, workers_involved, amount_owed_fen, owed_since, owed_until,
        employer_absconded, text)
    VALUES (1, p_region_code, p_received_at, p_channel, p_caller_name, p_caller_phone, p_employer_uscc,
        p_employer_name, p_name_key, p_project_code, p_workers, p_amount_fen, p_owed_since, p_owed_until,
        p_absconded, p_text);
    RETURN QUERY SELECT * FROM ww_intake_staged(p_decision_days, p_time_bar_months, p_merge_days);
END $$;

-- The session's staging table for intake; it lives as long as the connection.
--
-- It belongs to the role that made it, and the web desk's pooled connections are used by one
-- user after another (each request `SET LOCAL ROLE`): without the grant, every hotline user but
-- the first on a connection was refused ("permission denied for table intake_staging", 403),
-- found by `scripts/bench web`'s 50-person mix. A temporary table is visible only in its own
-- backend, and its rows never outlive a transaction (ww_intake_staged empties it; a failure rolls
-- back what was staged), so the grant lets the connection's next user in and no one else.
CREATE OR REPLACE FUNCTION ww_create_intake_staging() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF to_regclass('pg_temp.intake_staging') IS NULL THEN
        CREATE TEMP TABLE intake_staging (
            line integer NOT NULL, region_code text NOT NULL, received_at timestamptz NOT NULL,
            channel text NOT NULL, caller_name text, caller_phone text, employer_uscc text,
            employer_name text NOT NULL, name_key text NOT NULL, project_code text,
            workers_involved integer NOT NULL, amount_owed_fen bigint NOT NULL, owed_since date,
            owed_until date, employer_absconded boolean NOT NULL, text text);
        GRANT SELECT, INSERT, DELETE ON pg_temp.intake_staging TO PUBLIC;
    END IF;
END $$;
