package stats_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

func validInput() stats.FigureInput {
	return stats.FigureInput{LocalitySlug: "song-lo", Category: "training", Subject: "lớp", Value: 1700, Unit: "persons",
		PeriodStart: day(2019, 1, 1), PeriodEnd: day(2019, 12, 31), SourceKey: "s", Quote: "hơn 1.700 người"}
}

func fieldsOf(err error) []string {
	var v *stats.ValidationError
	if !errors.As(err, &v) {
		return nil
	}
	var out []string
	for _, f := range v.Fields {
		out = append(out, f.Field+"="+f.Key)
	}
	return out
}

func TestFigureRules(t *testing.T) {
	term := &stats.Term{Key: "nk-2015-2020", StartYear: 2015, EndYear: 2020}
	ind := &stats.Indicator{Key: "trained-masters", Category: "training", Unit: "persons"}
	parent := int64(3)
	tests := []struct {
		name string
		edit func(*stats.FigureInput)
		refs stats.FigureRefs
		want string // the first field error, "" for none
	}{
		{"valid", func(*stats.FigureInput) {}, stats.FigureRefs{Indicator: ind, Term: term, SourcePublished: day(2020, 10, 28)}, ""},
		{"half a person", func(in *stats.FigureInput) { in.Value, in.Quote = 2.5, "2,5 người" }, stats.FigureRefs{}, "value=error.value.whole"},
		{"a percentage may be 17.5", func(in *stats.FigureInput) { in.Value, in.Unit, in.Quote = 17.5, "percent", "17,5%" }, stats.FigureRefs{}, ""},
		{"quote without the value", func(in *stats.FigureInput) { in.Quote = "một số người" }, stats.FigureRefs{}, "quote=error.quote.no_value"},
		{"a part names its total", func(in *stats.FigureInput) { in.Completeness = stats.Part }, stats.FigureRefs{}, "parent_id=error.parent.required_for_part"},
		{"a reason for a preferred value", func(in *stats.FigureInput) { in.Rank = stats.RankPreferred }, stats.FigureRefs{}, "rank_reason=error.rank.reason_required"},
		{"after the source", func(*stats.FigureInput) {}, stats.FigureRefs{SourcePublished: day(2019, 6, 30)}, "period_end=error.period.after_source"},
		{"a target may end later", func(in *stats.FigureInput) { in.Target = true }, stats.FigureRefs{SourcePublished: day(2019, 6, 30)}, ""},
		{"outside its term", func(in *stats.FigureInput) { in.PeriodEnd = day(2021, 12, 31) }, stats.FigureRefs{Term: term, SourcePublished: day(2022, 1, 1)}, "term=error.period.outside_term"},
		{"indicator of another unit", func(in *stats.FigureInput) { in.Unit = "turns" }, stats.FigureRefs{Indicator: ind}, "indicator=error.indicator.unit"},
		{"rotation level national", func(in *stats.FigureInput) {
			in.Category, in.FromLevel, in.ToLevel = "rotation", stats.LevelNational, stats.LevelProvince
		}, stats.FigureRefs{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			in.Normalize()
			err := in.Validate()
			v := &stats.ValidationError{}
			errors.As(err, &v)
			in.CheckRefs(tt.refs, v)
			got := ""
			if fs := fieldsOf(v.Err()); len(fs) > 0 {
				got = fs[0]
			}
			if got != tt.want {
				t.Errorf("errors %v, want first %q", fieldsOf(v.Err()), tt.want)
			}
		})
	}
	// Derived on normalising: a figure with a parent is a part of it; "hơn"
	// is at best a lower bound.
	in := validInput()
	in.ParentID, in.Qualifier = &parent, "at_least"
	in.Normalize()
	if in.Completeness != stats.Part {
		t.Errorf("a figure with a parent: completeness %q, want part", in.Completeness)
	}
	in = validInput()
	in.Qualifier = "at_least"
	in.Normalize()
	if in.Completeness != stats.LowerBound {
		t.Errorf("“hơn 1.700”: completeness %q, want lower_bound", in.Completeness)
	}
}

func TestPeriodText(t *testing.T) {
	iso := func(t time.Time) string { return t.Format("02/01/2006") }
	tests := []struct {
		s, e time.Time
		want string
	}{
		{day(2019, 1, 1), day(2019, 12, 31), "2019"},
		{day(2011, 1, 1), day(2015, 12, 31), "2011–2015"},
		{day(2015, 1, 1), day(2020, 10, 28), "2015–28/10/2020"},
		{day(2016, 9, 28), day(2016, 9, 28), "28/09/2016"},
		{day(2010, 3, 1), day(2018, 10, 3), "01/03/2010–03/10/2018"},
	}
	for _, tt := range tests {
		if got := stats.PeriodText(tt.s, tt.e, iso); got != tt.want {
			t.Errorf("PeriodText(%v, %v) = %q, want %q", tt.s, tt.e, got, tt.want)
		}
	}
}
