package synth

import (
	"context"
	"fmt"
	"iter"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// ImportedLocality is the locality ImportCopies imports into.
const ImportedLocality = "dien-bien"

// ImportStore is what ImportCopies needs of the storage (postgres.DB).
type ImportStore interface {
	LocalityFiguresToLoad(ctx context.Context, slug, category string) ([]stats.LoadFigure, error)
	BulkLoad(ctx context.Context, locs []stats.Locality,
		plan func(stats.BulkRefs) (iter.Seq[stats.Source], iter.Seq[stats.LoadFigure], error)) (stats.BulkLoad, error)
}

// ImportCopies adds n figures to ImportedLocality shaped as an editor's
// bulk import leaves them (issue 20): copies of the locality's own
// rotation figures (the seed's, one period), each made complete, without
// its total and unverified. So every figure of the locality ties on one
// latest period, and the indicator's total (164) and the part the copies
// promote (126) disagree n times over: the data shape that filled memory
// when a page read a locality's figures to choose the few it draws. The
// rows go in by COPY (BulkLoad: every constraint and trigger applies);
// the admin's import writes a revision per row too, which changes nothing
// a page reads. The tests (pgtest.NewImportedDB) and the benchmark share
// this shape.
func ImportCopies(ctx context.Context, db ImportStore, n int) error {
	rows, err := db.LocalityFiguresToLoad(ctx, ImportedLocality, "rotation")
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("no rotation figures of %s to copy (is the seed loaded?)", ImportedLocality)
	}
	_, err = db.BulkLoad(ctx, nil, func(b stats.BulkRefs) (iter.Seq[stats.Source], iter.Seq[stats.LoadFigure], error) {
		return func(func(stats.Source) bool) {}, func(yield func(stats.LoadFigure) bool) {
			for i := range n {
				f := rows[i%len(rows)]
				f.ID, f.Completeness, f.ParentID, f.Verified = b.FirstFigureID+int64(i), stats.Complete, nil, false
				if !yield(f) {
					return
				}
			}
		}, nil
	})
	if err != nil {
		return fmt.Errorf("import %d copies into %s: %w", n, ImportedLocality, err)
	}
	return nil
}
