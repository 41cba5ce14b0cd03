-- Case work through doors (issue 21, "writes only through doors"): assigning, extending,
-- claims, recoveries and closing go through the SECURITY DEFINER functions of
-- sql/functions/cases.sql, which check the case is open and in the acting person's region, the
-- rule (C5's one extension, never more recovered than owed, a "paid" disposition only when
-- nothing is unrecovered) and stamp who and when. So inspectors and administrators lose their
-- UPDATE on cases and their INSERT (and the unused UPDATE) on case_extensions, claims and
-- recoveries. Opening a case stays an INSERT of the intake (a complaint that joins no open case),
-- held by ww_case_insert_guard: a new case is open, unassigned and unextended, dated now.
UPDATE app_grants SET privileges = '{SELECT,INSERT}'
WHERE table_name = 'cases' AND role IN ('inspector', 'admin');
UPDATE app_grants SET privileges = '{SELECT}'
WHERE table_name IN ('case_extensions', 'claims', 'recoveries') AND role IN ('inspector', 'admin');
