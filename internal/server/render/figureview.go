package render

import (
	"slices"
	"strconv"

	"github.com/cadrestats/cadrestats/internal/chart"
	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/numtext"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// FigureView is a figure with every text formatted for the page's
// language; templates only place it.
type FigureView struct {
	ID           int64
	LocalityName string
	LocalitySlug string
	Category     string
	Subject      string
	Value        string // "hơn 7.200", "4/17"
	Unit         string
	Period       string
	Term         string
	Measure      string
	Levels       string // "cấp tỉnh → cấp huyện" for rotations
	IsPart       bool
	PartOf       string // "phần của: 164 cán bộ được luân chuyển (toàn tỉnh)"
	Indicator    string
	Completeness string // "cận dưới", "một phần của số khác"; "" when complete
	Rank         string // "giá trị ưu tiên: …", "không dùng: …"; "" when normal
	Target       bool
	Level        string
	Unverified   bool // entered or changed, not yet checked by a second editor
	SourceID     int64
	SourceLabel  string // "Báo Quảng Ninh, 15/02/2020"
	Quote        QuoteView
}

func ViewFigure(p *i18n.Printer, f stats.Figure) FigureView {
	v := FigureView{
		ID:           f.ID,
		LocalityName: f.Locality.Name,
		LocalitySlug: f.Locality.Slug,
		Category:     chart.CategoryName(f.Category, p.Lang() == i18n.EN),
		Subject:      f.Subject,
		Value:        chart.Value(p, f),
		Unit:         chart.UnitName(p, f.Unit),
		Period:       chart.Period(p, f),
		Measure:      p.T("measure." + string(f.Measure())),
		IsPart:       f.ParentID != nil,
		Target:       f.Target,
		Level:        p.T("level." + string(f.Locality.Level)),
		Unverified:   !f.Verified,
		SourceID:     f.Source.ID,
		SourceLabel:  f.Source.Outlet + ", " + p.Date(f.Source.PublishedOn),
		Quote:        highlight(f.Quote, f.Value),
	}
	if f.Term != nil {
		v.Term = f.Term.Name
		if p.Lang() == i18n.EN {
			v.Term = f.Term.NameEN
		}
	}
	if f.FromLevel != "" {
		v.Levels = p.T("level."+string(f.FromLevel)) + " → " + p.T("level."+string(f.ToLevel))
	}
	if f.Indicator != nil {
		v.Indicator = f.Indicator.Label(p.Lang() == i18n.EN)
	}
	if f.ParentID != nil {
		total := "#" + strconv.FormatInt(*f.ParentID, 10)
		if f.ParentValue != nil {
			total = p.Number(*f.ParentValue) + " " + f.ParentSubject
		}
		v.PartOf = p.T("figure.part_of", total)
	}
	if f.Completeness == stats.LowerBound {
		v.Completeness = p.T("completeness.lower_bound")
	}
	if f.Rank != stats.RankNormal && f.Rank != "" {
		v.Rank = p.T("rank."+f.Rank) + ": " + f.RankReason
	}
	return v
}

func ViewFigures(p *i18n.Printer, figs []stats.Figure) []FigureView {
	out := make([]FigureView, len(figs))
	for i, f := range figs {
		out[i] = ViewFigure(p, f)
	}
	return out
}

// QuoteView splits a quote around the number it reports, so that the
// template can mark it while escaping all three parts as text.
type QuoteView struct {
	Before, Number, After string
}

// highlight finds value in the quote as a number written in either
// convention ("8" but not the 8 of "18"; "7200", "7.200" or "7 200");
// without a match the whole quote is Before.
func highlight(quote string, value float64) QuoteView {
	for _, t := range numtext.Scan(quote) {
		if slices.Contains(t.Values, value) {
			return QuoteView{Before: quote[:t.Start], Number: t.Text, After: quote[t.End:]}
		}
	}
	return QuoteView{Before: quote}
}

// LocalityStatus says what became of a unit since it was reported, from
// the data (its successor, its end date, its province's successor): "Nay
// thuộc tỉnh Phú Thọ (từ 01/07/2025)". Empty for a unit that still exists
// as it was.
func LocalityStatus(p *i18n.Printer, l stats.Locality, parent *stats.Locality) string {
	if l.ValidTo == nil {
		return ""
	}
	since := p.Date(l.ValidTo.AddDate(0, 0, 1))
	if l.SuccessorSlug != "" {
		// Hải Phòng merged into a new Hải Phòng: "now part of Hải Phòng"
		// would read as part of itself.
		if l.SuccessorName == l.Name {
			return p.T("locality.status.merged_same", placeName(p, l.SuccessorPfx, l.SuccessorName), since)
		}
		return p.T("locality.status.merged", placeName(p, l.SuccessorPfx, l.SuccessorName), since)
	}
	if parent != nil {
		now := placeName(p, parent.Prefix, parent.Name)
		if parent.SuccessorSlug != "" {
			now = placeName(p, parent.SuccessorPfx, parent.SuccessorName)
		}
		return p.T("locality.status.now_in", now, since)
	}
	return p.T("locality.status.ended", since)
}

// placeName is a unit's name with its administrative prefix, in the page
// language: "tỉnh Phú Thọ" on Vietnamese pages, "Phú Thọ Province" on
// English ones. An unknown prefix is kept as written.
func placeName(p *i18n.Printer, prefix, name string) string {
	if prefix == "" {
		return name
	}
	if key := "place." + stats.Slugify(prefix); p.Has(key) {
		return p.T(key, name)
	}
	return prefix + " " + name
}

func LocalityName(p *i18n.Printer, l stats.Locality) string { return placeName(p, l.Prefix, l.Name) }
