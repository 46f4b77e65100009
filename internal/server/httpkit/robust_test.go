package httpkit_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Helpers of the robustness tests (robust_*_test.go); the site they run
// against is servertest.RobustSite.

// inflateFigures adds copies of every figure, each with its own id and
// Subject, so that an export is long enough to keep a slow reader busy.
// It names only the columns id, subject and submission_key, so that it
// holds whatever else a figure has.
func inflateFigures(t testing.TB, pool *pgxpool.Pool, copies int) int {
	t.Helper()
	ctx := t.Context()
	var n int
	cols := figureColumns(t, pool)
	err := pool.QueryRow(ctx, `WITH m AS (SELECT coalesce(max(id), 0) AS top FROM figures),
		ins AS (INSERT INTO figures (`+cols+`)
			SELECT `+prefixed(cols, "r.")+` FROM figures f, m, generate_series(1, $1::int) g,
				LATERAL jsonb_populate_record(f, jsonb_build_object('id', f.id + g * m.top,
				'subject', f.subject || ' · bản sao ' || g, 'submission_key', NULL)) r RETURNING 1)
		SELECT count(*) FROM ins`, copies).Scan(&n)
	if err != nil {
		t.Fatalf("inflate figures: %v", err)
	}
	if _, err := pool.Exec(ctx, `SELECT setval(pg_get_serial_sequence('figures', 'id'), (SELECT max(id) FROM figures))`); err != nil {
		t.Fatal(err)
	}
	return n
}

// figureColumns lists the figures table's stored columns (not the
// generated ones, which an INSERT may not name), comma-separated.
func figureColumns(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	var cols string
	if err := pool.QueryRow(t.Context(), `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
		FROM information_schema.columns WHERE table_name = 'figures' AND is_generated = 'NEVER'`).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	return cols
}

func prefixed(cols, prefix string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = prefix + parts[i]
	}
	return strings.Join(parts, ", ")
}
