package servertest

import (
	"slices"
	"testing"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// MapComparison finds the comparison of the synthetic country's 63 that
// the most provinces report, Điện Biên and Quảng Bình among them, and its
// map as reported.
func MapComparison(t *testing.T, svc *stats.Service) (stats.Comparison, stats.ProvinceMap) {
	t.Helper()
	all, err := svc.ProvinceMap(t.Context(), stats.FigureFilter{}, stats.Era63, stats.CompareKey{}, stats.View{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Areas) != 63 || len(all.Comparisons) == 0 {
		t.Fatalf("%d areas, %d comparisons", len(all.Areas), len(all.Comparisons))
	}
	var best stats.Comparison
	for _, c := range all.Comparisons {
		if len(c.Entries) > len(best.Entries) && c.FromLevel == "" &&
			slices.ContainsFunc(c.Entries, func(e stats.CompareEntry) bool { return e.Locality.Slug == "quang-binh" }) &&
			slices.ContainsFunc(c.Entries, func(e stats.CompareEntry) bool { return e.Locality.Slug == "dien-bien" }) {
			best = c
		}
	}
	if best.Indicator.Key == "" {
		t.Fatal("no comparison of both Điện Biên and Quảng Bình")
	}
	want, err := svc.ProvinceMap(t.Context(), stats.FigureFilter{Indicators: []string{best.Indicator.Key}}, stats.Era63,
		stats.CompareKey{}, stats.View{Per: stats.PerReported, Base: stats.BaseReported})
	if err != nil {
		t.Fatal(err)
	}
	return best, want
}
