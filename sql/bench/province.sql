-- A generated province for `scripts/bench rules`: 102 counties of Henan (41xxxx), 100,000 employers,
-- 50,000 projects, 500,000 workers, 10,000,000 attendance days, 1,000,000 payroll lines,
-- 2,000,000 transfers and 1,000,000 complaints with their cases, claims and recoveries, shaped so
-- that every rule R1–R12 finds something in a few per cent of its subjects as of 2026-11-20.
--
-- Not a migration (the migrator reads only sql/NNNN_*.sql at the top level). Load it into a
-- freshly migrated, empty database:
--     psql "$DATABASE_URL" -v seed=41 -v scale=1 -f sql/bench/province.sql
-- `scale` multiplies every count (0.1 for a quick try); `seed` picks another province.
--
-- Set-based throughout: generate_series and INSERT … SELECT, no row-by-row loop. Every random
-- choice is pg_temp.u(row, purpose), a seeded hash of the row number and a per-purpose salt,
-- not random() after setseed(): random() hands out values in the order rows happen to be
-- produced, which changes with the plan (hash joins, parallel workers), while a hash of the
-- row's own number gives the same province on every run and every machine.
--
-- The data bypasses the application's doors on purpose: transfers go straight into the ledger
-- (balances are computed from them at the end, as the superuser the ledger's guards trust), complaints are inserted
-- already numbered and decided, and the escalation, audit and dirty-marking triggers of the loaded
-- tables are disabled for the load and enabled again before COMMIT.

\set ON_ERROR_STOP on
\if :{?seed}
\else
\set seed 41
\endif
\if :{?scale}
\else
\set scale 1
\endif

SET client_min_messages = warning;
SET TIME ZONE 'Asia/Shanghai';
SET work_mem = '1GB';
SET max_parallel_workers_per_gather = 0;   -- most reads are of temp tables, which never go parallel anyway
SET wagewatch.actor = 'bench';

-- The as-of date the data is shaped around (the rule run uses the same).
\set as_of '''2026-11-20'''

SELECT round(100000 * :scale)::int AS n_employers,
       round(50000 * :scale)::int AS n_projects,
       round(500000 * :scale)::int AS n_workers,
       round(1000000 * :scale)::int AS n_complaints,
       round(2000000 * :scale)::int AS n_transfers,
       (round(100000 * :scale)::int / 102) / 10 AS n10 \gset

BEGIN;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM employers) OR EXISTS (SELECT 1 FROM transfers) THEN
        RAISE EXCEPTION 'sql/bench/province.sql fills an empty, migrated database; this one has data';
    END IF;
END $$;

DO $$
BEGIN
    IF current_setting('server_version_num')::int < 140000 THEN
        RAISE EXCEPTION 'the generator needs PostgreSQL 14 or later';
    END IF;
END $$;

SELECT :n10 < 5 AS too_small \gset
\if :too_small
DO $$ BEGIN RAISE EXCEPTION 'scale too small: the generator needs at least 5,100 employers'; END $$;
\endif

-- Triggers off for the load: E1 escalation at intake, the audit log, rule_dirty marking,
-- the balance guard and the append-only guards. Enabled again before COMMIT.
ALTER TABLE employers DISABLE TRIGGER USER;
ALTER TABLE projects DISABLE TRIGGER USER;
ALTER TABLE project_subcontractors DISABLE TRIGGER USER;
ALTER TABLE workers DISABLE TRIGGER USER;
ALTER TABLE attendance DISABLE TRIGGER USER;
ALTER TABLE payroll DISABLE TRIGGER USER;
ALTER TABLE ledger_accounts DISABLE TRIGGER USER;
ALTER TABLE transfers DISABLE TRIGGER USER;
ALTER TABLE complaints DISABLE TRIGGER USER;
ALTER TABLE cases DISABLE TRIGGER USER;
ALTER TABLE claims DISABLE TRIGGER USER;
ALTER TABLE recoveries DISABLE TRIGGER USER;
ALTER TABLE sanctions DISABLE TRIGGER USER;

------------------------------------------------------------------------------------------------
-- Seeded choices and names.

-- A number in [0, 1) fixed by the seed, the row and the purpose.
CREATE FUNCTION pg_temp.u(k bigint, salt integer) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (hashint8extended(k, :seed::bigint * 1000003 + salt) & 4503599627370495)::float8 / 4503599627370496.0;

