package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// confirmed resubmits a form the server showed back for confirmation,
// With the hidden fields it added.
func confirmed(f url.Values, body string) url.Values {
	out := servertest.CloneValues(f)
	for _, m := range regexp.MustCompile(`name="(\w+_confirmed)" value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		out.Set(m[1], m[2])
	}
	return out
}

// TestNumbersTypedTheWayThePageWrites: 1.700 on a Vietnamese form is one
// thousand seven hundred, 1,700 on an English one; a number the other
// language reads otherwise is shown back as read before anything is
// stored; counts are whole; the quote holds the value.
func TestNumbersTypedTheWayThePageWrites(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	tests := []struct {
		name, lang, value, unit, quote string
		want                           float64
		confirm                        []string // what the page shows before storing
	}{
		{"vi thousands", "vi", "1.700", "persons", "hơn 1.700 người", 1700, []string{"1.700", "1,7"}},
		{"en thousands", "en", "1,700", "persons", "hơn 1700 người", 1700, []string{"1,700", "1.7"}},
		{"vi decimal comma", "vi", "17,5", "percent", "đạt 17,5%", 17.5, nil},
		{"en decimal point", "en", "17.5", "percent", "đạt 17,5%", 17.5, nil},
		{"vi plain", "vi", "1700", "persons", "hơn 1 700 người", 1700, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := servertest.ValidFigure()
			f.Set("value", tt.value)
			f.Set("unit", tt.unit)
			f.Set("quote", tt.quote)
			f.Set("subject", "số thử "+tt.name)
			path := "/admin/figures?lang=" + tt.lang
			before := site.State(t)
			code, body, h := b.Post(path, f)
			if tt.confirm != nil {
				if code != http.StatusUnprocessableEntity {
					t.Fatalf("first submit = %d, want the form back to confirm how %q was read", code, tt.value)
				}
				for _, w := range tt.confirm {
					if !strings.Contains(body, w) {
						t.Errorf("the confirmation does not show %q", w)
					}
				}
				if site.State(t) != before {
					t.Fatal("a number was stored before it was confirmed")
				}
				code, body, h = b.Post(path, confirmed(f, body))
			}
			if code != http.StatusSeeOther {
				t.Fatalf("save = %d\n%.600s", code, body)
			}
			id := servertest.FigureLocation.FindStringSubmatch(h.Get("Location"))[1]
			var got float64
			if err := site.Pool.QueryRow(t.Context(), `SELECT value::float8 FROM figures WHERE id = `+id).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("%s typed on a %s form is stored as %v, want %v", tt.value, tt.lang, got, tt.want)
			}
		})
	}
}

func TestFigureFormRefusals(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	before := site.State(t)
	tests := []struct {
		name, lang  string
		set         map[string]string
		field, want string
	}{
		{"half a person", "en", map[string]string{"value": "2.5", "quote": "2.5 people"}, "value", "A count (persons) must be a whole number."},
		{"quote without the value", "vi", map[string]string{"value": "12", "quote": "một số đồng chí được cử đi học"}, "quote",
			"Câu trích không chứa con số 12"},
		{"period after the source", "vi", map[string]string{"period_end": "2021-12-31", "period_start": "2021-01-01"}, "period_end",
			"sau ngày bài báo đăng (28/10/2020)"},
		{"period after the source, English", "en", map[string]string{"period_end": "2021-12-31", "period_start": "2021-01-01"}, "period_end",
			"after the article was published (28 Oct 2020)"},
		// A sum over sub-units names a count of the same locality's sub-units.
		{"sub-units of another locality", "vi", map[string]string{"scope": "sub_units", "sub_units_id": "51"}, "sub_units_id",
			"Mẫu số phải là số liệu của cùng địa phương."},
		{"sub-units on the unit's own count", "en", map[string]string{"scope": "own", "sub_units_id": "51"}, "sub_units_id",
			"sum over sub-units"},
		{"no such scope", "vi", map[string]string{"scope": "everything"}, "scope", "Phạm vi phải là"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := servertest.ValidFigure()
			for k, v := range tt.set {
				f.Set(k, v)
			}
			code, body, _ := b.Post("/admin/figures?lang="+tt.lang, f)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", code)
			}
			// The message is next to its field.
			re := regexp.MustCompile(`id="` + tt.field + `-error">([^<]*)<`)
			m := re.FindStringSubmatch(body)
			if m == nil || !strings.Contains(m[1], tt.want) {
				t.Errorf("field %s says %v, want %q", tt.field, m, tt.want)
			}
		})
	}
	if after := site.State(t); after != before {
		t.Errorf("refused forms changed the database: %s → %s", before, after)
	}
}

// The scope chosen on the form is stored and shown again on the edit form.
func TestFigureFormKeepsScope(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	f := servertest.ValidFigure()
	f.Set("scope", "all_levels")
	code, body, h := b.Post("/admin/figures", f)
	if code != http.StatusSeeOther {
		t.Fatalf("save = %d\n%.600s", code, body)
	}
	path := h.Get("Location")
	id := servertest.FigureLocation.FindStringSubmatch(path)[1]
	var scope string
	if err := site.Pool.QueryRow(t.Context(), `SELECT scope FROM figures WHERE id = `+id).Scan(&scope); err != nil {
		t.Fatal(err)
	}
	if scope != "all_levels" {
		t.Errorf("stored scope %q, want all_levels", scope)
	}
	if _, body := b.Get(path); !strings.Contains(body, `<option value="all_levels" selected>`) {
		t.Errorf("the edit form does not show the stored scope")
	}
}

// TestAddAnotherFromTheSameSource keeps the source, locality and period.
func TestAddAnotherFromTheSameSource(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	f := servertest.ValidFigure()
	f.Set("next", "another")
	code, _, h := b.Post("/admin/figures", f)
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/admin/figures/new?") {
		t.Fatalf("save and add another: %d → %q", code, h.Get("Location"))
	}
	_, page := b.Get(h.Get("Location"))
	for _, want := range []string{`name="source_key" value="song-lo-2020-10-28" checked`, `name="locality_slug" value="song-lo" checked`,
		`name="period_start" type="date" value="2019-01-01"`, `name="period_end" type="date" value="2019-12-31"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the next form lacks %s", want)
		}
	}
}

// TestEditLinksOnPublicPages: a signed-in editor finds an edit link on each
// figure of the public pages; anyone else sees none, and gets no cookie.
func TestEditLinksOnPublicPages(t *testing.T) {
	site := servertest.NewAdminSite(t)
	anon := site.Browser(t)
	b := site.Browser(t)
	b.Login("editor1")
	for _, path := range []string{"/localities/dien-bien", "/figures?locality=dien-bien", "/sources/1"} {
		if _, page := b.Get(path); !strings.Contains(page, `href="/admin/figures/45"`) {
			t.Errorf("%s: no edit link for the signed-in editor", path)
		}
		code, page, h := anon.Do(mustRequest(t, site.URL+path))
		if code != http.StatusOK || strings.Contains(page, `href="/admin/figures/45"`) || h.Get("Set-Cookie") != "" {
			t.Errorf("%s: anonymous visitor got %d, an edit link or a cookie (%q)", path, code, h.Get("Set-Cookie"))
		}
	}
}

func mustRequest(t *testing.T, path string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
