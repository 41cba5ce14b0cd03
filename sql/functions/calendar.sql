-- Whether a day is a working day, given its calendar_days kind (NULL when it has no row).
CREATE OR REPLACE FUNCTION ww_calendar_is_working(day date, kind text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(kind = 'workday', extract(isodow FROM day) < 6) $$;

-- Recomputes the index from calendar_days in one set-based statement. Only rows whose values
-- change are written, so readers never see an empty index and a change in December touches
-- only the days after it.
CREATE OR REPLACE FUNCTION ww_rebuild_working_day_index() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- One rebuild at a time. Plain SELECTs (ACCESS SHARE) still read the old rows meanwhile.
    -- Under READ COMMITTED the INSERT below takes its snapshot after this lock is granted, so
    -- a rebuild that waited sees the calendar changes of the one it waited for.
    LOCK TABLE working_day_index IN EXCLUSIVE MODE;
    INSERT INTO working_day_index AS i (day, ordinal, is_working)
    SELECT d.day,
           count(*) FILTER (WHERE d.is_working) OVER (ORDER BY d.day),
           d.is_working
    FROM (
        SELECT g.day::date AS day, ww_calendar_is_working(g.day::date, c.kind) AS is_working
        FROM generate_series(timestamp '2000-01-01', timestamp '2100-12-31', interval '1 day') AS g (day)
        LEFT JOIN calendar_days c ON c.day = g.day::date
    ) AS d
    ON CONFLICT (day) DO UPDATE
        SET ordinal = EXCLUDED.ordinal, is_working = EXCLUDED.is_working
        WHERE (i.ordinal, i.is_working) IS DISTINCT FROM (EXCLUDED.ordinal, EXCLUDED.is_working);
END $$;

-- Deadlines are stored (so overdue items are found by index) and recomputed here whenever the
-- calendar changes (the calendar migration calls this after every change).
CREATE OR REPLACE FUNCTION ww_on_calendar_change() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE complaints SET decision_due = ww_add_working_days(received_on, decision_days)
    WHERE status = 'pending' AND decision_due IS DISTINCT FROM ww_add_working_days(received_on, decision_days);
    UPDATE cases SET investigation_due = ww_add_working_days(accepted_on, investigation_days + extended_days)
    WHERE status = 'open'
      AND investigation_due IS DISTINCT FROM ww_add_working_days(accepted_on, investigation_days + extended_days);
END $$;

-- Whether the index disagrees with calendar_days on any of these days (or lacks one of them).
-- Only the changed days can have changed status, so when all of them agree the whole index is
-- still right.
CREATE OR REPLACE FUNCTION ww_working_day_index_is_stale(days date[]) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT EXISTS (
        SELECT
        FROM unnest(days) AS u (day)
        LEFT JOIN working_day_index i ON i.day = u.day
        LEFT JOIN calendar_days c ON c.day = u.day
        WHERE i.is_working IS DISTINCT FROM ww_calendar_is_working(u.day, c.kind)
    )
$$;

-- The statement-level trigger behind every change to calendar_days: rebuilds the index, then
-- calls ww_on_calendar_change(). It does both only when some day's working status changed, so
-- that an INSERT … ON CONFLICT DO UPDATE, which fires both the INSERT and the UPDATE statement
-- triggers, rebuilds once (the second trigger finds the index already right), and a change of
-- note alone rebuilds nothing.
CREATE OR REPLACE FUNCTION ww_calendar_days_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    changed date[];
BEGIN
    LOCK TABLE working_day_index IN EXCLUSIVE MODE;
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY(SELECT day FROM new_days);
    ELSIF TG_OP = 'UPDATE' THEN
        changed := ARRAY(SELECT day FROM new_days UNION SELECT day FROM old_days);
    ELSIF TG_OP = 'DELETE' THEN
        changed := ARRAY(SELECT day FROM old_days);
    END IF;
    IF TG_OP = 'TRUNCATE' OR ww_working_day_index_is_stale(changed) THEN
        PERFORM ww_rebuild_working_day_index();
        PERFORM ww_on_calendar_change();
    END IF;
    RETURN NULL;
END $$;

-- Raises the error for a date the index does not cover. Returns its second argument's type so
-- the SQL functions below can use it inside coalesce(); it never returns.
CREATE OR REPLACE FUNCTION ww_calendar_out_of_range(d date, result_type anyelement) RETURNS anyelement
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
BEGIN
    RAISE EXCEPTION 'date % is outside the working-day calendar, which covers 2000-01-01 to 2100-12-31', d
        USING HINT = 'invalid';
END $$;

-- Why ww_add_working_days found no answer: a negative n, a date outside the index, or an
-- answer after 2100-12-31. Never returns.
CREATE OR REPLACE FUNCTION ww_add_working_days_refused(d date, n integer) RETURNS date
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
BEGIN
    IF n < 0 THEN
        RAISE EXCEPTION 'cannot count % working days after %: the number of working days must not be negative', n, d
            USING HINT = 'invalid';
    END IF;
    IF NOT EXISTS (SELECT FROM working_day_index WHERE day = d) THEN
        RETURN ww_calendar_out_of_range(d, NULL::date);
    END IF;
    RAISE EXCEPTION '% working days after % fall after 2100-12-31, the end of the working-day calendar', n, d
        USING HINT = 'invalid';
END $$;

-- The end of the Nth working day counted from the day after d (d itself never counts, even when
-- it is a working day): received Friday 2026-02-13, n = 5 → 2026-02-27. n = 0 returns d.
-- A negative n, a d outside 2000-01-01..2100-12-31, or an answer after 2100-12-31 raises an
-- exception naming the date. NULL in, NULL out.
-- (PostgreSQL never inlines a scalar SQL function whose body has a subquery; being LANGUAGE sql
-- it still has its plan cached for the whole calling statement, and it stays transparent.)
CREATE OR REPLACE FUNCTION ww_add_working_days(d date, n integer) RETURNS date
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$
    SELECT coalesce(
        (SELECT CASE
                    WHEN n = 0 THEN s.day
                    ELSE (SELECT w.day FROM working_day_index w WHERE w.is_working AND w.ordinal = s.ordinal + n)
                END
         FROM working_day_index s
         WHERE s.day = d AND n >= 0),
        ww_add_working_days_refused(d, n))
$$;

-- Working days in (a, b]: after a, up to and including b. Negative when b < a (the count in
-- (b, a], negated), so ww_working_days_between(a, ww_add_working_days(a, n)) = n.
CREATE OR REPLACE FUNCTION ww_working_days_between(a date, b date) RETURNS integer
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$
    SELECT coalesce((SELECT ordinal FROM working_day_index WHERE day = b), ww_calendar_out_of_range(b, NULL::integer))
         - coalesce((SELECT ordinal FROM working_day_index WHERE day = a), ww_calendar_out_of_range(a, NULL::integer))
$$;

-- Whether d is a working day: Monday–Friday unless a holiday, Saturday–Sunday only if 调休.
CREATE OR REPLACE FUNCTION ww_is_working_day(d date) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$
    SELECT coalesce((SELECT is_working FROM working_day_index WHERE day = d), ww_calendar_out_of_range(d, NULL::boolean))
$$;
