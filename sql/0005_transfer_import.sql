-- Transfer import (SPEC §5 `transfers`): the rows of a file, staged by the session in
-- transfer_staging (see TransferImport.swift) with their region resolved and their accounts
-- opened or created, are posted through ww_post_transfer, the ledger's single door, one at a time
-- in order of occurred_at then line, from one statement and without a client round trip per row.
--
-- One exception block around the whole loop (not one per row, which would open a subtransaction
-- per transfer) turns any refusal into the same error with the line that caused it: an overdraft
-- stays a conflict (HINT 'conflict'), and the transaction rolls the whole file back.
CREATE FUNCTION ww_post_staged_transfers()
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
