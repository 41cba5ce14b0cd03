-- Ledger accounts (SPEC P5–P6) are added only through these doors (issue 21): a project's wage
-- or deposit account is opened by `account open` (ww_open_account), and the accounts that exist
-- implicitly are made on a transfer's first use of them (ww_implicit_account). Both are for
-- inspectors and administrators, in their own scope (import_doors.triggers.sql). An account opens at
-- zero; its balance moves only by ww_post_transfer (ledger.sql, ww_guard_balance).

-- Opens the wage account (农民工工资专用账户) or guarantee deposit account (工资保证金账户) of
-- the project p_project of region p_region, named as the regulation requires: the general
-- contractor's name, the project's, then the kind's. Returns the name.
CREATE OR REPLACE FUNCTION ww_open_account(p_region text, p_project bigint, p_kind text, p_bank text, p_number text,
                                           p_opened_on date) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_scope text := ww_door_scope(ARRAY['inspector', 'admin'], 'account: %s do not open accounts');
    v_project record;
    v_name text;
BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('wage', 'deposit') THEN
        RAISE EXCEPTION 'account: a % account cannot be opened by hand: only wage:CODE and deposit:CODE are', p_kind
            USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF coalesce(btrim(p_bank), '') = '' THEN
        RAISE EXCEPTION 'bank: "" is required' USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    IF p_number IS NULL OR p_number !~ '^[0-9]{8,30}$' THEN
        RAISE EXCEPTION 'number: "%" is not a bank account number (8 to 30 digits)', p_number USING ERRCODE = 'P0001', HINT = 'invalid';
    END IF;
    SELECT p.code, p.name, c.name AS contractor INTO v_project
    FROM projects p JOIN employers c ON c.region_code = p.region_code AND c.id = p.contractor_id
    WHERE p.region_code = p_region AND p.id = p_project AND (v_scope IS NULL OR v_scope IN ('*', p.region_code));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account: no project % in region %', p_project, p_region USING ERRCODE = 'P0001', HINT = 'not_found';
    END IF;
    INSERT INTO ledger_accounts (region_code, kind, ref, name, project_id, bank, number, opened_on)
    VALUES (p_region, p_kind, v_project.code,
            CASE p_kind WHEN 'wage' THEN v_project.contractor || v_project.name || '农民工工资专用账户'
                        ELSE v_project.name || '工资保证金账户' END,
            p_project, p_bank, p_number, p_opened_on)
    ON CONFLICT (region_code, kind, ref) DO NOTHING
    RETURNING name INTO v_name;
    IF v_name IS NULL THEN
        RAISE EXCEPTION '%:% is already open', p_kind, v_project.code USING ERRCODE = 'P0001', HINT = 'conflict';
    END IF;
    RETURN v_name;
END $$;

-- The id of an account that exists implicitly (a project's fund, a worker's account, the
-- emergency fund, an external party), made on first use with its name; NULL for a kind that must
-- be opened (wage, deposit) or a fund whose project does not exist. The one definition the
-- ledger's single transfers and the transfers import use. Finding an account asks nothing more
-- than reading ledger_accounts would (those who may call it read every account); making one
-- asks who may, and that the region is theirs.
CREATE OR REPLACE FUNCTION ww_implicit_account(p_region text, p_kind text, p_ref text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    v_id bigint;
    v_scope text;
    v_project_id bigint;
    v_project_name text;
BEGIN
    SELECT id INTO v_id FROM ledger_accounts WHERE region_code = p_region AND kind = p_kind AND ref = p_ref;
    IF FOUND OR p_kind NOT IN ('fund', 'worker', 'emergency', 'external') THEN
        RETURN v_id;
    END IF;
    v_scope := ww_door_scope(ARRAY['inspector', 'admin'], 'account: %s do not post transfers');
    IF v_scope IS NOT NULL AND v_scope NOT IN ('*', p_region) THEN
        RAISE EXCEPTION 'region_code: "%" is not your region (%)', p_region, v_scope USING ERRCODE = '42501', HINT = 'denied';
    END IF;
    IF p_kind = 'fund' THEN
        SELECT id, name INTO v_project_id, v_project_name FROM projects WHERE region_code = p_region AND code = p_ref;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
    END IF;
    INSERT INTO ledger_accounts (region_code, kind, ref, name, project_id)
    VALUES (p_region, p_kind, p_ref,
            CASE p_kind WHEN 'fund' THEN v_project_name || '项目资金'
                        WHEN 'worker' THEN '农民工 ' || ww_mask_id(p_ref)
                        WHEN 'emergency' THEN '欠薪应急周转金'
                        ELSE p_ref END,
            v_project_id)
    ON CONFLICT (region_code, kind, ref) DO UPDATE SET name = ledger_accounts.name
    RETURNING id INTO v_id;
    RETURN v_id;
END $$;
