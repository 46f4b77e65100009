package postgres_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

type importFixture struct {
	pool   *pgxpool.Pool
	db     *postgres.DB
	editor *stats.Editor
	user   stats.User
}

func newImportFixture(t *testing.T) *importFixture {
	t.Helper()
	pool := pgtest.NewSeededDB(t)
	db := postgres.New(pool)
	accounts := stats.NewAccounts(db)
	id, err := accounts.Create(t.Context(), nil, "editor1", stats.RoleEditor, "mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	u, err := accounts.User(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return &importFixture{pool: pool, db: db, editor: stats.NewEditor(db), user: u}
}

// stored returns figure id as an import row would carry it.
func (fx *importFixture) stored(t *testing.T, id int64) stats.FigureInput {
	t.Helper()
	m, err := fx.db.ImportFigures(t.Context(), []int64{id})
	if err != nil {
		t.Fatal(err)
	}
	in, ok := m[id]
	if !ok {
		t.Fatalf("figure %d not found", id)
	}
	in.ID = id
	return in
}

func (fx *importFixture) count(t *testing.T, sql string) int {
	t.Helper()
	var n int
	if err := fx.pool.QueryRow(t.Context(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// state sums up everything an import may write.
func (fx *importFixture) state(t *testing.T) [3]int {
	return [3]int{fx.count(t, "SELECT count(*) FROM figures"), fx.count(t, "SELECT count(*) FROM revisions"),
		fx.count(t, "SELECT coalesce(sum(version), 0)::int FROM figures")}
}

func lines(ins ...stats.FigureInput) []stats.ImportRow {
	out := make([]stats.ImportRow, len(ins))
	for i, in := range ins {
		in.Normalize() // as csvimport does
		out[i] = stats.ImportRow{Line: i + 2, Input: in}
	}
	return out
}

func TestImportClassifiesAndCommits(t *testing.T) {
	fx := newImportFixture(t)
	ctx := t.Context()

	unchanged := fx.stored(t, 1)
	changed := fx.stored(t, 2)
	changed.Value++
	changed.Quote = "  " + changed.Quote + "  " // normalised away: not a change
	fresh := fx.stored(t, 3)
	fresh.ID, fresh.Subject = 0, "một chỉ tiêu mới"
	again := fx.stored(t, 4) // an existing figure without its id: already there
	again.ID = 0
	unknownID := fx.stored(t, 5)
	unknownID.ID = 99999
	badRefs := fx.stored(t, 6)
	badRefs.LocalitySlug, badRefs.SourceKey, badRefs.TermKey = "atlantis", "no-such-source", "no-term"
	repeatedID := fx.stored(t, 1)
	cycle := fx.stored(t, 22) // 23 is a part of 22
	p := int64(23)
	cycle.ParentID = &p
	noParent := fx.stored(t, 7)
	q := int64(88888)
	noParent.ParentID = &q
	fig8 := fx.stored(t, 8)
	if err := fx.db.SetFigureDeleted(ctx, 8, 1, true, fx.user.ID); err != nil {
		t.Fatal(err)
	}
	badDecimals := stats.ImportRow{Err: &stats.ValidationError{Fields: []stats.FieldError{{Field: "value", Key: "error.value.decimals"}}}}

	all := lines(unchanged, changed, fresh, again, unknownID, badRefs, repeatedID, cycle, noParent, fig8, fresh)
	badDecimals.Line = len(all) + 2
	all = append(all, badDecimals)
	pv, err := fx.editor.PreviewImport(ctx, slices.Values(all), 100)
	if err != nil {
		t.Fatal(err)
	}
	status := map[int]string{}
	reasons := map[int][]string{}
	for _, g := range []stats.ImportGroup{pv.New, pv.Changed, pv.Unchanged, pv.Invalid} {
		for _, o := range g.Rows {
			status[o.Line] = o.Status.String()
			for _, f := range o.Errors {
				reasons[o.Line] = append(reasons[o.Line], f.Field+"="+f.Key)
			}
			if o.Status == stats.ImportChanged && !slices.Equal(o.Changes, []string{"value"}) {
				t.Errorf("line %d changes %v, want [value]", o.Line, o.Changes)
			}
			if o.Line == 5 && o.ID != 4 {
				t.Errorf("the row without id matches figure %d, want 4", o.ID)
			}
		}
	}
	want := []struct {
		status  string
		reasons []string
	}{
		{"unchanged", nil},
		{"changed", nil},
		{"new", nil},
		{"unchanged", nil},
		{"invalid", []string{"id=error.import.unknown_id"}},
		{"invalid", []string{"locality_slug=error.locality.unknown", "term=error.term.unknown", "source_key=error.source.unknown"}},
		{"invalid", []string{"id=error.import.repeated_id"}},
		{"invalid", []string{"parent_id=error.parent.cycle"}},
		{"invalid", []string{"parent_id=error.parent.unknown"}},
		{"invalid", []string{"id=error.import.deleted"}},
		{"invalid", []string{"=error.import.repeated_row"}},
		{"invalid", []string{"value=error.value.decimals"}},
	}
	for i, w := range want {
		line := i + 2
		if status[line] != w.status || !slices.Equal(reasons[line], w.reasons) {
			t.Errorf("line %d: %s %v, want %s %v", line, status[line], reasons[line], w.status, w.reasons)
		}
	}
	if pv.New.Count != 1 || pv.Changed.Count != 1 || pv.Unchanged.Count != 2 || pv.Invalid.Count != 8 {
		t.Errorf("counts new %d changed %d unchanged %d invalid %d", pv.New.Count, pv.Changed.Count, pv.Unchanged.Count, pv.Invalid.Count)
	}

	t.Run("AllOrNothing", func(t *testing.T) {
		before := fx.state(t)
		_, err := fx.editor.CommitImport(ctx, fx.user, slices.Values(all), pv.Digest)
		var rowErr *stats.ImportRowError
		if !errors.As(err, &rowErr) || rowErr.Line != 6 {
			t.Fatalf("commit with invalid rows: %v, want an ImportRowError for line 6", err)
		}
		if after := fx.state(t); after != before {
			t.Errorf("a refused import wrote: %v → %v", before, after)
		}
	})

	valid := lines(unchanged, changed, fresh, again)
	t.Run("StaleDigest", func(t *testing.T) {
		pv, err := fx.editor.PreviewImport(ctx, slices.Values(valid), 10)
		if err != nil {
			t.Fatal(err)
		}
		other := fx.stored(t, 1)
		other.Subject += " (sửa)"
		if err := fx.db.UpdateFigure(ctx, other, 1, fx.user.ID); err != nil {
			t.Fatal(err)
		}
		before := fx.state(t)
		if _, err := fx.editor.CommitImport(ctx, fx.user, slices.Values(valid), pv.Digest); !errors.Is(err, stats.ErrImportChanged) {
			t.Fatalf("commit after the figures changed: %v, want ErrImportChanged", err)
		}
		if after := fx.state(t); after != before {
			t.Errorf("a refused import wrote: %v → %v", before, after)
		}
	})

	t.Run("CommitTwice", func(t *testing.T) {
		revs := fx.count(t, "SELECT count(*) FROM revisions")
		figures := fx.count(t, "SELECT count(*) FROM figures")
		pv, err := fx.editor.PreviewImport(ctx, slices.Values(valid), 10)
		if err != nil {
			t.Fatal(err)
		}
		res, err := fx.editor.CommitImport(ctx, fx.user, slices.Values(valid), pv.Digest)
		if err != nil {
			t.Fatal(err)
		}
		// Figure 1 was edited in StaleDigest, so the file changes it back.
		if res != (stats.ImportResult{Created: 1, Updated: 2, Unchanged: 1}) {
			t.Errorf("result %+v", res)
		}
		if n := fx.count(t, "SELECT count(*) FROM revisions WHERE action = 'import' AND user_id IS NOT NULL"); n != 3 {
			t.Errorf("%d import revisions, want 3", n)
		}
		if n := fx.count(t, "SELECT count(*) FROM revisions") - revs; n != 3 {
			t.Errorf("%d revisions written, want 3", n)
		}
		if n := fx.count(t, "SELECT count(*) FROM figures") - figures; n != 1 {
			t.Errorf("%d figures added, want 1", n)
		}
		if n := fx.count(t, `SELECT count(*) FROM figures WHERE verified_at IS NULL AND updated_by IS NOT NULL
			AND (id IN (1, 2) OR subject = 'một chỉ tiêu mới')`); n != 3 {
			t.Errorf("%d imported figures unverified, want 3", n)
		}
		if n := fx.count(t, "SELECT count(*) FROM figures WHERE id IN (3, 4) AND verified_at IS NOT NULL"); n != 2 {
			t.Error("unchanged figures lost their verification")
		}

		before := fx.state(t)
		pv, err = fx.editor.PreviewImport(ctx, slices.Values(valid), 10)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Writes() != 0 || pv.Unchanged.Count != 4 {
			t.Errorf("second preview: %d to write, %d unchanged; want 0 and 4", pv.Writes(), pv.Unchanged.Count)
		}
		res, err = fx.editor.CommitImport(ctx, fx.user, slices.Values(valid), pv.Digest)
		if err != nil {
			t.Fatal(err)
		}
		if res != (stats.ImportResult{Unchanged: 4}) {
			t.Errorf("second commit %+v, want 4 unchanged", res)
		}
		if after := fx.state(t); after != before {
			t.Errorf("importing the same file twice wrote: %v → %v", before, after)
		}
	})
}

// The history an import writes must read like the editor's: the same
// snapshot of a figure, field for field.
func TestImportSnapshotMatchesEditor(t *testing.T) {
	fx := newImportFixture(t)
	ctx := t.Context()
	in := fx.stored(t, 23)
	in.Value, in.Qualifier = 3, "at_least"
	rows := lines(in)
	pv, err := fx.editor.PreviewImport(ctx, slices.Values(rows), 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.editor.CommitImport(ctx, fx.user, slices.Values(rows), pv.Digest); err != nil {
		t.Fatal(err)
	}
	// An editor's update now records, as "before", the state the import left.
	in.Value = 4
	if err := fx.db.UpdateFigure(ctx, in, 2, fx.user.ID); err != nil {
		t.Fatal(err)
	}
	var same, parent bool
	err = fx.pool.QueryRow(ctx, `SELECT
			(SELECT after FROM revisions WHERE action = 'import' AND entity_id = 23) =
			(SELECT before FROM revisions WHERE action = 'update' AND entity_id = 23),
			(SELECT after->>'parent_id' = '22' FROM revisions WHERE action = 'import' AND entity_id = 23)`).Scan(&same, &parent)
	if err != nil {
		t.Fatal(err)
	}
	if !same || !parent {
		t.Error("the import's snapshot differs from figureSnapshot's")
	}
}

// Rows of one file that together make a figure its own ancestor are
// refused on commit, though each row alone looks fine.
func TestImportRefusesCycleAcrossRows(t *testing.T) {
	fx := newImportFixture(t)
	ctx := t.Context()
	a, b := fx.stored(t, 1), fx.stored(t, 2)
	pa, pb := int64(2), int64(1)
	a.ParentID, b.ParentID = &pa, &pb
	rows := lines(a, b)
	pv, err := fx.editor.PreviewImport(ctx, slices.Values(rows), 10)
	if err != nil {
		t.Fatal(err)
	}
	before := fx.state(t)
	_, err = fx.editor.CommitImport(ctx, fx.user, slices.Values(rows), pv.Digest)
	var rowErr *stats.ImportRowError
	if !errors.As(err, &rowErr) || rowErr.Fields[0].Key != "error.parent.cycle" {
		t.Fatalf("commit: %v, want a parent cycle", err)
	}
	if after := fx.state(t); after != before {
		t.Errorf("a refused import wrote: %v → %v", before, after)
	}
}
