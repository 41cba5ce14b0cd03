-- Every table is audited (issue 21): what no trigger elsewhere covers. Payroll and attendance
-- record each change (a wage marked paid, a day taken away) and are never deleted; payroll's
-- rows are audited as they arrive too. Attendance's rows arrive by the million from imports of
-- the sign-in machines and are audited when changed, not when loaded. The calendar decides every
-- deadline: each day added or changed is audited. A wage account's bank and number are audited
-- when changed; its balance changes only by an audited transfer.
CREATE OR REPLACE TRIGGER payroll_audit_insert AFTER INSERT ON payroll REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_keyed('region_code', 'project_id', 'period', 'worker_id');
CREATE OR REPLACE TRIGGER payroll_audit_update AFTER UPDATE ON payroll REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_keyed('region_code', 'project_id', 'period', 'worker_id');
CREATE OR REPLACE TRIGGER attendance_audit_update AFTER UPDATE ON attendance REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_keyed('region_code', 'project_id', 'day', 'worker_id');
CREATE OR REPLACE TRIGGER calendar_days_audit_insert AFTER INSERT ON calendar_days REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_keyed('day');
CREATE OR REPLACE TRIGGER calendar_days_audit_update AFTER UPDATE ON calendar_days REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_keyed('day');
CREATE OR REPLACE TRIGGER ledger_accounts_audit_update AFTER UPDATE OF kind, ref, name, project_id, bank, number ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ww_audit_row_update();

