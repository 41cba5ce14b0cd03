-- Direct pay, complaint decisions and sanctions through doors (issue 21, "writes only through doors").
--
-- Direct pay (SPEC D1–D4): ordering,
-- planning, approving, executing and recording a returned payment go through the SECURITY
-- DEFINER functions of sql/functions/direct_pay.sql, which compute the lines from the payroll,
-- stamp the planner and the approver as the acting roles and keep maker-checker. So inspectors
-- and administrators lose their INSERT and UPDATE on direct_pay_orders, _batches and _lines.
UPDATE app_grants SET privileges = '{SELECT}'
WHERE table_name IN ('direct_pay_orders', 'direct_pay_batches', 'direct_pay_lines') AND role IN ('inspector', 'admin');

-- Complaint decisions (SPEC C1, C4, C5): a complaint is decided once, through ww_decide_complaint
-- (sql/functions/complaints_guard.sql), which opens or joins the case with the settings' numbers
-- and stamps who and when. Nobody updates a complaint directly any more (the hotline never needed
-- to), and nobody opens a case by INSERT: the door does.
UPDATE app_grants SET privileges = '{SELECT,INSERT}'
WHERE table_name = 'complaints' AND role IN ('intake', 'inspector', 'admin');
UPDATE app_grants SET privileges = '{SELECT}'
WHERE table_name = 'cases' AND role IN ('intake', 'inspector', 'admin');

-- Sanctions (SPEC S1–S2): measures, their lifting and the payment orders S2's blacklisting needs
-- go through ww_add_sanction, ww_lift_sanction and ww_order_payment (sql/functions/sanctions.sql),
-- which hold S2's gate and terms with the settings' numbers.
UPDATE app_grants SET privileges = '{SELECT}'
WHERE table_name IN ('sanctions', 'payment_orders') AND role IN ('inspector', 'admin');

-- Transfers: ww_post_transfer, the ledger's one door, runs as the schema's owner, so its callers
-- need no INSERT on transfers (a direct INSERT was refused by ww_ledger_by_door anyway; now the
-- grants refuse it first).
UPDATE app_grants SET privileges = '{SELECT}'
WHERE table_name = 'transfers' AND role IN ('inspector', 'admin');
