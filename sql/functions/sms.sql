-- SPEC §10 N1: the complainant is told by SMS when the complaint is recorded, decided and its
-- case closed. Triggers on complaints and cases (sms.triggers.sql) write one `sms` row of the
-- escalation outbox per (complaint, event), in the transaction of the change: every path that
-- records, decides or closes (CLI, web, API, imports, doors yet to come) sends them, a rolled-back
-- change sends nothing, and the unique index escalation_outbox_sms_once keeps each event to one
-- row. Only a mobile number (11 digits, 13–19) can take an SMS: a complaint with no phone or a
-- landline gets none. The payload carries the facts; the delivery job words them through the
-- templates of [sms.templates] (Sources/WagewatchCore/Delivery/SMSMessage.swift).

-- The phone an SMS goes to, or NULL.
CREATE OR REPLACE FUNCTION ww_sms_phone(p_phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_phone ~ '^1[3-9][0-9]{9}$' THEN p_phone END
$$;

-- The payload of one complaint's event: `to`, the complaint's number and facts the templates use.
CREATE OR REPLACE FUNCTION ww_sms_payload(
    p_event text, p_phone text, p_number text, p_decision_due date, p_outcome text, p_referred_to text,
    p_reason text, p_disposition text, p_recovered_fen bigint)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'event', p_event, 'to', p_phone, 'complaint_number', p_number, 'decision_due', p_decision_due,
        'outcome', p_outcome, 'referred_to', p_referred_to, 'reason', p_reason,
        'disposition', p_disposition, 'recovered_fen', p_recovered_fen))
$$;

-- Complaints inserted (one, or a whole import): `recorded` for each with a mobile, and `decided`
-- too for one decided at intake (time-barred, or merged into an open case).
CREATE OR REPLACE FUNCTION ww_sms_complaints_inserted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    INSERT INTO escalation_outbox (region_code, channel, complaint_id, event, payload)
    SELECT n.region_code, 'sms', n.id, e.event,
           ww_sms_payload(e.event, ww_sms_phone(n.caller_phone), n.number, n.decision_due,
                          CASE WHEN e.event = 'decided' THEN n.outcome END,
                          CASE WHEN e.event = 'decided' THEN n.referred_to END,
                          CASE WHEN e.event = 'decided' THEN n.reason END, NULL, NULL)
    FROM new_rows n
    CROSS JOIN LATERAL (VALUES ('recorded', 1), ('decided', 2)) AS e (event, step)
    WHERE ww_sms_phone(n.caller_phone) IS NOT NULL
      AND (e.event = 'recorded' OR n.status = 'decided')
    ORDER BY n.id, e.step
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Complaints decided: `decided` (accepted, merged, referred where, refused why).
CREATE OR REPLACE FUNCTION ww_sms_complaints_decided() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    INSERT INTO escalation_outbox (region_code, channel, complaint_id, event, payload)
    SELECT n.region_code, 'sms', n.id, 'decided',
           ww_sms_payload('decided', ww_sms_phone(n.caller_phone), n.number, n.decision_due, n.outcome,
                          n.referred_to, n.reason, NULL, NULL)
    FROM new_rows n JOIN old_rows o ON o.region_code = n.region_code AND o.id = n.id
    WHERE o.status = 'pending' AND n.status = 'decided' AND ww_sms_phone(n.caller_phone) IS NOT NULL
    ORDER BY n.id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Cases closed: `closed` for every complaint of the case with a mobile, with the disposition and
-- what the case recovered.
CREATE OR REPLACE FUNCTION ww_sms_cases_closed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    INSERT INTO escalation_outbox (region_code, channel, complaint_id, event, payload)
    SELECT c.region_code, 'sms', c.id, 'closed',
           ww_sms_payload('closed', ww_sms_phone(c.caller_phone), c.number, c.decision_due, c.outcome, NULL, NULL,
                          n.disposition,
                          coalesce((SELECT sum(r.amount_fen) FROM recoveries r
                                    WHERE r.region_code = n.region_code AND r.case_id = n.id), 0)::bigint)
    FROM new_rows n
    JOIN old_rows o ON o.region_code = n.region_code AND o.id = n.id
    JOIN complaints c ON c.region_code = n.region_code AND c.case_id = n.id
    WHERE o.status = 'open' AND n.status = 'closed' AND ww_sms_phone(c.caller_phone) IS NOT NULL
    ORDER BY c.id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
