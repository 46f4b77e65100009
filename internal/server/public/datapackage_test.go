package public_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dlclark/regexp2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cadrestats/cadrestats/internal/export"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// The published profiles (testdata/frictionless/SOURCE.md says where from).
const (
	packageProfile = "https://datapackage.org/profiles/2.0/datapackage.json"
	tableProfile   = "https://datapackage.org/profiles/2.0/tableschema.json"
)

// ecmaRegexp compiles the profiles' patterns, which use look-ahead (RE2,
// Go's regexp, has none), as JSON Schema reads them: ECMA 262.
type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return err == nil && ok
}

func (r ecmaRegexp) String() string { return r.re.String() }

// profiles compiles the Data Package and Table Schema profiles.
func profiles(t *testing.T) (pkg, table *jsonschema.Schema) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(func(s string) (jsonschema.Regexp, error) {
		re, err := regexp2.Compile(s, regexp2.ECMAScript)
		if err != nil {
			return nil, err
		}
		return ecmaRegexp{re}, nil
	})
	for url, file := range map[string]string{packageProfile: "datapackage.json", tableProfile: "tableschema.json"} {
		f, err := os.Open("testdata/frictionless/" + file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if pkg, err = c.Compile(packageProfile); err != nil {
		t.Fatal(err)
	}
	if table, err = c.Compile(tableProfile); err != nil {
		t.Fatal(err)
	}
	return pkg, table
}

// The descriptor as the checks below read it.
type dpPackage struct {
	Schema    string       `json:"$schema"`
	Licenses  []dpLicense  `json:"licenses"`
	Sources   []dpSource   `json:"sources"`
	Resources []dpResource `json:"resources"`
}

type dpLicense struct{ Name, Path string }

type dpSource struct{ Title, Path string }

type dpResource struct {
	Name   string      `json:"name"`
	Path   string      `json:"path"`
	Schema tableSchema `json:"schema"`
}

type tableSchema struct {
	Fields        []tableField `json:"fields"`
	MissingValues []string     `json:"missingValues"`
	PrimaryKey    []string     `json:"primaryKey"`
	ForeignKeys   []struct {
		Fields    []string `json:"fields"`
		Reference struct {
			Resource string   `json:"resource"`
			Fields   []string `json:"fields"`
		} `json:"reference"`
	} `json:"foreignKeys"`
}

type tableField struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Description   string   `json:"description"`
	DescriptionVI string   `json:"description_vi"`
	DescriptionEN string   `json:"description_en"`
	TrueValues    []string `json:"trueValues"`
	FalseValues   []string `json:"falseValues"`
	Constraints   struct {
		Required         bool     `json:"required"`
		Enum             []string `json:"enum"`
		Pattern          string   `json:"pattern"`
		Minimum          *float64 `json:"minimum"`
		ExclusiveMinimum *float64 `json:"exclusiveMinimum"`
		Maximum          *float64 `json:"maximum"`
	} `json:"constraints"`
}

