-- Orders to pay wages by a deadline (责令限期支付, SPEC S2): blacklisting a contractor needs a
-- recorded order whose deadline it missed. Orders are never deleted; a wrong one is superseded
-- by a new order.

CREATE TABLE payment_orders (
    region_code text NOT NULL CHECK (region_code ~ '^[1-9][0-9]{5}$'),
    id          bigint GENERATED ALWAYS AS IDENTITY,
    employer_id bigint NOT NULL,
    case_id     bigint,
    amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
    issued_on   date NOT NULL,
    deadline    date NOT NULL,
    basis       text NOT NULL CHECK (length(basis) > 0),
    issued_by   text NOT NULL DEFAULT ww_actor(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_code, id),
    FOREIGN KEY (region_code, employer_id) REFERENCES employers (region_code, id),
    FOREIGN KEY (region_code, case_id) REFERENCES cases (region_code, id),
    CHECK (deadline >= issued_on)
);
CREATE INDEX payment_orders_employer ON payment_orders (region_code, employer_id, deadline);

CREATE INDEX sanctions_employer ON sanctions (region_code, employer_id, measure);

DO $$
BEGIN
    CREATE TRIGGER payment_orders_audit_insert AFTER INSERT ON payment_orders REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert();
    CREATE TRIGGER payment_orders_audit_update AFTER UPDATE ON payment_orders
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update();
    CREATE TRIGGER payment_orders_no_delete BEFORE DELETE ON payment_orders
        FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete();
    CREATE TRIGGER payment_orders_no_truncate BEFORE TRUNCATE ON payment_orders
        FOR EACH STATEMENT EXECUTE FUNCTION ww_refuse_delete();
END $$;
