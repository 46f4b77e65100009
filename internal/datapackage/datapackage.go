// Package datapackage describes the dashboard's downloads as a Frictionless
// Data Package (v2, https://datapackage.org/): the figures' CSV export and
// the indicator catalogue, each a table resource whose fields, types and
// constraints come from the column tables the CSV writers use
// (internal/export), so the description cannot drift from the files.
package datapackage

import (
	"fmt"
	"slices"

	"github.com/cadrestats/cadrestats/internal/export"
)

// Profile is the Data Package version the descriptor follows.
const Profile = "https://datapackage.org/profiles/2.0/datapackage.json"

// Paths of the resources, relative to the descriptor (served beside it at
// the site's root), so that a client reading /datapackage.json from any
// host finds them.
const (
	FiguresPath    = "export.csv"
	IndicatorsPath = "indicators.csv"
)

// Catalog is what the database holds that the descriptor lists: the
// closed vocabularies the columns name (export.Vocab) and the outlets the
// figures were taken from.
type Catalog struct {
	Categories []string
	Terms      []string
	Outlets    []string
}

// Package is the descriptor, in the order the standard lists properties.
type Package struct {
	Schema      string     `json:"$schema"`
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Keywords    []string   `json:"keywords"`
	Licenses    []License  `json:"licenses"`
	Sources     []Source   `json:"sources"`
	Resources   []Resource `json:"resources"`
}

type License struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Title string `json:"title"`
}

type Source struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

type Resource struct {
	Name        string  `json:"name"`
	Type        string  `json:"type"`
	Path        string  `json:"path"`
	Title       string  `json:"title"`
	Description string  `json:"description"`
	Format      string  `json:"format"`
	Mediatype   string  `json:"mediatype"`
	Dialect     Dialect `json:"dialect"`
	Schema      Schema  `json:"schema"`
}

// Dialect is how the export writes CSV (export.CSV): RFC 4180 with CRLF.
type Dialect struct {
	Header         bool   `json:"header"`
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	QuoteChar      string `json:"quoteChar"`
	DoubleQuote    bool   `json:"doubleQuote"`
}

type Schema struct {
	Fields []Field `json:"fields"`
	// MissingValues is [""]: an empty cell is a value not reported or not
	// applicable, and no other text (no 0, no "-") stands for one.
	MissingValues []string     `json:"missingValues"`
	PrimaryKey    []string     `json:"primaryKey"`
	ForeignKeys   []ForeignKey `json:"foreignKeys,omitempty"`
}

type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Description is the Vietnamese text, a blank line, then the English
	// one; DescriptionVI and DescriptionEN repeat each alone for programs
	// that show one language.
	Description   string       `json:"description"`
	DescriptionVI string       `json:"description_vi"`
	DescriptionEN string       `json:"description_en"`
	TrueValues    []string     `json:"trueValues,omitempty"`
	FalseValues   []string     `json:"falseValues,omitempty"`
	Constraints   *Constraints `json:"constraints,omitempty"`
}

type Constraints struct {
	Required         bool     `json:"required,omitempty"`
	Enum             []string `json:"enum,omitempty"`
	Pattern          string   `json:"pattern,omitempty"`
	Minimum          *float64 `json:"minimum,omitempty"`
	ExclusiveMinimum *float64 `json:"exclusiveMinimum,omitempty"`
	Maximum          *float64 `json:"maximum,omitempty"`
}

type ForeignKey struct {
	Fields    []string  `json:"fields"`
	Reference Reference `json:"reference"`
}

type Reference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// The licence of the data: CC BY 4.0, so that a newspaper or a portal may
// republish the figures, naming the dashboard and, through it, the
// articles each figure cites.
var licence = License{Name: "CC-BY-4.0", Path: "https://creativecommons.org/licenses/by/4.0/",
	Title: "Creative Commons Attribution 4.0 International"}

var dialect = Dialect{Header: true, Delimiter: ",", LineTerminator: "\r\n", QuoteChar: `"`, DoubleQuote: true}

