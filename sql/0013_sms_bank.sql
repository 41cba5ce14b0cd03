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
