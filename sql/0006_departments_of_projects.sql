-- The departments that lead a project (P1), for routing and filters: the lead department and,
-- for small enterprises, the township too. A complaint or case that names no registered
-- project stays with the labour bureau.
CREATE FUNCTION ww_department_of_project(p_region text, p_code text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT array_remove(ARRAY[t.lead_department, t.co_department], NULL)
         FROM projects p JOIN project_types t ON t.type = p.type
         WHERE p.region_code = p_region AND p.code = p_code),
        ARRAY['labor'])
$$;
