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
-- The overview's default: the few focus localities among ten thousand.
CREATE INDEX localities_focus_idx ON localities (id) WHERE focus;

-- Sources newest first, a page at a time, and searchable the same way.
CREATE INDEX sources_published_idx ON sources (published_on DESC, id DESC);
CREATE INDEX sources_search_idx ON sources USING gin (fold(title || ' ' || outlet || ' ' || author) gin_trgm_ops);

-- Counts the overview and the locality pages read instead of counting
-- figures: a locality with 100.000 figures costs what one with ten does.
-- A statement-level trigger keeps them (with the statement's transition
-- tables: one update per statement, however many rows), counting live
-- figures only; rows whose count falls to 0 stay, with 0.
--   figure_key_counts: per locality, category, indicator (0: none) and
--     direction ('': none), and kind: comparable (stats.Figure.Comparable),
--     deprecated, part, or none (no indicator): comparisons and what they
--     leave over.
--   figure_span_counts: per locality and period, in all and per category:
--     the coverage chart.
--   figure_source_counts: per locality and source.
CREATE TABLE figure_key_counts (
    locality_id   bigint NOT NULL,
    category      text NOT NULL,
    indicator_id  bigint NOT NULL,
    from_level    text NOT NULL,
    to_level      text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('comparable', 'deprecated', 'part', 'none')),
    figures       int NOT NULL,
    PRIMARY KEY (locality_id, category, indicator_id, from_level, to_level, kind)
);
CREATE TABLE figure_span_counts (
    locality_id   bigint NOT NULL,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    figures       int NOT NULL,
    PRIMARY KEY (locality_id, period_start, period_end)
);
-- The spans with the most figures first, for the coverage chart.
CREATE INDEX figure_span_counts_top_idx ON figure_span_counts (locality_id, figures DESC, period_end DESC, period_start);
CREATE INDEX figure_span_counts_end_idx ON figure_span_counts (locality_id, period_end DESC) WHERE figures > 0;
CREATE TABLE figure_span_category_counts (
    locality_id   bigint NOT NULL,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    category      text NOT NULL,
    figures       int NOT NULL,
    PRIMARY KEY (locality_id, period_start, period_end, category)
);
CREATE TABLE figure_source_counts (
    locality_id   bigint NOT NULL,
    source_id     bigint NOT NULL,
    figures       int NOT NULL,
    PRIMARY KEY (locality_id, source_id)
);

-- +goose StatementBegin
CREATE FUNCTION count_figures() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    live text := 'locality_id, category, coalesce(indicator_id, 0) AS indicator_id, coalesce(from_level, '''') AS from_level,
        coalesce(to_level, '''') AS to_level,
        CASE WHEN completeness = ''part'' THEN ''part'' WHEN indicator_id IS NULL THEN ''none''
             WHEN rank = ''deprecated'' THEN ''deprecated'' ELSE ''comparable'' END AS kind,
        period_start, period_end, source_id';
    d text;
BEGIN
    -- Every live row that leaves counts -1, every live row that arrives +1
    -- (EXECUTE sees the statement's transition tables).
    d := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT ' || live || ', 1 AS n FROM new_rows WHERE deleted_at IS NULL'
        WHEN 'DELETE' THEN 'SELECT ' || live || ', -1 AS n FROM old_rows WHERE deleted_at IS NULL'
        ELSE 'SELECT ' || live || ', 1 AS n FROM new_rows WHERE deleted_at IS NULL UNION ALL '
          || 'SELECT ' || live || ', -1 AS n FROM old_rows WHERE deleted_at IS NULL' END;
    -- In key order, so that concurrent writers lock rows in one order.
    EXECUTE 'WITH d AS (' || d || ') INSERT INTO figure_key_counts AS t
        SELECT locality_id, category, indicator_id, from_level, to_level, kind, sum(n) FROM d
        GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (locality_id, category, indicator_id, from_level, to_level, kind)
            DO UPDATE SET figures = t.figures + EXCLUDED.figures';
    EXECUTE 'WITH d AS (' || d || ') INSERT INTO figure_span_counts AS t
        SELECT locality_id, period_start, period_end, sum(n) FROM d
        GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (locality_id, period_start, period_end) DO UPDATE SET figures = t.figures + EXCLUDED.figures';
    EXECUTE 'WITH d AS (' || d || ') INSERT INTO figure_span_category_counts AS t
        SELECT locality_id, period_start, period_end, category, sum(n) FROM d
        GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (locality_id, period_start, period_end, category) DO UPDATE SET figures = t.figures + EXCLUDED.figures';
    EXECUTE 'WITH d AS (' || d || ') INSERT INTO figure_source_counts AS t
        SELECT locality_id, source_id, sum(n) FROM d
        GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
        ON CONFLICT (locality_id, source_id) DO UPDATE SET figures = t.figures + EXCLUDED.figures';
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER figures_count_insert AFTER INSERT ON figures REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_figures();
CREATE TRIGGER figures_count_update AFTER UPDATE ON figures REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_figures();
CREATE TRIGGER figures_count_delete AFTER DELETE ON figures REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION count_figures();
-- +goose StatementBegin
CREATE FUNCTION clear_figure_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE figure_key_counts, figure_span_counts, figure_span_category_counts, figure_source_counts;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER figures_count_truncate AFTER TRUNCATE ON figures FOR EACH STATEMENT EXECUTE FUNCTION clear_figure_counts();

-- The figures already there.
INSERT INTO figure_key_counts
SELECT locality_id, category, coalesce(indicator_id, 0), coalesce(from_level, ''), coalesce(to_level, ''),
    CASE WHEN completeness = 'part' THEN 'part' WHEN indicator_id IS NULL THEN 'none'
         WHEN rank = 'deprecated' THEN 'deprecated' ELSE 'comparable' END, count(*)
FROM figures WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO figure_span_counts SELECT locality_id, period_start, period_end, count(*) FROM figures WHERE deleted_at IS NULL GROUP BY 1, 2, 3;
INSERT INTO figure_span_category_counts SELECT locality_id, period_start, period_end, category, count(*)
FROM figures WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4;
INSERT INTO figure_source_counts SELECT locality_id, source_id, count(*) FROM figures WHERE deleted_at IS NULL GROUP BY 1, 2;

-- A locality's deprecated figures, latest first: the overview lists them
-- apart from the comparisons.
CREATE INDEX figures_deprecated_idx ON figures (locality_id, period_end DESC, id DESC)
    WHERE rank = 'deprecated' AND completeness <> 'part' AND deleted_at IS NULL;
-- …and those that fit no indicator, by category.
CREATE INDEX figures_no_indicator_idx ON figures (locality_id, category, period_end DESC, id DESC)
    WHERE indicator_id IS NULL AND completeness <> 'part' AND deleted_at IS NULL;

-- +goose Down
DROP INDEX figures_no_indicator_idx;
DROP INDEX figures_deprecated_idx;
DROP TRIGGER figures_count_truncate ON figures;
DROP TRIGGER figures_count_delete ON figures;
DROP TRIGGER figures_count_update ON figures;
DROP TRIGGER figures_count_insert ON figures;
DROP FUNCTION clear_figure_counts();
DROP FUNCTION count_figures();
DROP TABLE figure_source_counts;
DROP TABLE figure_span_category_counts;
DROP TABLE figure_span_counts;
DROP TABLE figure_key_counts;
DROP INDEX sources_search_idx;
DROP INDEX sources_published_idx;
DROP INDEX localities_focus_idx;
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