func (p dpPackage) resource(t *testing.T, name string) dpResource {
	t.Helper()
	for _, r := range p.Resources {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("the data package has no resource %q", name)
	return dpResource{}
}

// getPackage fetches /datapackage.json, validates it against the Data
// Package profile and each table schema against the Table Schema profile,
// and decodes it.
func getPackage(t *testing.T, srv http.Handler) dpPackage {
	t.Helper()
	rec := exportGet(srv, "/datapackage.json")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /datapackage.json: status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	pkgProfile, tableProfile := profiles(t)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("datapackage.json is not JSON: %v", err)
	}
	if err := pkgProfile.Validate(doc); err != nil {
		t.Fatalf("datapackage.json does not validate against the Data Package profile:\n%v", err)
	}
	for i, r := range doc.(map[string]any)["resources"].([]any) {
		if err := tableProfile.Validate(r.(map[string]any)["schema"]); err != nil {
			t.Errorf("resource %d's schema does not validate against the Table Schema profile:\n%v", i, err)
		}
	}
	var p dpPackage
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// table is a CSV as read against its schema: the rows' typed cells.
type table struct {
	header []string
	rows   [][]string
}

// checkTable reads a CSV as a Frictionless validator would and returns
// what breaks the schema: the header must name the fields in order; each
// cell must be missing (and the field optional) or parse as the field's
// type and meet its constraints; the primary key must be unique.
func checkTable(s tableSchema, body []byte) (table, []string) {
	var errs []string
	fail := func(format string, args ...any) {
		if len(errs) < 20 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}
	body, ok := bytes.CutPrefix(body, []byte(bom))
	if !ok {
		fail("no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		return table{}, append(errs, fmt.Sprintf("parse CSV: %v (%d records)", err, len(recs)))
	}
	tb := table{header: recs[0], rows: recs[1:]}
	names := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		names[i] = f.Name
	}
	if !slices.Equal(tb.header, names) {
		fail("header %v, schema fields %v", tb.header, names)
		return tb, errs
	}
	patterns := make([]*regexp.Regexp, len(s.Fields))
	for i, f := range s.Fields {
		if p := f.Constraints.Pattern; p != "" {
			// Table Schema patterns match the whole value.
			re, err := regexp.Compile(`^(?:` + p + `)$`)
			if err != nil {
				fail("field %s: pattern %q: %v", f.Name, p, err)
				return tb, errs
			}
			patterns[i] = re
		}
	}
	keys := map[string]int{}
	for n, row := range tb.rows {
		line := n + 2
		for i, f := range s.Fields {
			if msg := checkCell(f, patterns[i], s.MissingValues, row[i]); msg != "" {
				fail("line %d, %s = %q: %s", line, f.Name, row[i], msg)
			}
		}
		var key []string
		for _, k := range s.PrimaryKey {
			key = append(key, row[slices.Index(names, k)])
		}
		k := strings.Join(key, "\x00")
		if first, dup := keys[k]; dup {
			fail("line %d: primary key %v repeats line %d", line, key, first)
		}
		keys[k] = line
	}
	return tb, errs
}

func checkCell(f tableField, pattern *regexp.Regexp, missing []string, cell string) string {
	c := f.Constraints
	if slices.Contains(missing, cell) {
		if c.Required {
			return "required, missing"
		}
		return ""
	}
	var num float64
	switch f.Type {
	case "string":
	case "integer":
		n, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return "not an integer"
		}
		num = float64(n)
	case "number":
		v, err := strconv.ParseFloat(cell, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(cell, "eE+ _") {
			return "not a plain decimal"
		}
		num = v
	case "date":
		if _, err := time.Parse(time.DateOnly, cell); err != nil {
			return "not an ISO date"
		}
	case "boolean":
		if !slices.Contains(f.TrueValues, cell) && !slices.Contains(f.FalseValues, cell) {
			return "not one of trueValues, falseValues"
		}
	default:
		return "type " + f.Type + " not checked"
	}
	switch {
	case c.Enum != nil && !slices.Contains(c.Enum, cell):
		return fmt.Sprintf("not in enum %v", c.Enum)
	case pattern != nil && !pattern.MatchString(cell):
		return "does not match " + c.Pattern
	case c.Minimum != nil && num < *c.Minimum:
		return "below minimum"
	case c.ExclusiveMinimum != nil && num <= *c.ExclusiveMinimum:
		return "not above exclusiveMinimum"
	case c.Maximum != nil && num > *c.Maximum:
		return "above maximum"
	}
	return ""
}

// column returns the values of one field.
func (tb table) column(name string) []string {
	i := slices.Index(tb.header, name)
	var out []string
	for _, r := range tb.rows {
		out = append(out, r[i])
	}
	return out
}

// checkPackage validates the descriptor and both CSVs against it, the
// foreign key included, and returns the figures' table.
func checkPackage(t *testing.T, srv http.Handler) (dpPackage, table) {
	t.Helper()
	p := getPackage(t, srv)
	figures, indicators := p.resource(t, "figures"), p.resource(t, "indicators")
	tables := map[string]table{}
	for _, r := range []dpResource{figures, indicators} {
		rec := exportGet(srv, "/"+r.Path)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /%s: status %d: %s", r.Path, rec.Code, rec.Body)
		}
		tb, errs := checkTable(r.Schema, rec.Body.Bytes())
		for _, e := range errs {
			t.Errorf("%s: %s", r.Path, e)
		}
		tables[r.Name] = tb
	}
	for _, fk := range figures.Schema.ForeignKeys {
		ref := tables[fk.Reference.Resource]
		keys := ref.column(fk.Reference.Fields[0])
		for i, v := range tables["figures"].column(fk.Fields[0]) {
			if v != "" && !slices.Contains(keys, v) {
				t.Errorf("figures line %d: %s %q is not a %s.%s", i+2, fk.Fields[0], v, fk.Reference.Resource, fk.Reference.Fields[0])
			}
		}
	}
	return p, tables["figures"]
}

