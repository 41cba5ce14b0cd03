-- P3 (issue 22): a project's labour-cost allocation is either an amount per cycle or a share of
-- each project payment (`allocation_share`, a percentage, held as integer basis points: 12.5 %
-- is 1250), exactly one of the two. Existing projects keep their amount.
ALTER TABLE projects ALTER COLUMN allocation_amount_fen DROP NOT NULL;
ALTER TABLE projects ADD COLUMN allocation_share_bp integer CHECK (allocation_share_bp BETWEEN 1 AND 10000);
ALTER TABLE projects ADD CONSTRAINT projects_allocation_amount_or_share
    CHECK ((allocation_amount_fen IS NULL) <> (allocation_share_bp IS NULL));
