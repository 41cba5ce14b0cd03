-- The complainant is told by SMS (SPEC §10 N1), and wage accounts' bank statements are
-- reconciled with the ledger (SPEC §10 R13); issue 20, items 1 and 4.

-- ───── N1: SMS through the escalation outbox ─────
-- The outbox carries a second channel: `sms` rows, one per (complaint, event), raised by
-- triggers on complaints and cases in the transaction of the change (sql/functions/sms.sql) and
-- sent on by the same delivery job (`escalations deliver`), claimed the same way.
ALTER TABLE escalation_outbox
    ADD COLUMN channel text NOT NULL DEFAULT 'escalation' CHECK (channel IN ('escalation', 'sms')),
    ADD COLUMN complaint_id bigint,
    ALTER COLUMN escalation_id DROP NOT NULL;
ALTER TABLE escalation_outbox DROP CONSTRAINT escalation_outbox_event_check;
ALTER TABLE escalation_outbox ADD CONSTRAINT escalation_outbox_event_check CHECK (
    (channel = 'escalation' AND escalation_id IS NOT NULL AND event IN ('raised', 'level_changed', 'reminder'))
    OR (channel = 'sms' AND complaint_id IS NOT NULL AND event IN ('recorded', 'decided', 'closed')));
-- Exactly once per event: a complaint is recorded, decided and closed once each.
CREATE UNIQUE INDEX escalation_outbox_sms_once ON escalation_outbox (region_code, complaint_id, event)
    WHERE channel = 'sms';

-- ───── R13: bank statements of wage accounts ─────
-- One row per line of a wage account's bank statement (`import bank FILE --account wage:CODE`),
-- kept once: `line_hash` is the hash of the line's own fields, so importing the same statement
-- again, or one that overlaps it, adds nothing. `transfer_id` is the ledger transfer the line was
-- matched to (SPEC §10: same amount and direction, booked within 2 working days, the reference
-- equal to the transfer's key when given); a transfer is matched to one line at most.
CREATE TABLE bank_statement_lines (
    region_code          text NOT NULL,
    id                   bigint GENERATED ALWAYS AS IDENTITY,
    account_id           bigint NOT NULL,
    line_hash            text NOT NULL,
    booked_on            date NOT NULL,
    amount_fen           bigint NOT NULL CHECK (amount_fen > 0),
    direction            text NOT NULL CHECK (direction IN ('credit', 'debit')),
    counterparty_name    text,
    counterparty_account text,
    reference            text,
    balance_after_fen    bigint NOT NULL,
    transfer_id          bigint,
    matched_at           timestamptz,
    imported_at          timestamptz NOT NULL DEFAULT now(),
    imported_by          text NOT NULL DEFAULT ww_actor(),
    PRIMARY KEY (region_code, id),
    UNIQUE (region_code, account_id, line_hash),
    UNIQUE (region_code, transfer_id),
    FOREIGN KEY (region_code, account_id) REFERENCES ledger_accounts (region_code, id),
    CHECK ((transfer_id IS NULL) = (matched_at IS NULL))
);

CREATE INDEX bank_statement_lines_account ON bank_statement_lines (region_code, account_id, booked_on);

-- The counterparty's bank account is masked for everyone but inspectors and administrators (§6).
INSERT INTO pii_columns (table_name, column_name, kind) VALUES ('bank_statement_lines', 'counterparty_account', 'bank_account');

-- Read as transfers are; written only through the door ww_import_bank_lines (sql/functions/bank.sql).
INSERT INTO app_grants (table_name, role, privileges) VALUES
    ('bank_statement_lines', 'inspector', '{SELECT}'),
    ('bank_statement_lines', 'official', '{SELECT}'),
    ('bank_statement_lines', 'admin', '{SELECT}');