func TestDataPackage(t *testing.T) {
	t.Parallel()
	srv := exportServer(t, pgtest.NewSeededDB(t))
	p, figures := checkPackage(t, srv)

	t.Run("Describes", func(t *testing.T) {
		if p.Schema != packageProfile {
			t.Errorf("$schema = %q, want %q", p.Schema, packageProfile)
		}
		if len(p.Licenses) != 1 || p.Licenses[0].Name != "CC-BY-4.0" {
			t.Errorf("licences %+v, want CC-BY-4.0", p.Licenses)
		}
		var outlets []string
		for _, s := range p.Sources {
			outlets = append(outlets, s.Title)
		}
		for _, o := range []string{"Báo Điện Biên Phủ", "Báo Quảng Ninh", "Báo Vĩnh Phúc"} {
			if !slices.Contains(outlets, o) {
				t.Errorf("sources %q lack the outlet %q", outlets, o)
			}
		}
		fig := p.resource(t, "figures")
		var names []string
		for _, f := range fig.Schema.Fields {
			names = append(names, f.Name)
			if f.DescriptionVI == "" || f.DescriptionEN == "" || !strings.Contains(f.Description, f.DescriptionEN) {
				t.Errorf("field %s: descriptions vi %q, en %q", f.Name, f.DescriptionVI, f.DescriptionEN)
			}
		}
		if !slices.Equal(names, export.Columns) {
			t.Errorf("figures fields %v, want the export's columns %v", names, export.Columns)
		}
		if !slices.Equal(fig.Schema.MissingValues, []string{""}) {
			t.Errorf("missingValues %q: only an empty cell is not reported, never 0", fig.Schema.MissingValues)
		}
		if len(figures.rows) != 51 {
			t.Errorf("export.csv has %d figures, want the seed's 51", len(figures.rows))
		}
	})

	t.Run("IndicatorsAsSeeded", func(t *testing.T) {
		rec := exportGet(srv, "/indicators.csv")
		got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), bom))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open("../../../seed/indicators.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		want, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got[0], want[0]) {
			t.Fatalf("indicators.csv header %v, seed/indicators.csv %v", got[0], want[0])
		}
		key := func(r []string) string { return strings.Join(r, "\x00") }
		seeded := map[string]bool{}
		for _, r := range want[1:] {
			seeded[key(r)] = true
		}
		for _, r := range got[1:] {
			if !seeded[key(r)] {
				t.Errorf("indicators.csv row %q is not in seed/indicators.csv", r)
			}
		}
		if len(got) != len(want) {
			t.Errorf("indicators.csv has %d rows, seed/indicators.csv %d", len(got)-1, len(want)-1)
		}
	})

	t.Run("Revalidates", func(t *testing.T) {
		for _, path := range []string{"/datapackage.json", "/indicators.csv"} {
			first := exportGet(srv, path)
			etag := first.Header().Get("ETag")
			if etag == "" {
				t.Errorf("%s: no ETag", path)
				continue
			}
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("If-None-Match", etag)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusNotModified {
				t.Errorf("%s with its ETag: status %d, want 304", path, rec.Code)
			}
		}
	})
}

// TestDataPackageAwkward validates the export of values that are easy to
// get wrong: empty optional cells, quotes, commas and line breaks,
// Vietnamese text, a formula guard, lower bounds, a zero, the central
// level (no province), and an indicator without definitions.
func TestDataPackageAwkward(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSeededDB(t)
	insertAwkward(t, pool)
	srv := exportServer(t, pool)
	_, figures := checkPackage(t, srv)
	if len(figures.rows) != 51+4 {
		t.Errorf("export.csv has %d figures, want 55", len(figures.rows))
	}
	quotes := figures.column("quote")
	if !slices.Contains(quotes, "Ông nói: \"hơn 200 lượt\",\nđạt 0 người") {
		t.Errorf("the quote with quotes, a comma and a line break did not come back whole: %q", quotes[len(quotes)-4:])
	}
	t.Run("Empty", func(t *testing.T) {
		t.Parallel()
		checkPackage(t, exportServer(t, pgtest.NewDB(t)))
	})
}

// TestDataPackageSynthetic validates the export of 100.000 synthetic
// figures (every category, indicator and unit, lower bounds, parts,
// ranks, targets, rotations, quotes as articles write them) against the
// package: the template is the one TestPagesAreIndexBound loads.
func TestDataPackageSynthetic(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100.000 synthetic figures")
	}
	t.Parallel()
	_, figures := checkPackage(t, exportServer(t, pgtest.NewSyntheticDB(t, servertest.PlanFigures)))
	if len(figures.rows) < servertest.PlanFigures*9/10 {
		t.Errorf("export.csv has %d figures of %d", len(figures.rows), servertest.PlanFigures)
	}
}

