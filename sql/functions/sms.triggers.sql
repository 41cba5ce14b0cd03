-- SPEC §10 N1: SMS events in the transaction of the change (sql/functions/sms.sql).
CREATE OR REPLACE TRIGGER complaints_sms_recorded AFTER INSERT ON complaints REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_sms_complaints_inserted();

CREATE OR REPLACE TRIGGER complaints_sms_decided AFTER UPDATE ON complaints
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_sms_complaints_decided();

CREATE OR REPLACE TRIGGER cases_sms_closed AFTER UPDATE ON cases
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_sms_cases_closed();
