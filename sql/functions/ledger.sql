-- Fen as yuan text with two decimals, for messages: integer arithmetic only.
CREATE OR REPLACE FUNCTION ww_yuan(fen bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN fen < 0 THEN '-' ELSE '' END || (abs(fen) / 100)::text || '.' || lpad((abs(fen) % 100)::text, 2, '0')
$$;

CREATE OR REPLACE FUNCTION ww_refuse_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or removed; post a reversing transfer instead', TG_TABLE_NAME
        USING ERRCODE = 'P0001', HINT = 'conflict';
END $$;

-- The transfer already posted under an idempotency key, if any (no row when none); the same key
-- with another payload is a conflict. Volatile: it reads what committed before each call.
CREATE OR REPLACE FUNCTION ww_transfer_posted(p_region text, p_key text, p_hash text)
RETURNS TABLE (id bigint, diversion boolean) LANGUAGE plpgsql AS $$
DECLARE v record;
BEGIN
    SELECT t.id, t.payload_hash, t.diversion INTO v FROM transfers t
    WHERE t.region_code = p_region AND t.idempotency_key = p_key;
    IF FOUND THEN
        IF v.payload_hash <> p_hash THEN
            RAISE EXCEPTION 'key "%" was already used for a different transfer', p_key
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        RETURN QUERY SELECT v.id, v.diversion;
    END IF;
END $$;

-- An account's balance at the end of a day (Asia/Shanghai), rebuilt from its transfers: the one
-- definition the ledger (`account balance --as-of`) and the rules (R8, R11) use.
CREATE OR REPLACE FUNCTION ww_balance_as_of(p_region text, p_account bigint, p_as_of date) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT (coalesce((SELECT sum(t.amount_fen) FROM transfers t WHERE t.region_code = p_region AND t.to_account = p_account
                       AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= p_as_of), 0)
          - coalesce((SELECT sum(t.amount_fen) FROM transfers t WHERE t.region_code = p_region AND t.from_account = p_account
                       AND (t.occurred_at AT TIME ZONE 'Asia/Shanghai')::date <= p_as_of), 0))::bigint
$$;

-- Posts one transfer (P6, P7). Idempotent: the same key with the same payload returns the first
-- transfer; with another payload it is a conflict. Both accounts are locked in id order, so two
-- transfers never deadlock, and a wage account or deposit never goes below zero.
CREATE OR REPLACE FUNCTION ww_post_transfer(
    p_region text, p_key text, p_from bigint, p_to bigint, p_amount bigint, p_occurred_at timestamptz,
    p_memo text, p_reverses bigint DEFAULT NULL)
RETURNS TABLE (o_id bigint, o_replayed boolean, o_diversion boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    -- A JSON array keeps every field apart and NULL distinct from any text.
    v_hash text := encode(sha256(convert_to(jsonb_build_array(p_from, p_to, p_amount,
                          to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), p_memo, p_reverses)::text,
                          'UTF8')), 'hex');
    v_original record;
    v_existing record;
    v_from record;
    v_to record;
    v_diversion boolean := false;
    v_id bigint;
BEGIN
    -- The ledger's one door (it runs as the ledger's owner): inspectors, administrators and the
    -- service account post; a transfer is never written any other way (ww_ledger_by_door).
    IF NOT (ww_superuser_session()
            OR pg_has_role(ww_invoker(), 'wagewatch_inspector', 'MEMBER') OR pg_has_role(ww_invoker(), 'wagewatch_admin', 'MEMBER')) THEN
        RAISE EXCEPTION 'only an inspector or an administrator posts a transfer' USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    SELECT * INTO v_existing FROM ww_transfer_posted(p_region, p_key, v_hash);
    IF FOUND THEN
        RETURN QUERY SELECT v_existing.id, true, v_existing.diversion;
        RETURN;
    END IF;
    IF p_amount <= 0 THEN
        RAISE EXCEPTION 'amount must be positive' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_from = p_to THEN
        RAISE EXCEPTION 'a transfer needs two different accounts' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    -- A correction reverses one earlier transfer exactly: same amount, opposite direction, once.
    IF p_reverses IS NOT NULL THEN
        SELECT * INTO v_original FROM transfers WHERE region_code = p_region AND id = p_reverses;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'transfer % does not exist, so it cannot be reversed', p_reverses
                USING ERRCODE = 'P0001', HINT = 'not_found';
        END IF;
        IF v_original.from_account <> p_to OR v_original.to_account <> p_from OR v_original.amount_fen <> p_amount THEN
            RAISE EXCEPTION 'a reversal of transfer % must move ¥% back from its receiving account to its paying account',
                p_reverses, ww_yuan(v_original.amount_fen) USING ERRCODE = 'P0001', HINT = 'invalid';
        END IF;
        IF EXISTS (SELECT 1 FROM transfers WHERE region_code = p_region AND reverses = p_reverses) THEN
            RAISE EXCEPTION 'transfer % was already reversed', p_reverses USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
    END IF;
    -- Lock in id order.
    PERFORM 1 FROM ledger_accounts WHERE region_code = p_region AND id IN (p_from, p_to) ORDER BY id FOR UPDATE;
    -- A caller with the same key may have committed while we waited for the accounts.
    SELECT * INTO v_existing FROM ww_transfer_posted(p_region, p_key, v_hash);
    IF FOUND THEN
        RETURN QUERY SELECT v_existing.id, true, v_existing.diversion;
        RETURN;
    END IF;
    SELECT * INTO v_from FROM ledger_accounts WHERE region_code = p_region AND id = p_from;
    SELECT * INTO v_to FROM ledger_accounts WHERE region_code = p_region AND id = p_to;
    IF v_from.id IS NULL OR v_to.id IS NULL THEN
        RAISE EXCEPTION 'no such account' USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF v_from.kind IN ('wage', 'deposit') AND v_from.balance_fen < p_amount THEN
        RAISE EXCEPTION '% holds ¥%, less than the ¥% asked for; a wage account can never go below zero',
            v_from.name, ww_yuan(v_from.balance_fen), ww_yuan(p_amount) USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    -- P7: money out of a government project's fund must go to its wage account or a registered party.
    IF v_from.kind = 'fund' THEN
        SELECT p.funding = 'government' AND NOT (
                   (v_to.kind IN ('wage', 'deposit') AND v_to.project_id = p.id)
                OR (v_to.kind = 'worker' AND EXISTS (SELECT 1 FROM workers w WHERE w.region_code = p.region_code
                                                     AND w.project_id = p.id AND w.id_number = v_to.ref))
                OR (v_to.kind = 'external' AND EXISTS (
                        SELECT 1 FROM employers e WHERE e.region_code = p.region_code AND e.uscc = v_to.ref
                          AND (e.id IN (p.owner_id, p.contractor_id)
                               OR EXISTS (SELECT 1 FROM project_subcontractors s WHERE s.region_code = p.region_code
                                          AND s.project_id = p.id AND s.employer_id = e.id)))))
          INTO v_diversion
        FROM projects p WHERE p.region_code = p_region AND p.id = v_from.project_id;
        v_diversion := coalesce(v_diversion, false);
    END IF;
    -- A second caller with the same key waits here for the first to commit, then finds its
    -- transfer: a replay when the payload is the same, a conflict when it is not.
    INSERT INTO transfers (region_code, idempotency_key, payload_hash, from_account, to_account, amount_fen,
                           occurred_at, memo, reverses, diversion)
    VALUES (p_region, p_key, v_hash, p_from, p_to, p_amount, p_occurred_at, p_memo, p_reverses, v_diversion)
    ON CONFLICT (region_code, idempotency_key) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        SELECT id, payload_hash, diversion INTO v_existing FROM transfers
        WHERE region_code = p_region AND idempotency_key = p_key;
        IF v_existing.payload_hash <> v_hash THEN
            RAISE EXCEPTION 'key "%" was already used for a different transfer', p_key
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        RETURN QUERY SELECT v_existing.id, true, v_existing.diversion;
        RETURN;
    END IF;
    UPDATE ledger_accounts SET balance_fen = balance_fen - p_amount WHERE region_code = p_region AND id = p_from;
    UPDATE ledger_accounts SET balance_fen = balance_fen + p_amount WHERE region_code = p_region AND id = p_to;
    RETURN QUERY SELECT v_id, false, v_diversion;
