package postgres_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func TestEntityDeleteAndRestore(t *testing.T) {
	pool := pgtest.NewSeededDB(t)
	db := postgres.New(pool)
	ctx := t.Context()
	by, err := db.CreateUser(ctx, stats.User{Username: "editor1", Role: stats.RoleEditor, PasswordHash: "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var termID int64
	if err := pool.QueryRow(ctx, `SELECT id FROM terms WHERE key = 'nk-2015-2020'`).Scan(&termID); err != nil {
		t.Fatal(err)
	}

	t.Run("ErrInUse", func(t *testing.T) {
		err := db.SetEntityDeleted(ctx, stats.EntityTerm, termID, 1, true, by)
		var use *stats.InUseError
		if !errors.As(err, &use) || use.Figures == 0 || !errors.Is(err, stats.ErrConflict) {
			t.Errorf("deleting a cited term: %v, want an InUseError counting figures", err)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		tm, err := db.AdminTerm(ctx, termID)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateTerm(ctx, tm, tm.Version+1, by); !errors.Is(err, stats.ErrConflict) {
			t.Errorf("update on a version not seen: %v, want ErrConflict", err)
		}
	})
	t.Run("DeletedTermCannotBeCited", func(t *testing.T) {
		id, err := db.CreateTerm(ctx, stats.Term{Key: "nk-2030-2035", Name: "Nhiệm kỳ 2030–2035", NameEN: "Term 2030–2035",
			Kind: "congress", StartYear: 2030, EndYear: 2035}, by)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetEntityDeleted(ctx, stats.EntityTerm, id, 1, true, by); err != nil {
			t.Fatal(err)
		}
		in := stats.FigureInput{LocalitySlug: "song-lo", Category: "training", Subject: "x", Value: 1, Unit: "persons",
			Qualifier: "exact", PeriodStart: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
			PeriodEnd: time.Date(2031, 12, 31, 0, 0, 0, 0, time.UTC), TermKey: "nk-2030-2035", SourceKey: "song-lo-2020-10-28", Quote: "x", Completeness: "complete", Rank: "normal"}
		_, _, err = db.CreateFigure(ctx, in, by, "")
		var v *stats.ValidationError
		if !errors.As(err, &v) {
			t.Fatalf("a figure citing a deleted term: %v, want a field error", err)
		}
		if _, ok := v.For("term"); !ok {
			t.Errorf("errors %v name no term", v.Fields)
		}
		if err := db.SetEntityDeleted(ctx, stats.EntityTerm, id, 1, false, by); !errors.Is(err, stats.ErrConflict) {
			t.Errorf("restore on the version before the delete: %v, want ErrConflict", err)
		}
		if err := db.SetEntityDeleted(ctx, stats.EntityTerm, id, 2, false, by); err != nil {
			t.Errorf("restore: %v", err)
		}
	})
}

// A source deleted while findings are being written citing it: whatever
// the interleaving, no live finding may end up citing a deleted source.
func TestDeleteRacesWithCitingWrites(t *testing.T) {
	pool := pgtest.NewSeededDB(t)
	db := postgres.New(pool)
	ctx := t.Context()
	by, err := db.CreateUser(ctx, stats.User{Username: "editor1", Role: stats.RoleEditor, PasswordHash: "x"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		src := stats.Source{Key: fmt.Sprintf("race-%d", i), Title: "Bài", Outlet: "Báo", PublishedOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
		id, err := db.CreateSource(ctx, src, by)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			err := db.SetEntityDeleted(ctx, stats.EntitySource, id, 1, true, by)
			var use *stats.InUseError
			if err != nil && !errors.As(err, &use) {
				t.Errorf("delete source %d: %v", id, err)
			}
		}()
		go func() {
			defer wg.Done()
			_, err := db.CreateFinding(ctx, stats.FindingInput{LocalitySlug: "song-lo", Statement: "s", Quote: "q", SourceID: id}, by)
			var v *stats.ValidationError
			if err != nil && !errors.As(err, &v) {
				t.Errorf("finding on source %d: %v", id, err)
			}
		}()
	}
	wg.Wait()
	var orphans int
	err = pool.QueryRow(ctx, `SELECT count(*) FROM findings x JOIN sources s ON s.id = x.source_id
		WHERE x.deleted_at IS NULL AND s.deleted_at IS NOT NULL`).Scan(&orphans)
	if err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d live findings cite a deleted source", orphans)
	}
}
