package chart_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func settings(t testing.TB, lang i18n.Lang, perYear bool) chart.Settings {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return chart.Settings{P: c.Printer(lang), English: lang == i18n.EN, PerYear: perYear, View: view(perYear)}
}

// view is per year or as reported, by the reader's choice.
func view(perYear bool) stats.View {
	if perYear {
		return stats.View{Per: stats.PerYear, Base: stats.BaseReported}
	}
	return stats.View{Per: stats.PerReported, Base: stats.BaseReported}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var (
	rotation    = stats.Category{Code: "rotation", NameVI: "Luân chuyển, điều động", NameEN: "Rotations", Measure: stats.Flow}
	appointment = stats.Category{Code: "appointment", NameVI: "Bổ nhiệm, đề bạt", NameEN: "Appointments", Measure: stats.Flow}
	workforce   = stats.Category{Code: "workforce", NameVI: "Đội ngũ, tổ chức", NameEN: "Workforce", Measure: stats.Stock}
	evaluation  = stats.Category{Code: "evaluation", NameVI: "Đánh giá, xếp loại", NameEN: "Evaluation", Measure: stats.Stock}

	dienBien = stats.Locality{Slug: "dien-bien", Name: "Điện Biên", Level: stats.LevelProvince, Focus: true}
	songLo   = stats.Locality{Slug: "song-lo", Name: "Sông Lô", Level: stats.LevelDistrict, Focus: true}
	tienLang = stats.Locality{Slug: "tien-lang", Name: "Tiên Lãng", Level: stats.LevelDistrict, Focus: true}
	quangBnh = stats.Locality{Slug: "quang-binh", Name: "Quảng Bình", Level: stats.LevelProvince, Focus: true}

	baoDB = stats.Source{ID: 5, Outlet: "Báo Điện Biên Phủ", Title: "Xây dựng Đảng", PublishedOn: day(2018, 10, 3)}
	baoVP = stats.Source{ID: 4, Outlet: "Báo Vĩnh Phúc", Title: "Sông Lô", PublishedOn: day(2020, 10, 28)}
	baoTL = stats.Source{ID: 3, Outlet: "Đài Phát thanh Tiên Lãng", Title: "Tiên Lãng", PublishedOn: day(2016, 9, 28)}
	term  = &stats.Term{Key: "nk-2015-2020", Kind: "congress", StartYear: 2015, EndYear: 2020}
)

func id(n int64) *int64 { return &n }

var (
	rotated  = &stats.Indicator{Key: "rotated", Category: "rotation", Unit: "persons", Measure: stats.Flow, Name: "Cán bộ được luân chuyển", NameEN: "Cadres rotated"}
	turns    = &stats.Indicator{Key: "rotation-turns", Category: "rotation", Unit: "turns", Measure: stats.Flow, Name: "Lượt luân chuyển", NameEN: "Rotation turns"}
	managed  = &stats.Indicator{Key: "managed-cadres", Category: "workforce", Unit: "persons", Measure: stats.Stock, Name: "Cán bộ diện BTV quản lý", NameEN: "Managed cadres"}
	heads    = &stats.Indicator{Key: "appointed-division-heads", Category: "appointment", Unit: "persons", Measure: stats.Flow, Name: "Bổ nhiệm trưởng phòng", NameEN: "Division heads appointed"}
	deputies = &stats.Indicator{Key: "appointed-division-deputies", Category: "appointment", Unit: "persons", Measure: stats.Flow, Name: "Bổ nhiệm phó phòng", NameEN: "Deputies appointed"}
	mongCai  = stats.Locality{Slug: "mong-cai", Name: "Móng Cái", Level: stats.LevelProvincialCity, Focus: true}
	baoQN    = stats.Source{ID: 2, Outlet: "Báo Quảng Ninh", Title: "Móng Cái", PublishedOn: day(2020, 2, 15)}
)

// dienBienRotations are the article's figures: 164 in all, of which 126
// vertical, and four itemised moves between levels that add up to 121.
func dienBienRotations() []stats.Figure {
	f := func(id int64, v float64, parent *int64, from, to stats.Level) stats.Figure {
		c := stats.Complete
		if parent != nil {
			c = stats.Part
		}
		return stats.Figure{ID: id, Locality: dienBien, Category: rotation, Indicator: rotated, Subject: "luân chuyển", Value: v,
			Unit: "persons", Qualifier: "exact", Completeness: c, Rank: stats.RankNormal, PeriodStart: day(2010, 1, 1),
			PeriodEnd: day(2018, 10, 3), ParentID: parent, FromLevel: from, ToLevel: to, Source: baoDB}
	}
	return []stats.Figure{
		f(45, 164, nil, "", ""), f(46, 126, id(45), "", ""),
		f(47, 19, nil, stats.LevelProvince, stats.LevelDistrict), f(48, 4, nil, stats.LevelDistrict, stats.LevelProvince),
		f(49, 85, nil, stats.LevelDistrict, stats.LevelCommune), f(50, 13, nil, stats.LevelCommune, stats.LevelDistrict),
	}
}

func songLoFigures() []stats.Figure {
	f := func(id int64, ind *stats.Indicator, cat stats.Category, v float64, from, to stats.Level) stats.Figure {
		return stats.Figure{ID: id, Locality: songLo, Category: cat, Indicator: ind, Subject: ind.Name, Value: v, Unit: "persons",
			Qualifier: "exact", Completeness: stats.Complete, Rank: stats.RankNormal, PeriodStart: day(2015, 1, 1),
			PeriodEnd: day(2020, 10, 28), Term: term, FromLevel: from, ToLevel: to, Source: baoVP}
	}
	return []stats.Figure{f(1, heads, appointment, 8, "", ""), f(2, deputies, appointment, 9, "", ""),
		f(5, rotated, rotation, 4, stats.LevelDistrict, stats.LevelCommune)}
}

func mongCaiTurns() stats.Figure {
	return stats.Figure{ID: 17, Locality: mongCai, Category: rotation, Indicator: turns, Subject: "luân chuyển, điều động",
		Value: 20, Unit: "turns", Qualifier: "exact", Completeness: stats.Complete, Rank: stats.RankNormal,
		PeriodStart: day(2019, 1, 1), PeriodEnd: day(2019, 12, 31), Source: baoQN}
}

func optionsJSON(t *testing.T, c chart.Chart) string {
	t.Helper()
	b, err := json.Marshal(c.Options)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func allSeries(t *testing.T, c chart.Chart) []map[string]any {
	t.Helper()
	ss, _ := c.Options["series"].([]any)
	if len(ss) == 0 {
		t.Fatalf("no series in %s", optionsJSON(t, c))
	}
	var out []map[string]any
	for _, s := range ss {
		out = append(out, s.(map[string]any))
	}
	return out
}

// bars lists each drawn bar's value and label text across the series.
func bars(t *testing.T, c chart.Chart) (values []float64, labels []string) {
	t.Helper()
	for _, s := range allSeries(t, c) {
		data, _ := s["data"].([]any)
		for _, d := range data {
			m, _ := d.(map[string]any)
			v, ok := m["value"].(float64)
			if !ok {
				continue
			}
			values = append(values, v)
			l, _ := m["label"].(string)
			labels = append(labels, l)
		}
	}
	return values, labels
}

// byID indexes figures so that a chart's records can be traced back.
func byID(figs []stats.Figure) map[int64]stats.Figure {
	m := map[int64]stats.Figure{}
	for _, f := range figs {
		m[f.ID] = f
	}
	return m
}

func TestCompare(t *testing.T) {
	figs := append(append(dienBienRotations(), songLoFigures()...), mongCaiTurns())
	locs := []stats.Locality{dienBien, quangBnh, songLo, mongCai}
	cmps, rest := stats.Compare(locs, figs)
	if len(cmps) != 1 {
		t.Fatalf("%d comparisons, want 1 (district → commune rotations of Sông Lô and Điện Biên): %+v", len(cmps), cmps)
	}
	cmp := cmps[0]
	idx := byID(figs)
	for _, lang := range i18n.Langs {
		for _, perYear := range []bool{false, true} {
			c := chart.Compare(chart.CompareID(cmp), cmp.View(view(perYear)), settings(t, lang, perYear))
			// Every bar of every series measures one indicator in one unit.
			for _, r := range c.Records {
				for _, fid := range r.FigureIDs {
					f := idx[fid]
					if f.Indicator == nil || f.Indicator.Key != c.Indicator || f.Unit != cmp.Indicator.Unit {
						t.Errorf("%s per year %v: record %+v draws figure %d of %v in %s", lang, perYear, r, fid, f.Indicator, f.Unit)
					}
				}
				if r.Value != nil && r.Level == "" {
					t.Errorf("%s: record %+v has no level", lang, r)
				}
			}
			values, labels := bars(t, c)
			if len(values) != 2 {
				t.Fatalf("%s: %d bars, want Điện Biên and Sông Lô", lang, len(values))
			}
			unit := map[i18n.Lang]string{i18n.VI: "người", i18n.EN: "persons"}[lang]
			for _, l := range labels {
				if !strings.Contains(l, unit) {
					t.Errorf("%s: bar label %q lacks the unit %q", lang, l, unit)
				}
			}
			js := optionsJSON(t, c)
			levels := map[i18n.Lang][]string{i18n.VI: {"cấp tỉnh", "cấp huyện"}, i18n.EN: {"province", "district"}}[lang]
			for _, want := range levels {
				if !strings.Contains(js, want) {
					t.Errorf("%s: options name no level %q (legend and axis labels):\n%s", lang, want, js)
				}
			}
			if perYear {
				// 85 over 1 Jan 2010 – 3 Oct 2018 (8.8 years); 4 over a five-year term.
				if values[0] != 9.7 || values[1] != 0.8 {
					t.Errorf("%s per year = %v, want [9.7 0.8]", lang, values)
				}
			} else if values[0] != 85 || values[1] != 4 {
				t.Errorf("%s as reported = %v, want [85 4]", lang, values)
			}
		}
	}
	// Móng Cái's 20 turns and the Điện Biên total stand apart, never beside persons.
	var left []int64
	for _, u := range rest {
		for _, f := range u.Figures {
			left = append(left, f.ID)
		}
	}
	for _, want := range []int64{17, 45, 1, 2} {
		if !slices.Contains(left, want) {
			t.Errorf("figure %d neither compared nor listed apart: %v", want, left)
		}
	}
	if slices.Contains(left, 46) {
		t.Errorf("the part 46 is listed apart: parts belong to their total")
	}
}

func TestCompareLowerBoundAndStock(t *testing.T) {
	p := func(loc stats.Locality, id int64, v float64, c string) stats.Figure {
		return stats.Figure{ID: id, Locality: loc, Category: workforce, Indicator: managed, Subject: "cán bộ", Value: v,
			Unit: "persons", Qualifier: "exact", Completeness: c, Rank: stats.RankNormal, PeriodStart: day(2016, 9, 28),
			PeriodEnd: day(2016, 9, 28), Source: baoTL}
	}
	figs := []stats.Figure{p(tienLang, 22, 417, stats.Complete), p(songLo, 90, 12, stats.LowerBound)}
	cmps, _ := stats.Compare([]stats.Locality{tienLang, songLo}, figs)
	if len(cmps) != 1 {
		t.Fatalf("%d comparisons", len(cmps))
	}
	c := chart.Compare("x", cmps[0].View(view(true)), settings(t, i18n.VI, true))
	values, labels := bars(t, c)
	if values[0] != 417 {
		t.Errorf("a stock per year = %v, want 417 as reported", values[0])
	}
	if !strings.Contains(labels[1], "ít nhất 12") {
		t.Errorf("a lower bound is labelled %q, want “ít nhất 12”", labels[1])
	}
	if !strings.Contains(optionsJSON(t, c), `"decal"`) {
		t.Errorf("the lower bound is not hatched")
	}
	if !slices.ContainsFunc(c.Notes, func(n string) bool { return strings.Contains(n, "không chia theo năm") }) {
		t.Errorf("notes %q do not say the stock is not annualised", c.Notes)
	}
}

func TestMismatches(t *testing.T) {
	p := settings(t, i18n.VI, false).P
	figs := dienBienRotations()
	for i := 2; i < len(figs); i++ {
		figs[i].ParentID, figs[i].Completeness = id(46), stats.Part
	}
	ms := chart.Mismatches(figs)
	if len(ms) != 1 {
		t.Fatalf("%d mismatches, want 1 (126 vs 121): %+v", len(ms), ms)
	}
	got := ms[0].Notice(p)
	if !strings.Contains(got, "126") || !strings.Contains(got, "19 + 4 + 85 + 13 = 121") || !strings.Contains(got, "ít hơn tổng") {
		t.Errorf("notice %q: want both numbers and that the parts fall short, not a contradiction", got)
	}
	total := stats.Figure{ID: 32, Value: 610, Unit: "persons", Category: evaluation}
	var parts []stats.Figure
	for i, v := range []float64{318, 276, 14, 2} {
		parts = append(parts, stats.Figure{ID: int64(33 + i), Value: v, Unit: "persons", Category: evaluation, ParentID: id(32)})
	}
	women := stats.Figure{ID: 23, Value: 161, Unit: "persons", ParentID: id(22)}
	all := append(append([]stats.Figure{total}, parts...), stats.Figure{ID: 22, Value: 417, Unit: "persons"}, women)
	if ms := chart.Mismatches(all); len(ms) != 0 {
		t.Errorf("610 = 318 + 276 + 14 + 2 and 161 of 417 agree; got %+v", ms)
	}
}

func TestRotation(t *testing.T) {
	c := chart.Rotation("flows-rotated", *rotated, dienBienRotations(), settings(t, i18n.VI, false))
	js := optionsJSON(t, c)
	// Origins and destinations are separate nodes: 4 → province and
	// 19 → district would otherwise be a cycle, which a Sankey refuses.
	for _, want := range []string{`"source":"Từ cấp tỉnh","target":"Về cấp huyện","value":19`,
		`"source":"Từ cấp huyện","target":"Về cấp xã","value":85`, `"type":"sankey"`} {
		if !strings.Contains(js, want) {
			t.Errorf("sankey lacks %s:\n%s", want, js)
		}
	}
	if len(c.Records) != 4 || len(c.Table.Rows) != 4 {
		t.Errorf("%d records, %d rows, want the 4 moves", len(c.Records), len(c.Table.Rows))
	}
	py := chart.Rotation("flows-rotated", *rotated, dienBienRotations(), settings(t, i18n.VI, true))
	if js := optionsJSON(t, py); !strings.Contains(js, `"value":9.7`) || py.Table.Rows[2][2].Text != "9,7" {
		t.Errorf("per year, the Sankey and its table must both show 85 over 8.8 years as 9,7: rows %v", py.Table.Rows)
	}
}

// TestForLocality: every chart of a locality page keeps to one indicator
// and one unit, but for a breakdown of a total into its declared parts.
func TestForLocality(t *testing.T) {
	cats := []stats.Category{appointment, rotation, workforce, {Code: "party", Measure: stats.Stock, Context: true, Order: 200}}
	party := stats.Figure{ID: 20, Locality: tienLang, Category: stats.Category{Code: "party", Context: true}, Subject: "đảng viên",
		Value: 7200, Unit: "persons", Qualifier: "at_least", Completeness: stats.LowerBound, Rank: stats.RankNormal,
		PeriodStart: day(2016, 9, 28), PeriodEnd: day(2016, 9, 28), Source: baoTL}
	figs := append(append(dienBienRotations(), songLoFigures()...), party)
	for _, lang := range i18n.Langs {
		for _, perYear := range []bool{false, true} {
			secs := chart.ForLocality(cats, figs, settings(t, lang, perYear))
			if last := secs[len(secs)-1]; !last.Category.Context {
				t.Errorf("party membership is not shown last, apart: %v", last.Category)
			}
			idx := byID(figs)
			for _, sec := range secs {
				for _, c := range sec.Charts {
					if c.Kind == chart.KindBreakdown {
						continue
					}
					for _, r := range c.Records {
						for _, fid := range r.FigureIDs {
							if f := idx[fid]; f.Indicator == nil || f.Indicator.Key != c.Indicator {
								t.Errorf("%s: chart %s (%s) draws figure %d of indicator %v", lang, c.ID, c.Kind, fid, f.Indicator)
							}
						}
					}
				}
			}
			if _, ok := chart.FindChart(secs, "flows-rotated"); !ok {
				t.Errorf("no Sankey for rotations between levels")
			}
		}
	}
}

func TestEmpty(t *testing.T) {
	s := settings(t, i18n.VI, false)
	for _, c := range []chart.Chart{
		chart.Coverage("b", stats.Coverage{}, nil, s),
		chart.Rotation("c", *rotated, nil, s),
	} {
		if !c.Empty || c.Options == nil {
			t.Errorf("%s: empty %v, options %v", c.ID, c.Empty, c.Options)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	s := settings(b, i18n.VI, true)
	figs := append(dienBienRotations(), songLoFigures()...)
	cmps, _ := stats.Compare([]stats.Locality{dienBien, quangBnh, songLo, tienLang}, figs)
	for b.Loop() {
		for _, c := range cmps {
			chart.Compare(chart.CompareID(c), c.View(s.View), s)
		}
	}
}

// TestCoverage: a diamond marks a count at one date, never the end of a
// period; overlapping periods of one locality get lanes of their own; a
// locality keeps its colour whatever else is selected.
func TestCoverage(t *testing.T) {
	f := func(id int64, loc stats.Locality, s, e time.Time) stats.Figure {
		return stats.Figure{ID: id, Locality: loc, Category: evaluation, PeriodStart: s, PeriodEnd: e, Source: baoTL}
	}
	figs := []stats.Figure{
		f(1, tienLang, day(2011, 1, 1), day(2015, 12, 31)), f(2, tienLang, day(2011, 1, 1), day(2011, 12, 31)),
		f(3, tienLang, day(2016, 9, 28), day(2016, 9, 28)), f(4, songLo, day(2015, 1, 1), day(2020, 10, 28)),
	}
	s := settings(t, i18n.VI, false)
	cover := func(locs []stats.Locality, figs []stats.Figure) chart.Chart {
		return chart.Coverage("coverage", stats.CoverageOf(locs, figs, stats.MaxSpans, stats.MaxCoverageSrcs),
			[]stats.Category{evaluation}, s)
	}
	c := cover([]stats.Locality{tienLang, songLo}, figs)
	ss := allSeries(t, c)
	if len(ss) != 4 {
		t.Fatalf("%d segments, want 4", len(ss))
	}
	rows := map[float64]bool{}
	for _, sm := range ss {
		data := sm["data"].([]any)
		single := len(data) == 1
		if got := sm["symbol"]; (got == "diamond") != single {
			t.Errorf("segment %v: symbol %v (a diamond only for a single date)", sm["name"], got)
		}
		row := data[0].(map[string]any)["value"].([]any)[1].(float64)
		rows[row] = true
	}
	// 2011–2015 and 2011 overlap: two lanes for Tiên Lãng, plus Sông Lô's.
	if len(rows) != 3 {
		t.Errorf("segments on %d rows, want 3 (overlapping periods apart)", len(rows))
	}
	colour := func(c chart.Chart, name string) any {
		for _, sm := range allSeries(t, c) {
			if strings.HasPrefix(sm["name"].(string), name) {
				return sm["lineStyle"].(map[string]any)["color"]
			}
		}
		return nil
	}
	alone := cover([]stats.Locality{songLo}, figs[3:])
	if a, b := colour(c, "Sông Lô"), colour(alone, "Sông Lô"); a != b || a == nil {
		t.Errorf("Sông Lô is %v with Tiên Lãng and %v alone: a locality keeps its colour", a, b)
	}
}

// TestCompareManyConflicts: a value 1.000 sources disagree with names the
// first stats.MaxOthers of them and counts the rest, not a thousand.
func TestCompareManyConflicts(t *testing.T) {
	p := func(loc stats.Locality, id int64, v float64) stats.Figure {
		return stats.Figure{ID: id, Locality: loc, Category: workforce, Indicator: managed, Subject: "cán bộ", Value: v,
			Unit: "persons", Qualifier: "exact", Completeness: stats.Complete, Rank: stats.RankNormal,
			PeriodStart: day(2016, 9, 28), PeriodEnd: day(2016, 9, 28), Source: baoTL}
	}
	figs := []stats.Figure{p(tienLang, 1, 417), p(songLo, 2, 12)}
	for i := range 1000 {
		figs = append(figs, p(tienLang, int64(10+i), 400))
	}
	cmps, _ := stats.Compare([]stats.Locality{tienLang, songLo}, figs)
	if len(cmps) != 1 || cmps[0].Entries[0].OtherCount != 1000 || len(cmps[0].Entries[0].Others) != stats.MaxOthers {
		t.Fatalf("comparisons %+v", cmps)
	}
	c := chart.Compare("x", cmps[0].View(view(false)), settings(t, i18n.VI, false))
	if len(c.Conflicts) != 1 || !strings.Contains(c.Conflicts[0], "và 995 giá trị khác") ||
		strings.Count(c.Conflicts[0], "400") != stats.MaxOthers {
		t.Errorf("conflicts %q: want five values named and 995 counted", c.Conflicts)
	}
	if !strings.Contains(c.AriaLabel, "có 1.000 giá trị khác") {
		t.Errorf("the chart's description does not count the 1.000 other values")
	}
}
