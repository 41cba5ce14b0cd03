-- Grants on functions that name group roles: here, after the migrations that make the roles.
GRANT EXECUTE ON FUNCTION ww_flag_lead(bigint) TO wagewatch_sector, wagewatch_admin;
