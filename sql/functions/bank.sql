-- SPEC §10 R13: a wage account's bank statement, kept and matched to the ledger.

-- The bank day of a transfer (the ledger's days are Beijing days).
CREATE OR REPLACE FUNCTION ww_transfer_day(p_at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (p_at AT TIME ZONE 'Asia/Shanghai')::date $$;

-- Matches every unmatched statement line of one wage account to one unmatched ledger transfer of
-- that account: the same amount, credit = into the account and debit = out of it, booked within
-- 2 working days of the transfer's day either way, and, when the line has a reference, the
-- transfer whose idempotency key it is. Lines are taken in booking order; among candidates the
-- transfer nearest in time, then the oldest, wins. Returns how many lines it matched.
CREATE OR REPLACE FUNCTION ww_match_bank_lines(p_region text, p_account bigint, p_at timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    l record;
    v_transfer bigint;
    v_matched integer := 0;
BEGIN
    FOR l IN SELECT * FROM bank_statement_lines
             WHERE region_code = p_region AND account_id = p_account AND transfer_id IS NULL
             ORDER BY booked_on, id LOOP
        SELECT t.id INTO v_transfer
        FROM transfers t
        WHERE t.region_code = p_region
          AND t.amount_fen = l.amount_fen
          AND CASE l.direction WHEN 'credit' THEN t.to_account ELSE t.from_account END = p_account
          AND (l.reference IS NULL OR t.idempotency_key = l.reference)
          AND l.booked_on <= ww_add_working_days(ww_transfer_day(t.occurred_at), 2)
          AND ww_transfer_day(t.occurred_at) <= ww_add_working_days(l.booked_on, 2)
          AND NOT EXISTS (SELECT 1 FROM bank_statement_lines m WHERE m.region_code = p_region AND m.transfer_id = t.id)
        ORDER BY abs(l.booked_on - ww_transfer_day(t.occurred_at)), t.occurred_at, t.id
        LIMIT 1;
        IF v_transfer IS NOT NULL THEN
            UPDATE bank_statement_lines SET transfer_id = v_transfer, matched_at = p_at
            WHERE region_code = p_region AND id = l.id;
            v_matched := v_matched + 1;
        END IF;
    END LOOP;
    RETURN v_matched;
END $$;

-- The door of `import bank`: keeps the statement's lines (given as a JSON array of objects with
-- booked_on, amount_fen, direction, counterparty_name, counterparty_account, reference,
-- balance_after_fen, in the statement's order) for one wage account, each line once, then
-- matches what is unmatched. Inspectors and administrators only (bank.triggers.sql).
CREATE OR REPLACE FUNCTION ww_import_bank_lines(p_region text, p_account bigint, p_lines jsonb, p_at timestamptz)
RETURNS TABLE (o_inserted integer, o_duplicates integer, o_matched integer, o_unmatched integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_kind text;
    v_total integer := jsonb_array_length(p_lines);
    v_inserted integer;
    -- Who may: an inspector or administrator (the EXECUTE grant) as themselves, with a user row
    -- and of the account's region; another region's account is not there for them.
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], 'account: %s do not import bank statements');
BEGIN
    SELECT kind INTO v_kind FROM ledger_accounts WHERE region_code = p_region AND id = p_account
        AND (v_scope IS NULL OR v_scope IN ('*', region_code));
    IF v_kind IS NULL THEN
        RAISE EXCEPTION 'account: no ledger account % in region %', p_account, p_region USING ERRCODE = 'P0002';
    END IF;
    IF v_kind <> 'wage' THEN
        RAISE EXCEPTION 'account: a bank statement is imported for a wage account (wage:CODE), not a % account', v_kind
            USING ERRCODE = '22023', HINT = 'account';
    END IF;
    WITH lines AS (
        SELECT l.ordinality AS n, (l.value ->> 'booked_on')::date AS booked_on,
               (l.value ->> 'amount_fen')::bigint AS amount_fen, l.value ->> 'direction' AS direction,
               l.value ->> 'counterparty_name' AS counterparty_name,
               l.value ->> 'counterparty_account' AS counterparty_account,
               l.value ->> 'reference' AS reference, (l.value ->> 'balance_after_fen')::bigint AS balance_after_fen
        FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS l
    ), hashed AS (
        SELECT l.*, encode(sha256(convert_to(concat_ws(E'\x1f', l.booked_on::text, l.amount_fen::text, l.direction,
                   coalesce(l.counterparty_name, ''), coalesce(l.counterparty_account, ''), coalesce(l.reference, ''),
                   l.balance_after_fen::text), 'UTF8')), 'hex') AS line_hash
        FROM lines l
    ), inserted AS (
        INSERT INTO bank_statement_lines (region_code, account_id, line_hash, booked_on, amount_fen, direction,
                                          counterparty_name, counterparty_account, reference, balance_after_fen,
                                          imported_at, imported_by)
        SELECT DISTINCT ON (h.line_hash) p_region, p_account, h.line_hash, h.booked_on, h.amount_fen, h.direction,
               h.counterparty_name, h.counterparty_account, h.reference, h.balance_after_fen, p_at, ww_actor()
        FROM hashed h
        ORDER BY h.line_hash, h.n
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT count(*) INTO v_inserted FROM inserted;
    o_inserted := v_inserted;
    o_duplicates := v_total - v_inserted;
    o_matched := ww_match_bank_lines(p_region, p_account, p_at);
    SELECT count(*) INTO o_unmatched FROM bank_statement_lines
    WHERE region_code = p_region AND account_id = p_account AND transfer_id IS NULL;
    -- The next incremental rule run looks at the project again.
    INSERT INTO rule_dirty (region_code, kind, subject_id)
    SELECT region_code, 'project', project_id FROM ledger_accounts
    WHERE region_code = p_region AND id = p_account AND project_id IS NOT NULL;
    RETURN NEXT;
END $$;

-- The reconciliation of one wage account as of a day: the last statement day up to then, the
-- bank's closing balance that day (the last line booked on it) and the ledger's, and the lines
-- and transfers unmatched for more than 2 working days. The rule R13 and `account show` read it.
CREATE OR REPLACE FUNCTION ww_bank_reconciliation(p_region text, p_account bigint, p_as_of date)
RETURNS TABLE (last_day date, bank_balance_fen bigint, ledger_balance_fen bigint, lines integer,
               unmatched_lines jsonb, unmatched_transfers jsonb)
LANGUAGE sql STABLE AS $$
    WITH mine AS (
        SELECT * FROM bank_statement_lines
        WHERE region_code = p_region AND account_id = p_account AND booked_on <= p_as_of
    ), span AS (
        SELECT min(booked_on) AS first_day, max(booked_on) AS last_day, count(*)::integer AS lines FROM mine
    )
    SELECT s.last_day,
           (SELECT m.balance_after_fen FROM mine m WHERE m.booked_on = s.last_day ORDER BY m.id DESC LIMIT 1),
           ww_balance_as_of(p_region, p_account, s.last_day),
           s.lines,
           coalesce((SELECT jsonb_agg(jsonb_build_object('booked_on', m.booked_on, 'direction', m.direction,
                                                         'amount_fen', m.amount_fen, 'reference', m.reference,
                                                         'counterparty', m.counterparty_name)
                                      ORDER BY m.booked_on, m.id)
                     FROM mine m
                     WHERE m.transfer_id IS NULL AND ww_add_working_days(m.booked_on, 2) < p_as_of), '[]'::jsonb),
           coalesce((SELECT jsonb_agg(jsonb_build_object('occurred_on', ww_transfer_day(t.occurred_at),
                                                         'direction', CASE WHEN t.to_account = p_account THEN 'credit' ELSE 'debit' END,
                                                         'amount_fen', t.amount_fen, 'key', t.idempotency_key)
                                      ORDER BY t.occurred_at, t.id)
                     FROM transfers t
                     WHERE t.region_code = p_region AND p_account IN (t.from_account, t.to_account)
                       AND ww_transfer_day(t.occurred_at) >= s.first_day
                       -- The statement covers the whole window in which the bank may book it.
                       AND ww_add_working_days(ww_transfer_day(t.occurred_at), 2) <= s.last_day
                       AND ww_add_working_days(ww_transfer_day(t.occurred_at), 2) < p_as_of
                       AND NOT EXISTS (SELECT 1 FROM bank_statement_lines m
                                       WHERE m.region_code = p_region AND m.transfer_id = t.id)), '[]'::jsonb)
    FROM span s
    WHERE s.lines > 0
$$;
