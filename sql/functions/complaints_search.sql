-- The pieces of a search's text that the complaint search asks complaints_employer_grams for
-- (migration 0007, ComplaintDesk.list): those that less than 10 % of complaints' names hold, by the
-- index's own statistics (ANALYZE), or, when every piece is that common, the rarest one. A piece
-- most names hold (公司, 有限) narrows nothing and costs the longest posting lists; the ILIKE
-- beside the index condition still checks the whole text. SECURITY DEFINER only to read
-- pg_stats, which shows an index's statistics to its owner: what it hands back is a subset of the
-- caller's own text.
CREATE OR REPLACE FUNCTION ww_search_grams(q text) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
    WITH stats AS (
        SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs
        FROM pg_stats s
        WHERE s.schemaname = 'public' AND s.tablename = 'complaints_employer_grams'),
    piece AS (
        SELECT g, coalesce((SELECT st.freqs[array_position(st.elems, g)] FROM stats st), 0) AS freq
        FROM unnest(ww_name_grams(q)) AS g)
    SELECT coalesce(
        (SELECT array_agg(g ORDER BY freq) FROM piece WHERE freq < 0.1),
        (SELECT array_agg(g) FROM (SELECT g FROM piece ORDER BY freq LIMIT 1) rarest),
        '{}')
$$;
