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