CREATE FUNCTION pg_temp.pick(a text[], k bigint, salt integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN a[1 + floor(pg_temp.u(k, salt) * cardinality(a))::int];

CREATE FUNCTION pg_temp.person(k bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_temp.pick('{王,李,张,刘,陈,杨,赵,黄,周,吴,徐,孙,胡,朱,高,林,何,郭,马,罗,梁,宋,郑,谢,韩,唐,冯,于,董,程,曹,袁,邓,许,傅,沈,曾,彭,吕,苏,卢,蒋,蔡,贾,丁,魏,薛,叶,阎,余,潘,杜,戴,夏,钟,汪,田,任,姜,范,方,石,姚,谭,廖,邹,熊,金,陆,郝,孔,白,崔,康,毛,邱,秦,江,史,顾,侯,邵,孟,龙,万,段,雷,钱,汤,尹,黎,易,常,武,乔,贺,赖,龚,文}', k, 1001)
        || pg_temp.pick('{伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀,霞,平,刚,桂,英,华,玉,萍,红,建,国,志,文,辉,斌,鹏,飞,宇,浩,凯,健,俊,峰,林,海,波,兵,成,东,亮,新,利,清,云,宏,春,金,山,水,根,福,贵,喜,旺,保,忠,民,德,富,生,全,才,有,长,永,顺,安}', k, 1002)
        || CASE WHEN pg_temp.u(k, 1003) < 0.65
                THEN pg_temp.pick('{伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀,霞,平,刚,桂,英,华,玉,萍,红,建,国,志,文,辉,斌,鹏,飞,宇,浩,凯,健,俊,峰,林,海,波,兵,成,东,亮,新,利,清,云,宏,春,金,山,水,根,福,贵,喜,旺,保,忠,民,德,富,生,全,才,有,长,永,顺,安}', k, 1004)
                ELSE '' END;

CREATE FUNCTION pg_temp.mobile(k bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN '1' || pg_temp.pick('{35,36,37,38,39,50,51,52,58,59,66,77,80,82,86,87,88,89}', k, 1005)
        || lpad(floor(pg_temp.u(k, 1006) * 100000000)::bigint::text, 8, '0');

-- A unified social credit code (GB 32100) with both check characters right: department and
-- type (2), region (6), an 8-digit organisation body, its GB 11714 check, the code's check.
CREATE FUNCTION pg_temp.uscc(head text, region text, body text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (
        WITH org AS (
            SELECT head || region || body || CASE 11 - sum(substr(body, i::int, 1)::int * w) % 11
                                               WHEN 10 THEN 'X' WHEN 11 THEN '0'
                                               ELSE (11 - sum(substr(body, i::int, 1)::int * w) % 11)::text END AS p17
            FROM unnest('{3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS t (w, i)
        )
        SELECT org.p17 || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
                                 ((31 - sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(org.p17, i::int, 1)) - 1) * w) % 31) % 31)::int + 1, 1)
        FROM org, unnest('{1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28}'::int[]) WITH ORDINALITY AS t (w, i)
        GROUP BY org.p17);

-- A resident ID number (GB 11643) with its check character.
CREATE FUNCTION pg_temp.id_number(area text, birth date, seq integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (
        SELECT b || substr('10X98765432', (sum(substr(b, i::int, 1)::int * w) % 11)::int + 1, 1)
        FROM (SELECT area || to_char(birth, 'YYYYMMDD') || lpad(seq::text, 3, '0') AS b) x,
             unnest('{7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}'::int[]) WITH ORDINALITY AS t (w, i)
        GROUP BY b);

-- Deadlines by the working-day calendar, once per day rather than once per row.
CREATE TEMP TABLE g_due AS
SELECT d::date AS day, ww_add_working_days(d::date, 5) AS due5, ww_add_working_days(d::date, 60) AS due60
FROM generate_series(date '2024-10-01', date '2026-12-31', interval '1 day') AS d;
CREATE UNIQUE INDEX ON g_due (day);

------------------------------------------------------------------------------------------------
-- Regions: 17 prefectures × 6 counties.

CREATE TEMP TABLE g_region AS
SELECT (c.n - 1) * 6 + k - 1 AS r,
       '41' || lpad(c.n::text, 2, '0') || lpad((k + 1)::text, 2, '0') AS code,
       c.name || '市' || (ARRAY['城关区', '东城区', '西城区', '南湖县', '北山县', '新安县'])[k] AS name,
       c.name AS city,
       '41' || lpad(c.n::text, 2, '0') || '00' AS parent
FROM (VALUES (1, '郑州'), (2, '开封'), (3, '洛阳'), (4, '平顶山'), (5, '安阳'), (6, '鹤壁'), (7, '新乡'),
             (8, '焦作'), (9, '濮阳'), (10, '许昌'), (11, '漯河'), (12, '三门峡'), (13, '南阳'), (14, '商丘'),
             (15, '信阳'), (16, '周口'), (17, '驻马店')) AS c (n, name),
     generate_series(1, 6) AS k;
CREATE UNIQUE INDEX ON g_region (r);

INSERT INTO regions (code, name, parent_code) VALUES ('410000', '河南省', NULL) ON CONFLICT DO NOTHING;
INSERT INTO regions (code, name, parent_code)
SELECT DISTINCT parent, city || '市', '410000' FROM g_region ON CONFLICT DO NOTHING;
INSERT INTO regions (code, name, parent_code) SELECT code, name, parent FROM g_region ON CONFLICT DO NOTHING;

------------------------------------------------------------------------------------------------
-- Employers: employer id → county (id − 1) mod 102 and slot k = (id − 1) / 102 in it; the slot's
-- last digit is its kind: 0 owner (slots 0–30 the county's own bureaus), 1–2 general
-- contractor, 3–7 labour subcontractor, 8–9 enterprise. Names are unique by construction.

INSERT INTO employers (region_code, id, uscc, name, name_key, kind, legal_rep, phone, absconded_on, created_at)
OVERRIDING SYSTEM VALUE
SELECT g.code, e.id, u.uscc, n.name, n.name, e.kind, pg_temp.person(e.id * 3), pg_temp.mobile(e.id * 5),
       CASE WHEN e.kind = 'subcontractor' AND pg_temp.u(e.id, 2) < 0.004
            THEN date '2025-06-01' + floor(pg_temp.u(e.id, 3) * 500)::int END,
       timestamptz '2024-12-01 09:00+08' + e.id * interval '1 minute'
FROM (
    SELECT id, (id - 1) % 102 AS r, (id - 1) / 102 AS k,
           CASE (id - 1) / 102 % 10 WHEN 0 THEN 'owner' WHEN 1 THEN 'general_contractor' WHEN 2 THEN 'general_contractor'
                                    WHEN 8 THEN 'enterprise' WHEN 9 THEN 'enterprise' ELSE 'subcontractor' END AS kind
    FROM generate_series(1, :n_employers) AS id
) e
JOIN g_region g ON g.r = e.r
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN e.kind = 'owner' AND e.k < 40
            THEN g.name || (ARRAY['交通运输局', '自然资源局', '水利局', '住房和城乡建设局'])[e.k / 10 + 1]
        ELSE g.city
             || ('{龙湖,滨河,嵩山,黄河,伏牛,太行,淮河,中州,商都,豫东,豫西,豫南,豫北,牡丹,梨园,桐柏,大别,伊洛,汝河,沙河,颍河,卫河,淇河,白河,丹江,鸡公,云台,王屋,尧山,邙山,少林,清明,古城,新城,金水,二七,管城,惠济,上街,中牟}'::text[])[(e.id - 1) / 2500 % 40 + 1]
             || ('{宏达,鑫源,华泰,中原,金盛,恒通,永安,瑞丰,天成,豫通,正大,盛世,鸿运,嘉禾,中兴,汇通,东方,新宇,博远,广厦,安泰,长城,伟业,兴隆,万豪,锦程,润德,卓越,海川,腾飞,聚源,隆昌,宝丰,顺达,华鑫,国泰,明珠,开元,福瑞,同创,森源,祥和,弘毅,信达,百川,远航,创新,金鼎,四方,天宇}'::text[])[(e.id - 1) % 50 + 1]
             || ('{建工,路桥,水利,建设,实业,市政,交通,城建,建安,土木,基建,宏图,工程,安装,装饰,钢构,幕墙,园林,电力,通信,环保,机械,矿业,能源,物流,科技,农业,置业,地产,发展,投资,控股,劳务,人力,工贸,商贸,恒业,兴业,鼎盛,瑞通,和信,汇丰,诚信,永盛,天和,同心,新兴,华建,宏基,远大}'::text[])[(e.id - 1) / 50 % 50 + 1]
             || CASE e.kind
                    WHEN 'owner' THEN pg_temp.pick('{置业有限公司,城市建设投资有限公司,房地产开发有限公司}', e.id, 4)
                    WHEN 'general_contractor' THEN pg_temp.pick('{建设集团有限公司,建设工程有限公司,建筑有限公司}', e.id, 4)
                    WHEN 'subcontractor' THEN pg_temp.pick('{劳务有限公司,劳务分包有限公司,建筑劳务有限公司}', e.id, 4)
                    ELSE pg_temp.pick('{制造有限公司,商贸有限公司,食品有限公司,纺织有限公司}', e.id, 4) END
        END AS name) n
CROSS JOIN LATERAL (
    SELECT CASE WHEN e.kind = 'subcontractor' AND pg_temp.u(e.id, 1) < 0.1 THEN NULL   -- 包工队 without a code
                ELSE pg_temp.uscc(CASE WHEN e.kind = 'owner' AND e.k < 40 THEN '11' ELSE '91' END, g.code,
                                  lpad(e.id::text, 8, '0')) END AS uscc) u;

------------------------------------------------------------------------------------------------
-- Projects, with everything the later steps need to know about each (offenders included).
-- Project id → county (id − 1) mod 102; its owner, contractor and labour subcontractor are
-- slots of the same county.

CREATE TEMP TABLE g_project AS
WITH base AS (
    SELECT p.id, (p.id - 1) % 102 AS r, (p.id - 1) / 102 AS j, pg_temp.u(p.id, 1) AS ut, pg_temp.u(p.id, 2) AS uf
    FROM generate_series(1, :n_projects) AS p (id)
),
typed AS (
    SELECT b.*,
           CASE WHEN ut < 0.10 THEN 'gov_transport' WHEN ut < 0.15 THEN 'gov_land' WHEN ut < 0.23 THEN 'gov_water'
                WHEN ut < 0.35 THEN 'gov_other' WHEN ut < 0.65 THEN 'real_estate' WHEN ut < 0.85 THEN 'factory_build'
                ELSE 'small_enterprise' END AS type
    FROM base b
),
funded AS (
    SELECT t.*, CASE WHEN (t.type LIKE 'gov_%') = (t.uf >= 0.1) THEN 'government' ELSE 'social' END AS funding
    FROM typed t
),
dated AS (
    SELECT f.*, g.code AS region_code, g.name AS region_name,
           date '2025-01-01' + floor(pg_temp.u(f.id, 8) * 638)::int AS signed,
           CASE WHEN f.type = 'small_enterprise'
                THEN (5000000 * power(100, pg_temp.u(f.id, 7)))::bigint / 10000 * 10000
                ELSE (50000000 * power(400, pg_temp.u(f.id, 7)))::bigint / 10000 * 10000 END AS value_fen,
           pg_temp.u(f.id, 14) < 0.015 AS delayed
    FROM funded f JOIN g_region g ON g.r = f.r
),
planned AS (
    SELECT d.*, d.signed + 10 + floor(pg_temp.u(d.id, 9) * 31)::int AS planned_start
    FROM dated d
),
shaped AS (
    SELECT p.*,
           p.planned_start + 120 + floor(pg_temp.u(p.id, 10) * 480)::int AS planned_end,
           CASE WHEN pg_temp.u(p.id, 11) < 0.8 THEN 30 WHEN pg_temp.u(p.id, 11) < 0.9 THEN 15 ELSE 31 END AS cycle,
           CASE WHEN p.delayed THEN NULL ELSE least(p.planned_start + floor(pg_temp.u(p.id, 15) * 8)::int, date :as_of) END
               AS actual_start,
           p.type <> 'small_enterprise' AS construction
    FROM planned p
),
status AS (
    SELECT s.*,
           NOT s.delayed AND s.planned_end < date :as_of AND pg_temp.u(s.id, 16) < 0.95 AS finished,
           NOT (s.construction AND pg_temp.u(s.id, 17) < 0.03) AS has_wage,
           s.type = 'small_enterprise' OR (s.value_fen < 300000000 AND pg_temp.u(s.id, 13) < 0.7) AS exempt,
           (least(date :as_of, s.planned_end) - s.planned_start) / s.cycle + 1 AS dues
    FROM shaped s
)
SELECT s.id, s.r, s.j, s.region_code, s.type, s.construction, s.funding, s.value_fen, s.signed, s.planned_start,
       s.planned_end, s.cycle, s.delayed, s.actual_start, s.finished, s.has_wage, s.exempt, s.dues,
       'XM' || s.region_code || '-' || lpad(s.id::text, 6, '0') AS code,
       s.region_name
           || ('{龙湖,滨河,嵩山,黄河,伏牛,太行,淮河,中州,商都,豫东,豫西,豫南,豫北,牡丹,梨园,桐柏,大别,伊洛,汝河,沙河}'::text[])[1 + s.j % 20]
           || CASE s.type
                  WHEN 'gov_transport' THEN pg_temp.pick('{国道改建工程,县乡道路提升工程,桥梁加固工程,农村公路建设项目}', s.id, 20)
                  WHEN 'gov_land' THEN pg_temp.pick('{土地整治项目,高标准农田建设项目,矿山生态修复项目}', s.id, 20)
                  WHEN 'gov_water' THEN pg_temp.pick('{河道治理工程,供水管网改造工程,灌区续建配套工程}', s.id, 20)
                  WHEN 'gov_other' THEN pg_temp.pick('{学校教学楼建设项目,安置房建设项目,医院综合楼工程,老旧小区改造工程}', s.id, 20)
                  WHEN 'real_estate' THEN pg_temp.pick('{花园小区一期,花园小区二期,商住楼项目,名苑住宅项目}', s.id, 20)
                  WHEN 'factory_build' THEN pg_temp.pick('{标准化厂房建设项目,仓储物流园项目,产业园厂房工程}', s.id, 20)
                  ELSE pg_temp.pick('{门店装修工程,车间改造工程,办公楼装修工程}', s.id, 20) END AS name,
       -- Owners: the county's own bureau for government projects of a sector, else a developer.
       s.r + 1 + 102 * CASE WHEN s.funding = 'government' AND s.type LIKE 'gov_%'
                            THEN 10 * array_position(ARRAY['gov_transport', 'gov_land', 'gov_water', 'gov_other'], s.type) - 10
                            ELSE 10 * (4 + floor(pg_temp.u(s.id, 3) * (:n10 - 4))::int) END AS owner_id,
       s.r + 1 + 102 * (10 * floor(pg_temp.u(s.id, 4) * :n10)::int
                        + CASE WHEN s.type = 'small_enterprise' THEN 8 ELSE 1 END + s.j % 2) AS contractor_id,
       s.r + 1 + 102 * (10 * floor(pg_temp.u(s.id, 5) * :n10)::int + 3 + floor(pg_temp.u(s.id, 6) * 5)::int) AS sub_id,
       (ARRAY[100, 150, 200, 200, 200, 250, 300])[1 + floor(pg_temp.u(s.id, 12) * 7)::int] AS rate_bp,
       CASE WHEN s.finished THEN s.planned_end END AS actual_end,
       least(s.signed + 3 + floor(pg_temp.u(s.id, 18) * 25)::int, coalesce(s.actual_start, s.planned_start)) AS wage_opened,
       CASE WHEN NOT s.has_wage AND s.actual_start IS NOT NULL AND pg_temp.u(s.id, 19) < 0.5
            THEN '县重点工程，经批准先行开工' END AS forced_reason,
       -- R11: 3 % of the projects that owe a deposit hold none or half of it.
       CASE WHEN s.exempt THEN NULL WHEN pg_temp.u(s.id, 20) < 0.015 THEN 'none'
            WHEN pg_temp.u(s.id, 20) < 0.03 THEN 'partial' ELSE 'full' END AS deposit_kind,
       -- R2: 3 % of running projects miss their latest one or two allocations (delayed ones make none).
       CASE WHEN s.has_wage AND NOT s.delayed AND NOT s.finished AND s.dues >= 4 AND pg_temp.u(s.id, 21) < 0.03
            THEN 1 + (pg_temp.u(s.id, 22) < 0.4)::int ELSE 0 END AS r2_skip,
       -- R8: 4 % of running projects allocate too little to cover what they still owe.
       s.has_wage AND NOT s.delayed AND NOT s.finished AND pg_temp.u(s.id, 23) < 0.04 AS r8,
       -- R10: 4 % of the older running projects went quiet after August.
       NOT s.delayed AND NOT s.finished AND s.actual_start < date '2026-06-01' AND pg_temp.u(s.id, 24) < 0.04 AS stalled,
       -- R3/R4: 2.5 % stopped paying for their last four months.
       NOT s.delayed AND pg_temp.u(s.id, 25) < 0.025 AS arrears,
       -- R5: 1.5 % route the team's wages through one foreman.
       NOT s.delayed AND pg_temp.u(s.id, 26) < 0.015 AS foreman,
       -- R9: 2 % of government-funded projects pay from their fund to an unrelated company.
       s.funding = 'government' AND NOT s.delayed AND pg_temp.u(s.id, 27) < 0.02 AS diversion
FROM status s;
ALTER TABLE g_project ADD PRIMARY KEY (id);

-- Activity months: from the start month to the end (or August for stalled projects, today for
-- running ones); at least two months, so every worker can work two.
ALTER TABLE g_project ADD COLUMN first_month date, ADD COLUMN last_month date, ADD COLUMN months integer,
                      ADD COLUMN r2_fix integer;
UPDATE g_project SET r2_skip = 0 WHERE r8 AND r2_skip > 0;
UPDATE g_project SET last_month = date_trunc('month', CASE WHEN finished THEN actual_end
                                                          WHEN stalled THEN date '2026-08-31'
                                                          ELSE date :as_of END)::date
WHERE NOT delayed;
UPDATE g_project SET first_month = least(date_trunc('month', actual_start)::date, (last_month - interval '1 month')::date)
WHERE NOT delayed;
UPDATE g_project SET months = (extract(year FROM last_month) * 12 + extract(month FROM last_month)
                               - extract(year FROM first_month) * 12 - extract(month FROM first_month))::int + 1
WHERE NOT delayed;

CREATE TEMP TABLE g_started AS
SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS s FROM g_project WHERE NOT delayed;
CREATE UNIQUE INDEX ON g_started (s);
SELECT count(*) AS n_started FROM g_started \gset

------------------------------------------------------------------------------------------------
-- Workers: ten or so per started project, each working two months of the project's span,
-- spread so the first covers the start and the last covers the latest month.

CREATE TEMP TABLE g_worker AS
SELECT w.id, p.id AS project_id, p.region_code, p.sub_id, p.code, p.first_month, p.last_month, p.finished,
       p.foreman, p.arrears, p.has_wage, c.i,
       CASE WHEN c.cnt = 1 THEN p.months - 2
            ELSE (c.i * (p.months - 2) + (c.cnt - 1) / 2) / (c.cnt - 1) END AS start_offset
FROM generate_series(1, :n_workers) AS w (id)
JOIN g_started s ON s.s = (w.id - 1) % :n_started
JOIN g_project p ON p.id = s.id
CROSS JOIN LATERAL (SELECT (w.id - 1) / :n_started AS i,
                           (:n_workers - 1 - (w.id - 1) % :n_started) / :n_started + 1 AS cnt) c;
ALTER TABLE g_worker ADD PRIMARY KEY (id);

-- Payroll: one line per worker and month worked; paid on the 10th of the next month through
-- the wage account, except the lines not yet due, the arrears projects' last four months,
-- 0.15 % paid short and 0.1 % paid late.
CREATE TEMP TABLE g_payroll AS
WITH lines AS (
    SELECT w.region_code, w.project_id, w.id AS worker_id, w.has_wage, w.code,
           (w.first_month + make_interval(months => w.start_offset + m))::date AS period,
           w.id * 2 + m AS k,
           CASE WHEN w.foreman AND w.i = 0
                THEN (5500000 + floor(pg_temp.u(w.id * 2 + m, 41) * 3000000))::bigint / 100 * 100
                ELSE 10 * (18000 + 100 * floor(pg_temp.u(w.id, 40) * 2700)::bigint) END AS due,
           w.arrears AND (w.first_month + make_interval(months => w.start_offset + m))::date
                         >= (w.last_month - interval '3 months')::date AS in_arrears
    FROM g_worker w CROSS JOIN generate_series(0, 1) AS m
),
timed AS (
    SELECT l.*,
           CASE WHEN pg_temp.u(l.k, 42) < 0.001 THEN (l.period + interval '2 months 14 days')::date
                ELSE (l.period + interval '1 month 9 days')::date END AS pay_day,
           pg_temp.u(l.k, 43) < 0.0015 AS short
    FROM lines l
)
SELECT t.region_code, t.project_id, t.worker_id, t.period, t.has_wage, t.code, t.k, t.due,
       CASE WHEN t.in_arrears OR t.pay_day > date :as_of THEN 0
            WHEN t.short THEN t.due * 8 / 10 ELSE t.due END AS paid,
       CASE WHEN t.in_arrears OR t.pay_day > date :as_of THEN NULL ELSE t.pay_day END AS paid_on
FROM timed t;

-- What each project paid and still owes, which sets its allocation: twice the wage bill spread
-- over its dues, or for the R8 offenders just what was paid plus half of what is owed.
ALTER TABLE g_project ADD COLUMN allocation_fen bigint, ADD COLUMN allocations integer;
UPDATE g_project p SET allocation_fen = greatest(100000, ceil(
           CASE WHEN p.r8 AND s.owed > 0 THEN s.paid + s.owed / 2 ELSE 2 * (s.paid + s.owed) END
           / p.dues::numeric / 100) * 100)
FROM (SELECT project_id, sum(paid) AS paid, sum(due - paid) AS owed FROM g_payroll GROUP BY project_id) s
WHERE s.project_id = p.id;
UPDATE g_project SET allocation_fen = greatest(100000, value_fen / 300 / 100 * 100) WHERE allocation_fen IS NULL;
UPDATE g_project SET allocations = CASE WHEN NOT has_wage OR delayed THEN 0 ELSE dues - r2_skip END;

INSERT INTO projects (region_code, id, code, name, type, funding, owner_id, contractor_id, contract_value_fen,
                      contract_signed, planned_start, planned_end, allocation_cycle_days, allocation_amount_fen,
                      deposit_rate_bp, deposit_exempt, status, actual_start, actual_end, forced_start_reason, created_at)
OVERRIDING SYSTEM VALUE
SELECT region_code, id, code, name, type, funding, owner_id, contractor_id, value_fen, signed, planned_start, planned_end,
       cycle, allocation_fen, rate_bp, exempt,
       CASE WHEN delayed THEN 'planned' WHEN finished THEN 'finished' ELSE 'started' END,
       actual_start, actual_end, forced_reason, (signed + time '09:30') AT TIME ZONE 'Asia/Shanghai'
FROM g_project ORDER BY region_code, id;

INSERT INTO project_subcontractors (region_code, project_id, employer_id)
SELECT region_code, id, sub_id FROM g_project ORDER BY region_code, id;

INSERT INTO workers (region_code, id, id_number, name, phone, bank, bank_account, employer_id, project_id, joined, "left")
OVERRIDING SYSTEM VALUE
SELECT w.region_code, w.id,
       pg_temp.id_number((SELECT code FROM g_region WHERE r = (w.id * 7) % 102),
                         date '1966-01-01' + ((w.id - 1) % 14600)::int, 1 + ((w.id - 1) / 14600)::int % 499),
       pg_temp.person(w.id * 13), pg_temp.mobile(w.id * 17),
       pg_temp.pick('{中国农业银行,中国工商银行,中国建设银行,中国银行,中国邮政储蓄银行,河南省农村信用社}', w.id, 50),
       '6228' || lpad(w.id::text, 15, '0'), w.sub_id, w.project_id,
       (w.first_month + make_interval(months => w.start_offset))::date,
       CASE WHEN NOT w.finished AND (w.first_month + make_interval(months => w.start_offset + 1))::date = w.last_month
                 AND w.last_month = date_trunc('month', date :as_of)::date THEN NULL
            ELSE (w.first_month + make_interval(months => w.start_offset + 2) - interval '1 day')::date END
FROM g_worker w ORDER BY w.region_code, w.id;

-- Attendance: ten days in each month worked (the 1st, 3rd, … 19th).
INSERT INTO attendance (region_code, project_id, day, worker_id)
SELECT w.region_code, w.project_id, (w.first_month + make_interval(months => w.start_offset + m, days => 2 * d))::date, w.id
FROM g_worker w CROSS JOIN generate_series(0, 1) AS m CROSS JOIN generate_series(0, 9) AS d
ORDER BY 1, 2, 3, 4;

INSERT INTO payroll (region_code, project_id, period, worker_id, days_worked, wage_due_fen, wage_paid_fen, paid_on, signed)
SELECT region_code, project_id, period, worker_id, 10, due, paid, paid_on, paid_on IS NOT NULL OR pg_temp.u(k, 44) < 0.5
FROM g_payroll ORDER BY 1, 2, 3, 4;

------------------------------------------------------------------------------------------------
-- The ledger. Account ids by arithmetic: fund = project, wage = P + project, deposit =
-- 2P + project, worker = 3P + worker, external = 3P + W + employer, emergency = 3P + W + E + county.

\set P :n_projects
SELECT 3 * :n_projects AS worker_base, 3 * :n_projects + :n_workers AS external_base,
       3 * :n_projects + :n_workers + :n_employers AS emergency_base \gset

INSERT INTO ledger_accounts (region_code, id, kind, ref, name, project_id, bank, number, opened_on)
OVERRIDING SYSTEM VALUE
SELECT region_code, id, kind, ref, name, project_id, bank, number, opened_on FROM (
    SELECT p.region_code, p.id, 'fund' AS kind, p.code AS ref, p.name || '项目资金账户' AS name, p.id AS project_id,
           '中国建设银行' AS bank, '41050' || lpad(p.id::text, 12, '0') AS number, p.signed AS opened_on
    FROM g_project p
    UNION ALL
    SELECT p.region_code, :P + p.id, 'wage', p.code, p.name || '农民工工资专用账户', p.id,
           pg_temp.pick('{中国农业银行,中国工商银行,中国建设银行,中原银行}', p.id, 51), '41060' || lpad(p.id::text, 12, '0'),
           p.wage_opened
    FROM g_project p WHERE p.has_wage
    UNION ALL
    SELECT p.region_code, 2 * :P + p.id, 'deposit', p.code, p.name || '工资保证金账户', p.id,
           '中国工商银行', '41070' || lpad(p.id::text, 12, '0'), p.signed + 5
    FROM g_project p WHERE p.deposit_kind IN ('full', 'partial')
    UNION ALL
    SELECT w.region_code, :worker_base + w.id, 'worker', w.id_number, w.name, NULL, w.bank, w.bank_account, w.joined
    FROM workers w
    UNION ALL
    -- Owners pay into the funds, contractors into the deposits, diversions go to enterprises.
    SELECT e.region_code, :external_base + e.id, 'external', e.uscc, e.name, NULL, '中国银行',
           '41080' || lpad(e.id::text, 12, '0'), NULL
    FROM employers e
    WHERE e.id IN (SELECT owner_id FROM g_project
                   UNION SELECT contractor_id FROM g_project WHERE deposit_kind IN ('full', 'partial')
                   UNION SELECT p.r + 1 + 102 * (10 * floor(pg_temp.u(p.id, 28) * :n10)::int + 9)
                         FROM g_project p WHERE p.diversion)
    UNION ALL
    SELECT g.code, :emergency_base + g.r + 1, 'emergency', '', g.name || '农民工工资应急周转金', NULL, NULL, NULL,
           date '2025-01-01'
    FROM g_region g
) a ORDER BY region_code, id;

-- Transfers: allocations (fund → wage), deposits, wages (wage → worker), diversions, and the
-- owners' payments into the funds, as many as make the total come out at the target.
CREATE TEMP TABLE g_transfer (
    region_code text, key text, from_account bigint, to_account bigint, amount bigint, occurred_at timestamptz,
    memo text, diversion boolean);

INSERT INTO g_transfer
SELECT p.region_code, 'alloc-' || p.code || '-' || k, p.id, :P + p.id, p.allocation_fen,
       ((p.planned_start + k * p.cycle) + time '09:00' + floor(pg_temp.u(p.id * 100 + k, 30) * 480) * interval '1 minute')
           AT TIME ZONE 'Asia/Shanghai',
       '人工费用拨付', false
FROM g_project p CROSS JOIN LATERAL generate_series(0, p.allocations - 1) AS k
WHERE p.allocations > 0;

INSERT INTO g_transfer
SELECT p.region_code, 'dep-' || p.code, :external_base + p.contractor_id, 2 * :P + p.id,
       CASE p.deposit_kind WHEN 'full' THEN p.value_fen * p.rate_bp / 10000 ELSE p.value_fen * p.rate_bp / 10000 / 2 END,
       ((p.signed + 6) + time '10:00') AT TIME ZONE 'Asia/Shanghai', '工资保证金存储', false
FROM g_project p WHERE p.deposit_kind IN ('full', 'partial');

INSERT INTO g_transfer
SELECT l.region_code, 'pay-' || l.code || '-' || to_char(l.period, 'YYYYMM') || '-' || l.worker_id, :P + l.project_id,
       :worker_base + l.worker_id, l.paid,
       (l.paid_on + time '10:00' + (l.worker_id % 360) * interval '1 minute') AT TIME ZONE 'Asia/Shanghai',
       '代发工资' || to_char(l.period, 'YYYY年MM月'), false
FROM g_payroll l WHERE l.has_wage AND l.paid > 0;

INSERT INTO g_transfer
SELECT p.region_code, 'div-' || p.code, p.id, :external_base + p.r + 1 + 102 * (10 * floor(pg_temp.u(p.id, 28) * :n10)::int + 9),
       (1000000 + floor(pg_temp.u(p.id, 29) * 20000000))::bigint / 100 * 100,
       ((p.actual_start + floor(pg_temp.u(p.id, 31) * greatest(1, date :as_of - p.actual_start))::int) + time '15:20')
           AT TIME ZONE 'Asia/Shanghai',
       '往来款', true
FROM g_project p WHERE p.diversion;

SELECT :n_transfers - count(*) AS n_owner_payments, :n_transfers - count(*) < :n_projects AS too_few FROM g_transfer \gset
\if :too_few
DO $$ BEGIN RAISE EXCEPTION 'the other transfers leave fewer owner payments than projects'; END $$;
\endif

INSERT INTO g_transfer
SELECT p.region_code, 'own-' || p.code || '-' || k, :external_base + p.owner_id, p.id,
       ceil((p.allocation_fen * p.allocations * 1.1 + 5000000) / n.n / 100) * 100,
       ((p.signed + 3 + (k * (least(date :as_of, p.planned_end) - p.signed - 3)) / n.n) + time '11:00')
           AT TIME ZONE 'Asia/Shanghai',
       '工程款拨付', false
FROM g_project p
CROSS JOIN LATERAL (SELECT :n_owner_payments / :n_projects + (p.id <= :n_owner_payments % :n_projects)::int AS n) n
CROSS JOIN LATERAL generate_series(0, n.n - 1) AS k;

INSERT INTO transfers (region_code, id, idempotency_key, payload_hash, from_account, to_account, amount_fen, occurred_at,
                       memo, diversion, created_at, created_by)
OVERRIDING SYSTEM VALUE
SELECT t.region_code, row_number() OVER (ORDER BY t.occurred_at, t.key), t.key,
       encode(sha256(convert_to(jsonb_build_array(t.from_account, t.to_account, t.amount,
                                                  to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                                                  t.memo, NULL::bigint)::text, 'UTF8')), 'hex'),
       t.from_account, t.to_account, t.amount, t.occurred_at, t.memo, t.diversion, t.occurred_at, 'bench'
FROM g_transfer t
ORDER BY t.occurred_at, t.key;
DROP TABLE g_transfer;

-- Balances are what the transfers add up to (the CHECK refuses a wage account below zero).
UPDATE ledger_accounts a SET balance_fen = s.balance
FROM (SELECT region_code, id, sum(delta) AS balance
      FROM (SELECT region_code, to_account AS id, amount_fen AS delta FROM transfers
            UNION ALL
            SELECT region_code, from_account, -amount_fen FROM transfers) x
      GROUP BY region_code, id) s
WHERE a.region_code = s.region_code AND a.id = s.id;

------------------------------------------------------------------------------------------------
-- Complaints, received 2025-01-01 … 2026-11-20 and numbered per county and day: 70 % against
-- the worst 3 % of employers (skewed again within them), the rest spread over all of them.

CREATE TEMP TABLE g_target AS
SELECT (row_number() OVER (ORDER BY pg_temp.u(id, 60), id) - 1)::int AS rank, id, region_code, uscc, name
FROM employers WHERE kind <> 'owner';
CREATE UNIQUE INDEX ON g_target (rank);
SELECT count(*) AS n_targets FROM g_target \gset

CREATE TEMP TABLE g_employer_project AS
SELECT DISTINCT ON (employer_id) employer_id, code
FROM (SELECT contractor_id AS employer_id, code, signed FROM g_project
      UNION ALL SELECT sub_id, code, signed FROM g_project) x
ORDER BY employer_id, signed DESC, code;
CREATE UNIQUE INDEX ON g_employer_project (employer_id);

CREATE TEMP TABLE g_complaint AS
WITH drawn AS (
    SELECT c.id AS gid, t.region_code, t.id AS employer_id, t.uscc, t.name AS employer_name, ep.code AS project_code,
           date '2025-01-01' + floor(pg_temp.u(c.id, 62) * 689)::int AS received_on,
           1 + floor(30 * power(pg_temp.u(c.id, 64), 10))::int AS workers,
           (200000 + floor(power(pg_temp.u(c.id, 65), 2) * 1000000))::bigint / 100 * 100 AS per_worker,
           pg_temp.u(c.id, 66) < 0.004 AS time_barred,
           pg_temp.u(c.id, 72) AS uo
    FROM generate_series(1, :n_complaints) AS c (id)
    JOIN g_target t ON t.rank = CASE WHEN pg_temp.u(c.id, 59) < 0.7
                                     THEN floor(:n_targets * 0.03 * power(pg_temp.u(c.id, 61), 2))::int
                                     ELSE floor(:n_targets * pg_temp.u(c.id, 61))::int END
    LEFT JOIN g_employer_project ep ON ep.employer_id = t.id AND pg_temp.u(c.id, 67) < 0.8
),
decided AS (
    SELECT d.*,
           (d.received_on + time '08:00' + floor(pg_temp.u(d.gid, 63) * 36000) * interval '1 second')
               AT TIME ZONE 'Asia/Shanghai' AS received_at,
           CASE WHEN d.received_on >= date :as_of - 4 AND pg_temp.u(d.gid, 71) < 0.6 THEN NULL
                WHEN d.time_barred THEN 'refused'
                WHEN d.uo < 0.10 THEN 'accepted' WHEN d.uo < 0.15 THEN 'merged'
                WHEN d.uo < 0.40 THEN 'referred' ELSE 'refused' END AS outcome,
           least(d.received_on + 1 + floor(pg_temp.u(d.gid, 73) * 4)::int, date :as_of) AS decided_on,
           CASE WHEN d.time_barred THEN d.received_on - 800 - floor(pg_temp.u(d.gid, 74) * 200)::int
                ELSE d.received_on - floor(pg_temp.u(d.gid, 74) * 30)::int END AS owed_until
    FROM drawn d
)
SELECT d.*,
       row_number() OVER (ORDER BY d.received_at, d.gid) AS id,
       row_number() OVER (PARTITION BY d.region_code, d.received_on ORDER BY d.received_at, d.gid) AS seq,
       CASE WHEN d.outcome = 'accepted'
            THEN count(*) FILTER (WHERE d.outcome = 'accepted') OVER (ORDER BY d.received_at, d.gid) END AS case_id,
       d.owed_until - 30 - floor(pg_temp.u(d.gid, 75) * 300)::int AS owed_since
FROM decided d;
CREATE INDEX ON g_complaint (employer_id, received_at) WHERE outcome = 'accepted';

-- C4: a merged complaint joins the latest case opened on the same employer before it; with no
-- such case it is referred instead.
UPDATE g_complaint c SET case_id = m.case_id
FROM (SELECT c2.gid, (SELECT a.case_id FROM g_complaint a
                      WHERE a.outcome = 'accepted' AND a.employer_id = c2.employer_id AND a.received_at < c2.received_at
                      ORDER BY a.received_at DESC LIMIT 1) AS case_id
      FROM g_complaint c2 WHERE c2.outcome = 'merged') m
WHERE c.gid = m.gid;
UPDATE g_complaint SET outcome = 'referred' WHERE outcome = 'merged' AND case_id IS NULL;

INSERT INTO cases (region_code, id, status, employer_id, project_code, opened_at, accepted_on, investigation_days,
                   extended_days, investigation_due, assigned_to, employer_absconded, closed_at, close_reason)
OVERRIDING SYSTEM VALUE
SELECT c.region_code, c.case_id, CASE WHEN x.closed THEN 'closed' ELSE 'open' END, c.employer_id, c.project_code,
       (c.decided_on + time '16:00') AT TIME ZONE 'Asia/Shanghai', c.decided_on, 60, 0, g.due60,
       'inspector_' || c.region_code, pg_temp.u(c.gid, 69) < 0.005,
       CASE WHEN x.closed THEN (x.closed_on + time '17:00') AT TIME ZONE 'Asia/Shanghai' END,
       CASE WHEN NOT x.closed THEN NULL
            WHEN pg_temp.u(c.gid, 82) < 0.85 THEN 'recovered_in_full'
            WHEN pg_temp.u(c.gid, 82) < 0.95 THEN 'referred_to_court'
            ELSE 'employer_absconded_emergency_fund_paid' END
FROM g_complaint c
JOIN g_due g ON g.day = c.decided_on
CROSS JOIN LATERAL (SELECT c.decided_on + 10 + floor(pg_temp.u(c.gid, 80) * 80)::int AS closed_on) y
CROSS JOIN LATERAL (
    SELECT y.closed_on <= date :as_of
           AND pg_temp.u(c.gid, 81) < CASE WHEN c.decided_on + 90 <= date :as_of THEN 0.99 ELSE 0.5 END AS closed,
           y.closed_on) x
WHERE c.outcome = 'accepted'
ORDER BY c.region_code, c.case_id;

INSERT INTO complaints (region_code, id, number, received_at, received_on, channel, caller_name, caller_phone,
                        employer_id, employer_uscc, employer_name, project_code, workers_involved, amount_owed_fen,
                        owed_since, owed_until, employer_absconded, text, decision_days, decision_due, status, outcome,
                        reason, referred_to, case_id, decided_at, decided_by, created_by)
OVERRIDING SYSTEM VALUE
SELECT c.region_code, c.id, 'TS-' || to_char(c.received_on, 'YYYYMMDD') || '-' || lpad(c.seq::text, 4, '0'),
       c.received_at, c.received_on,
       pg_temp.pick('{12333,12333,12333,12345,来访,网上投诉,书面投诉}', c.gid, 70),
       pg_temp.person(c.gid * 7), pg_temp.mobile(c.gid * 11),
       c.employer_id, c.uscc, c.employer_name, c.project_code, c.workers, c.workers * c.per_worker,
       c.owed_since, c.owed_until, pg_temp.u(c.gid, 69) < 0.005,
       pg_temp.person(c.gid * 7) || '等' || c.workers || '人反映' || c.employer_name || '拖欠工资'
           || ww_yuan(c.workers * c.per_worker) || '元'
           || CASE WHEN pg_temp.u(c.gid, 76) < 0.01
                   THEN pg_temp.pick('{，工人准备到县政府聚集讨薪,，有工人扬言爬塔吊,，工人已在工地门口拉横幅,，工人计划集体堵路}', c.gid, 77)
                   ELSE '' END,
       5, g.due5,
       CASE WHEN c.outcome IS NULL THEN 'pending' ELSE 'decided' END, c.outcome,
       CASE WHEN c.outcome = 'refused' THEN
                CASE WHEN c.time_barred THEN 'time_barred'
                     ELSE pg_temp.pick('{not_wage_arrears,settled_by_mediation,duplicate,insufficient_information}', c.gid, 78) END
       END,
       CASE WHEN c.outcome = 'referred'
            THEN pg_temp.pick('{劳动人事争议仲裁委员会,人民法院,县住房和城乡建设局,外县人社局}', c.gid, 79) END,
       CASE WHEN c.outcome IN ('accepted', 'merged') THEN c.case_id END,
       -- 16:00 on the day of the decision, never before the call (a same-day call after 16:00).
       CASE WHEN c.outcome IS NOT NULL
            THEN greatest((c.decided_on + time '16:00') AT TIME ZONE 'Asia/Shanghai', c.received_at + interval '1 minute') END,
       CASE WHEN c.outcome IS NOT NULL THEN 'inspector_' || c.region_code END,
       'intake_' || c.region_code
FROM g_complaint c JOIN g_due g ON g.day = c.received_on
ORDER BY c.region_code, c.id;

INSERT INTO complaint_counters (region_code, day, last)
SELECT region_code, received_on, max(seq)::int FROM g_complaint GROUP BY 1, 2;

-- C6: a claim per worker (up to five per case) and the recoveries: in full for cases closed as
-- recovered, half for some court referrals and open cases, the emergency fund for absconders.
INSERT INTO claims (region_code, case_id, id_number, worker_name, owed_fen, created_at, created_by)
SELECT c.region_code, c.case_id,
       pg_temp.id_number((SELECT code FROM g_region WHERE r = (c.case_id * 5 + q) % 102),
                         date '1970-01-01' + ((c.case_id * 5 + q) % 12000)::int, 500 + ((c.case_id * 5 + q) / 12000)::int % 499),
       pg_temp.person(c.case_id * 5 + q), c.per_worker, (c.decided_on + time '16:30') AT TIME ZONE 'Asia/Shanghai',
       'inspector_' || c.region_code
FROM g_complaint c CROSS JOIN LATERAL generate_series(1, least(c.workers, 5)) AS q
WHERE c.outcome = 'accepted'
ORDER BY c.region_code, c.case_id, q;

INSERT INTO recoveries (region_code, case_id, id_number, recovered_on, amount_fen, source, created_at, created_by)
SELECT cl.region_code, cl.case_id, cl.id_number, r.on_day, r.amount, r.source,
       (r.on_day + time '15:00') AT TIME ZONE 'Asia/Shanghai', 'inspector_' || cl.region_code
FROM claims cl
JOIN cases cs ON cs.region_code = cl.region_code AND cs.id = cl.case_id
CROSS JOIN LATERAL (
    SELECT (cs.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS on_day, cl.owed_fen AS amount,
           pg_temp.pick('{employer,employer,employer,employer,employer,employer,employer,general_contractor,general_contractor,project_owner}', cl.id, 83) AS source
    WHERE cs.close_reason = 'recovered_in_full'
    UNION ALL
    SELECT (cs.closed_at AT TIME ZONE 'Asia/Shanghai')::date, cl.owed_fen, 'emergency_fund'
    WHERE cs.close_reason = 'employer_absconded_emergency_fund_paid'
    UNION ALL
    SELECT (cs.closed_at AT TIME ZONE 'Asia/Shanghai')::date, cl.owed_fen / 2, 'guarantee_deposit'
    WHERE cs.close_reason = 'referred_to_court' AND pg_temp.u(cl.id, 84) < 0.5
    UNION ALL
    SELECT cs.accepted_on + 20, cl.owed_fen / 2, 'employer'
    WHERE cs.status = 'open' AND cs.accepted_on + 20 <= date :as_of AND pg_temp.u(cl.id, 85) < 0.4
) r
ORDER BY cl.region_code, cl.case_id, cl.id;

------------------------------------------------------------------------------------------------
-- Sanctions: 2 % of contractors blacklisted or barred from bidding (R12 sees their projects
-- signed or started meanwhile), and a few other measures that R12 ignores.

INSERT INTO sanctions (region_code, employer_id, measure, basis, department, valid_from, valid_until, created_at, created_by)
SELECT e.region_code, e.id, s.measure, '《保障农民工工资支付条例》第四十八条', 'labor', s.valid_from,
       s.valid_from + CASE WHEN s.measure = 'blacklist' THEN interval '3 years' ELSE interval '1 year' END - interval '1 day',
       (s.valid_from + time '10:00') AT TIME ZONE 'Asia/Shanghai', 'inspector_' || e.region_code
FROM employers e
CROSS JOIN LATERAL (
    SELECT CASE WHEN e.kind IN ('general_contractor', 'enterprise') AND pg_temp.u(e.id, 90) < 0.02
                THEN CASE WHEN pg_temp.u(e.id, 91) < 0.4 THEN 'blacklist' ELSE 'restrict_bidding' END
                WHEN pg_temp.u(e.id, 90) < 0.005
                THEN pg_temp.pick('{restrict_credit,restrict_travel,public_exposure}', e.id, 92) END AS measure,
           date '2025-01-01' + floor(pg_temp.u(e.id, 93) * 500)::int AS valid_from) s
WHERE s.measure IS NOT NULL
ORDER BY e.region_code, e.id;

------------------------------------------------------------------------------------------------
-- Identity sequences continue after the generated ids; triggers back on.

DO $$
DECLARE t text; m bigint;
BEGIN
    FOREACH t IN ARRAY ARRAY['employers', 'projects', 'project_subcontractors', 'workers', 'ledger_accounts', 'transfers',
                             'complaints', 'cases', 'claims', 'recoveries', 'sanctions'] LOOP
        EXECUTE format('SELECT coalesce(max(id), 0) FROM %I', t) INTO m;
        PERFORM setval(pg_get_serial_sequence(t, 'id'), m + 1, false);
    END LOOP;
END $$;

ALTER TABLE employers ENABLE TRIGGER USER;
ALTER TABLE projects ENABLE TRIGGER USER;
ALTER TABLE project_subcontractors ENABLE TRIGGER USER;
ALTER TABLE workers ENABLE TRIGGER USER;
ALTER TABLE attendance ENABLE TRIGGER USER;
ALTER TABLE payroll ENABLE TRIGGER USER;
ALTER TABLE ledger_accounts ENABLE TRIGGER USER;
ALTER TABLE transfers ENABLE TRIGGER USER;
ALTER TABLE complaints ENABLE TRIGGER USER;
ALTER TABLE cases ENABLE TRIGGER USER;
ALTER TABLE claims ENABLE TRIGGER USER;
ALTER TABLE recoveries ENABLE TRIGGER USER;
ALTER TABLE sanctions ENABLE TRIGGER USER;

COMMIT;

-- Hint bits, the visibility map and statistics, so the first timed read pays for none of them.
VACUUM (ANALYZE) employers, projects, project_subcontractors, workers, attendance, payroll, ledger_accounts, transfers,
                 complaints, complaint_counters, cases, claims, recoveries, sanctions, regions;

SELECT 'province: ' || string_agg(t || ' ' || n, ', ' ORDER BY o) AS summary
FROM (VALUES (1, 'complaints', (SELECT count(*) FROM complaints)), (2, 'employers', (SELECT count(*) FROM employers)),
             (3, 'projects', (SELECT count(*) FROM projects)), (4, 'workers', (SELECT count(*) FROM workers)),
             (5, 'attendance', (SELECT count(*) FROM attendance)), (6, 'payroll', (SELECT count(*) FROM payroll)),
             (7, 'transfers', (SELECT count(*) FROM transfers)), (8, 'accounts', (SELECT count(*) FROM ledger_accounts)),
             (9, 'cases', (SELECT count(*) FROM cases)), (10, 'claims', (SELECT count(*) FROM claims)),
             (11, 'recoveries', (SELECT count(*) FROM recoveries)), (12, 'sanctions', (SELECT count(*) FROM sanctions)))
     AS v (o, t, n);
