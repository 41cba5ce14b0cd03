-- Who resolved an escalation, beside who acknowledged it (issue 21, finding 5): written by the
-- database from the acting role (sql/functions/escalations_guard.sql), never by the caller.
ALTER TABLE escalations ADD COLUMN resolved_by text;
