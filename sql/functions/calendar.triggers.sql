-- From here on every change to calendar_days keeps the index (and the deadlines) current.
CREATE OR REPLACE TRIGGER calendar_days_inserted AFTER INSERT ON calendar_days
    REFERENCING NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();

CREATE OR REPLACE TRIGGER calendar_days_updated AFTER UPDATE ON calendar_days
    REFERENCING OLD TABLE AS old_days NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();

CREATE OR REPLACE TRIGGER calendar_days_deleted AFTER DELETE ON calendar_days
    REFERENCING OLD TABLE AS old_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();

CREATE OR REPLACE TRIGGER calendar_days_truncated AFTER TRUNCATE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION ww_calendar_days_changed();
