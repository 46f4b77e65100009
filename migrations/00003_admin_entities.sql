-- +goose Up
-- Editors change sources, findings, localities and terms through forms:
-- each gets a version for optimistic locking (an edit names the version it
-- saw) and a soft delete (deleted rows disappear from public pages and
-- exports and can be restored; the history keeps who did it).
ALTER TABLE sources ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE findings ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE localities
    ADD COLUMN version    bigint NOT NULL DEFAULT 1,
    ADD COLUMN deleted_at timestamptz;
ALTER TABLE terms
    ADD COLUMN version    bigint NOT NULL DEFAULT 1,
    ADD COLUMN deleted_at timestamptz;

-- Deleting a term or a locality first checks nothing live cites it.
CREATE INDEX figures_term_idx ON figures (term_id);
CREATE INDEX findings_term_idx ON findings (term_id);
CREATE INDEX localities_parent_idx ON localities (parent_id);

-- +goose Down
DROP INDEX localities_parent_idx;
DROP INDEX findings_term_idx;
DROP INDEX figures_term_idx;
ALTER TABLE terms DROP COLUMN deleted_at, DROP COLUMN version;
ALTER TABLE localities DROP COLUMN deleted_at, DROP COLUMN version;
ALTER TABLE findings DROP COLUMN version;
ALTER TABLE sources DROP COLUMN version;
