-- The doors of sanctions (sql/functions/sanctions.sql) are for inspectors and administrators.
REVOKE ALL ON FUNCTION ww_add_sanction(text, bigint, text, text, text, date, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_lift_sanction(bigint, text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_order_payment(text, bigint, bigint, bigint, date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_add_sanction(text, bigint, text, text, text, date, date) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_lift_sanction(bigint, text, date) TO wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_order_payment(text, bigint, bigint, bigint, date, date, text) TO wagewatch_inspector, wagewatch_admin;
