-- +goose Up
-- National scale: every public page reads through an index, never a
-- sequential scan of the figures (a million and more).

-- Keyset pagination: each filter the pages offer, followed by the id that
-- breaks ties, so that "the next 20 after this one" is one index descent
-- (they replace the single-column indexes of the same filters).
DROP INDEX figures_locality_idx;
DROP INDEX figures_category_idx;
DROP INDEX figures_source_idx;
DROP INDEX figures_indicator_idx;
CREATE INDEX figures_locality_idx ON figures (locality_id, id);
CREATE INDEX figures_category_idx ON figures (category, id);
CREATE INDEX figures_source_idx ON figures (source_id, id);
CREATE INDEX figures_indicator_idx ON figures (indicator_id, id);
-- …and each sort the list offers.
CREATE INDEX figures_value_idx ON figures (value, id);
CREATE INDEX figures_period_idx ON figures (period_start, id);
CREATE INDEX figures_subject_idx ON figures (subject COLLATE "vi-x-icu", id);

-- The latest figures: per locality, indicator and direction, the latest
-- period first. The overview reads one entry per comparison and locality
-- instead of every figure (stats.Compare's choice, prepared in SQL), and a
-- locality page the latest few of each indicator. Parts are read with
-- their totals; the included columns let the filters (period, term,
-- verified) and the ranks be checked without the table.
CREATE INDEX figures_latest_idx ON figures
    (locality_id, indicator_id, (coalesce(from_level, '')), (coalesce(to_level, '')), period_end DESC, id DESC)
    INCLUDE (period_start, rank, term_id, verified_at)
    WHERE completeness <> 'part' AND deleted_at IS NULL;

-- Coverage and per-locality counts (overview, locality page): which
-- periods a locality's figures describe, counted from the index alone.
CREATE INDEX figures_coverage_idx ON figures (locality_id, period_start, period_end)
    INCLUDE (category, indicator_id, completeness, rank, from_level, to_level, source_id, term_id, verified_at)
    WHERE deleted_at IS NULL;

-- Localities in name order (keyset by locality) and found by name
-- without diacritics (the picker: "dien bien" finds Điện Biên).
CREATE INDEX localities_name_idx ON localities (name COLLATE "vi-x-icu", id);
CREATE INDEX localities_search_idx ON localities USING gin (fold(name) gin_trgm_ops);

-- Sources newest first, a page at a time, and searchable the same way.
CREATE INDEX sources_published_idx ON sources (published_on DESC, id DESC);
CREATE INDEX sources_search_idx ON sources USING gin (fold(title || ' ' || outlet || ' ' || author) gin_trgm_ops);

-- +goose Down
DROP INDEX sources_search_idx;
DROP INDEX sources_published_idx;
DROP INDEX localities_search_idx;
DROP INDEX localities_name_idx;
DROP INDEX figures_coverage_idx;
DROP INDEX figures_latest_idx;
DROP INDEX figures_subject_idx;
DROP INDEX figures_period_idx;
DROP INDEX figures_value_idx;
DROP INDEX figures_indicator_idx;
DROP INDEX figures_source_idx;
DROP INDEX figures_category_idx;
DROP INDEX figures_locality_idx;
CREATE INDEX figures_locality_idx ON figures (locality_id);
CREATE INDEX figures_category_idx ON figures (category);
CREATE INDEX figures_source_idx ON figures (source_id);
CREATE INDEX figures_indicator_idx ON figures (indicator_id);
