package stats

import (
	"strconv"
	"strings"
	"time"
)

// FieldKind says how a field's text reads: what a CSV cell or a form field
// holds, and how exports type the cell.
type FieldKind uint8

const (
	KindCode   FieldKind = iota // a closed vocabulary or a key: no person types it freely
	KindText                    // typed by people (subject, quote): exports guard it against formulas
	KindInt                     // an id
	KindNumber                  // a plain decimal: 7200, 62.5
	KindDate                    // ISO 8601: 2020-10-28
	KindBool                    // true or false
)

// FigureField is one field of a figure as entered, imported, exported,
// compared and fingerprinted. Name is the export's column name and the
// field's only name: forms, CSV files, validation errors and change lists
// all use it.
type FigureField struct {
	Name string
	Kind FieldKind
	// Get is the field's canonical text: plain decimals, ISO dates, "" for
	// an absent optional value.
	Get func(in *FigureInput) string
	// Set reads canonical text into the input; it returns the message key
	// of what is wrong, or "".
	Set func(in *FigureInput, s string) string
}

// FigureFields lists the fields of a figure input in export order. A test
// keeps it in step with FigureInput and the export columns.
var FigureFields = []FigureField{
	{"id", KindInt, func(in *FigureInput) string { return optInt(in.ID) },
		func(in *FigureInput, s string) string { return setID(&in.ID, s) }},
	{"category", KindCode, func(in *FigureInput) string { return in.Category },
		func(in *FigureInput, s string) string { in.Category = s; return "" }},
	{"subject", KindText, func(in *FigureInput) string { return in.Subject },
		func(in *FigureInput, s string) string { in.Subject = s; return "" }},
	{"value", KindNumber, func(in *FigureInput) string { return FormatValue(in.Value) },
		func(in *FigureInput, s string) string {
			if strings.TrimSpace(s) == "" {
				return "error.required"
			}
			return setNumber(&in.Value, s)
		}},
	{"unit", KindCode, func(in *FigureInput) string { return in.Unit },
		func(in *FigureInput, s string) string { in.Unit = s; return "" }},
	{"qualifier", KindCode, func(in *FigureInput) string { return in.Qualifier },
		func(in *FigureInput, s string) string { in.Qualifier = s; return "" }},
	{"period_start", KindDate, func(in *FigureInput) string { return isoDate(in.PeriodStart) },
		func(in *FigureInput, s string) string { return setDate(&in.PeriodStart, s) }},
	{"period_end", KindDate, func(in *FigureInput) string { return isoDate(in.PeriodEnd) },
		func(in *FigureInput, s string) string { return setDate(&in.PeriodEnd, s) }},
	{"term", KindCode, func(in *FigureInput) string { return in.TermKey },
		func(in *FigureInput, s string) string { in.TermKey = s; return "" }},
	{"quote", KindText, func(in *FigureInput) string { return in.Quote },
		func(in *FigureInput, s string) string { in.Quote = s; return "" }},
	{"locality_slug", KindCode, func(in *FigureInput) string { return in.LocalitySlug },
		func(in *FigureInput, s string) string { in.LocalitySlug = s; return "" }},
	{"source_key", KindCode, func(in *FigureInput) string { return in.SourceKey },
		func(in *FigureInput, s string) string { in.SourceKey = s; return "" }},
	{"denominator", KindNumber, func(in *FigureInput) string { return optNumber(in.Denominator) },
		func(in *FigureInput, s string) string { return setOptNumber(&in.Denominator, s) }},
	{"from_level", KindCode, func(in *FigureInput) string { return string(in.FromLevel) },
		func(in *FigureInput, s string) string { in.FromLevel = Level(strings.TrimSpace(s)); return "" }},
	{"to_level", KindCode, func(in *FigureInput) string { return string(in.ToLevel) },
		func(in *FigureInput, s string) string { in.ToLevel = Level(strings.TrimSpace(s)); return "" }},
	{"parent_id", KindInt, func(in *FigureInput) string { return optIntPtr(in.ParentID) },
		func(in *FigureInput, s string) string { return setOptID(&in.ParentID, s) }},
	{"indicator", KindCode, func(in *FigureInput) string { return in.IndicatorKey },
		func(in *FigureInput, s string) string { in.IndicatorKey = s; return "" }},
	{"completeness", KindCode, func(in *FigureInput) string { return in.Completeness },
		func(in *FigureInput, s string) string { in.Completeness = s; return "" }},
	{"rank", KindCode, func(in *FigureInput) string { return in.Rank },
		func(in *FigureInput, s string) string { in.Rank = s; return "" }},
	{"rank_reason", KindText, func(in *FigureInput) string { return in.RankReason },
		func(in *FigureInput, s string) string { in.RankReason = s; return "" }},
	{"target", KindBool, func(in *FigureInput) string { return strconv.FormatBool(in.Target) },
		func(in *FigureInput, s string) string { return setBool(&in.Target, s) }},
	{"scope", KindCode, func(in *FigureInput) string { return in.Scope },
		func(in *FigureInput, s string) string { in.Scope = s; return "" }},
	{"sub_units_id", KindInt, func(in *FigureInput) string { return optIntPtr(in.SubUnitsID) },
		func(in *FigureInput, s string) string { return setOptID(&in.SubUnitsID, s) }},
	{"base_id", KindInt, func(in *FigureInput) string { return optIntPtr(in.BaseID) },
		func(in *FigureInput, s string) string { return setOptID(&in.BaseID, s) }},
}

// FigureField returns the field named name.
func FigureFieldNamed(name string) (FigureField, bool) {
	for _, f := range FigureFields {
		if f.Name == name {
			return f, true
		}
	}
	return FigureField{}, false
}

func optInt(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func optIntPtr(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

func optNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return FormatValue(*v)
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func setID(dst *int64, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		*dst = 0
		return ""
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return "error.id.invalid"
	}
	*dst = id
	return ""
}

func setOptID(dst **int64, s string) string {
	var id int64
	if key := setID(&id, s); key != "" {
		return key
	}
	*dst = nil
	if id != 0 {
		*dst = &id
	}
	return ""
}

// setNumber reads a plain decimal ("7200", "62.5"): the machine format of
// exports and imports. Forms read the page's language first and hand the
// plain decimal on.
func setNumber(dst *float64, s string) string {
	s = strings.TrimSpace(s)
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eExXpP_") {
		return "error.value.not_number"
	}
	*dst = n
	return ""
}

func setOptNumber(dst **float64, s string) string {
	if strings.TrimSpace(s) == "" {
		*dst = nil
		return ""
	}
	var v float64
	if key := setNumber(&v, s); key != "" {
		return key
	}
	*dst = &v
	return ""
}

func setDate(dst *time.Time, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		*dst = time.Time{}
		return "error.required"
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "error.date.invalid"
	}
	*dst = t
	return ""
}

func setBool(dst *bool, s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "no":
		*dst = false
	case "true", "1", "yes", "on":
		*dst = true
	default:
		return "error.bool.invalid"
	}
	return ""
}
