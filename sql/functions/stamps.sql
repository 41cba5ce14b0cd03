-- Who wrote a row and when (issue 21, finding 5): created_by is the acting role and created_at
-- the database's time, whatever the INSERT says — only the service account (a superuser
-- session with no role set) records what it is given. For the work of one person at a time
-- (claims, recoveries, extensions, sanctions); bulk-loaded tables take ww_actor() as default.
CREATE OR REPLACE FUNCTION ww_stamp_writer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ww_service_account() THEN
        NEW.created_by := ww_actor();
        NEW.created_at := now();
    END IF;
    RETURN NEW;
END $$;

-- A flag's review is the acting person's, at the database's time (the service account aside).
CREATE OR REPLACE FUNCTION ww_flag_review_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.status, NEW.review_action, NEW.review_reason, NEW.reviewed_at, NEW.reviewed_by)
       IS NOT DISTINCT FROM (OLD.status, OLD.review_action, OLD.review_reason, OLD.reviewed_at, OLD.reviewed_by) THEN
        RETURN NEW;
    END IF;
    IF ww_service_account() THEN
        RETURN NEW;
    END IF;
    IF NEW.reviewed_by IS DISTINCT FROM ww_actor() THEN
        RAISE EXCEPTION 'reviewed_by: "%" is not who reviews it (%)', NEW.reviewed_by, ww_actor()
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF OLD.status IN ('confirmed', 'dismissed') THEN
        RAISE EXCEPTION 'flag % was already %', OLD.id, OLD.status USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    NEW.reviewed_at := now();
    RETURN NEW;
END $$;