func insertAwkward(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := t.Context()
	stmts := []string{
		`INSERT INTO indicators (key, category, unit, measure, name, name_en)
			VALUES ('awkward-no-definition', 'appointment', 'persons', 'flow', 'Chỉ tiêu "trích dẫn", có dấu phẩy', '=Formula-looking name')`,
		// A lower bound, Vietnamese text with quotes, a comma and a line
		// break, no term, no indicator.
		`INSERT INTO figures (locality_id, category, subject, value, unit, qualifier, completeness, period_start, period_end, source_id, quote)
			SELECT l.id, 'rotation', 'lượt luân chuyển, điều động', 200, 'turns', 'at_least', 'lower_bound', '2017-01-01', '2017-12-31', s.id,
				'Ông nói: "hơn 200 lượt",' || chr(10) || 'đạt 0 người'
			FROM localities l, sources s WHERE l.slug = 'dien-bien' AND s.key = 'dien-bien-2018-10-03'`,
		// A zero, the indicator without definitions, a subject a
		// spreadsheet would read as a formula.
		`INSERT INTO figures (locality_id, category, subject, value, unit, period_start, period_end, source_id, quote, indicator_id)
			SELECT l.id, 'appointment', '-trưởng phòng', 0, 'persons', '2017-01-01', '2017-12-31', s.id, 'đạt 0 người', i.id
			FROM localities l, sources s, indicators i WHERE l.slug = 'dien-bien' AND s.key = 'dien-bien-2018-10-03' AND i.key = 'awkward-no-definition'`,
		// The central level: no province.
		`INSERT INTO figures (locality_id, category, subject, value, unit, period_start, period_end, source_id, quote)
			SELECT l.id, 'appointment', 'ủy viên', 7, 'persons', '2017-01-01', '2017-12-31', s.id, 'có 7 đồng chí'
			FROM localities l, sources s WHERE l.slug = 'trung-uong' AND s.key = 'dien-bien-2018-10-03'`,
		// A percentage with a denominator and decimals, a deprecated value
		// with its reason.
		`INSERT INTO figures (locality_id, category, subject, value, unit, denominator, period_start, period_end, source_id, quote, rank, rank_reason)
			SELECT l.id, 'appointment', 'nữ', 62.5, 'percent', 100, '2017-01-01', '2017-12-31', s.id, 'đạt 62,5%/100', 'deprecated', 'Bài sau sửa: "60%"'
			FROM localities l, sources s WHERE l.slug = 'dien-bien' AND s.key = 'dien-bien-2018-10-03'`,
	}
	for _, q := range stmts {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

// TestDataPackageCheckerFails shows that the checks above can fail: a
// schema missing an export column, a value outside its enum, a required
// cell left empty, a number written the Vietnamese way, a repeated id.
func TestDataPackageCheckerFails(t *testing.T) {
	t.Parallel()
	srv := exportServer(t, pgtest.NewSeededDB(t))
	p := getPackage(t, srv)
	schema := p.resource(t, "figures").Schema
	body := exportGet(srv, "/export.csv").Body.String()
	if _, errs := checkTable(schema, []byte(body)); len(errs) > 0 {
		t.Fatalf("the seeded export fails: %v", errs)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, bom))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// write is the export with its first row changed by edit.
	write := func(edit func(row []string) [][]string) string {
		var b strings.Builder
		b.WriteString(bom)
		w := csv.NewWriter(&b)
		w.UseCRLF = true
		w.Write(recs[0])
		w.WriteAll(edit(slices.Clone(recs[1])))
		return b.String()
	}
	replace := func(col, v string) string {
		return write(func(row []string) [][]string {
			row[slices.Index(export.Columns, col)] = v
			return [][]string{row}
		})
	}
	repeated := write(func(row []string) [][]string { return [][]string{row, row} })
	missing := schema
	missing.Fields = slices.DeleteFunc(slices.Clone(schema.Fields), func(f tableField) bool { return f.Name == "base_id" })
	tests := []struct {
		name   string
		schema tableSchema
		body   string
		want   string
	}{
		{"ColumnMissingFromSchema", missing, body, "header"},
		{"UnitNotInEnum", schema, replace("unit", "people"), "not in enum"},
		{"ValueEmpty", schema, replace("value", ""), "required"},
		{"ValueVietnamese", schema, replace("value", "1.700,5"), "not a plain decimal"},
		{"ValueNegative", schema, replace("value", "-1"), "below minimum"},
		{"DateNotISO", schema, replace("period_end", "28/10/2020"), "not an ISO date"},
		{"SlugPattern", schema, replace("locality_slug", "Điện Biên"), "does not match"},
		{"RepeatedID", schema, repeated, "primary key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := checkTable(tt.schema, []byte(tt.body))
			if !strings.Contains(strings.Join(errs, "\n"), tt.want) {
				t.Errorf("errors %q, want one saying %q", errs, tt.want)
			}
		})
	}
}
