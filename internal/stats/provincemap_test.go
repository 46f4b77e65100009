package stats_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/provinces"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// A province belongs to the map of the era it existed in, by its name: a
// merged former province to the 63 only, its successor to the 34 only, an
// unchanged one to both, and a district to neither (its figures are
// never its province's).
func TestInEra(t *testing.T) {
	tab, err := provinces.Load()
	if err != nil {
		t.Fatal(err)
	}
	old, from := day(2025, time.June, 30), day(2025, time.July, 1)
	prov := func(name string, validFrom, validTo *time.Time) stats.Locality {
		return stats.Locality{Name: name, Level: stats.LevelProvince, ValidFrom: validFrom, ValidTo: validTo}
	}
	for _, tt := range []struct {
		l            stats.Locality
		in63, in34   bool
		name63, name string
	}{
		{prov("Quảng Bình", nil, &old), true, false, "Quảng Bình", ""},
		{prov("Quảng Trị", &from, nil), false, true, "", "Quảng Trị"},
		{prov("Quảng Trị", nil, &old), true, false, "Quảng Trị", ""},
		{prov("Điện Biên", nil, nil), true, true, "Điện Biên", "Điện Biên"},
		{prov("Thừa Thiên Huế", nil, nil), true, true, "Huế", "Huế"},
		{prov("TP. Hồ Chí Minh", &from, nil), false, true, "", "Hồ Chí Minh"},
		{prov("Bình Dương", nil, nil), true, false, "Bình Dương", ""}, // no longer a province: not of the 34
		{prov("Atlantis", nil, nil), false, false, "", ""},
		{stats.Locality{Name: "Điện Biên Đông", Level: stats.LevelDistrict}, false, false, "", ""},
		{stats.Locality{Name: "Điện Biên", Level: stats.LevelDistrict}, false, false, "", ""},
	} {
		n63, ok63 := stats.InEra(tt.l, stats.Era63, tab)
		n34, ok34 := stats.InEra(tt.l, stats.Era34, tab)
		if ok63 != tt.in63 || ok34 != tt.in34 || n63 != tt.name63 || n34 != tt.name {
			t.Errorf("%s (%s, %v–%v): 63 %q %v, 34 %q %v; want %v %v", tt.l.Name, tt.l.Level, tt.l.ValidFrom, tt.l.ValidTo,
				n63, ok63, n34, ok34, tt.in63, tt.in34)
		}
	}
}

// A comparison is on the province map only when at least two of its
// localities are provinces of one era: a province and a district, or a
// former province and a new one, colour at most one.
func TestMapEra(t *testing.T) {
	tab, err := provinces.Load()
	if err != nil {
		t.Fatal(err)
	}
	old, from := day(2025, time.June, 30), day(2025, time.July, 1)
	prov := func(name string, validFrom, validTo *time.Time) stats.Locality {
		return stats.Locality{Name: name, Slug: name, Level: stats.LevelProvince, ValidFrom: validFrom, ValidTo: validTo}
	}
	district := stats.Locality{Name: "Điện Biên Đông", Level: stats.LevelDistrict}
	of := func(ls ...stats.Locality) stats.Comparison {
		var c stats.Comparison
		for _, l := range ls {
			c.Entries = append(c.Entries, stats.CompareEntry{Locality: l})
		}
		return c
	}
	for _, tt := range []struct {
		c   stats.Comparison
		era string
		ok  bool
	}{
		{of(prov("Điện Biên", nil, nil), prov("Quảng Bình", nil, &old)), stats.Era63, true},
		{of(prov("Quảng Trị", &from, nil), prov("Điện Biên", nil, nil)), stats.Era34, true},
		{of(prov("Điện Biên", nil, nil), district), "", false},
		{of(prov("Quảng Bình", nil, &old), prov("Quảng Trị", &from, nil)), "", false},
		{of(district, stats.Locality{Name: "Mường Nhé", Level: stats.LevelDistrict}), "", false},
		{of(prov("Atlantis", nil, nil), prov("Điện Biên", nil, nil)), "", false},
	} {
		if era, ok := stats.MapEra(tt.c, tab); era != tt.era || ok != tt.ok {
			t.Errorf("%v: era %q %v, want %q %v", tt.c.Entries, era, ok, tt.era, tt.ok)
		}
	}
}

func TestParseEraAndLevels(t *testing.T) {
	for in, want := range map[string]string{"": stats.Era63, "63": stats.Era63, "34": stats.Era34} {
		if got, err := stats.ParseEra(in); err != nil || got != want {
			t.Errorf("ParseEra(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"35", "64", "2025", " 34"} {
		if _, err := stats.ParseEra(bad); !errors.Is(err, stats.ErrInvalid) {
			t.Errorf("ParseEra(%q) = %v, want invalid", bad, err)
		}
	}
	if k, err := stats.ParseLevels("province-district"); err != nil || k.FromLevel != stats.LevelProvince || k.ToLevel != stats.LevelDistrict {
		t.Errorf("ParseLevels = %v, %v", k, err)
	}
	for _, bad := range []string{"province", "province-", "city-commune", "province-district-commune"} {
		if _, err := stats.ParseLevels(bad); !errors.Is(err, stats.ErrInvalid) {
			t.Errorf("ParseLevels(%q) = %v, want invalid", bad, err)
		}
	}
}
