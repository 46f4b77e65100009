-- +goose Up
-- One number that changes with every write to the data the public pages
-- show: pages and API answers derive their ETag from it, so a repeat visit
-- is answered 304 until something changes, on every instance serving this
-- database (each reads it per request; a write anywhere is seen at once).
--
-- It is a row, not a sequence: a reader must not see the new number before
-- the write that raised it is committed, or it would store old content
-- under the new ETag.
CREATE TABLE data_version (
    id          boolean PRIMARY KEY DEFAULT true CHECK (id),
    version     bigint NOT NULL DEFAULT 1,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO data_version DEFAULT VALUES;

-- bump_data_version serves any table: a statement-level trigger, raising
-- the number once per transaction (a bulk import of 100.000 statements
-- updates the row once, not 100.000 times in one transaction). The flag is
-- transaction-local (set_config(…, true)) and rolls back with a savepoint.
-- +goose StatementBegin
CREATE FUNCTION bump_data_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('cadrestats.data_version_bumped', true) IS DISTINCT FROM 'on' THEN
        UPDATE data_version SET version = version + 1, changed_at = now();
        PERFORM set_config('cadrestats.data_version_bumped', 'on', true);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Every table a public page, export or API answer reads. A new one is one
-- more line (and its DROP below). Not users, sessions or revisions: signing
-- in must not make every page look changed.
CREATE TRIGGER localities_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON localities
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER terms_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON terms
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER sources_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sources
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER categories_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER figures_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON figures
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER findings_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON findings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER indicators_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicators
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();

-- +goose Down
DROP TRIGGER indicators_data_version ON indicators;
DROP TRIGGER findings_data_version ON findings;
DROP TRIGGER figures_data_version ON figures;
DROP TRIGGER categories_data_version ON categories;
DROP TRIGGER sources_data_version ON sources;
DROP TRIGGER terms_data_version ON terms;
DROP TRIGGER localities_data_version ON localities;
DROP FUNCTION bump_data_version();
DROP TABLE data_version;
