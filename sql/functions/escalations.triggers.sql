CREATE OR REPLACE TRIGGER complaints_escalate AFTER INSERT ON complaints REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_escalate_new_complaints();

CREATE OR REPLACE TRIGGER complaints_escalate_joined AFTER UPDATE ON complaints
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_escalate_joined_cases();

CREATE OR REPLACE TRIGGER claims_escalate AFTER INSERT ON claims REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ww_escalate_claimed_cases();

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['escalations', 'escalation_levels'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_insert()', t || '_audit_insert', t);
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE DELETE ON %I FOR EACH ROW EXECUTE FUNCTION ww_refuse_delete()',
                       t || '_no_delete', t);
    END LOOP;
    EXECUTE 'CREATE OR REPLACE TRIGGER escalations_audit_update AFTER UPDATE ON escalations REFERENCING OLD TABLE AS old_rows
             NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ww_audit_update()';
END $$;

-- Acknowledgement and resolution by the acting person (sql/functions/escalations_guard.sql).
CREATE OR REPLACE TRIGGER escalations_guard BEFORE UPDATE ON escalations
    FOR EACH ROW EXECUTE FUNCTION ww_escalation_guard();

-- The doors of acknowledgement and resolution (sql/functions/escalations_guard.sql).
REVOKE ALL ON FUNCTION ww_acknowledge_escalation(bigint, timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ww_resolve_escalation(bigint, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ww_acknowledge_escalation(bigint, timestamptz, text)
    TO wagewatch_official, wagewatch_inspector, wagewatch_admin;
GRANT EXECUTE ON FUNCTION ww_resolve_escalation(bigint, text, timestamptz) TO wagewatch_inspector, wagewatch_admin;
