-- Imports through doors (issue 21, "writes only through doors"; "imports go through staging
-- tables and such functions"). Employers, workers, payroll and attendance are written only by the
-- doors of their imports (sql/functions/import_*.sql), which read the session's staging table,
-- check who may and the region of every staged row, and write set-based; the hotline registers
-- an employer it does not know through ww_register_intake_employers. A project's wage or deposit
-- account is opened only through ww_open_account, and the accounts a transfer makes on first use
-- (a project's fund, a worker, the emergency fund, an external party) only through
-- ww_implicit_account (sql/functions/accounts.sql); balances stay ww_post_transfer's. So the
-- hotline, inspectors and administrators keep only SELECT on these tables.
UPDATE app_grants
SET privileges = ARRAY(SELECT p FROM unnest(privileges) p WHERE p NOT IN ('INSERT', 'UPDATE', 'DELETE'))
WHERE table_name IN ('employers', 'workers', 'payroll', 'attendance', 'ledger_accounts')
  AND role IN ('intake', 'inspector', 'admin');