END $$;

-- A kept balance changes only inside ww_post_transfer, so it always equals the sum of transfers.
-- The door runs as the ledger's owner: a balance changed by anyone else (a user's own login, a
-- session setting notwithstanding) is refused. A superuser (the service account, the province
-- generator of the benchmarks) is trusted. Not SECURITY DEFINER: it must see who is writing.
CREATE OR REPLACE FUNCTION ww_ledger_writer_is_door(p_table oid) RETURNS boolean
    LANGUAGE sql STABLE AS $$
    SELECT current_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = p_table)
        OR coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user), false)
$$;

CREATE OR REPLACE FUNCTION ww_guard_balance() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
    IF NEW.balance_fen IS DISTINCT FROM OLD.balance_fen AND NOT ww_ledger_writer_is_door(TG_RELID) THEN
        RAISE EXCEPTION 'an account balance changes only by posting a transfer'
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN NEW;
END $$;

-- A new account starts at zero: money reaches it only by a transfer.
CREATE OR REPLACE FUNCTION ww_guard_new_account() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
    IF NEW.balance_fen <> 0 AND NOT ww_ledger_writer_is_door(TG_RELID) THEN
        RAISE EXCEPTION 'an account opens with a balance of 0; money reaches it by a transfer'
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN NEW;
END $$;

