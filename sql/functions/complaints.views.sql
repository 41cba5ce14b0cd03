-- One place that says what a case adds up to (C6): owed is the sum of per-worker claims once
-- any are recorded, else what the complaints reported.
-- It reads its tables with the privileges and row policies of the user reading the view.
CREATE OR REPLACE VIEW case_totals WITH (security_invoker = true) AS
SELECT c.region_code, c.id AS case_id,
       coalesce(cl.owed_fen, cp.owed_fen, 0)::bigint AS owed_fen,
       coalesce(r.recovered_fen, 0)::bigint AS recovered_fen,
       greatest(coalesce(cl.workers, 0), coalesce(cp.workers, 0))::integer AS workers_involved,
       coalesce(cp.complaint_ids, ARRAY[]::bigint[]) AS complaint_ids
FROM cases c
LEFT JOIN LATERAL (SELECT sum(owed_fen) AS owed_fen, count(*) AS workers FROM claims
                   WHERE region_code = c.region_code AND case_id = c.id) cl ON cl.workers > 0
LEFT JOIN LATERAL (SELECT sum(amount_owed_fen) AS owed_fen, sum(workers_involved) AS workers,
                          array_agg(id ORDER BY id) AS complaint_ids
                   FROM complaints WHERE region_code = c.region_code AND case_id = c.id) cp ON true
LEFT JOIN LATERAL (SELECT sum(amount_fen) AS recovered_fen FROM recoveries
                   WHERE region_code = c.region_code AND case_id = c.id) r ON true;
