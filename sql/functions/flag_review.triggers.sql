-- The review door is for the sector departments and administrators (the service account, a
-- superuser, may run anything); nobody else may even call it.
REVOKE ALL ON FUNCTION ww_review_flag(bigint, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_review_flag(bigint, text, text, text, text) TO wagewatch_sector, wagewatch_admin;