// Build makes the descriptor from the export's column tables and the
// catalogue. Errors: a column without a description in both languages, or
// a vocabulary the catalogue lacks (a column must not be published
// undescribed).
func Build(cat Catalog) (Package, error) {
	figures, err := schema(export.Fields(), cat)
	if err != nil {
		return Package{}, fmt.Errorf("describe %s: %w", FiguresPath, err)
	}
	figures.PrimaryKey = []string{"id"}
	figures.ForeignKeys = []ForeignKey{{Fields: []string{"indicator"},
		Reference: Reference{Resource: "indicators", Fields: []string{"key"}}}}
	indicators, err := schema(export.IndicatorFields(), cat)
	if err != nil {
		return Package{}, fmt.Errorf("describe %s: %w", IndicatorsPath, err)
	}
	indicators.PrimaryKey = []string{"key"}

	p := Package{
		Schema: Profile,
		Name:   "cadrestats",
		Title:  "Thống kê công tác cán bộ / Cadre-personnel work statistics",
		Description: "Số liệu về công tác cán bộ (bổ nhiệm, luân chuyển, đào tạo, quy hoạch, đánh giá, biên chế) " +
			"mà báo chí địa phương Việt Nam đưa tin; mỗi số liệu kèm bài báo nguồn và câu trích nguyên văn. " +
			"Ô trống là không được báo cáo hoặc không áp dụng, không bao giờ là số 0.\n\n" +
			"Figures on cadre-personnel work (appointments, rotations, training, planning, evaluations, headcounts) " +
			"as Vietnamese local newspapers report them; each figure carries its source article and the verbatim " +
			"quote it was taken from. An empty cell is not reported or not applicable, never zero. " +
			"Licence: CC BY 4.0; cite cadrestats and the article of each figure.",
		Keywords: []string{"công tác cán bộ", "cadre", "personnel", "Vietnam", "local government", "newspapers"},
		Licenses: []License{licence},
		Sources:  sources(cat.Outlets),
		Resources: []Resource{
			{Name: "figures", Type: "table", Path: FiguresPath, Format: "csv", Mediatype: "text/csv",
				Title: "Số liệu / Figures",
				Description: "Một dòng cho mỗi số liệu, như GET /export.csv (UTF-8 có BOM); các tham số locality, category, " +
					"indicator, term lọc các dòng mà không đổi cột. Ô văn bản mà bảng tính sẽ đọc như công thức (bắt đầu " +
					"bằng = + - @ | %) có thêm dấu ' ở đầu.\n\nOne row per figure, as GET /export.csv writes it " +
					"(UTF-8 with a byte-order mark); the query parameters locality, category, indicator and term select " +
					"rows without changing the columns. A text cell a spreadsheet would read as a formula (starting with " +
					"= + - @ | %) gets a leading '.",
				Dialect: dialect, Schema: figures},
			{Name: "indicators", Type: "table", Path: IndicatorsPath, Format: "csv", Mediatype: "text/csv",
				Title: "Chỉ tiêu / Indicators",
				Description: "Danh mục chỉ tiêu: mỗi số liệu có cột indicator thuộc một chỉ tiêu ở đây, và chỉ được so sánh " +
					"trong cùng chỉ tiêu.\n\nThe indicator catalogue: a figure whose indicator column names one here is " +
					"compared only with figures of the same indicator.",
				Dialect: dialect, Schema: indicators},
		},
	}
	return p, nil
}

// sources lists where the data comes from: the articles, each named on
// its figures' rows and listed at /sources, and the outlets that
// published them.
func sources(outlets []string) []Source {
	out := []Source{{Title: "Bài báo nguồn của từng số liệu / The source article of each figure", Path: "sources"}}
	for _, o := range outlets {
		out = append(out, Source{Title: o})
	}
	return out
}

func schema(cols []export.Field, cat Catalog) (Schema, error) {
	s := Schema{MissingValues: []string{""}}
	for _, c := range cols {
		f, err := field(c, cat)
		if err != nil {
			return Schema{}, err
		}
		s.Fields = append(s.Fields, f)
	}
	return s, nil
}

func field(c export.Field, cat Catalog) (Field, error) {
	d := c.Doc
	if d.VI == "" || d.EN == "" {
		return Field{}, fmt.Errorf("column %s has no description in both languages", c.Name)
	}
	f := Field{Name: c.Name, Description: d.VI + "\n\n" + d.EN, DescriptionVI: d.VI, DescriptionEN: d.EN}
	cs := Constraints{Required: !d.Optional, Pattern: d.Pattern, Enum: d.Enum}
	switch c.Kind {
	case export.Code, export.Text:
		f.Type = "string"
	case export.Int:
		f.Type = "integer"
	case export.Number:
		f.Type = "number"
	case export.Date:
		f.Type = "date"
	case export.Bool:
		f.Type = "boolean"
		f.TrueValues, f.FalseValues = []string{"true"}, []string{"false"}
	default:
		return Field{}, fmt.Errorf("column %s: kind %d has no Table Schema type", c.Name, c.Kind)
	}
	switch d.Vocab {
	case export.NoVocab, export.Indicators: // indicators: a foreign key
	case export.Categories:
		cs.Enum = vocab(cat.Categories)
	case export.Terms:
		cs.Enum = vocab(cat.Terms)
	default:
		return Field{}, fmt.Errorf("column %s: vocabulary %d unknown", c.Name, d.Vocab)
	}
	if d.Vocab == export.Categories && len(cs.Enum) == 0 {
		return Field{}, fmt.Errorf("column %s: no categories", c.Name)
	}
	if d.Min != nil {
		if d.ExclusiveMin {
			cs.ExclusiveMinimum = d.Min
		} else {
			cs.Minimum = d.Min
		}
	}
	cs.Maximum = d.Max
	if cs.Required || cs.Enum != nil || cs.Pattern != "" || cs.Minimum != nil || cs.ExclusiveMinimum != nil || cs.Maximum != nil {
		f.Constraints = &cs
	}
	return f, nil
}

// vocab is the catalogue's list, sorted. An empty list (a database
// without terms) stays an absent enum: an empty enum would forbid every
// value, and the column's empty cells are then all it holds.
func vocab(vs []string) []string {
	if len(vs) == 0 {
		return nil
	}
	out := slices.Clone(vs)
	slices.Sort(out)
	return slices.Compact(out)
}
