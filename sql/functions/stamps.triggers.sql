DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['claims', 'recoveries', 'case_extensions', 'sanctions'] LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION ww_stamp_writer()',
                       t || '_stamp_writer', t);
    END LOOP;
END $$;

CREATE OR REPLACE TRIGGER flags_review_guard BEFORE UPDATE ON flags
    FOR EACH ROW EXECUTE FUNCTION ww_flag_review_guard();
