package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/synth"
)

// syntheticFigures is the size the scale tests load: a few seconds, with
// localities of thousands of figures beside localities of one.
const syntheticFigures = 20_000

func date(y int) *time.Time {
	t := time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)
	return &t
}

// comparisonText writes comparisons as what decides them: indicator,
// direction, each entry's locality, figure and conflicting figures, the
// localities missing.
func comparisonText(cs []stats.Comparison) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s>%s:", c.Indicator.Key, c.FromLevel, c.ToLevel)
		for _, e := range c.Entries {
			fmt.Fprintf(&b, " %s=%d", e.Locality.Slug, e.Figure.ID)
			for _, o := range e.Others {
				fmt.Fprintf(&b, "/%d", o.ID)
			}
			fmt.Fprintf(&b, "(%d)", e.OtherCount)
		}
		b.WriteString(" missing")
		for _, l := range c.Missing {
			b.WriteString(" " + l.Slug)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func uncomparedText(us []stats.Uncompared) string {
	var b strings.Builder
	for _, u := range us {
		fmt.Fprintf(&b, "%s %d:", u.Category.Code, u.Total)
		for _, f := range u.Figures {
			fmt.Fprintf(&b, " %d", f.ID)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func coverageText(c stats.Coverage) string {
	var b strings.Builder
	for _, l := range c.Localities {
		fmt.Fprintf(&b, "%s %d %s–%s +%d/%d:", l.Locality.Slug, l.Figures, l.First.Format(time.DateOnly),
			l.Last.Format(time.DateOnly), l.OtherSpans, l.OtherFigures)
		for _, s := range l.Spans {
			fmt.Fprintf(&b, " %s–%s=%d%v", s.Start.Format(time.DateOnly), s.End.Format(time.DateOnly), s.Figures, s.Categories)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "sources %d:", c.SourceCount)
	for _, s := range c.Sources {
		fmt.Fprintf(&b, " %d", s.ID)
	}
	return b.String()
}

// unhurried is the test's context with a statement timeout of minutes:
// these tests are about what the reads return, and the pool's 5 s (a
// server's limit) is not theirs; reading every figure as the reference
// takes longer than that under the race detector on two loaded cores.
func unhurried(t *testing.T) context.Context {
	return stats.WithStatementTimeout(t.Context(), 5*time.Minute)
}

// TestOverviewInSQLAsInGo: the overview's reads at scale (the latest
// figures of each locality, indicator and direction; the figures left
// over, counted; the coverage, from the counts tables or the index) give
// what stats.Compare and stats.CoverageOf give from every figure, on the
// seed and on synthetic data, with and without the overview's filters.
func TestOverviewInSQLAsInGo(t *testing.T) {
	t.Parallel()
	for _, data := range []struct {
		name string
		pool func(t *testing.T) *pgxpool.Pool
		sets [][]string
	}{
		{"seed", func(t *testing.T) *pgxpool.Pool { return pgtest.NewSeededDB(t) }, [][]string{{"song-lo", "mong-cai", "tien-lang", "quang-binh", "dien-bien"},
			{"dien-bien", "song-lo"}, {"trung-uong", "dien-bien"}}},
		{"synthetic", func(t *testing.T) *pgxpool.Pool { return pgtest.NewSyntheticDB(t, syntheticFigures) },
			[][]string{{"song-lo", "mong-cai", "tien-lang", "quang-binh", synth.HeavySlug},
				{"ha-noi", "ho-chi-minh", "quang-ninh", "nghe-an", "thanh-hoa", "lai-chau"}, {"trung-uong", "phu-tho", "lao-cai-truoc-2025"}}},
		// An editor's import: thousands of figures of one locality in one
		// period, one value of it given by 1.000 of them against another.
		{"imported", func(t *testing.T) *pgxpool.Pool { return pgtest.NewImportedDB(t, 6_000) },
			[][]string{{"song-lo", "mong-cai", "tien-lang", "quang-binh", "dien-bien"}}},
	} {
		t.Run(data.name, func(t *testing.T) {
			t.Parallel()
			db := postgres.New(data.pool(t))
			ctx := unhurried(t)
			for _, slugs := range data.sets {
				locs, err := db.LocalitiesBySlug(ctx, slugs)
				if err != nil || len(locs) != len(slugs) {
					t.Fatalf("localities %v: %d found (%v)", slugs, len(locs), err)
				}
				slices.SortFunc(locs, func(a, b stats.Locality) int { return slices.Index(slugs, a.Slug) - slices.Index(slugs, b.Slug) })
				for _, flt := range []stats.FigureFilter{{}, {From: date(2015)}, {Terms: []string{"nk-2015-2020"}}, {VerifiedOnly: true}} {
					t.Run(fmt.Sprintf("%s %+v", strings.Join(slugs, ","), flt), func(t *testing.T) {
						checkOverview(t, ctx, db, locs, flt)
					})
				}
			}
		})
	}
}

func checkOverview(t *testing.T, ctx context.Context, db *postgres.DB, locs []stats.Locality, flt stats.FigureFilter) {
	slugs := make([]string, len(locs))
	for i, l := range locs {
		slugs[i] = l.Slug
	}
	all, err := db.Figures(ctx, stats.FigureFilter{Localities: slugs, Terms: flt.Terms, From: flt.From, To: flt.To, VerifiedOnly: flt.VerifiedOnly})
	if err != nil {
		t.Fatal(err)
	}
	wantCmp, wantRest := stats.Compare(locs, all)
	latest, err := db.LatestComparable(ctx, locs, flt)
	if err != nil {
		t.Fatal(err)
	}
	gotCmp := stats.CompareLatest(locs, latest)
	if got, want := comparisonText(gotCmp), comparisonText(wantCmp); got != want {
		t.Errorf("comparisons from the latest figures:\n%s\nfrom every figure:\n%s", got, want)
	}
	t.Logf("%d figures, %d latest, %d comparisons, %d categories apart", len(all), len(latest.Figures), len(wantCmp), len(wantRest))
	if len(latest.Figures) >= len(all) && len(all) > 100 {
		t.Errorf("the latest figures are %d of %d: not a selection", len(latest.Figures), len(all))
	}
	keys := make([]stats.CompareKey, len(wantCmp))
	for i, c := range wantCmp {
		keys[i] = stats.CompareKey{Indicator: c.Indicator.Key, FromLevel: c.FromLevel, ToLevel: c.ToLevel}
	}
	gotRest, err := db.Uncompared(ctx, locs, flt, keys, stats.UncomparedShown)
	if err != nil {
		t.Fatal(err)
	}
	for i := range wantRest {
		wantRest[i] = wantRest[i].Latest(stats.UncomparedShown)
	}
	if got, want := uncomparedText(gotRest), uncomparedText(wantRest); got != want {
		t.Errorf("uncompared in SQL:\n%s\nin Go:\n%s", got, want)
	}
	gotCov, err := db.Coverage(ctx, locs, flt, stats.MaxSpans, stats.MaxCoverageSrcs)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := coverageText(gotCov), coverageText(stats.CoverageOf(locs, all, stats.MaxSpans, stats.MaxCoverageSrcs)); got != want {
		t.Errorf("coverage in SQL:\n%s\nin Go:\n%s", got, want)
	}
}

// TestCountsFollowWrites: the counts tables agree with the figures after
// inserts, edits that move a figure between localities, indicators,
// periods and ranks, soft and hard deletes, in single and bulk statements.
func TestCountsFollowWrites(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSyntheticDB(t, 5_000)
	ctx := t.Context()
	exec := func(sql string) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	check := func(step string) {
		t.Helper()
		for _, q := range []struct{ table, live string }{
			{"figure_key_counts", `SELECT locality_id, category, coalesce(indicator_id, 0), coalesce(from_level, ''), coalesce(to_level, ''),
				CASE WHEN completeness = 'part' THEN 'part' WHEN indicator_id IS NULL THEN 'none'
				     WHEN rank = 'deprecated' THEN 'deprecated' ELSE 'comparable' END, count(*)::int
				FROM figures WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6`},
			{"figure_span_counts", `SELECT locality_id, period_start, period_end, count(*)::int FROM figures WHERE deleted_at IS NULL GROUP BY 1, 2, 3`},
			{"figure_span_category_counts", `SELECT locality_id, period_start, period_end, category, count(*)::int FROM figures
				WHERE deleted_at IS NULL GROUP BY 1, 2, 3, 4`},
			{"figure_source_counts", `SELECT locality_id, source_id, count(*)::int FROM figures WHERE deleted_at IS NULL GROUP BY 1, 2`},
		} {
			var diff int
			err := pool.QueryRow(ctx, `SELECT count(*) FROM ((`+q.live+` EXCEPT SELECT * FROM `+q.table+` WHERE figures > 0)
				UNION ALL (SELECT * FROM `+q.table+` WHERE figures <> 0 EXCEPT `+q.live+`)) d`).Scan(&diff)
			if err != nil {
				t.Fatal(err)
			}
			if diff != 0 {
				t.Errorf("after %s: %s differs from the figures in %d rows", step, q.table, diff)
			}
		}
	}
	check("the load")
	exec(`UPDATE figures SET deleted_at = now() WHERE id % 7 = 0`)
	check("soft deletes")
	exec(`UPDATE figures SET deleted_at = NULL WHERE id % 14 = 0`)
	check("restores")
	exec(`UPDATE figures SET rank = 'deprecated', rank_reason = 'nhầm' WHERE id % 11 = 0 AND completeness <> 'part' AND rank = 'normal'`)
	check("ranks")
	exec(`UPDATE figures SET locality_id = (SELECT id FROM localities WHERE slug = 'song-lo') WHERE id % 13 = 0`)
	check("moves between localities")
	exec(`UPDATE figures SET indicator_id = NULL WHERE id % 17 = 0 AND completeness <> 'part'`)
	check("indicators removed")
	exec(`DELETE FROM figures WHERE id % 19 = 0 AND NOT EXISTS (SELECT FROM figures p WHERE p.parent_id = figures.id)`)
	check("deletes")
	exec(`UPDATE figures SET verified_at = now() WHERE id % 3 = 0`)
	check("a change the counts ignore")
}

// TestKeysetPages: walking a list page by page, forward with After and
// back with Before, meets every figure once, in the order of the whole
// list, for every sort and direction, with and without filters; the
// count stops at its cap.
func TestKeysetPages(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSyntheticDB(t, 5_000)
	db := postgres.New(pool)
	svc := stats.NewService(db)
	ctx := unhurried(t)
	filters := map[string]stats.FigureFilter{
		"all":      {},
		"locality": {Localities: []string{synth.HeavySlug, "song-lo"}},
		"text":     {Query: "luan chuyen"},
		"category": {Categories: []string{"training"}},
		"deleted":  {IncludeDeleted: true, Categories: []string{"party"}},
	}
	sorts := stats.FigureSorts
	if testing.Short() {
		sorts = []string{"id", "locality", "value"}
		delete(filters, "deleted")
		delete(filters, "category")
	}
	for name, base := range filters {
		for _, sort := range sorts {
			for _, desc := range []bool{false, true} {
				f := base
				f.Sort, f.Desc = sort, desc
				t.Run(fmt.Sprintf("%s/%s/desc=%v", name, sort, desc), func(t *testing.T) {
					t.Parallel()
					whole, err := db.Figures(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if name == "all" && sort == "id" && len(whole) < 1000 {
						t.Fatalf("only %d figures", len(whole))
					}
					want := make([]int64, len(whole))
					for i, x := range whole {
						want[i] = x.ID
					}
					// Forward.
					var got []int64
					var last stats.FigurePage
					pf := f
					pf.Limit = 193
					for pages := 0; ; pages++ {
						page, err := svc.FigurePage(ctx, pf)
						if err != nil {
							t.Fatal(err)
						}
						if pages == 0 && (page.Total != min(len(want), page.Cap) || page.Capped != (len(want) > page.Cap)) {
							t.Errorf("count %d (capped %v), want %d of cap %d", page.Total, page.Capped, len(want), page.Cap)
						}
						for _, x := range page.Figures {
							got = append(got, x.ID)
						}
						last = page
						if page.Next == nil || pages > 200 {
							break
						}
						pf.After = page.Next
					}
					if !slices.Equal(got, want) {
						t.Fatalf("forward: %d figures, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
					}
					// Back from the last page.
					got = got[:0]
					pb := f
					pb.Limit = 193
					pb.Before = last.Prev
					for _, x := range last.Figures {
						got = append(got, x.ID)
					}
					for pages := 0; pb.Before != nil && pages < 200; pages++ {
						page, err := svc.FigurePage(ctx, pb)
						if err != nil {
							t.Fatal(err)
						}
						var ids []int64
						for _, x := range page.Figures {
							ids = append(ids, x.ID)
						}
						got = append(ids, got...)
						pb.Before = page.Prev
					}
					if !slices.Equal(got, want) {
						t.Fatalf("backward: %d figures, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
					}
				})
			}
		}
	}
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestLatestComparableCountsConflicts: of Điện Biên's total (164, figure
// 45) against 1.000 copies of its part made complete (126) in the same
// period, the overview reads the total, the first five others and the
// count, not the thousand.
func TestLatestComparableCountsConflicts(t *testing.T) {
	t.Parallel()
	db := postgres.New(pgtest.NewImportedDB(t, 6_000))
	ctx := unhurried(t)
	locs, err := db.LocalitiesBySlug(ctx, []string{pgtest.ImportedLocality})
	if err != nil {
		t.Fatal(err)
	}
	latest, err := db.LatestComparable(ctx, locs, stats.FigureFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := latest.Conflicting[45]; got != 1000 {
		t.Errorf("conflicting values of figure 45: %d, want 1000 (all: %v)", got, latest.Conflicting)
	}
	others := 0
	for _, f := range latest.Figures {
		if f.Value == 126 && f.Indicator != nil && f.Indicator.Key == "rotated" && f.FromLevel == "" {
			others++
		}
	}
	if others != stats.MaxOthers || len(latest.Figures) > 20 {
		t.Errorf("%d figures read, %d of them 126: want the chosen ones and %d others", len(latest.Figures), others, stats.MaxOthers)
	}
}
