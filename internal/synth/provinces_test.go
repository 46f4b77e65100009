package synth

import (
	"testing"

	table "github.com/cadrestats/cadrestats/internal/provinces"
)

// The synthetic country's provinces are the table's (Nghị quyết
// 202/2025/QH15, internal/provinces): the same 63, in the same order,
// each merged into the same province, so that the map of a synthetic
// database draws every province.
func TestProvincesAreTheTable(t *testing.T) {
	tab, err := table.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(provinces) != len(tab.Old) {
		t.Fatalf("%d synthetic provinces, %d in the table", len(provinces), len(tab.Old))
	}
	for i, p := range provinces {
		o := tab.Old[i]
		union, _ := tab.NewByName(o.Union)
		into := o.Union
		if union.Unchanged() {
			into = ""
		}
		if p.name != o.Name || p.prefix != o.Prefix || p.into != into {
			t.Errorf("synthetic province %d is %s %s into %q; the table has %s %s into %q", i, p.prefix, p.name, p.into, o.Prefix, o.Name, into)
		}
	}
}
