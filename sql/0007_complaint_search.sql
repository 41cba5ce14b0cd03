-- The complaint search of the web desk (issue 15) at province scale, in any database locale and
-- under row security.
--
-- `employer_name ILIKE '%q%'` can use no btree, and pg_trgm cannot help where LC_CTYPE is `C`
-- (the embedded cluster's, and many a server's): there it drops every Chinese character. So each
-- name's two-character pieces are indexed instead: a search of two characters or more asks the
-- GIN index for the complaints whose name holds every piece of the query, and the ILIKE beside it
-- keeps those that hold the query itself (ComplaintDesk.list).
--
-- Row security lets the planner use an index for a user's condition only when every function in
-- it is LEAKPROOF (it must not see, before the policy has, a row the user may not read). Neither
-- `arraycontains` (`@>`) nor an SQL function is, so the index would never be used by a signed-in
-- user. Both functions below are: they raise no error that depends on their arguments and tell
-- nothing but their result (`ww_name_grams` lowers and cuts text; `ww_grams_contain` is
-- PostgreSQL's own array containment, here only for text[], whose element equality `texteq` is
-- LEAKPROOF itself). The operator `@>>` and its GIN operator class (the built-in array support
-- functions) carry them into the index. LEAKPROOF and operator classes are a superuser's to make,
-- so this migration is run by one (as `db migrate` on the embedded cluster is).
--
-- The index stores `ww_name_grams`' results: never change its body in place. A new definition
-- needs a new function name (and a new index) in a new migration.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'migration 0007_complaint_search must be applied by a superuser (it makes LEAKPROOF functions and a GIN operator class); run `wagewatch db migrate` with a superuser''s DATABASE_URL';
    END IF;
END $$;

CREATE FUNCTION ww_name_grams(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS $$
    SELECT coalesce(array_agg(DISTINCT substr(l.t, i, 2)), '{}')
    FROM (SELECT lower(name) AS t) l, generate_series(1, length(l.t) - 1) AS i
$$;

CREATE FUNCTION ww_grams_contain(text[], text[]) RETURNS boolean
LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF AS 'arraycontains';

-- `contsel`: arraycontsel knows only the built-in operators; the fixed estimate (0.1 %) is why
-- ComplaintDesk.list reads the newest rows first for a common name.
CREATE OPERATOR @>> (LEFTARG = text[], RIGHTARG = text[], FUNCTION = ww_grams_contain, RESTRICT = contsel, JOIN = contjoinsel);

CREATE OPERATOR CLASS ww_grams_ops FOR TYPE text[] USING gin AS
    OPERATOR 2 @>> (text[], text[]),   -- 2: GinContainsStrategy, as `@>` in array_ops
    FUNCTION 1 bttextcmp(text, text),
    FUNCTION 2 ginarrayextract(anyarray, internal, internal),
    FUNCTION 3 ginqueryarrayextract(anyarray, internal, int2, internal, internal, internal, internal),
    FUNCTION 4 ginarrayconsistent(internal, int2, anyarray, int4, internal, internal, internal, internal),
    FUNCTION 6 ginarraytriconsistent(internal, int2, anyarray, int4, internal, internal, internal),
    STORAGE text;

CREATE INDEX complaints_employer_grams ON complaints USING gin (ww_name_grams(employer_name) ww_grams_ops);

-- A search by USCC finds the employer first (a small table), then its complaints through
-- complaints_employer (region_code, employer_id, received_at).
CREATE INDEX employers_uscc_any_region ON employers (uscc) WHERE uscc IS NOT NULL;
