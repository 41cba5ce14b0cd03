-- A new case opens open, now, with its deadline (sql/functions/cases.sql).
CREATE OR REPLACE TRIGGER cases_insert_guard BEFORE INSERT ON cases
    FOR EACH ROW EXECUTE FUNCTION ww_case_insert_guard();

-- The doors of case work are for inspectors and administrators (the service account, a
-- superuser, may run anything); nobody else may even call them.
REVOKE ALL ON FUNCTION ww_assign_case(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_extend_case(bigint, integer, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_claim_case(bigint, text, text, bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_record_recovery(bigint, text, date, bigint, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_record_direct_pay_recovery(bigint, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_close_case(bigint, text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_assign_case(bigint, text) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_extend_case(bigint, integer, text, text) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_claim_case(bigint, text, text, bigint) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_record_recovery(bigint, text, date, bigint, text, text) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_record_direct_pay_recovery(bigint, integer) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_close_case(bigint, text, text, timestamptz) TO wagewatch_inspector, wagewatch_admin;
REVOKE ALL ON FUNCTION ww_lock_case_to_join(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_lock_case_to_join(text, bigint) TO wagewatch_inspector, wagewatch_admin;
