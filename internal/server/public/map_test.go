package public_test

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// mapFigures is the synthetic country the map tests draw: every province
// of the 63 reports something.
const mapFigures = 20_000

// mapOptions reads the map's ECharts options from a page.
func mapOptions(t *testing.T, body string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="chart-map-[^"]*-options">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no map options in the page")
	}
	var opts map[string]any
	if err := json.Unmarshal([]byte(m[1]), &opts); err != nil {
		t.Fatalf("map options: %v", err)
	}
	return opts
}

// coloured are the provinces the map's series gives a value, by name.
func coloured(t *testing.T, opts map[string]any) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	series := opts["series"].([]any)[0].(map[string]any)
	if series["type"] != "map" {
		t.Fatalf("series type %v", series["type"])
	}
	for _, d := range series["data"].([]any) {
		item := d.(map[string]any)
		out[item["name"].(string)] = item["value"].(float64)
	}
	return out
}

// tableRows are the map table's rows: the province's name (the row
// header, without its link and members) and the value cell's text.
func tableRows(body string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`(?s)<tr[^>]*>\s*<th scope="row" data-label="[^"]*">(?:<a href="[^"]*">)?([^<]+)(?:</a>)?.*?</th>\s*<td class="num[^"]*" data-label="[^"]*">(.*?)</td>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[1])] = strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[2], " "))
	}
	return out
}

// The map of a synthetic country colours exactly the provinces the
// comparison's view draws, with their values, and leaves every other one
// grey with "no data" or why it is not drawn; Điện Biên and Quảng Bình
// (the seed's provinces, with synthetic figures) among them.
func TestMapColoursTheComparison(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSyntheticDB(t, mapFigures)
	srv := servertest.NewServer(t, pool)
	svc := stats.NewService(postgres.New(pool))

	best, want := servertest.MapComparison(t, svc)
	code, body, _ := servertest.Get(t, srv, "/map?indicator="+best.Indicator.Key+"&per=reported&base=reported")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	got := coloured(t, mapOptions(t, body))
	// The archipelagos' names the map writes, in the page's language.
	islandNames := func(body string) []string {
		var out []string
		labels, _ := mapOptions(t, body)["islandLabels"].([]any)
		for _, l := range labels {
			out = append(out, l.(map[string]any)["text"].(string))
		}
		return out
	}
	if names := islandNames(body); !slices.Equal(names, []string{"Quần đảo Hoàng Sa", "Quần đảo Trường Sa"}) {
		t.Errorf("the map names the archipelagos %q", names)
	}
	if _, en, _ := servertest.Get(t, srv, "/map?lang=en&indicator="+best.Indicator.Key); !slices.Equal(islandNames(en),
		[]string{"Hoàng Sa (Paracel) Islands", "Trường Sa (Spratly) Islands"}) {
		t.Errorf("the English map names the archipelagos %q", islandNames(en))
	}
	rows := tableRows(body)
	if len(rows) != 63 {
		t.Errorf("the table has %d provinces, want 63", len(rows))
	}
	for _, a := range want.Areas {
		v, ok := got[a.Name]
		switch {
		case a.Bar != nil:
			if !ok || v != a.Bar.Value {
				t.Errorf("%s: coloured %v (%v), want %v", a.Name, v, ok, a.Bar.Value)
			}
			if a.Bar.Entry.Locality.Level != stats.LevelProvince {
				t.Errorf("%s is coloured by a %s's figure", a.Name, a.Bar.Entry.Locality.Level)
			}
			if r := rows[a.Name]; r == "" || strings.Contains(r, "không có số liệu") {
				t.Errorf("%s's row says %q", a.Name, r)
			}
		default:
			if ok {
				t.Errorf("%s is coloured (%v) without a value the view draws", a.Name, v)
			}
			if r := rows[a.Name]; !strings.Contains(r, "không có số liệu") && !strings.Contains(r, "không vẽ") && !strings.Contains(r, "Phạm vi") && !strings.Contains(r, "mẫu số") {
				t.Errorf("%s's row says %q, want no data or why not drawn", a.Name, r)
			}
		}
	}
	for _, name := range []string{"Điện Biên", "Quảng Bình"} {
		if _, ok := got[name]; !ok {
			t.Errorf("%s is not coloured", name)
		}
	}
	t.Logf("%s: %d of 63 coloured", best.Indicator.Key, len(got))
	if len(got) < 10 {
		t.Errorf("only %d provinces coloured", len(got))
	}
	for _, w := range []string{"không được cộng dồn", "Nghị quyết 202/2025/QH15", `data-geo="/static/`, "echarts.map.min.js", "js/map.js"} {
		if !strings.Contains(body, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	if strings.Contains(body, "echarts.custom.min.js") || strings.Contains(body, "js/charts.js") {
		t.Error("the map page loads the chart bundle too")
	}

	// The 34: Quảng Bình is no longer a province; the 34 are listed.
	_, body, _ = servertest.Get(t, srv, "/map?era=34&indicator="+best.Indicator.Key)
	rows = tableRows(body)
	if len(rows) != 34 {
		t.Errorf("the map of the 34 lists %d provinces", len(rows))
	}
	if _, ok := rows["Quảng Bình"]; ok {
		t.Error("the map of the 34 lists Quảng Bình")
	}
	if !strings.Contains(body, "gồm Quảng Bình, Quảng Trị") {
		t.Error("the map of the 34 does not say what Quảng Trị unites")
	}

	// The table as CSV, linked from the page: a row a province, the
	// coloured with the value the map draws, the grey with why.
	q := "indicator=" + best.Indicator.Key + "&per=reported&base=reported"
	_, body, _ = servertest.Get(t, srv, "/map?"+q)
	if !strings.Contains(body, `class="button map-csv" href="/map.csv?`) {
		t.Error("the map page does not link to its CSV")
	}
	code, body, hdr := servertest.Get(t, srv, "/map.csv?"+q)
	if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
		t.Fatalf("/map.csv = %d %s", code, hdr.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 64 || strings.Join(recs[0], ",") != "map,province,members,value,value_unit,value_as_reported,unit,qualifier,period_start,period_end,level,figure_id,source_id,source,left_out,note" {
		t.Fatalf("/map.csv: %d rows, header %q", len(recs), recs[0])
	}
	byName := map[string][]string{}
	for _, r := range recs[1:] {
		byName[r[1]] = r
	}
	sawGrey := false
	for _, a := range want.Areas {
		r := byName[a.Name]
		switch {
		case r == nil:
			t.Errorf("/map.csv has no row for %s", a.Name)
		case a.Bar != nil:
			if r[3] != stats.FormatValue(a.Bar.Value) || r[8] == "" || r[10] != "province" || r[12] == "" || r[14] != "" {
				t.Errorf("/map.csv: coloured %s is %q, want value %v with period and source", a.Name, r, a.Bar.Value)
			}
		default:
			sawGrey = true
			why := "no_data"
			if a.LeftOut != nil {
				why = a.LeftOut.Reason
			}
			if r[3] != "" || r[14] != why || r[15] == "" {
				t.Errorf("/map.csv: grey %s is %q, want no value and the reason %q", a.Name, r, why)
			}
		}
	}
	if !sawGrey {
		t.Error("no grey province to check")
	}
	if code, _, _ := servertest.Get(t, srv, "/map.csv?era=35&"+q); code != http.StatusBadRequest {
		t.Errorf("/map.csv?era=35 = %d, want 400", code)
	}

	// The overview links each comparison chart to its map.
	if _, body, _ := servertest.Get(t, srv, "/"); !strings.Contains(body, `href="/map"`) {
		t.Error("the overview does not link to the map")
	}
}

// On the seed alone, Điện Biên is the only province with figures: one
// value compares with nothing, so nothing is coloured and the page says
// why; a parameter the map does not take answers 400.
func TestMapSeeded(t *testing.T) {
	t.Parallel()
	srv := servertest.NewServer(t, pgtest.NewSeededDB(t))
	code, body, _ := servertest.Get(t, srv, "/map?indicator=rotated&levels=province-district")
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if !strings.Contains(body, "Chưa đến hai tỉnh") || strings.Contains(body, "chart-map-") {
		t.Errorf("a single province's value was drawn or not explained")
	}
	if code, body, _ := servertest.Get(t, srv, "/map?lang=en"); code != http.StatusOK || !strings.Contains(body, "No indicator is reported by at least two provinces") {
		t.Errorf("/map?lang=en = %d", code)
	}
	if _, body, _ := servertest.Get(t, srv, "/"); !strings.Contains(body, `href="/map"`) || strings.Contains(body, "echarts.map.min.js") || strings.Contains(body, "vn63.json") {
		t.Error("the overview does not link to the map, or loads its bundle")
	}
	for _, path := range []string{"/map?era=35", "/map?era=63&levels=province", "/map?per=daily", "/map?indicator=no-such",
		"/map?locality=dien-bien", "/map?from=31/02/2020"} {
		if code, _, _ := servertest.Get(t, srv, path); code != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400", path, code)
		}
		csvPath := strings.Replace(path, "/map?", "/map.csv?", 1)
		if code, _, _ := servertest.Get(t, srv, csvPath); code != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400", csvPath, code)
		}
	}
	// No map drawn (a single province's value): no table to download.
	if code, _, _ := servertest.Get(t, srv, "/map.csv?indicator=rotated&levels=province-district"); code != http.StatusNotFound {
		t.Errorf("/map.csv of a map not drawn = %d, want 404", code)
	}
}

