package postgres_test

import (
	"errors"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

func TestMigrationsUpDownUp(t *testing.T) {
	pool, err := postgres.Connect(t.Context(), pgtest.DSN(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	m, err := postgres.NewMigrator(pool)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	tables := func() int {
		var n int
		err := pool.QueryRow(t.Context(), `SELECT count(*) FROM information_schema.tables
			WHERE table_schema = 'public' AND table_name <> 'goose_db_version'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := m.Up(t.Context()); err != nil {
		t.Fatal(err)
	}
	up := tables()
	if up < 6 {
		t.Fatalf("%d tables after up, want at least 6", up)
	}
	if err := m.DownTo(t.Context(), 0); err != nil {
		t.Fatal(err)
	}
	if n := tables(); n != 0 {
		t.Errorf("%d tables left after down to 0", n)
	}
	if err := m.Up(t.Context()); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if n := tables(); n != up {
		t.Errorf("%d tables after up again, want %d", n, up)
	}
	st, err := m.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if !s.Applied {
			t.Errorf("migration %d not applied", s.Version)
		}
	}
}

// insert tries one figure row with a change applied to a valid one.
func insert(t *testing.T, pool *pgxpool.Pool, set string) error {
	t.Helper()
	_, err := pool.Exec(t.Context(), `INSERT INTO figures (locality_id, category, subject, value, unit, qualifier,
			denominator, period_start, period_end, source_id, quote)
		SELECT l.id, 'appointment', 'trưởng phòng', 8, 'persons', 'exact', NULL, '2015-01-01', '2020-10-28', s.id, 'câu gốc'
		FROM localities l, sources s WHERE l.slug = 'song-lo' AND s.key = 'song-lo-2020-10-28'`)
	if err != nil {
		t.Fatalf("the valid row was refused: %v", err)
	}
	_, err = pool.Exec(t.Context(), `UPDATE figures SET `+set+` WHERE id = (SELECT max(id) FROM figures)`)
	return err
}

func TestConstraintsRefuseImpossibleFigures(t *testing.T) {
	pool := pgtest.NewSeededDB(t)
	for name, set := range map[string]string{
		"negative value":            "value = -1",
		"percent over 100":          "unit = 'percent', value = 101",
		"denominator below value":   "denominator = 7",
		"end before start":          "period_end = '2014-12-31'",
		"no source":                 "source_id = NULL",
		"empty quote":               "quote = '   '",
		"unknown unit":              "unit = 'apples'",
		"direction on non-rotation": "from_level = 'province', to_level = 'district'",
		"period after its source":   "period_end = '2020-10-29'",
		"period outside its term":   "term_id = (SELECT id FROM terms WHERE key = 'nk-2010-2015')",
		"part without parent":       "completeness = 'part'",
		"indicator of another unit": "indicator_id = (SELECT id FROM indicators WHERE key = 'rotation-turns')",
		"rank without reason":       "rank = 'preferred'",
	} {
		t.Run(name, func(t *testing.T) {
			err := insert(t, pool, set)
			if err == nil {
				t.Fatalf("%s: accepted", set)
			}
		})
	}
}

func TestFiguresFilter(t *testing.T) {
	db := postgres.New(pgtest.NewSeededDB(t))
	y := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return &d
	}
	tests := []struct {
		name string
		f    stats.FigureFilter
		want int
	}{
		{"all", stats.FigureFilter{}, 51},
		{"Điện Biên", stats.FigureFilter{Localities: []string{"dien-bien"}}, 7},
		{"rotations", stats.FigureFilter{Categories: []string{"rotation"}}, 10},
		{"term 2015-2020", stats.FigureFilter{Terms: []string{"nk-2015-2020"}}, 5},
		{"indicator", stats.FigureFilter{Indicators: []string{"rotated"}}, 7},
		{"periods touching 2019", stats.FigureFilter{From: y("2019-01-01"), To: y("2019-12-31")}, 16},
		{"text in quote, any case", stats.FigureFilter{Query: "LUÂN CHUYỂN DỌC"}, 1},
		{"text without diacritics", stats.FigureFilter{Query: "luan chuyen doc"}, 1},
		{"đ without its stroke", stats.FigureFilter{Query: "dang vien tham gia"}, 1},
		{"look-alike Ð typed for Đ", stats.FigureFilter{Query: "ÐẢNG VIÊN THAM GIA"}, 1},
		{"text in subject", stats.FigureFilter{Query: "thạc sỹ"}, 1},
		{"like wildcards are literal", stats.FigureFilter{Query: "100%"}, 0},
		{"page", stats.FigureFilter{Limit: 10, Offset: 45}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Figures(t.Context(), tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("Figures(%+v): %d rows, want %d", tt.f, len(got), tt.want)
			}
		})
	}
}

func TestFigureCarriesItsContext(t *testing.T) {
	db := postgres.New(pgtest.NewSeededDB(t))
	f, err := db.Figure(t.Context(), 47)
	if err != nil {
		t.Fatal(err)
	}
	if f.Value != 19 || f.FromLevel != stats.LevelProvince || f.ToLevel != stats.LevelDistrict ||
		f.ParentID != nil || f.Source.Outlet != "Báo Điện Biên Phủ" || f.Indicator == nil ||
		f.Indicator.Key != "rotated" || f.Indicator.Unit != "persons" || f.Completeness != stats.Complete {
		t.Errorf("figure 47 = %+v", f)
	}
	part, err := db.Figure(t.Context(), 46)
	if err != nil {
		t.Fatal(err)
	}
	if part.ParentID == nil || *part.ParentID != 45 || part.Completeness != stats.Part {
		t.Errorf("figure 46 (luân chuyển dọc, part of 45) = parent %v, completeness %s", part.ParentID, part.Completeness)
	}
	sl, err := db.Locality(t.Context(), "song-lo")
	if err != nil {
		t.Fatal(err)
	}
	if sl.ProvinceName != "Vĩnh Phúc" || sl.ValidTo == nil || sl.Level != stats.LevelDistrict {
		t.Errorf("Sông Lô = %+v", sl)
	}
	vp, err := db.Locality(t.Context(), "vinh-phuc")
	if err != nil {
		t.Fatal(err)
	}
	if vp.SuccessorName != "Phú Thọ" {
		t.Errorf("Vĩnh Phúc's successor = %q, want Phú Thọ", vp.SuccessorName)
	}
	if _, err := db.Figure(t.Context(), 9999); !errors.Is(err, stats.ErrNotFound) {
		t.Errorf("missing figure: err = %v, want ErrNotFound", err)
	}
}

// A locality's sources are counted up to the cap asked for: a province of
// ten million figures cites 150.000, and the page says "hơn 10.000".
func TestLocalitySourcesCountedUpToCap(t *testing.T) {
	db := postgres.New(pgtest.NewSeededDB(t))
	loc, err := db.Locality(t.Context(), "dien-bien")
	if err != nil {
		t.Fatal(err)
	}
	_, all, err := db.LocalityCounts(t.Context(), loc, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if all < 2 {
		t.Fatalf("Điện Biên cites %d sources, want at least 2 for this test", all)
	}
	_, capped, err := db.LocalityCounts(t.Context(), loc, 1)
	if err != nil {
		t.Fatal(err)
	}
	if capped != 1 {
		t.Errorf("counted up to 1: %d sources, want 1 (of %d)", capped, all)
	}
}
