-- The complainant and the outside world (SPEC §10, issue 20).
--
-- N3: a case closes with a disposition code. Cases closed before this migration keep a NULL
-- disposition (their close_reason says why); every close from now on records one.
ALTER TABLE cases ADD COLUMN disposition text CHECK (disposition IN (
    'paid_in_full', 'paid_by_contractor', 'paid_by_owner', 'deposit_used', 'emergency_fund', 'direct_pay',
    'referred_arbitration', 'referred_police', 'referred_court', 'not_established', 'withdrawn', 'unreachable'));
ALTER TABLE cases ADD CONSTRAINT cases_disposition_closed CHECK (disposition IS NULL OR status = 'closed');
