-- The working-day calendar (SPEC C7), which every deadline in the system is counted on.
--
-- calendar_days holds the exceptions only: a public holiday (off, even on a weekday) or an
-- adjusted working day 调休 (on, a weekend day). Every other Monday–Friday is a working day and
-- every other Saturday and Sunday is off. It is a reference table shared by every region (SPEC §6),
-- so it has no region column.
--
-- working_day_index precomputes, for every day from 2000-01-01 to 2100-12-31, whether it is a
-- working day and how many working days there are from 2000-01-01 up to and including it, so
-- "N working days after d" and "working days between a and b" are index lookups, not loops.
-- The Swift twin of this data and arithmetic is WorkingCalendar.swift; CalendarSQLTests checks
-- that the two agree day by day.

CREATE TABLE calendar_days (
    day   date PRIMARY KEY CHECK (day BETWEEN date '2000-01-01' AND date '2100-12-31'),
    kind  text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    note  text
);

COMMENT ON TABLE calendar_days IS
    'Exceptions to Monday–Friday: public holidays (off) and adjusted working days 调休 (on). Reference table.';

CREATE TABLE working_day_index (
    day         date PRIMARY KEY,
    ordinal     integer NOT NULL,
    is_working  boolean NOT NULL
);

-- "The working day whose ordinal is k": the lookup behind ww_add_working_days. Not UNIQUE
-- although it is by construction: the rebuild shifts ordinals row by row, and a unique index
-- would see transient duplicates.
CREATE INDEX working_day_index_ordinal ON working_day_index (ordinal) WHERE is_working;

COMMENT ON TABLE working_day_index IS
    'Derived from calendar_days by ww_rebuild_working_day_index(); never written directly.';

-- Whether a day is a working day, given its calendar_days kind (NULL when it has no row).
CREATE FUNCTION ww_calendar_is_working(day date, kind text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(kind = 'workday', extract(isodow FROM day) < 6) $$;

-- Recomputes the index from calendar_days in one set-based statement. Only rows whose values
-- change are written, so readers never see an empty index and a change in December touches
-- only the days after it.
CREATE FUNCTION ww_rebuild_working_day_index() RETURNS void
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

-- Called after every calendar change that changes whether some day is a working day, once
-- the index has been rebuilt. A no-op here: later migrations CREATE OR REPLACE it to recompute
-- the stored deadlines of open complaints (C2) and cases (C5), so that a holiday added after
-- a complaint was received moves its deadline (deadlines are never left stale).
CREATE FUNCTION ww_on_calendar_change() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    NULL;
END $$;

-- Whether the index disagrees with calendar_days on any of these days (or lacks one of them).
-- Only the changed days can have changed status, so when all of them agree the whole index is
-- still right.
CREATE FUNCTION ww_working_day_index_is_stale(days date[]) RETURNS boolean
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
CREATE FUNCTION ww_calendar_days_changed() RETURNS trigger
    LANGUAGE plpgsql
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
CREATE FUNCTION ww_calendar_out_of_range(d date, result_type anyelement) RETURNS anyelement
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
BEGIN
    RAISE EXCEPTION 'date % is outside the working-day calendar, which covers 2000-01-01 to 2100-12-31', d
        USING HINT = 'invalid';
END $$;

-- Why ww_add_working_days found no answer: a negative n, a date outside the index, or an
-- answer after 2100-12-31. Never returns.
CREATE FUNCTION ww_add_working_days_refused(d date, n integer) RETURNS date
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
CREATE FUNCTION ww_add_working_days(d date, n integer) RETURNS date
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
CREATE FUNCTION ww_working_days_between(a date, b date) RETURNS integer
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$
    SELECT coalesce((SELECT ordinal FROM working_day_index WHERE day = b), ww_calendar_out_of_range(b, NULL::integer))
         - coalesce((SELECT ordinal FROM working_day_index WHERE day = a), ww_calendar_out_of_range(a, NULL::integer))
$$;

-- Whether d is a working day: Monday–Friday unless a holiday, Saturday–Sunday only if 调休.
CREATE FUNCTION ww_is_working_day(d date) RETURNS boolean
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$
    SELECT coalesce((SELECT is_working FROM working_day_index WHERE day = d), ww_calendar_out_of_range(d, NULL::boolean))
$$;

-- The national calendars of SPEC Appendix A (State Council notices), as the notices read:
-- every day of each holiday range, weekends included, and each adjusted working day.
-- WorkingCalendar.national2025and2026 holds the same rows; a test keeps them identical.
INSERT INTO calendar_days (day, kind, note)
SELECT g.day::date, 'holiday', h.note
FROM (VALUES
    (date '2025-01-01', date '2025-01-01', '元旦'),
    (date '2025-01-28', date '2025-02-04', '春节'),
    (date '2025-04-04', date '2025-04-06', '清明节'),
    (date '2025-05-01', date '2025-05-05', '劳动节'),
    (date '2025-05-31', date '2025-06-02', '端午节'),
    (date '2025-10-01', date '2025-10-08', '国庆节、中秋节'),
    (date '2026-01-01', date '2026-01-03', '元旦'),
    (date '2026-02-15', date '2026-02-23', '春节'),
    (date '2026-04-04', date '2026-04-06', '清明节'),
    (date '2026-05-01', date '2026-05-05', '劳动节'),
    (date '2026-06-19', date '2026-06-21', '端午节'),
    (date '2026-09-25', date '2026-09-27', '中秋节'),
    (date '2026-10-01', date '2026-10-07', '国庆节')
) AS h (first_day, last_day, note)
CROSS JOIN LATERAL generate_series(h.first_day::timestamp, h.last_day::timestamp, interval '1 day') AS g (day);

INSERT INTO calendar_days (day, kind, note) VALUES
    ('2025-01-26', 'workday', '春节调休'),
    ('2025-02-08', 'workday', '春节调休'),
    ('2025-04-27', 'workday', '劳动节调休'),
    ('2025-09-28', 'workday', '国庆节、中秋节调休'),
    ('2025-10-11', 'workday', '国庆节、中秋节调休'),
    ('2026-01-04', 'workday', '元旦调休'),
    ('2026-02-14', 'workday', '春节调休'),
    ('2026-02-28', 'workday', '春节调休'),
    ('2026-05-09', 'workday', '劳动节调休'),
    ('2026-09-20', 'workday', '中秋节调休'),
    ('2026-10-10', 'workday', '国庆节调休');

SELECT ww_rebuild_working_day_index();

-- From here on every change to calendar_days keeps the index (and the deadlines) current.
CREATE TRIGGER calendar_days_inserted AFTER INSERT ON calendar_days
    REFERENCING NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();
CREATE TRIGGER calendar_days_updated AFTER UPDATE ON calendar_days
    REFERENCING OLD TABLE AS old_days NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();
CREATE TRIGGER calendar_days_deleted AFTER DELETE ON calendar_days
    REFERENCING OLD TABLE AS old_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();
CREATE TRIGGER calendar_days_truncated AFTER TRUNCATE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();