// The overview offers a comparison's map only when it compares at least
// two provinces of one era: of a province and a district the map could
// only say that fewer than two provinces report it.
func TestOverviewMapLink(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewSyntheticDB(t, mapFigures)
	srv := servertest.NewServer(t, pool)
	var district string
	// The district of the most figures that Điện Biên's indicators share.
	if err := pool.QueryRow(t.Context(), `SELECT l.slug FROM localities l JOIN figures f ON f.locality_id = l.id
		WHERE l.level = 'district' AND f.category IN (SELECT f2.category FROM figures f2
			JOIN localities l2 ON l2.id = f2.locality_id WHERE l2.slug = 'dien-bien')
		GROUP BY l.slug ORDER BY count(*) DESC, l.slug LIMIT 1`).Scan(&district); err != nil {
		t.Fatal(err)
	}
	charts := regexp.MustCompile(`data-chart-id="compare-`)
	links := regexp.MustCompile(`<a class="button chart-map" href="(/map\?[^"]*)"`)
	_, body, _ := servertest.Get(t, srv, "/?locality=dien-bien&locality=quang-binh")
	if n, m := len(charts.FindAllString(body, -1)), links.FindAllStringSubmatch(body, -1); n == 0 || len(m) != n {
		t.Errorf("two provinces: %d comparison charts, %d map links", n, len(m))
	} else if !strings.Contains(m[0][1], "indicator=") || strings.Contains(m[0][1], "era=34") {
		t.Errorf("two provinces of the 63: map link %s", m[0][1])
	}
	_, body, _ = servertest.Get(t, srv, "/?locality=dien-bien&locality="+district)
	if n, m := len(charts.FindAllString(body, -1)), links.FindAllString(body, -1); n == 0 || len(m) != 0 {
		t.Errorf("a province and the district %s: %d comparison charts, %d map links, want none", district, n, len(m))
	}
}
