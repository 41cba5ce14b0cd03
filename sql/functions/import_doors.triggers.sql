-- Imports and accounts through doors (issue 21): who may call them. The service account, a
-- superuser, may run anything; nobody else may even call the helpers the doors share.
REVOKE ALL ON FUNCTION ww_import_employers() FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_import_workers() FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_import_payroll() FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_import_attendance() FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_register_intake_employers() FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_open_account(text, bigint, text, text, text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_implicit_account(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_import_employers() TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_import_workers() TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_import_payroll() TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_import_attendance() TO wagewatch_inspector, wagewatch_admin;
-- Those who file complaints register the employers they name (ww_intake_staged).
GRANT EXECUTE ON FUNCTION ww_register_intake_employers() TO wagewatch_intake, wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_open_account(text, bigint, text, text, text, date) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_implicit_account(text, text, text) TO wagewatch_inspector, wagewatch_admin;
