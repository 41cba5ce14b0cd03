-- Direct pay's maker-checker, held by the database (issue 21, finding 2). A batch is planned,
-- approved by another user, executed — in that order and by the people the rows name: the
-- planner and the approver are the acting roles themselves (ww_actor; only the service account,
-- a superuser session, records names it is given). Once planned, a batch's project, period,
-- source, total and planner never change, and lines are added only while it is still planned;
-- a line's worker, bank account and amount never change, and its status only moves on
-- (pending → paid → returned). Approval checks that the lines add up to the batch's total.
CREATE OR REPLACE FUNCTION ww_direct_pay_batch_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_service boolean := ww_service_account();
    v_sum bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'planned' OR NEW.approved_by IS NOT NULL OR NEW.approved_at IS NOT NULL OR NEW.executed_at IS NOT NULL THEN
            RAISE EXCEPTION 'a direct-pay batch starts planned, neither approved nor executed'
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        IF NOT v_service AND NEW.planned_by IS DISTINCT FROM ww_actor() THEN
            RAISE EXCEPTION 'planned_by: "%" is not who plans it (%)', NEW.planned_by, ww_actor()
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.region_code, NEW.id, NEW.project_id, NEW.period, NEW.source, NEW.total_fen, NEW.planned_by, NEW.planned_at)
       IS DISTINCT FROM (OLD.region_code, OLD.id, OLD.project_id, OLD.period, OLD.source, OLD.total_fen, OLD.planned_by, OLD.planned_at) THEN
        RAISE EXCEPTION 'direct-pay batch %: what was planned never changes; plan a new batch', OLD.id
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF OLD.status = 'planned' AND NEW.status = 'approved' THEN
        IF NOT v_service AND NEW.approved_by IS DISTINCT FROM ww_actor() THEN
            RAISE EXCEPTION 'approved_by: "%" is not who approves it (%)', NEW.approved_by, ww_actor()
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        IF NEW.approved_by = OLD.planned_by THEN
            RAISE EXCEPTION 'batch % was planned by %; another user must approve it (maker-checker)', OLD.id, OLD.planned_by
                USING ERRCODE = '42501', HINT = 'denied';
        END IF;
        SELECT coalesce(sum(l.amount_fen), 0) INTO v_sum FROM direct_pay_lines l
        WHERE l.region_code = OLD.region_code AND l.batch_id = OLD.id;
        IF v_sum <> OLD.total_fen THEN
            RAISE EXCEPTION 'batch %: its lines add up to % fen, not the planned total % fen', OLD.id, v_sum, OLD.total_fen
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        IF NOT v_service THEN
            NEW.approved_at := now();
        END IF;
    ELSIF OLD.status = 'approved' AND NEW.status = 'executed' THEN
        IF (NEW.approved_by, NEW.approved_at) IS DISTINCT FROM (OLD.approved_by, OLD.approved_at) THEN
            RAISE EXCEPTION 'batch %: its approval never changes', OLD.id USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
    ELSIF NEW IS DISTINCT FROM OLD THEN
        RAISE EXCEPTION 'batch % is %: it moves only planned → approved → executed', OLD.id, OLD.status
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION ww_direct_pay_line_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_status text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT b.status INTO v_status FROM direct_pay_batches b WHERE b.region_code = NEW.region_code AND b.id = NEW.batch_id;
        IF v_status IS DISTINCT FROM 'planned' OR NEW.status <> 'pending' OR NEW.transfer_id IS NOT NULL THEN
            RAISE EXCEPTION 'direct-pay batch %: lines are added only while it is planned, as pending', NEW.batch_id
                USING ERRCODE = 'P0001', HINT = 'conflict';
        END IF;
        RETURN NEW;
    END IF;
    IF (NEW.region_code, NEW.id, NEW.batch_id, NEW.line_no, NEW.project_id, NEW.period, NEW.worker_id, NEW.id_number,
        NEW.worker_name, NEW.bank, NEW.bank_account, NEW.amount_fen)
       IS DISTINCT FROM (OLD.region_code, OLD.id, OLD.batch_id, OLD.line_no, OLD.project_id, OLD.period, OLD.worker_id,
                         OLD.id_number, OLD.worker_name, OLD.bank, OLD.bank_account, OLD.amount_fen) THEN
        RAISE EXCEPTION 'direct-pay batch % line %: who is paid, where and how much never change', OLD.batch_id, OLD.line_no
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF NOT ((OLD.status = 'pending' AND NEW.status = 'paid' AND NEW.transfer_id IS NOT NULL)
            OR (OLD.status = 'paid' AND NEW.status = 'returned' AND NEW.returned_transfer_id IS NOT NULL)
            OR NEW IS NOT DISTINCT FROM OLD) THEN
        RAISE EXCEPTION 'direct-pay batch % line %: a line moves only pending → paid → returned', OLD.batch_id, OLD.line_no
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF OLD.status = 'pending' AND NEW.status = 'paid'
       AND (SELECT b.status FROM direct_pay_batches b WHERE b.region_code = OLD.region_code AND b.id = OLD.batch_id) <> 'approved' THEN
        RAISE EXCEPTION 'direct-pay batch % is not approved: nothing of it is paid (maker-checker)', OLD.batch_id
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN NEW;
END $$;

