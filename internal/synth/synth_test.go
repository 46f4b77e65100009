package synth_test

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"testing"

	"github.com/cadrestats/cadrestats/internal/numtext"
	"github.com/cadrestats/cadrestats/internal/stats"
	"github.com/cadrestats/cadrestats/internal/synth"
	"github.com/cadrestats/cadrestats/seed"
)

// world is what a database seeded with the seed's reference data and the
// synthetic localities would hold, with ids as the loader gives them.
func world(t testing.TB, s uint64, figures int) (*synth.Generator, synth.Refs) {
	t.Helper()
	ds, err := seed.Load(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	refs := synth.Refs{Localities: synth.Localities(s, ds.Localities), FirstSourceID: 100, FirstFigureID: 1001}
	for i := range refs.Localities {
		refs.Localities[i].ID = int64(i + 1)
	}
	refs.Indicators = ds.Indicators
	for i := range refs.Indicators {
		refs.Indicators[i].ID = int64(i + 1)
	}
	refs.Terms = ds.Terms
	for i := range refs.Terms {
		refs.Terms[i].ID = int64(i + 1)
	}
	g, err := synth.New(synth.Options{Seed: s, Figures: figures}, refs)
	if err != nil {
		t.Fatal(err)
	}
	return g, refs
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestLocalities(t *testing.T) {
	ds, err := seed.Load(seed.Files())
	if err != nil {
		t.Fatal(err)
	}
	ls := synth.Localities(1, ds.Localities)
	if again := synth.Localities(1, ds.Localities); !slices.EqualFunc(ls, again, func(a, b stats.Locality) bool {
		return a.Slug == b.Slug && a.Name == b.Name && a.ParentSlug == b.ParentSlug
	}) {
		t.Error("the same seed gave another country")
	}
	count := map[string]int{}
	seen := map[string]stats.Locality{}
	for _, l := range ls {
		if !slugRE.MatchString(l.Slug) {
			t.Errorf("slug %q", l.Slug)
		}
		if _, dup := seen[l.Slug]; dup {
			t.Errorf("slug %q twice", l.Slug)
		}
		if l.ParentSlug != "" {
			if _, ok := seen[l.ParentSlug]; !ok {
				t.Errorf("%s comes before its parent %s", l.Slug, l.ParentSlug)
			}
		}
		seen[l.Slug] = l
		switch {
		case l.Level == stats.LevelNational:
			count["national"]++
		case l.Level == stats.LevelProvince && l.ValidFrom != nil:
			count["new provinces"]++
		case l.Level == stats.LevelProvince && l.ValidTo != nil:
			count["merged provinces"]++
		case l.Level == stats.LevelProvince:
			count["unchanged provinces"]++
		case l.Level == stats.LevelCommune:
			count["communes"]++
		default:
			count["districts"]++
		}
		if l.Level != stats.LevelProvince && l.Level != stats.LevelNational && (l.ValidTo == nil || l.ParentSlug == "") {
			t.Errorf("%s: a district or commune of before the reorganisation, under its parent", l.Slug)
		}
	}
	for _, l := range ls {
		if l.ValidTo != nil && l.Level == stats.LevelProvince {
			succ, ok := seen[l.SuccessorSlug]
			if !ok || succ.ValidFrom == nil {
				t.Errorf("merged %s: successor %q is not a new province", l.Slug, l.SuccessorSlug)
			}
		}
	}
	if count["national"] != 1 || count["new provinces"] != 23 || count["merged provinces"] != 52 || count["unchanged provinces"] != 11 {
		t.Errorf("provinces: %v, want 1 national, 63 before 2025 (52 merged, 11 unchanged), 34 after (23 new)", count)
	}
	if d, c := count["districts"], count["communes"]; d < 600 || d > 800 || c < 9000 || c > 11000 {
		t.Errorf("%d districts, %d communes; want about 700 and 10.000", d, c)
	}
	// The seed's units are themselves, with their slugs.
	for _, k := range ds.Localities {
		l, ok := seen[k.Slug]
		if !ok || l.Name != k.Name || l.ParentSlug != k.ParentSlug || l.Level != k.Level {
			t.Errorf("seed locality %s: got %+v", k.Slug, l)
		}
	}
	if seen["vinh-phuc"].SuccessorSlug != "phu-tho" || seen["hai-phong"].SuccessorSlug != "hai-phong-2025" ||
		seen["quang-binh"].SuccessorSlug != "quang-tri" {
		t.Errorf("successors of the seed's merged provinces: %q %q %q", seen["vinh-phuc"].SuccessorSlug,
			seen["hai-phong"].SuccessorSlug, seen["quang-binh"].SuccessorSlug)
	}
}

// TestFiguresKeepTheDomainRules checks every figure as the form and the
// import would, and the rules the database backs with constraints and
// triggers: the loader may then bypass the form path.
func TestFiguresKeepTheDomainRules(t *testing.T) {
	g, refs := world(t, 7, 30_000)
	sources := map[int64]stats.Source{}
	lastSource := refs.FirstSourceID - 1
	for s := range g.Sources() {
		if s.ID != lastSource+1 || !stats.IsSynthetic(s.Key) || !slugRE.MatchString(s.Key) {
			t.Fatalf("source %d %q after %d", s.ID, s.Key, lastSource)
		}
		lastSource = s.ID
		sources[s.ID] = s
	}
	inds := map[string]*stats.Indicator{}
	for i := range refs.Indicators {
		inds[refs.Indicators[i].Key] = &refs.Indicators[i]
	}
	terms := map[string]*stats.Term{}
	for i := range refs.Terms {
		terms[refs.Terms[i].Key] = &refs.Terms[i]
	}
	locs := map[int64]stats.Locality{}
	for _, l := range refs.Localities {
		locs[l.ID] = l
	}
	seen := map[int64]stats.LoadFigure{}
	preferred := map[string]int64{}
	last := refs.FirstFigureID - 1
	n := 0
	for f := range g.Figures() {
		n++
		if f.ID != last+1 {
			t.Fatalf("figure %d after %d", f.ID, last)
		}
		last = f.ID
		in := f.FigureInput
		norm := in
		norm.Normalize()
		if fmt.Sprint(norm) != fmt.Sprint(in) {
			t.Errorf("figure %d is not in normal form:\n got %+v\nwant %+v", f.ID, in, norm)
		}
		if err := in.Validate(); err != nil {
			t.Errorf("figure %d: %v\n%+v", f.ID, err, in)
		}
		src, ok := sources[f.SourceID]
		if !ok || src.Key != in.SourceKey {
			t.Fatalf("figure %d cites source %d %q", f.ID, f.SourceID, in.SourceKey)
		}
		v := &stats.ValidationError{}
		in.CheckRefs(stats.FigureRefs{Indicator: inds[in.IndicatorKey], Term: terms[in.TermKey], SourcePublished: src.PublishedOn}, v)
		if err := v.Err(); err != nil {
			t.Errorf("figure %d: %v", f.ID, err)
		}
		if (in.IndicatorKey == "") != (f.IndicatorID == 0) || (in.TermKey == "") != (f.TermID == 0) {
			t.Errorf("figure %d: keys %q %q, ids %d %d", f.ID, in.IndicatorKey, in.TermKey, f.IndicatorID, f.TermID)
		}
		loc := locs[f.LocalityID]
		if loc.Slug != in.LocalitySlug {
			t.Errorf("figure %d: locality %d is %s, not %s", f.ID, f.LocalityID, loc.Slug, in.LocalitySlug)
		}
		if loc.ValidFrom != nil && in.PeriodStart.Before(*loc.ValidFrom) || loc.ValidTo != nil && src.PublishedOn.After(*loc.ValidTo) {
			t.Errorf("figure %d: %s reported outside its lifetime (%v from %v)", f.ID, loc.Slug, in.PeriodStart, src.PublishedOn)
		}
		if in.ParentID != nil {
			parent, ok := seen[*in.ParentID]
			if !ok || parent.SourceID != f.SourceID || parent.Unit != in.Unit || parent.Completeness == stats.Part {
				t.Errorf("part %d: total %d not before it in the same source", f.ID, *in.ParentID)
			}
		}
		if in.Rank == stats.RankPreferred && !f.Deleted {
			k := fmt.Sprint(f.LocalityID, in.IndicatorKey, in.PeriodStart, in.PeriodEnd, in.FromLevel, in.ToLevel)
			if other, dup := preferred[k]; dup {
				t.Errorf("figures %d and %d are both preferred for %s", other, f.ID, k)
			}
			preferred[k] = f.ID
		}
		if !numtext.Contains(in.Quote, in.Value) {
			t.Errorf("figure %d: quote %q lacks %v", f.ID, in.Quote, in.Value)
		}
		seen[f.ID] = f
	}
	if n != 30_000 {
		t.Errorf("%d figures, want 30000", n)
	}
}

func TestSameSeedSameData(t *testing.T) {
	sum := func(s uint64) uint64 {
		g, _ := world(t, s, 5_000)
		h := fnv.New64a()
		enc := json.NewEncoder(h) // pointers written as what they point to
		for src := range g.Sources() {
			_ = enc.Encode(src)
		}
		for f := range g.Figures() {
			_ = enc.Encode(f)
		}
		return h.Sum64()
	}
	a, b, c := sum(3), sum(3), sum(4)
	if a != b {
		t.Error("seed 3 gave different data twice")
	}
	if a == c {
		t.Error("seeds 3 and 4 gave the same data")
	}
}

// TestDistribution: every category, indicator and unit; lower bounds,
// parts that add up, fall short and exceed; ranked and unranked
// conflicts; targets, directions; a few localities with tens of thousands
// of figures, most with few.
func TestDistribution(t *testing.T) {
	g, refs := world(t, 1, 30_000)
	seen := map[string]int{}
	figs := map[int64]stats.LoadFigure{}
	partSums := map[int64]float64{}
	for f := range g.Figures() {
		figs[f.ID] = f
		seen["category "+f.Category]++
		seen["unit "+f.Unit]++
		seen["indicator "+f.IndicatorKey]++
		seen["completeness "+f.Completeness]++
		seen["qualifier "+f.Qualifier]++
		seen["rank "+f.Rank]++
		if f.Target {
			seen["target"]++
		}
		if f.FromLevel != "" && f.ParentID == nil {
			seen["direction"]++
		}
		if f.TermKey != "" {
			seen["term"]++
		}
		if f.Deleted {
			seen["deleted"]++
		}
		if !f.Verified {
			seen["unverified"]++
		}
		if f.ParentID != nil {
			partSums[*f.ParentID] += f.Value
		}
	}
	for id, sum := range partSums {
		switch total := figs[id].Value; {
		case sum == total:
			seen["parts add up"]++
		case sum < total:
			seen["parts fall short"]++
		default:
			seen["parts exceed"]++
		}
	}
	want := []string{"indicator ", "completeness lower_bound", "completeness part", "qualifier at_least",
		"qualifier approximate", "rank preferred", "rank deprecated", "target", "direction", "term", "deleted",
		"unverified", "parts add up", "parts fall short", "parts exceed"}
	for _, u := range stats.Units {
		want = append(want, "unit "+u)
	}
	for _, ind := range refs.Indicators {
		want = append(want, "indicator "+ind.Key)
		want = append(want, "category "+ind.Category)
	}
	for _, w := range want {
		if seen[w] == 0 {
			t.Errorf("no figure with %s", w)
		}
	}

	// At a million: a tenth in the heavy locality, some with tens of
	// thousands, most with few.
	big, _ := world(t, 1, 1_000_000)
	counts := big.Counts()
	var all []int
	tens := 0
	for _, n := range counts {
		all = append(all, n)
		if n >= 10_000 {
			tens++
		}
	}
	slices.Sort(all)
	if counts[synth.HeavySlug] != 100_000 || tens < 10 || all[len(all)/2] > 20 {
		t.Errorf("at 1M: %s has %d, %d localities have 10.000 or more, the median %d; want 100.000, ≥ 10, ≤ 20",
			synth.HeavySlug, counts[synth.HeavySlug], tens, all[len(all)/2])
	}
}
