-- The pieces of a search's text that the complaint search asks complaints_employer_grams for
-- (migration 0007, ComplaintDesk.list): those that less than 10 % of complaints' names hold, by the
-- index's own statistics (ANALYZE), or, when every piece is that common, the rarest one. A piece
-- most names hold (公司, 有限) narrows nothing and costs the longest posting lists; the ILIKE
-- beside the index condition still checks the whole text. SECURITY DEFINER only to read
-- pg_statistic, the superuser's: what it hands back is a subset of the caller's own text.
CREATE OR REPLACE FUNCTION ww_search_grams(q text) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    -- The index's most common elements and their frequencies: the statistics slot of kind 4
    -- (STATISTIC_KIND_MCELEM), read from pg_statistic by key (the pg_stats view reads every
    -- table's statistics to check privileges: 5 ms a call).
    WITH stats AS MATERIALIZED (
        SELECT (CASE 4 WHEN s.stakind1 THEN s.stavalues1 WHEN s.stakind2 THEN s.stavalues2 WHEN s.stakind3 THEN s.stavalues3
                       WHEN s.stakind4 THEN s.stavalues4 WHEN s.stakind5 THEN s.stavalues5 END)::text::text[] AS elems,
               CASE 4 WHEN s.stakind1 THEN s.stanumbers1 WHEN s.stakind2 THEN s.stanumbers2 WHEN s.stakind3 THEN s.stanumbers3
                      WHEN s.stakind4 THEN s.stanumbers4 WHEN s.stakind5 THEN s.stanumbers5 END AS freqs
        FROM pg_statistic s
        WHERE s.starelid = 'public.complaints_employer_grams'::regclass AND s.staattnum = 1),
    piece AS (
        SELECT g, coalesce((SELECT st.freqs[array_position(st.elems, g)] FROM stats st), 0) AS freq
        FROM unnest(ww_name_grams(q)) AS g)
    SELECT coalesce(
        (SELECT array_agg(g ORDER BY freq) FROM piece WHERE freq < 0.1),
        (SELECT array_agg(g) FROM (SELECT g FROM piece ORDER BY freq LIMIT 1) rarest),
        '{}')
$$;