-- ───── The doors (issue 21, "writes only through doors"; SPEC D1–D4) ─────
-- Inspectors and administrators hold no INSERT or UPDATE on direct_pay_orders, _batches or
-- _lines (sql/0015_decision_pay_sanction_doors.sql): ordering, planning, approving, executing and recording a
-- returned payment are these functions, which run as the schema's owner and check who may
-- (ww_door_scope: the EXECUTE grant, the invoker's users row, role, group and region), the state
-- of the batch, and the rule. The lines are computed here from the payroll, never taken from the
-- caller; the planner and the approver are the acting roles (ww_actor) — only the service account,
-- a superuser session, records a name it is given (p_as), as the guards above allow. The guards
-- stay: they hold the same rules against the owner's own writes.

-- D2: what each worker on a project's payroll for a month is still owed by direct pay: wage due −
-- wage paid − what earlier batches paid (a returned payment frees it again). The one definition
-- the plan door computes lines from and the desk reads the exceptions (unsigned, no bank account)
-- from; it reads with the caller's rights.
CREATE OR REPLACE FUNCTION ww_direct_pay_owed(p_region text, p_project bigint, p_period date)
RETURNS TABLE (worker_id bigint, id_number text, id_number_masked text, name text, bank text, bank_account text,
               signed boolean, owed_fen bigint, payable boolean)
LANGUAGE sql STABLE AS $$
    SELECT w.id, w.id_number, w.id_number_masked, w.name, w.bank, w.bank_account, pr.signed, o.owed,
           pr.signed AND w.bank IS NOT NULL AND w.bank_account IS NOT NULL
    FROM payroll pr
    JOIN workers w ON w.region_code = pr.region_code AND w.id = pr.worker_id
    CROSS JOIN LATERAL (
        SELECT (pr.wage_due_fen - pr.wage_paid_fen
                - coalesce((SELECT sum(l.amount_fen) FROM direct_pay_lines l
                            WHERE l.region_code = pr.region_code AND l.project_id = pr.project_id
                              AND l.period = pr.period AND l.worker_id = pr.worker_id AND l.status <> 'returned'), 0))::bigint AS owed) o
    WHERE pr.region_code = p_region AND pr.project_id = p_project AND pr.period = p_period AND o.owed > 0
$$;

-- The project a direct-pay door works on, locked, once the invoker may do `p_doing`: its code and
-- whether it is in direct-pay mode. Another region's project is not there for them.
CREATE OR REPLACE FUNCTION ww_direct_pay_project(p_region text, p_project bigint, p_doing text, OUT o_code text, OUT o_mode boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], '%s do not ' || p_doing);
BEGIN
    SELECT p.code, p.direct_pay_mode INTO o_code, o_mode FROM projects p
    WHERE p.region_code = p_region AND p.id = p_project FOR UPDATE;
    IF NOT FOUND OR (v_scope IS NOT NULL AND v_scope NOT IN ('*', p_region)) THEN
        RAISE EXCEPTION 'project: no project % in region %', p_project, p_region USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