-- Transfers are written only by ww_post_transfer (once per statement, so a million-row import
-- pays one check).
CREATE OR REPLACE FUNCTION ww_ledger_by_door() RETURNS trigger
    LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
    IF NOT ww_ledger_writer_is_door(TG_RELID) THEN
        RAISE EXCEPTION 'a transfer is written only by posting it (wagewatch account transfer, import transfers)'
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    RETURN NULL;
END $$;

-- Transfer import (SPEC §5 `transfers`): the rows of a file, staged by the session in
-- transfer_staging (see TransferImport.swift) with their region resolved and their accounts
-- opened or created, are posted through ww_post_transfer, the ledger's single door, one at a time
-- in order of occurred_at then line, from one statement and without a client round trip per row.
--
-- One exception block around the whole loop (not one per row, which would open a subtransaction
-- per transfer) turns any refusal into the same error with the line that caused it: an overdraft
-- stays a conflict (HINT 'conflict'), and the transaction rolls the whole file back.
CREATE OR REPLACE FUNCTION ww_post_staged_transfers()
RETURNS TABLE (n_posted bigint, n_replayed bigint, n_diversions bigint)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    v_result record;
    v_line integer;
    v_posted bigint := 0;
    v_replayed bigint := 0;
    v_diversions bigint := 0;
    v_state text;
    v_message text;
    v_hint text;
BEGIN
    BEGIN
        FOR r IN
            SELECT s.line, s.region_code, s.key, f.id AS from_id, t.id AS to_id, s.amount_fen, s.occurred_at, s.memo
            FROM transfer_staging s
            LEFT JOIN ledger_accounts f ON f.region_code = s.region_code AND f.kind = s.from_kind AND f.ref = s.from_ref
            LEFT JOIN ledger_accounts t ON t.region_code = s.region_code AND t.kind = s.to_kind AND t.ref = s.to_ref
            ORDER BY s.occurred_at, s.line
        LOOP
            v_line := r.line;
            SELECT p.o_id, p.o_replayed, p.o_diversion INTO v_result
            FROM ww_post_transfer(r.region_code, r.key, r.from_id, r.to_id, r.amount_fen, r.occurred_at, r.memo) p;
            IF v_result.o_replayed THEN
                v_replayed := v_replayed + 1;
            ELSE
                v_posted := v_posted + 1;
                IF v_result.o_diversion THEN
                    v_diversions := v_diversions + 1;
                END IF;
            END IF;
        END LOOP;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT;
        IF v_line IS NOT NULL THEN
            v_message := format('line %s: %s', v_line, v_message);
        END IF;
        -- The hint names the kind of refusal (conflict, invalid, not_found), which sets the exit code.
        IF coalesce(v_hint, '') <> '' THEN
            RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, HINT = v_hint;
        END IF;
        RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message;
    END;
    RETURN QUERY SELECT v_posted, v_replayed, v_diversions;
END $$;
