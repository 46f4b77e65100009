-- +goose Up
-- The overview's choice among one period's values (issue 20). An editor's
-- import can give one locality, indicator and period 100.000 figures; the
-- overview names the one stats.Compare chooses (the preferred value, else
-- the latest source's, else the lowest id) and the first of those that
-- disagree, and counts the rest. Each group's figures are read from this
-- index alone (no heap, no join per figure), by source and then id, so
-- that the choice is a pass over index entries, never over rows. The raw
-- levels are included because an index-only scan cannot read a column
-- back from an expression.
CREATE INDEX figures_choice_idx ON figures
    (locality_id, indicator_id, (coalesce(from_level, '')), (coalesce(to_level, '')), period_end, source_id, id)
    INCLUDE (period_start, value, rank, term_id, verified_at, from_level, to_level)
    WHERE completeness <> 'part' AND deleted_at IS NULL AND rank <> 'deprecated';

-- +goose Down
DROP INDEX figures_choice_idx;
