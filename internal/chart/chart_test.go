package chart_test

import (
	"encoding/json"
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
	return chart.Settings{P: c.Printer(lang), English: lang == i18n.EN, PerYear: perYear}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var (
	rotation    = stats.Category{Code: "rotation", NameVI: "Luân chuyển, điều động", NameEN: "Rotations", Measure: stats.Flow}
	appointment = stats.Category{Code: "appointment", NameVI: "Bổ nhiệm, đề bạt", NameEN: "Appointments", Measure: stats.Flow}
	workforce   = stats.Category{Code: "workforce", NameVI: "Đội ngũ, tổ chức", NameEN: "Workforce", Measure: stats.Stock}
	evaluation  = stats.Category{Code: "evaluation", NameVI: "Đánh giá, xếp loại", NameEN: "Evaluation", Measure: stats.Stock}

	dienBien = stats.Locality{Slug: "dien-bien", Name: "Điện Biên", Focus: true}
	songLo   = stats.Locality{Slug: "song-lo", Name: "Sông Lô", Focus: true}
	tienLang = stats.Locality{Slug: "tien-lang", Name: "Tiên Lãng", Focus: true}
	quangBnh = stats.Locality{Slug: "quang-binh", Name: "Quảng Bình", Focus: true}

	baoDB = stats.Source{ID: 5, Outlet: "Báo Điện Biên Phủ", Title: "Xây dựng Đảng", PublishedOn: day(2018, 10, 3)}
	baoVP = stats.Source{ID: 4, Outlet: "Báo Vĩnh Phúc", Title: "Sông Lô", PublishedOn: day(2020, 10, 28)}
	baoTL = stats.Source{ID: 3, Outlet: "Đài Phát thanh Tiên Lãng", Title: "Tiên Lãng", PublishedOn: day(2016, 9, 28)}
	term  = &stats.Term{Key: "nk-2015-2020", Kind: "congress", StartYear: 2015, EndYear: 2020}
)

func id(n int64) *int64 { return &n }

// dienBienRotations are the article's figures: 164 in all, of which 126
// vertical, whose four parts add up to 121 only.
func dienBienRotations() []stats.Figure {
	f := func(id int64, v float64, parent *int64, from, to stats.Level) stats.Figure {
		return stats.Figure{ID: id, Locality: dienBien, Category: rotation, Subject: "luân chuyển", Value: v, Unit: "persons",
			Qualifier: "exact", PeriodStart: day(2010, 1, 1), PeriodEnd: day(2018, 10, 3), ParentID: parent,
			FromLevel: from, ToLevel: to, Source: baoDB}
	}
	return []stats.Figure{
		f(45, 164, nil, "", ""), f(46, 126, id(45), "", ""),
		f(47, 19, id(46), stats.LevelProvince, stats.LevelDistrict), f(48, 4, id(46), stats.LevelDistrict, stats.LevelProvince),
		f(49, 85, id(46), stats.LevelDistrict, stats.LevelCommune), f(50, 13, id(46), stats.LevelCommune, stats.LevelDistrict),
	}
}

func songLoAppointments() []stats.Figure {
	f := func(id int64, v float64) stats.Figure {
		return stats.Figure{ID: id, Locality: songLo, Category: appointment, Subject: "trưởng phòng", Value: v, Unit: "persons",
			Qualifier: "exact", PeriodStart: day(2015, 1, 1), PeriodEnd: day(2020, 12, 31), Term: term, Source: baoVP}
	}
	return []stats.Figure{f(1, 8), f(2, 9)}
}

func optionsJSON(t *testing.T, c chart.Chart) string {
	t.Helper()
	b, err := json.Marshal(c.Options)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func seriesData(t *testing.T, c chart.Chart) []any {
	t.Helper()
	ss, _ := c.Options["series"].([]any)
	if len(ss) == 0 {
		t.Fatalf("no series in %s", optionsJSON(t, c))
	}
	data, _ := ss[0].(map[string]any)["data"].([]any)
	return data
}

func TestCompare(t *testing.T) {
	figs := append(dienBienRotations(), stats.Figure{ID: 3, Locality: songLo, Category: rotation, Subject: "tiếp nhận", Value: 5,
		Unit: "persons", Qualifier: "exact", PeriodStart: day(2015, 1, 1), PeriodEnd: day(2020, 12, 31), Term: term,
		FromLevel: stats.LevelProvince, ToLevel: stats.LevelDistrict, Source: baoVP})
	locs := []stats.Locality{dienBien, quangBnh, songLo}

	t.Run("as reported", func(t *testing.T) {
		c := chart.Compare("compare-rotation", rotation, locs, figs, settings(t, i18n.VI, false))
		data := seriesData(t, c)
		// Điện Biên: the total only, not 164 + 126 + its parts.
		if got := data[0].(map[string]any)["value"]; got != 164.0 {
			t.Errorf("Điện Biên bar = %v, want 164", got)
		}
		// Quảng Bình reported nothing: no value at all, never 0.
		if v, ok := data[1].(map[string]any)["value"]; ok {
			t.Errorf("Quảng Bình bar has value %v, want none", v)
		}
		if c.Records[1].Value != nil {
			t.Errorf("Quảng Bình record value = %v, want nil", *c.Records[1].Value)
		}
		if got := c.Table.Rows[1][1]; !got.NoData || got.Text != "không có số liệu" {
			t.Errorf("Quảng Bình cell = %+v", got)
		}
		js := optionsJSON(t, c)
		for _, want := range []string{`"Quảng Bình\n(không có số liệu)"`, `"Điện Biên\n01/01/2010–03/10/2018"`, `"Sông Lô\n2015–2020"`,
			`"aria":{"enabled":true}`, `"saveAsImage"`, "Nguồn: Báo Điện Biên Phủ, 03/10/2018", "Đơn vị: người"} {
			if !strings.Contains(js, want) {
				t.Errorf("options lack %s:\n%s", want, js)
			}
		}
	})

	t.Run("per year", func(t *testing.T) {
		c := chart.Compare("compare-rotation", rotation, locs, figs, settings(t, i18n.VI, true))
		data := seriesData(t, c)
		// 164 over 1 Jan 2010 – 3 Oct 2018 (8.8 years); 5 over a five-year term.
		if got := data[0].(map[string]any)["value"]; got != 18.6 {
			t.Errorf("Điện Biên per year = %v, want 18.6", got)
		}
		if got := data[2].(map[string]any)["value"]; got != 1.0 {
			t.Errorf("Sông Lô per year = %v, want 1", got)
		}
		r := c.Records[0]
		if r.Reported == nil || *r.Reported != 164 || r.Years != 8.8 {
			t.Errorf("record = %+v, want 164 reported over 8.8 years", r)
		}
	})

	t.Run("stocks are never annualised", func(t *testing.T) {
		stock := stats.Figure{ID: 22, Locality: tienLang, Category: workforce, Subject: "cán bộ", Value: 417, Unit: "persons",
			Qualifier: "exact", PeriodStart: day(2011, 1, 1), PeriodEnd: day(2015, 12, 31), Source: baoTL}
		c := chart.Compare("x", workforce, []stats.Locality{tienLang}, []stats.Figure{stock}, settings(t, i18n.VI, true))
		if got := seriesData(t, c)[0].(map[string]any)["value"]; got != 417.0 {
			t.Errorf("stock per year = %v, want 417 as reported", got)
		}
	})

	t.Run("sums one period only", func(t *testing.T) {
		two := songLoAppointments()
		other := two[0]
		other.ID, other.Value, other.PeriodStart, other.PeriodEnd, other.Term = 99, 100, day(2019, 1, 1), day(2019, 12, 31), nil
		c := chart.Compare("x", appointment, []stats.Locality{songLo}, append(two, other), settings(t, i18n.VI, false))
		if got := seriesData(t, c)[0].(map[string]any)["value"]; got != 17.0 {
			t.Errorf("Sông Lô appointments = %v, want 8 + 9 of 2015–2020 (not the 100 of 2019)", got)
		}
	})
}

func TestMismatches(t *testing.T) {
	p := settings(t, i18n.VI, false).P
	ms := chart.Mismatches(dienBienRotations())
	if len(ms) != 1 {
		t.Fatalf("%d mismatches, want 1 (126 vs 121): %+v", len(ms), ms)
	}
	if ms[0].Total.Value != 126 || ms[0].Sum != 121 {
		t.Errorf("mismatch %v vs %v, want 126 vs 121", ms[0].Total.Value, ms[0].Sum)
	}
	if got := ms[0].Notice(p); !strings.Contains(got, "126") || !strings.Contains(got, "19 + 4 + 85 + 13 = 121") {
		t.Errorf("notice %q lacks both numbers", got)
	}

	total := stats.Figure{ID: 32, Value: 610, Unit: "persons", Category: evaluation}
	parts := []stats.Figure{{ID: 33, Value: 318}, {ID: 34, Value: 276}, {ID: 35, Value: 14}, {ID: 36, Value: 2}}
	figs := []stats.Figure{total}
	for _, f := range parts {
		f.ParentID, f.Unit, f.Category = id(32), "persons", evaluation
		figs = append(figs, f)
	}
	women := stats.Figure{ID: 23, Value: 161, Unit: "persons", ParentID: id(22)}
	figs = append(figs, stats.Figure{ID: 22, Value: 417, Unit: "persons"}, women)
	if ms := chart.Mismatches(figs); len(ms) != 0 {
		t.Errorf("610 = 318 + 276 + 14 + 2 and 161 of 417 agree; got %+v", ms)
	}
}

func TestRotation(t *testing.T) {
	c := chart.Rotation("rotation-flows", dienBienRotations(), settings(t, i18n.VI, false))
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
}

func TestForLocality(t *testing.T) {
	cats := []stats.Category{appointment, rotation}
	secs := chart.ForLocality(cats, append(dienBienRotations(), songLoAppointments()...), settings(t, i18n.EN, false))
	if len(secs) != 2 {
		t.Fatalf("%d sections, want 2", len(secs))
	}
	if _, ok := chart.FindChart(secs, "rotation-flows"); !ok {
		t.Errorf("no Sankey for rotations between levels")
	}
	if _, ok := chart.FindChart(secs, "appointment-persons"); !ok {
		t.Errorf("no bar per subject for two appointment figures")
	}
	if n := secs[1].Notes; len(n) != 1 || !strings.Contains(n[0], "19 + 4 + 85 + 13 = 121") {
		t.Errorf("rotation notes = %q, want the 126 vs 121 notice", n)
	}
}

func TestEmpty(t *testing.T) {
	s := settings(t, i18n.VI, false)
	for _, c := range []chart.Chart{
		chart.Compare("a", rotation, nil, nil, s),
		chart.Coverage("b", nil, nil, s),
		chart.Rotation("c", nil, s),
		chart.Planning("d", nil, nil, s),
	} {
		if !c.Empty || c.Options == nil {
			t.Errorf("%s: empty %v, options %v", c.ID, c.Empty, c.Options)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	s := settings(b, i18n.VI, true)
	figs := append(dienBienRotations(), songLoAppointments()...)
	locs := []stats.Locality{dienBien, quangBnh, songLo, tienLang}
	for b.Loop() {
		chart.Compare("compare-rotation", rotation, locs, figs, s)
	}
}