END $$;
REVOKE ALL ON FUNCTION ww_direct_pay_project(text, bigint, text) FROM PUBLIC;

-- D1: an inspector's order puts a project into direct-pay mode (a sector's confirmation does it
-- through ww_review_flag). `p_flag`, when given, must be a flag of that project.
CREATE OR REPLACE FUNCTION ww_order_direct_pay(p_region text, p_project bigint, p_basis text, p_flag bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_p record;
    v_id bigint;
BEGIN
    SELECT * INTO v_p FROM ww_direct_pay_project(p_region, p_project, 'order direct pay');
    IF btrim(coalesce(p_basis, '')) = '' THEN
        RAISE EXCEPTION 'basis: "%" is required for a direct-pay order', coalesce(p_basis, '') USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_flag IS NOT NULL AND NOT EXISTS (SELECT 1 FROM flags f WHERE f.region_code = p_region AND f.id = p_flag AND f.project_id = p_project) THEN
        RAISE EXCEPTION 'flag: "%" is not a flag of project %', p_flag, v_p.o_code USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF v_p.o_mode THEN
        RAISE EXCEPTION 'project % is already in direct-pay mode', v_p.o_code USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO direct_pay_orders (region_code, project_id, basis, flag_id, ordered_by, ordered_at)
    VALUES (p_region, p_project, btrim(p_basis), p_flag, ww_actor(), now()) RETURNING id INTO v_id;
    UPDATE projects SET direct_pay_mode = true WHERE region_code = p_region AND id = p_project;
    RETURN v_id;
END $$;

-- Ends direct-pay mode by a recorded decision: who, when and why, on the orders in force.
CREATE OR REPLACE FUNCTION ww_clear_direct_pay(p_region text, p_project bigint, p_reason text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_p record;
BEGIN
    SELECT * INTO v_p FROM ww_direct_pay_project(p_region, p_project, 'end direct pay');
    IF btrim(coalesce(p_reason, '')) = '' THEN
        RAISE EXCEPTION 'reason: "%" is required to end direct pay', coalesce(p_reason, '') USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF NOT v_p.o_mode THEN
        RAISE EXCEPTION 'project % is not in direct-pay mode', v_p.o_code USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    UPDATE direct_pay_orders SET cleared_at = now(), cleared_by = ww_actor(), clear_reason = btrim(p_reason)
    WHERE region_code = p_region AND project_id = p_project AND cleared_at IS NULL;
    UPDATE projects SET direct_pay_mode = false WHERE region_code = p_region AND id = p_project;
END $$;

-- D2: plans the batch of (project, month): one line per worker owed anything whose payroll line
-- is signed and who has a bank account, numbered in ID-number order, paid from the wage account
-- when it is open, else from the project's fund; refused when nothing is payable or the total
-- exceeds what that account holds. Returns the batch.
CREATE OR REPLACE FUNCTION ww_plan_direct_pay(p_region text, p_project bigint, p_period date, p_as text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_p record;
    v_month text := to_char(p_period, 'YYYY-MM');
    v_total bigint;
    v_lines integer;
    v_exceptions integer;
    v_source text := 'wage';
    v_available bigint;
    v_batch bigint;
BEGIN
    SELECT * INTO v_p FROM ww_direct_pay_project(p_region, p_project, 'plan direct-pay batches');
    IF p_period IS NULL OR extract(day FROM p_period) <> 1 THEN
        RAISE EXCEPTION 'period: "%" is not a month', p_period USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF NOT v_p.o_mode THEN
        RAISE EXCEPTION 'project % is not in direct-pay mode: confirm a red flag with direct_pay, or order it with `wagewatch directpay order % --basis …`',
            v_p.o_code, v_p.o_code USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    SELECT coalesce(sum(o.owed_fen) FILTER (WHERE o.payable), 0), count(*) FILTER (WHERE o.payable), count(*) FILTER (WHERE NOT o.payable)
    INTO v_total, v_lines, v_exceptions
    FROM ww_direct_pay_owed(p_region, p_project, p_period) o;
    IF v_lines = 0 THEN
        RAISE EXCEPTION 'nothing to pay for % in %: no signed payroll line is owed anything%', v_p.o_code, v_month,
            CASE WHEN v_exceptions > 0 THEN format(' (%s exception(s))', v_exceptions) ELSE '' END
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    SELECT a.balance_fen INTO v_available FROM ledger_accounts a WHERE a.region_code = p_region AND a.kind = 'wage' AND a.ref = v_p.o_code;
    IF NOT FOUND THEN
        v_source := 'fund';
        v_available := coalesce((SELECT a.balance_fen FROM ledger_accounts a
                                 WHERE a.region_code = p_region AND a.kind = 'fund' AND a.ref = v_p.o_code), 0);
    END IF;
    IF v_total > v_available THEN
        RAISE EXCEPTION 'the batch needs ¥% but the % holds ¥%', ww_yuan(v_total),
            CASE v_source WHEN 'wage' THEN 'wage account' ELSE 'project fund' END, ww_yuan(v_available)
            USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    INSERT INTO direct_pay_batches (region_code, project_id, period, source, total_fen, planned_by)
    VALUES (p_region, p_project, p_period, v_source, v_total,
            CASE WHEN ww_service_account() THEN coalesce(p_as, ww_actor()) ELSE ww_actor() END)
    RETURNING id INTO v_batch;
    INSERT INTO direct_pay_lines (region_code, batch_id, line_no, project_id, period, worker_id, id_number,
                                  worker_name, bank, bank_account, amount_fen)
    SELECT p_region, v_batch, row_number() OVER (ORDER BY o.id_number), p_project, p_period, o.worker_id, o.id_number,
           o.name, o.bank, o.bank_account, o.owed_fen
    FROM ww_direct_pay_owed(p_region, p_project, p_period) o WHERE o.payable;
    RETURN v_batch;
END $$;

-- The batch a door works on, locked: its row with its project's code, once the invoker may do
-- `p_doing` as one of `p_roles`. Another region's batch is not there for them.
CREATE OR REPLACE FUNCTION ww_direct_pay_batch(p_batch bigint, p_roles text[], p_doing text)
RETURNS TABLE (region_code text, status text, source text, period date, planned_by text, code text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(p_roles, format('batch %s: %%s do not %s', p_batch, p_doing));
BEGIN
    RETURN QUERY
    SELECT b.region_code, b.status, b.source, b.period, b.planned_by, p.code
    FROM direct_pay_batches b JOIN projects p ON p.region_code = b.region_code AND p.id = b.project_id
    WHERE b.id = p_batch AND (v_scope IS NULL OR v_scope IN ('*', b.region_code))
    FOR UPDATE OF b;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no direct-pay batch %', p_batch USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
END $$;
REVOKE ALL ON FUNCTION ww_direct_pay_batch(bigint, text[], text) FROM PUBLIC;

-- D3: approval by someone other than the planner: an inspector, an administrator, or a bureau
-- head (official), of the batch's region.
CREATE OR REPLACE FUNCTION ww_approve_direct_pay(p_batch bigint, p_as text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_b record;
    v_approver text := CASE WHEN ww_service_account() THEN coalesce(p_as, ww_actor()) ELSE ww_actor() END;
BEGIN
    SELECT * INTO v_b FROM ww_direct_pay_batch(p_batch, ARRAY['inspector', 'official', 'admin'], 'approve direct-pay batches');
    IF v_b.status <> 'planned' THEN
        RAISE EXCEPTION 'batch % is already %', p_batch, v_b.status USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    IF v_b.planned_by = v_approver THEN
        RAISE EXCEPTION 'batch % was planned by %; another user must approve it (maker-checker)', p_batch, v_approver
            USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    UPDATE direct_pay_batches SET status = 'approved', approved_by = v_approver, approved_at = now()
    WHERE region_code = v_b.region_code AND id = p_batch;
END $$;

-- D3, D4, C6: pays every pending line of an approved batch in the caller's transaction, through
-- the ledger's door (keys from batch and line, so nothing is paid twice), and records each payment
-- as a recovery on the worker's open case. A second execution is a no-op: it returns true.
-- `p_at` is when the money moved, kept only for the service account (ww_clock).
CREATE OR REPLACE FUNCTION ww_execute_direct_pay(p_batch bigint, p_at timestamptz DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_b record;
    v_l record;
    v_from bigint;
    v_transfer bigint;
    v_at timestamptz := ww_clock(p_at);
BEGIN
    SELECT * INTO v_b FROM ww_direct_pay_batch(p_batch, ARRAY['inspector', 'admin'], 'execute direct-pay batches');
    IF v_b.status = 'executed' THEN
        RETURN true;
    END IF;
    IF v_b.status <> 'approved' THEN
        RAISE EXCEPTION 'batch % is not approved yet (maker-checker)', p_batch USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    v_from := ww_implicit_account(v_b.region_code, v_b.source, v_b.code);
    IF v_from IS NULL THEN
        RAISE EXCEPTION 'batch %: %:% is not open', p_batch, v_b.source, v_b.code USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    FOR v_l IN SELECT l.line_no, l.id_number, l.amount_fen FROM direct_pay_lines l
               WHERE l.region_code = v_b.region_code AND l.batch_id = p_batch AND l.status = 'pending' ORDER BY l.line_no LOOP
        SELECT t.o_id INTO v_transfer FROM ww_post_transfer(
            v_b.region_code, 'directpay:' || p_batch || ':' || v_l.line_no, v_from,
            ww_implicit_account(v_b.region_code, 'worker', v_l.id_number), v_l.amount_fen, v_at,
            to_char(v_b.period, 'YYYY-MM') || '工资代付到人（批次' || p_batch || '第' || v_l.line_no || '行）') t;
        UPDATE direct_pay_lines SET status = 'paid', transfer_id = v_transfer
        WHERE region_code = v_b.region_code AND batch_id = p_batch AND line_no = v_l.line_no;
        PERFORM ww_record_direct_pay_recovery(p_batch, v_l.line_no);
    END LOOP;
    UPDATE direct_pay_batches SET status = 'executed', executed_at = now() WHERE region_code = v_b.region_code AND id = p_batch;
    RETURN false;
END $$;

-- D4: a payment the bank returned goes back to the wage account (the project's fund when it has
-- none), held for the worker, and the line says why.
CREATE OR REPLACE FUNCTION ww_return_direct_pay_line(p_batch bigint, p_line integer, p_reason text, p_at timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_b record;
    v_l record;
    v_to bigint;
    v_transfer bigint;
BEGIN
    SELECT * INTO v_b FROM ww_direct_pay_batch(p_batch, ARRAY['inspector', 'admin'], 'record returned payments');
    IF btrim(coalesce(p_reason, '')) = '' THEN
        RAISE EXCEPTION 'reason: "%" is required', coalesce(p_reason, '') USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    SELECT l.status, l.id_number, l.id_number_masked, l.amount_fen INTO v_l FROM direct_pay_lines l
    WHERE l.region_code = v_b.region_code AND l.batch_id = p_batch AND l.line_no = p_line FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'line: no line % in batch %', p_line, p_batch USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    IF v_l.status <> 'paid' THEN
        RAISE EXCEPTION 'line % of batch % is %, not paid', p_line, p_batch, v_l.status USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    v_to := coalesce(ww_implicit_account(v_b.region_code, 'wage', v_b.code), ww_implicit_account(v_b.region_code, 'fund', v_b.code));
    SELECT t.o_id INTO v_transfer FROM ww_post_transfer(
        v_b.region_code, 'directpay-returned:' || p_batch || ':' || p_line,
        ww_implicit_account(v_b.region_code, 'worker', v_l.id_number), v_to, v_l.amount_fen, ww_clock(p_at),
        '代付退回，为农民工' || v_l.id_number_masked || '保留：' || btrim(p_reason)) t;
    UPDATE direct_pay_lines SET status = 'returned', returned_reason = btrim(p_reason), returned_transfer_id = v_transfer
    WHERE region_code = v_b.region_code AND batch_id = p_batch AND line_no = p_line;
    RETURN v_transfer;
END $$;
