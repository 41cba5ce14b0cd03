-- Direct pay of migrant wages from project funds (代付到人, SPEC D1–D4).

-- D1: why a project is in direct-pay mode, and the decision that ended it.
CREATE TABLE direct_pay_orders (
    region_code text NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    project_id  bigint NOT NULL,
    basis       text NOT NULL CHECK (length(basis) > 0),
    flag_id     bigint,
    ordered_by  text NOT NULL DEFAULT ww_actor(),
    ordered_at  timestamptz NOT NULL DEFAULT now(),
    cleared_at  timestamptz,
    cleared_by  text,
    clear_reason text,
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, project_id) REFERENCES projects (region_code, id)
);

CREATE TABLE direct_pay_batches (
    region_code  text NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    project_id   bigint NOT NULL,
    period       date NOT NULL CHECK (extract(day FROM period) = 1),
    status       text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'approved', 'executed')),
    source       text NOT NULL CHECK (source IN ('wage', 'fund')),
    total_fen    bigint NOT NULL CHECK (total_fen > 0),
    planned_by   text NOT NULL,
    planned_at   timestamptz NOT NULL DEFAULT now(),
    approved_by  text,
    approved_at  timestamptz,
    executed_at  timestamptz,
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, project_id) REFERENCES projects (region_code, id),
    -- D3: maker-checker.
    CHECK (approved_by IS NULL OR approved_by <> planned_by)
);
CREATE INDEX direct_pay_batches_id ON direct_pay_batches (id);

CREATE TABLE direct_pay_lines (
    region_code  text NOT NULL,
    id           bigint GENERATED ALWAYS AS IDENTITY,
    batch_id     bigint NOT NULL,
    line_no      integer NOT NULL,
    project_id   bigint NOT NULL,
    period       date NOT NULL,
    worker_id    bigint NOT NULL,
    id_number    text NOT NULL,
    worker_name  text NOT NULL,
    bank         text NOT NULL,
    bank_account text NOT NULL,
    amount_fen   bigint NOT NULL CHECK (amount_fen > 0),
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'returned')),
    transfer_id  bigint,
    returned_reason text,
    returned_transfer_id bigint,
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, batch_id, line_no),
    FOREIGN KEY (region_code, batch_id) REFERENCES direct_pay_batches (region_code, id)
);
-- D3: a worker is never paid twice for one period, across batches (a returned payment frees it).
CREATE UNIQUE INDEX direct_pay_once ON direct_pay_lines (region_code, project_id, period, worker_id)
    WHERE status <> 'returned';

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['direct_pay_orders', 'direct_pay_batches', 'direct_pay_lines'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()', t || '_audit_update', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_delete', t);
    END LOOP;
END $$;
