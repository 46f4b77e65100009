package extract

import (
	"encoding/csv"
	"io/fs"
	"slices"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/seed"
)

// testInput is an article of a district (huyện B of tỉnh A) published in
// mid-2023.
func testInput(text string) Input {
	return Input{
		Text: text, Locality: "huyen-b", Published: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC),
		Localities: []Locality{
			{Slug: "tinh-a", Name: "Tỉnh A", Level: "province"},
			{Slug: "huyen-b", Name: "Bình Giang", Level: "district", Parent: "tinh-a"},
			{Slug: "huyen-c", Name: "Sơn Động", Level: "district", Parent: "tinh-a"},
		},
	}
}

// Every category rule proposes its category for its example sentence.
func TestCategoryRules(t *testing.T) {
	for _, r := range categoryTable {
		t.Run(r.category+"/"+r.cues[0], func(t *testing.T) {
			res := Extract(testInput(r.example))
			if len(res.Candidates) == 0 {
				t.Fatalf("%q: no candidate (others: %+v)", r.example, res.Others)
			}
			c := res.Candidates[0]
			if c.Category != r.category {
				t.Errorf("%q: category %q (cue %q), want %q", r.example, c.Category, c.Cue, r.category)
			}
			if !slices.ContainsFunc(r.cues, func(cue string) bool { return slices.Equal(compile(cue).keys, compile(c.Cue).keys) }) {
				t.Errorf("%q: proposed by %q, not by one of this rule's cues %q", r.example, c.Cue, r.cues)
			}
		})
	}
}

// Every indicator rule proposes its indicator for its example sentence.
func TestIndicatorRules(t *testing.T) {
	for _, r := range indicatorTable {
		t.Run(r.key, func(t *testing.T) {
			res := Extract(testInput(r.example))
			if len(res.Candidates) == 0 {
				t.Fatalf("%q: no candidate (others: %+v)", r.example, res.Others)
			}
			c := res.Candidates[0]
			if c.Indicator != r.key || c.Category != r.category || c.Unit != r.unit || c.Measure != r.measure {
				t.Errorf("%q: %s/%s %s %s, want %s/%s %s %s", r.example, c.Category, c.Indicator, c.Unit, c.Measure,
					r.category, r.key, r.unit, r.measure)
			}
		})
	}
}

// The indicator table agrees with seed/indicators.csv: every key exists
// there with the same category, unit and measure, and every seeded
// indicator has a rule.
func TestIndicatorTableMatchesSeed(t *testing.T) {
	f, err := seed.Files().Open("indicators.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f.(fs.File)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	seeded := map[string][3]string{}
	for _, r := range rows[1:] {
		seeded[r[col["key"]]] = [3]string{r[col["category"]], r[col["unit"]], r[col["measure"]]}
	}
	ruled := map[string]bool{}
	for _, r := range indicatorTable {
		ruled[r.key] = true
		s, ok := seeded[r.key]
		if !ok {
			t.Errorf("rule for %s: no such indicator in seed/indicators.csv", r.key)
			continue
		}
		if s != [3]string{r.category, r.unit, r.measure} {
			t.Errorf("rule for %s: %s %s %s, the seed says %v", r.key, r.category, r.unit, r.measure, s)
		}
		if measures[r.category] == "" {
			t.Errorf("rule for %s: category %s has no measure", r.key, r.category)
		}
	}
	for key := range seeded {
		if !ruled[key] {
			t.Errorf("indicator %s has no rule", key)
		}
	}
}

// Every noun of the unit table gives its unit.
func TestUnitRules(t *testing.T) {
	for _, u := range unitTable {
		for _, noun := range u.nouns {
			text := "Năm 2022, huyện luân chuyển 12 " + noun + " mới."
			if noun == "%" || noun == "phần trăm" {
				text = "Năm 2022, huyện luân chuyển 12" + map[string]string{"%": "%", "phần trăm": " phần trăm"}[noun] + " cán bộ."
			}
			res := Extract(testInput(text))
			if len(res.Candidates) != 1 || res.Candidates[0].Unit != u.unit {
				t.Errorf("%q: %+v, want one figure in %s", text, res.Candidates, u.unit)
			}
		}
	}
}

// Every qualifier phrase gives its qualifier.
func TestQualifierRules(t *testing.T) {
	for _, q := range qualifierTable {
		for _, w := range q.before {
			text := "Năm 2022, huyện luân chuyển " + w + " 12 cán bộ."
			if res := Extract(testInput(text)); len(res.Candidates) != 1 || res.Candidates[0].Qualifier != q.qualifier {
				t.Errorf("%q: %+v, want %s", text, res.Candidates, q.qualifier)
			}
		}
		for _, w := range q.after {
			text := "Năm 2022, huyện luân chuyển 12 cán bộ " + w + "."
			if res := Extract(testInput(text)); len(res.Candidates) != 1 || res.Candidates[0].Qualifier != q.qualifier {
				t.Errorf("%q: %+v, want %s", text, res.Candidates, q.qualifier)
			}
		}
	}
}

// Every level word is read as the level a rotation came from.
func TestLevelRules(t *testing.T) {
	other := map[string]string{"national": "huyện", "province": "xã", "district": "tỉnh", "commune": "huyện"}
	for _, l := range levelTable {
		for _, w := range l.words {
			text := "Năm 2022, đã luân chuyển 12 cán bộ từ " + w + " về " + other[l.level] + "."
			res := Extract(testInput(text))
			if len(res.Candidates) != 1 || res.Candidates[0].FromLevel != l.level {
				t.Errorf("%q: %+v, want from %s", text, res.Candidates, l.level)
			}
		}
	}
}

// Every word that marks a number as no count lists it apart, with its reason.
func TestNotCountRules(t *testing.T) {
	tests := []struct {
		words  []string
		before bool // the word precedes the number
		reason string
	}{
		{viewWords, true, ReasonViews},
		{pageBefore, true, ReasonPage},
		{docNouns, true, ReasonDocument},
		{ordinalBefore, true, ReasonOrdinal},
		{plenumBefore, true, ReasonOrdinal},
		{dayWords, true, ReasonDate},
		{ageWords, false, ReasonAge},
		{durationUnits, false, ReasonDuration},
		{[]string{"triệu", "tỷ", "nghìn đồng", "ngàn đồng", "usd", "vnđ", "vnd", "đô la", "đồng"}, false, ReasonMoney},
	}
	for _, tt := range tests {
		for _, w := range tt.words {
			text := "Năm 2022, huyện luân chuyển cán bộ " + w + " 12 cán bộ."
			if !tt.before {
				text = "Năm 2022, huyện luân chuyển cán bộ có 12 " + w + "."
			}
			res := Extract(testInput(text))
			found := false
			for _, o := range res.Others {
				if o.Text == "12" {
					found = true
					if o.Reason != tt.reason {
						t.Errorf("%q: 12 listed apart as %s, want %s", text, o.Reason, tt.reason)
					}
				}
			}
			if !found {
				t.Errorf("%q: 12 not listed apart (%+v)", text, res.Candidates)
			}
		}
	}
}
