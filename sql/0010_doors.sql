-- Every write through a checked door (issue 21, "writes only through doors").
--
-- Sector departments write nothing directly any more: a review goes through ww_review_flag
-- (sql/functions/flag_review.sql), which checks the lead department, the transition, the action
-- or reason, stamps the acting role and the database's time, and orders direct pay for D1
-- itself. So the sector group loses its UPDATE on flags' review columns, its INSERT on
-- flag_reviews and direct_pay_orders, and its UPDATE of projects.direct_pay_mode.
UPDATE app_grants SET privileges = '{SELECT}'
WHERE role = 'sector' AND table_name IN ('flags', 'flag_reviews', 'direct_pay_orders', 'projects');
-- Nobody else writes review rows either (administrators review through the door too).
UPDATE app_grants SET privileges = '{SELECT}' WHERE role = 'admin' AND table_name = 'flag_reviews';

-- Complaint numbers come only from the counters' door, ww_take_complaint_numbers
-- (sql/functions/complaints.sql), which only ever moves a counter forward: nobody may reset a
-- day's numbers or set one. Those who file complaints still read the counters (the insert guard
-- of complaints, which runs as them, checks each number against its counter).
UPDATE app_grants SET privileges = '{SELECT}'
WHERE table_name = 'complaint_counters' AND role IN ('intake', 'inspector', 'admin');

-- Acknowledgements and resolutions go through ww_acknowledge_escalation and
-- ww_resolve_escalation (sql/functions/escalations_guard.sql): officials lose their column
-- UPDATE on escalations, inspectors their UPDATE. Administrators keep theirs for the catch-up
-- job, held by ww_escalation_guard.
UPDATE app_grants SET privileges = '{SELECT}'
WHERE table_name = 'escalations' AND role IN ('inspector', 'official');
