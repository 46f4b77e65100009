package public_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/synth"
)

// TestPagesAreIndexBound visits every public page and export of a
// database of 100.000 synthetic figures (a tenth in one locality), runs
// each query the page ran under EXPLAIN (ANALYZE, BUFFERS) and fails on
// any sequential scan of the figures: at a million, each would read
// 600 MB. With -v it prints each page's plans in short.
func TestPagesAreIndexBound(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100.000 synthetic figures")
	}
	pool := pgtest.NewSyntheticDB(t, servertest.PlanFigures)
	ctx := t.Context()
	var small string
	if err := pool.QueryRow(ctx, `SELECT l.slug FROM localities l JOIN figure_key_counts k ON k.locality_id = l.id
		WHERE l.level = 'commune' GROUP BY l.slug HAVING sum(k.figures) BETWEEN 3 AND 10 ORDER BY l.slug LIMIT 1`).Scan(&small); err != nil {
		t.Fatal(err)
	}
	db := postgres.New(pool)
	deep := func(sort string, desc bool) string { return deepCursor(t, db, sort, desc, servertest.PlanFigures*8/10) }
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var timing *postgres.Timing
	srv, err := server.New(server.Config{Stats: stats.NewService(db), Catalog: catalog,
		Timing: func(ctx context.Context) (context.Context, func() (int, time.Duration)) {
			ctx, timing = postgres.WithTiming(ctx, true)
			return ctx, timing.Result
		}})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/", "/?from=2015&to=2020", "/?verified=1", "/?locality=ha-noi,ho-chi-minh,da-nang,can-tho,hai-phong-2025",
		"/localities/" + synth.HeavySlug, "/localities/" + small,
		"/figures", "/figures?after=" + deep("", false), "/figures?q=dieu+dong", "/figures?q=xuan+quang",
		"/figures?sort=locality", "/figures?sort=locality&after=" + deep("locality", false),
		"/figures?sort=value&dir=desc&after=" + deep("value", true), "/figures?sort=subject&after=" + deep("subject", false),
		"/figures?sort=period&before=" + deep("period", false), "/figures?locality=" + synth.HeavySlug + "&sort=period",
		"/figures?category=training&sort=category&dir=desc", "/figures?sort=category&after=" + deep("category", false),
		"/figures?indicator=rotated",
		"/api/figures", "/api/figures?limit=1000&after=" + deep("", false), "/sources", "/sources?q=dien+bien", "/sources?locality=" + synth.HeavySlug,
		"/api/localities?q=dien", "/export.csv?locality=" + small, "/export.csv?category=rotation", "/charts/coverage.csv",
		"/datapackage.json", "/indicators.csv",
		"/map?indicator=rotated&levels=district-commune", "/map?era=34&indicator=in-planning-pool&per=year",
	} {
		t.Run(path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			for _, st := range timing.Statements() {
				if !strings.Contains(st.SQL, "figures") {
					continue
				}
				var plan []map[string]any
				err := pool.QueryRow(ctx, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+st.SQL, st.Args...).Scan(&plan)
				if err != nil {
					t.Fatalf("explain: %v\n%s", err, st.SQL)
				}
				root := plan[0]["Plan"].(map[string]any)
				var nodes []string
				var seq []string
				walkPlan(root, func(n map[string]any) {
					rel, _ := n["Relation Name"].(string)
					idx, _ := n["Index Name"].(string)
					node := fmt.Sprint(n["Node Type"])
					if rel != "" {
						node += " " + rel
					}
					if idx != "" {
						node += " (" + idx + ")"
					}
					nodes = append(nodes, node)
					if n["Node Type"] == "Seq Scan" && rel == "figures" {
						seq = append(seq, node)
					}
				})
				t.Logf("%.1f ms, %v buffers: %s", plan[0]["Execution Time"], root["Shared Hit Blocks"], strings.Join(dedupe(nodes), ", "))
				if len(seq) > 0 {
					t.Errorf("sequential scan of the figures:\n%s", st.SQL)
				}
			}
		})
	}
}

func walkPlan(n map[string]any, fn func(map[string]any)) {
	fn(n)
	children, _ := n["Plans"].([]any)
	for _, c := range children {
		if m, ok := c.(map[string]any); ok {
			walkPlan(m, fn)
		}
	}
}

func dedupe(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// deepCursor is the position of the figure at offset in the list sorted so.
func deepCursor(t *testing.T, db *postgres.DB, sort string, desc bool, offset int) string {
	t.Helper()
	// Setup, not under test: an offset scan that a loaded machine may take
	// longer than the pool's 5 s over.
	ctx := stats.WithStatementTimeout(t.Context(), time.Minute)
	figs, err := db.Figures(ctx, stats.FigureFilter{Sort: sort, Desc: desc, Limit: 1, Offset: offset})
	if err != nil || len(figs) != 1 {
		t.Fatalf("figure at %d by %s: %v", offset, sort, err)
	}
	return stats.CursorOf(figs[0], sort, desc).String()
}
