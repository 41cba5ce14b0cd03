-- Who may ask a complaint's public status (SPEC §10 N2): the web server's own login for /status,
-- and every group for `wagewatch complaint status` (after the roles exist: a .triggers file).
REVOKE ALL ON FUNCTION ww_complaint_status(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_complaint_status(text, text)
    TO wagewatch_authenticator, wagewatch_intake, wagewatch_inspector, wagewatch_sector, wagewatch_official, wagewatch_admin;
