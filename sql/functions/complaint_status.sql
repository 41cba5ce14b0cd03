-- SPEC §10 N2: what a complainant may learn of their own complaint, given its number and the last
-- four digits of the phone they called from: its stage, outcome and dates, and nothing else (no
-- name, amount, phone, employer or anybody else's complaint). The only door to complaints for the
-- web server's own login (anonymous /status requests have no user); a wrong pair answers no row,
-- exactly as an unknown number does, so the door cannot tell which half was wrong.
-- stage: received (no decision yet), decided (refused, referred or merged with no open case),
-- investigating (accepted, its case open), closed (its case closed).
CREATE OR REPLACE FUNCTION ww_complaint_status(p_number text, p_phone4 text)
RETURNS TABLE (number text, stage text, outcome text, received_on date, decided_on date, closed_on date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT c.number,
           CASE WHEN c.status = 'pending' THEN 'received'
                WHEN k.status = 'closed' THEN 'closed'
                WHEN k.status = 'open' THEN 'investigating'
                ELSE 'decided' END,
           c.outcome,
           (c.received_at AT TIME ZONE 'Asia/Shanghai')::date,
           (c.decided_at AT TIME ZONE 'Asia/Shanghai')::date,
           (k.closed_at AT TIME ZONE 'Asia/Shanghai')::date
    FROM complaints c
    LEFT JOIN cases k ON k.region_code = c.region_code AND k.id = c.case_id
    WHERE c.number = p_number
      AND p_phone4 ~ '^[0-9]{4}$'
      AND c.caller_phone IS NOT NULL
      AND right(regexp_replace(c.caller_phone, '[^0-9]', '', 'g'), 4) = p_phone4
    ORDER BY c.region_code
    LIMIT 1
$$;
