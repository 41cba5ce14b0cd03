-- A tamper-evident, append-only audit log (SPEC §6).
--
-- Every audit row carries its position in one chain (seq: 1, 2, 3, … with no gaps), the hash of
-- the row before it (prev_hash; 32 zero bytes for the first) and its own hash:
--
--     hash = sha256(prev_hash || sha256(ww_audit_canonical(seq, id, at, actor, table_name, action,
--                                                          row_key, before, after)))
--
-- so changing, removing or reordering any row breaks the chain at that row, and `wagewatch audit
-- verify` finds it. Appends are serialised by one chain-head row locked FOR UPDATE until commit:
-- two transactions never fork the chain, and a rolled-back transaction appends nothing. The
-- writers stay set-based: one INSERT per audited statement into the transaction's staging, and
-- one INSERT per transaction, at COMMIT, that hashes and chains everything staged (see below).
--
-- The writers run as the owner of these functions (SECURITY DEFINER), so no application role
-- needs any privilege on audit_log; only its owner or a superuser can change it, by disabling
-- its triggers, and that is what the hash chain is for.

-- Who is acting. Inside a SECURITY DEFINER function current_user is the function's owner, but
-- the `role` setting still names the role the session SET ROLE to, so this works in the
-- audit writers as well as in column defaults: the role set by `--as` (or the web desk's SET
-- LOCAL ROLE) when there is one; else, for the service account (a superuser login: cron, the
-- embedded cluster's owner), the name the CLI set for the session; else the login itself. A
-- user's own login cannot name anyone else: `wagewatch.actor` is read only for a superuser.
CREATE OR REPLACE FUNCTION ww_actor() RETURNS text
    LANGUAGE sql STABLE
    AS $$
    SELECT CASE WHEN current_setting('role') <> 'none' THEN current_setting('role')
                WHEN ww_superuser_session()
                    THEN coalesce(nullif(current_setting('wagewatch.actor', true), ''), session_user::text)
                ELSE session_user::text END
$$;

-- The writers ask who is acting once per statement: ww_actor() per row (for the service account
-- a look-up in pg_roles each time) cost more than the row's JSON.
CREATE OR REPLACE FUNCTION ww_audit_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_rows bigint;
    v_actor text := ww_actor();
BEGIN
    PERFORM ww_audit_stage_ready();
    INSERT INTO pg_temp.ww_audit_staging (at, actor, table_name, action, row_key, before, after)
    SELECT now(), v_actor, TG_TABLE_NAME, 'insert', n.id::text, NULL, to_jsonb(n)
    FROM new_rows n ORDER BY n.id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows > 0 THEN
        PERFORM ww_audit_stage_pending();
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ww_audit_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_rows bigint;
    v_actor text := ww_actor();
BEGIN
    PERFORM ww_audit_stage_ready();
    INSERT INTO pg_temp.ww_audit_staging (at, actor, table_name, action, row_key, before, after)
    SELECT now(), v_actor, TG_TABLE_NAME, 'update', d.id::text, d.before, d.after
    FROM (SELECT n.id, to_jsonb(o) AS before, to_jsonb(n) AS after
          FROM new_rows n JOIN old_rows o USING (id)) d
    WHERE d.before IS DISTINCT FROM d.after
    ORDER BY d.id;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows > 0 THEN
        PERFORM ww_audit_stage_pending();
    END IF;
    RETURN NULL;
END $$;

-- Nothing in the case store is ever deleted (C1): refuse DELETE and TRUNCATE outright.
CREATE OR REPLACE FUNCTION ww_refuse_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted; record a new decision instead', TG_TABLE_NAME
        USING ERRCODE = 'P0001', HINT = 'conflict';
END $$;

-- The canonical text of an audit row, the one definition both the writers and verification
-- hash: fields in a fixed order separated by commas, numbers in their plain form, the time as
-- seconds since the epoch (independent of the session's TimeZone and DateStyle), and every text
-- or JSON value quoted with quote_nullable (so NULL, the string 'NULL' and JSON null differ and
-- no value can imitate a separator). jsonb's text form is canonical: keys sorted, one spacing.
CREATE OR REPLACE FUNCTION ww_audit_canonical(
    p_seq bigint, p_id bigint, p_at timestamptz, p_actor text, p_table_name text, p_action text,
    p_row_key text, p_before jsonb, p_after jsonb)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT 'wagewatch-audit-v1,' || p_seq::text || ',' || p_id::text || ','
        || extract(epoch FROM p_at)::text || ',' || quote_nullable(p_actor) || ','
        || quote_nullable(p_table_name) || ',' || quote_nullable(p_action) || ','
        || quote_nullable(p_row_key) || ',' || quote_nullable(p_before::text) || ','
        || quote_nullable(p_after::text)
$$;

-- sha256 of the canonical text, as UTF-8 bytes.
CREATE OR REPLACE FUNCTION ww_audit_content_hash(
    p_seq bigint, p_id bigint, p_at timestamptz, p_actor text, p_table_name text, p_action text,
    p_row_key text, p_before jsonb, p_after jsonb)
RETURNS bytea LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT sha256(convert_to(
        ww_audit_canonical(p_seq, p_id, p_at, p_actor, p_table_name, p_action, p_row_key, p_before, p_after),
        'UTF8'))
$$;

-- One link of the chain: a row's hash from the previous row's hash and its own content hash.
CREATE OR REPLACE FUNCTION ww_audit_link(p_prev_hash bytea, p_content_hash bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT sha256(p_prev_hash || p_content_hash) $$;

-- The chain as a running aggregate: ww_audit_chain(content_hash, seed) OVER (ORDER BY seq) is
-- each row's hash, starting from `seed` (the hash of the row before the first one). The step is
-- PL/pgSQL: a transition function is never inlined, and PL/pgSQL evaluates this one expression
-- on its fast path, where a SQL function starts an executor for every row.
CREATE OR REPLACE FUNCTION ww_audit_chain_step(p_state bytea, p_content_hash bytea, p_seed bytea) RETURNS bytea
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$ BEGIN RETURN sha256(coalesce(p_state, p_seed) || p_content_hash); END $$;

CREATE OR REPLACE AGGREGATE ww_audit_chain(bytea, bytea) (SFUNC = ww_audit_chain_step, STYPE = bytea);

-- The hash before the first row.
CREATE OR REPLACE FUNCTION ww_audit_genesis() RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea $$;

-- The writers. A statement-level trigger stages the statement's rows, set-based, in a
-- temporary table of the session (one INSERT per statement, as before); the first staged row of
-- a transaction also queues a deferred trigger that fires once at COMMIT and appends everything
-- staged to the chain in one INSERT: lock the head, number, hash and chain the rows, advance the
-- head. The head's lock is thus taken last and held only while the transaction commits, so it
-- cannot join a lock cycle with the rows a transaction locked before (taking it at the first
-- audited statement and holding it through the rest of the transaction made concurrent hotline
-- intakes deadlock on complaint_counters), and a long import does not stop every other writer
-- until it ends. Under REPEATABLE READ or SERIALIZABLE, a head moved by a transaction that
-- committed after the snapshot was taken fails the COMMIT with 40001: retry the transaction.
--
-- The staging tables belong to the owner of these functions, so an application role can
-- neither read nor change what is staged; a table of the same name made by anyone else is
-- refused. While its marker row has a pending COMMIT trigger, PostgreSQL refuses to drop it
-- (so DISCARD TEMP cannot drop the staged rows either).
CREATE OR REPLACE FUNCTION ww_audit_stage_ready() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_owner name;
BEGIN
    SELECT pg_get_userbyid(c.relowner) INTO v_owner FROM pg_class c WHERE c.oid = to_regclass('pg_temp.ww_audit_staging');
    IF NOT FOUND THEN
        CREATE TEMP TABLE ww_audit_staging (
            ord        bigint GENERATED ALWAYS AS IDENTITY,
            at         timestamptz NOT NULL,
            actor      text NOT NULL,
            table_name text NOT NULL,
            action     text NOT NULL,
            row_key    text NOT NULL,
            before     jsonb,
            after      jsonb);
        -- The chain is built in staging order: read through this index, it needs no sort.
        CREATE INDEX ww_audit_staging_ord ON pg_temp.ww_audit_staging (ord);
        CREATE TEMP TABLE ww_audit_pending (pending boolean NOT NULL);
        CREATE CONSTRAINT TRIGGER ww_audit_chain_at_commit AFTER INSERT ON pg_temp.ww_audit_pending
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ww_audit_chain_staged();
    ELSIF v_owner IS DISTINCT FROM current_user THEN
        RAISE EXCEPTION 'refusing pg_temp.ww_audit_staging: it was not made by the audit writers';
    ELSIF NOT EXISTS (SELECT 1 FROM pg_temp.ww_audit_pending) THEN
        -- Nothing is staged in this transaction yet: start the session's long-lived tables
        -- afresh once the dead rows of earlier transactions add up (temporary tables are
        -- never vacuumed).
        IF pg_relation_size('pg_temp.ww_audit_staging') > 8 * 1024 * 1024 THEN
            TRUNCATE pg_temp.ww_audit_staging;
        END IF;
        IF pg_relation_size('pg_temp.ww_audit_pending') > 1024 * 1024 THEN
            TRUNCATE pg_temp.ww_audit_pending;
        END IF;
    END IF;
END $$;

-- Queues the COMMIT-time append once per transaction (again after it ran early, under SET
-- CONSTRAINTS … IMMEDIATE, since it deletes the marker when it runs).
CREATE OR REPLACE FUNCTION ww_audit_stage_pending() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    INSERT INTO pg_temp.ww_audit_pending (pending)
    SELECT true WHERE NOT EXISTS (SELECT 1 FROM pg_temp.ww_audit_pending);
END $$;

-- The COMMIT-time append: every row staged in this transaction, in the order staged (statement
-- by statement, each statement's rows in id order), chained on to the head in one INSERT.
-- JIT is off: a large import's estimates would compile this statement at every COMMIT.
CREATE OR REPLACE FUNCTION ww_audit_chain_staged() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET jit = off
    AS $$
DECLARE
    v_head audit_chain.head;
    v_rows bigint;
BEGIN
    DELETE FROM pg_temp.ww_audit_pending;
    PERFORM 1 FROM pg_temp.ww_audit_staging LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO STRICT v_head FROM audit_chain.head FOR UPDATE;
    -- Every window runs in staging order (ord, which seq follows), so the rows are read once in
    -- index order and never sorted: sorting a large import's rows twice made COMMIT grow faster
    -- than the import.
    WITH hashed AS (
        SELECT x.ord, v_head.last_seq + x.n AS seq, v_head.last_id + x.n AS id, x.at, x.actor, x.table_name,
               x.action, x.row_key, x.before, x.after,
               ww_audit_content_hash(v_head.last_seq + x.n, v_head.last_id + x.n, x.at, x.actor,
                                     x.table_name, x.action, x.row_key, x.before, x.after) AS content_hash
        FROM (SELECT row_number() OVER (ORDER BY s.ord) AS n, s.* FROM pg_temp.ww_audit_staging s) x
    ),
    chained AS (
        SELECT h.*, ww_audit_chain(h.content_hash, v_head.last_hash) OVER (ORDER BY h.ord) AS hash
        FROM hashed h
    ),
    inserted AS (
        INSERT INTO audit_log (id, seq, at, actor, table_name, action, row_key, before, after, prev_hash, hash)
        SELECT c.id, c.seq, c.at, c.actor, c.table_name, c.action, c.row_key, c.before, c.after,
               coalesce(lag(c.hash) OVER (ORDER BY c.ord), v_head.last_hash), c.hash
        FROM chained c
        RETURNING seq, id, hash
    )
    UPDATE audit_chain.head SET last_seq = i.seq, last_id = i.id, last_hash = i.hash
    FROM (SELECT seq, id, hash FROM inserted ORDER BY seq DESC LIMIT 1) i;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows <> 1 THEN
        RAISE EXCEPTION 'the audit chain head did not advance';
    END IF;
    DELETE FROM pg_temp.ww_audit_staging;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ww_audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'P0001', HINT = 'conflict';
END $$;

-- Verification, one keyset page at a time: the rows after (p_after_id, p_after_seq,
-- p_after_hash) in id order, recomputed with the writers' own functions. Returns how many rows
-- of the page are intact, the last intact row, whether the end of the log was reached, and the
-- first problem found:
--   gap                    a position is missing (a row was removed; at the end of the log,
--                          rows the chain head records are missing)
--   prev_hash_mismatch     the row does not follow the row before it
--   content_hash_mismatch  the row was changed after it was written
--   head_mismatch          the row is beyond, or the last row differs from, what the head records
-- It runs as the owner and returns no content (ids, positions, hashes), so every role may
-- check that the log is intact without being allowed to read it.
CREATE OR REPLACE FUNCTION ww_audit_verify_page(p_after_id bigint, p_after_seq bigint, p_after_hash bytea, p_limit integer)
RETURNS TABLE (rows_intact bigint, last_id bigint, last_seq bigint, last_hash bytea, finished boolean,
               broken_id bigint, problem text, detail text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    v_head audit_chain.head;
    v_rows bigint;
    v_bad_seq bigint;
    v_before_seq bigint;
BEGIN
    SELECT * INTO STRICT v_head FROM audit_chain.head;
    WITH page AS (
        SELECT a.id, a.seq, a.prev_hash, a.hash,
               lag(a.id, 1, p_after_id) OVER w AS before_id,
               lag(a.seq, 1, p_after_seq) OVER w AS before_seq,
               lag(a.hash, 1, p_after_hash) OVER w AS before_hash,
               ww_audit_link(a.prev_hash, ww_audit_content_hash(a.seq, a.id, a.at, a.actor, a.table_name,
                                                                a.action, a.row_key, a.before, a.after)) AS recomputed
        FROM (SELECT * FROM audit_log WHERE id > p_after_id ORDER BY id LIMIT p_limit) a
        WINDOW w AS (ORDER BY a.id)
    ),
    judged AS (
        SELECT p.id, p.seq, p.hash, p.before_id, p.before_seq, p.before_hash,
               CASE WHEN p.seq <> p.before_seq + 1 THEN 'gap'
                    WHEN p.prev_hash <> p.before_hash THEN 'prev_hash_mismatch'
                    WHEN p.hash <> p.recomputed THEN 'content_hash_mismatch'
                    WHEN p.seq > v_head.last_seq THEN 'head_mismatch' END AS problem
        FROM page p
    )
    -- The first broken row and what came before it, else the page's last row.
    SELECT c.n, b.id, b.seq, b.problem, b.before_seq,
           coalesce(b.before_id, l.id, p_after_id), coalesce(b.before_seq, l.seq, p_after_seq),
           coalesce(b.before_hash, l.hash, p_after_hash)
    INTO v_rows, broken_id, v_bad_seq, problem, v_before_seq, last_id, last_seq, last_hash
    FROM (SELECT count(*) AS n FROM judged) c
    LEFT JOIN LATERAL (SELECT * FROM judged j WHERE j.problem IS NOT NULL ORDER BY j.id LIMIT 1) b ON true
    LEFT JOIN LATERAL (SELECT * FROM judged j ORDER BY j.id DESC LIMIT 1) l ON true;

    rows_intact := last_seq - p_after_seq;
    IF broken_id IS NOT NULL THEN
        finished := true;
        detail := CASE problem
            WHEN 'gap' THEN CASE WHEN v_bad_seq > v_before_seq + 1
                THEN format('%s row(s) missing before row %s (position %s follows position %s)',
                            v_bad_seq - v_before_seq - 1, broken_id, v_bad_seq, v_before_seq)
                ELSE format('row %s is out of order (position %s follows position %s)',
                            broken_id, v_bad_seq, v_before_seq) END
            WHEN 'prev_hash_mismatch' THEN
                format('row %s does not follow the row before it (its prev_hash is not that row''s hash)', broken_id)
            WHEN 'content_hash_mismatch' THEN
                format('row %s was changed after it was written (its content does not match its hash)', broken_id)
            ELSE format('row %s (position %s) is beyond the chain head (position %s): written outside the audit writers',
                        broken_id, v_bad_seq, v_head.last_seq) END;
        RETURN NEXT;
        RETURN;
    END IF;

    -- At the end of the log, the last row must be the one the chain head records.
    finished := v_rows < p_limit;
    IF finished AND v_head.last_seq > last_seq THEN
        problem := 'gap';
        broken_id := v_head.last_id;
        detail := format('%s row(s) missing at the end: the chain head records row %s at position %s, the log ends at position %s',
                         v_head.last_seq - last_seq, v_head.last_id, v_head.last_seq, last_seq);
    ELSIF finished AND (v_head.last_id <> last_id OR v_head.last_hash <> last_hash) THEN
        problem := 'head_mismatch';
        broken_id := last_id;
        detail := format('the last row %s does not match the chain head (row %s)', last_id, v_head.last_id);
    END IF;
    RETURN NEXT;
END $$;

-- The writers' helpers run only inside the writers (as the owner).
REVOKE ALL ON FUNCTION ww_audit_stage_ready(), ww_audit_stage_pending() FROM PUBLIC;

-- The same writers for a table keyed by several columns (payroll, attendance, the calendar):
-- the trigger's arguments name the key columns, and the row key is their values joined by
-- ':'. Statement-level, from the transition tables, as the writers above.
CREATE OR REPLACE FUNCTION ww_audit_keyed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
DECLARE
    v_rows bigint;
    v_key text;
    v_actor text := ww_actor();
BEGIN
    PERFORM ww_audit_stage_ready();
    -- (key1 || ':' || key2 …) over the row's JSON: the key columns are fixed by the trigger.
    SELECT string_agg(format('(r.j ->> %L)', a), ' || '':'' || ') INTO v_key FROM unnest(TG_ARGV) a;
    IF TG_OP = 'INSERT' THEN
        EXECUTE format($q$
            INSERT INTO pg_temp.ww_audit_staging (at, actor, table_name, action, row_key, before, after)
            SELECT now(), $1, %L, 'insert', %s, NULL, r.j
            FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r ORDER BY 5$q$, TG_TABLE_NAME, v_key) USING v_actor;
    ELSE
        EXECUTE format($q$
            INSERT INTO pg_temp.ww_audit_staging (at, actor, table_name, action, row_key, before, after)
            SELECT now(), $1, %L, 'update', %s, o.j, r.j
            FROM (SELECT to_jsonb(n) AS j FROM new_rows n) r
            JOIN (SELECT to_jsonb(o) AS j FROM old_rows o) o ON %s = %s
            WHERE o.j IS DISTINCT FROM r.j ORDER BY 5$q$,
            TG_TABLE_NAME, v_key, replace(v_key, 'r.j', 'o.j'), v_key) USING v_actor;
    END IF;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows > 0 THEN
        PERFORM ww_audit_stage_pending();
    END IF;
    RETURN NULL;
END $$;

-- A change to one row's own columns (a wage account's bank and number): row-level, so that a
-- trigger can name the columns it watches and a balance posted by ww_post_transfer, which
-- changes only balance_fen, writes nothing here (the transfer itself is audited).
CREATE OR REPLACE FUNCTION ww_audit_row_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
    AS $$
BEGIN
    IF to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW) THEN
        PERFORM ww_audit_stage_ready();
        INSERT INTO pg_temp.ww_audit_staging (at, actor, table_name, action, row_key, before, after)
        VALUES (now(), ww_actor(), TG_TABLE_NAME, 'update', (to_jsonb(NEW) ->> 'id'), to_jsonb(OLD), to_jsonb(NEW));
        PERFORM ww_audit_stage_pending();
    END IF;
    RETURN NULL;
END $$;
