package datapackage

import (
	"slices"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/export"
)

// The validation against the published profiles and of the CSVs against
// the descriptor is in internal/server/public/datapackage_test.go, over a
// real database; these are the rules Build applies by itself.

var catalog = Catalog{Categories: []string{"rotation", "appointment", "rotation"}, Terms: []string{"nk-2015-2020"},
	Outlets: []string{"Báo Quảng Ninh"}}

func TestBuildDescribesEveryColumn(t *testing.T) {
	p, err := Build(catalog)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		res  int
		want []export.Field
	}{{0, export.Fields()}, {1, export.IndicatorFields()}} {
		r := p.Resources[tt.res]
		var got, want []string
		for _, f := range r.Schema.Fields {
			got = append(got, f.Name)
		}
		for _, f := range tt.want {
			want = append(want, f.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s fields %v, want %v", r.Name, got, want)
		}
	}
	fields := p.Resources[0].Schema.Fields
	byName := func(name string) Field {
		return fields[slices.IndexFunc(fields, func(f Field) bool { return f.Name == name })]
	}
	if c := byName("category").Constraints; !slices.Equal(c.Enum, []string{"appointment", "rotation"}) || !c.Required {
		t.Errorf("category constraints %+v, want the catalogue's categories, sorted once each, required", c)
	}
	if c := byName("term").Constraints; c.Required || !slices.Equal(c.Enum, []string{"nk-2015-2020"}) {
		t.Errorf("term constraints %+v, want optional, the catalogue's terms", c)
	}
	if c := byName("denominator").Constraints; c.ExclusiveMinimum == nil || *c.ExclusiveMinimum != 0 || c.Minimum != nil {
		t.Errorf("denominator constraints %+v, want exclusiveMinimum 0", c)
	}
	if f := byName("value"); f.Type != "number" || f.Constraints.Minimum == nil || *f.Constraints.Minimum != 0 || !f.Constraints.Required {
		t.Errorf("value %+v, want a required number ≥ 0", f)
	}
	if f := byName("target"); f.Type != "boolean" || !slices.Equal(f.TrueValues, []string{"true"}) {
		t.Errorf("target %+v, want a boolean written true/false", f)
	}
	if len(p.Sources) != 2 || p.Sources[1].Title != "Báo Quảng Ninh" {
		t.Errorf("sources %+v, want the articles, then the outlet", p.Sources)
	}
}

func TestBuildWithoutTerms(t *testing.T) {
	c := catalog
	c.Terms = nil
	p, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Resources[0].Schema.Fields {
		if f.Name == "term" && f.Constraints != nil && f.Constraints.Enum != nil {
			t.Errorf("term enum %v without terms: an empty enum would refuse every key", f.Constraints.Enum)
		}
	}
}

// A column cannot be published undescribed, nor without a vocabulary it
// names.
func TestFieldRefusesUndescribed(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    export.Field
		cat  Catalog
		want string
	}{
		{"NoEnglish", export.Field{Name: "new_column", Kind: export.Text, Doc: export.Doc{VI: "Cột mới"}}, catalog, "new_column has no description"},
		{"NoVietnamese", export.Field{Name: "new_column", Kind: export.Int, Doc: export.Doc{EN: "A new column"}}, catalog, "no description"},
		{"NoCategories", export.Field{Name: "category", Kind: export.Code,
			Doc: export.Doc{VI: "Nhóm", EN: "Category", Vocab: export.Categories}}, Catalog{}, "no categories"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := field(tt.f, tt.cat)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("field(%+v): error %v, want %q", tt.f, err, tt.want)
			}
		})
	}
}
