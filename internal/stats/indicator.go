package stats

import (
	"slices"
	"time"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Indicator is one thing counted one way, with its definition: only
// figures of the same indicator (and so the same unit) are compared, as
// Our World in Data compares only data points of one indicator.
type Indicator struct {
	ID           int64
	Key          string // stable: "appointed-division-heads"
	Category     string // category code
	Unit         string
	Measure      Measure
	Name         string // Vietnamese
	NameEN       string
	Definition   string
	DefinitionEN string
	Includes     string
	IncludesEN   string
	Excludes     string
	ExcludesEN   string
	Denominator  string     // one of Denominators: what the indicator's figures may divide
	Version      int64      // for optimistic locking (admin reads only)
	DeletedAt    *time.Time // soft-deleted (admin reads only)
	Used         int        // live figures citing it (admin lists)
}

// Denominator kinds: what a denominator indicator counts. A sum over
// sub-units is divided by a figure of kind sub_units; any count by one of
// managed_cadres or posts (per 100).
const (
	DenomSubUnits      = "sub_units"
	DenomManagedCadres = "managed_cadres"
	DenomPosts         = "posts"
)

// Denominators lists the denominator kinds ("" is an ordinary indicator).
var Denominators = []string{"", DenomSubUnits, DenomManagedCadres, DenomPosts}

// Label is the indicator's name in the page's language.
func (ind Indicator) Label(english bool) string {
	if english {
		return ind.NameEN
	}
	return ind.Name
}

// Normalize canonicalises the indicator's text.
func (ind *Indicator) Normalize() {
	ind.Key = cleanKey(ind.Key)
	ind.Category = textnorm.Clean(ind.Category)
	ind.Unit = textnorm.Clean(ind.Unit)
	ind.Measure = Measure(textnorm.Clean(string(ind.Measure)))
	ind.Denominator = textnorm.Clean(ind.Denominator)
	for _, s := range []*string{&ind.Name, &ind.NameEN, &ind.Definition, &ind.DefinitionEN,
		&ind.Includes, &ind.IncludesEN, &ind.Excludes, &ind.ExcludesEN} {
		*s = textnorm.Clean(*s)
	}
}

// Validate checks what can be checked without the database (that the
// category exists is checked on write). Errors: *ValidationError.
func (ind Indicator) Validate() error {
	v := &ValidationError{}
	c := checker{v}
	if ind.ID == 0 {
		c.key("key", ind.Key, true)
	}
	c.text("category", ind.Category, true, 50)
	c.text("name", ind.Name, true, MaxNameLen)
	c.text("name_en", ind.NameEN, true, MaxNameLen)
	for _, f := range []struct {
		field, s string
	}{{"definition", ind.Definition}, {"definition_en", ind.DefinitionEN}, {"includes", ind.Includes},
		{"includes_en", ind.IncludesEN}, {"excludes", ind.Excludes}, {"excludes_en", ind.ExcludesEN}} {
		c.text(f.field, f.s, false, MaxNoteLen)
	}
	if !slices.Contains(Units, ind.Unit) {
		v.Add("unit", "error.unit.unknown", "")
	}
	if !slices.Contains(Measures, ind.Measure) {
		v.Add("measure", "error.measure.unknown", "")
	}
	switch {
	case !slices.Contains(Denominators, ind.Denominator):
		v.Add("denominator", "error.denominator_kind.unknown", "")
	case ind.Denominator != "" && ind.Measure != Stock:
		v.Add("denominator", "error.denominator_kind.stock", "")
	}
	return v.Err()
}
