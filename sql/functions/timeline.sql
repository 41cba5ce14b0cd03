-- The timelines of the web desk's complaint and case pages, from the audit log (which no
-- application role may read): the rows about this complaint or case and the rows that belong to
-- it (its escalations; a case's claims, recoveries and extension), to a user who may read the
-- case (ww_may_read_case). Only these fields of each change are shown, never personal data.
CREATE OR REPLACE FUNCTION ww_timeline_fields() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['status', 'outcome', 'reason', 'referred_to', 'case_id', 'level', 'acknowledged_by', 'resolution',
                 'investigation_due', 'assigned_to', 'close_reason', 'days', 'approver', 'amount_fen', 'owed_fen',
                 'source', 'recovered_on', 'worker_name', 'workers_involved']
$$;

CREATE OR REPLACE FUNCTION ww_timeline_rows(p_rows text[][])
RETURNS TABLE (at timestamptz, actor text, table_name text, action text, changes jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT a.at, a.actor, a.table_name, a.action,
           coalesce((SELECT jsonb_object_agg(k.key, k.value) FROM jsonb_each(a.after) k
                     WHERE k.key = ANY (ww_timeline_fields())
                       AND (a.before IS NULL OR a.before -> k.key IS DISTINCT FROM k.value)
                       AND k.value <> 'null'::jsonb), '{}'::jsonb)
    FROM unnest(p_rows[:][1:1], p_rows[:][2:2]) AS r(table_name, row_key)
    JOIN audit_log a ON a.table_name = r.table_name AND a.row_key = r.row_key
    ORDER BY a.id
$$;

CREATE OR REPLACE FUNCTION ww_complaint_timeline(p_id bigint)
RETURNS TABLE (at timestamptz, actor text, table_name text, action text, changes jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT t.* FROM complaints c,
         LATERAL ww_timeline_rows(ARRAY[ARRAY['complaints', c.id::text]]
             || coalesce((SELECT array_agg(ARRAY['escalations', e.id::text]) FROM escalations e
                          WHERE e.complaint_id = c.id), '{}')) t
    WHERE c.id = p_id AND ww_may_read_case(c.region_code)
$$;

CREATE OR REPLACE FUNCTION ww_case_timeline(p_id bigint)
RETURNS TABLE (at timestamptz, actor text, table_name text, action text, changes jsonb)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT t.* FROM cases c,
         LATERAL ww_timeline_rows(ARRAY[ARRAY['cases', c.id::text]]
             || coalesce((SELECT array_agg(ARRAY['claims', x.id::text]) FROM claims x
                          WHERE x.region_code = c.region_code AND x.case_id = c.id), '{}')
             || coalesce((SELECT array_agg(ARRAY['recoveries', x.id::text]) FROM recoveries x
                          WHERE x.region_code = c.region_code AND x.case_id = c.id), '{}')
             || coalesce((SELECT array_agg(ARRAY['case_extensions', x.id::text]) FROM case_extensions x
                          WHERE x.region_code = c.region_code AND x.case_id = c.id), '{}')
             || coalesce((SELECT array_agg(ARRAY['complaints', x.id::text]) FROM complaints x
                          WHERE x.region_code = c.region_code AND x.case_id = c.id), '{}')) t
    WHERE c.id = p_id AND ww_may_read_case(c.region_code)
$$;
