package render_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// TestLocalityPicker: the picker finds localities by name without
// diacritics, on the server (the form's submit, without script) and as
// JSON for the script, and with the script a ticked match joins the
// chosen ones and the form compares it.
func TestLocalityPicker(t *testing.T) {
	pool := pgtest.NewSeededDB(t)
	srv := servertest.NewServer(t, pool)
	t.Run("without script", func(t *testing.T) {
		code, body, _ := servertest.Get(t, srv, "/?locality_q=hai+phong")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		results := body[strings.Index(body, `class="picker-results"`):]
		for _, want := range []string{`value="hai-phong"`, `value="hai-phong-2025"`, "Hải Phòng"} {
			if !strings.Contains(results, want) {
				t.Errorf("the matches of \"hai phong\" lack %s", want)
			}
		}
		if !strings.Contains(body, `value="dien-bien" checked`) {
			t.Error("the default localities are not ticked")
		}
		if code, body, _ := servertest.Get(t, srv, "/figures?locality_q=d"); code != http.StatusOK || !strings.Contains(body, "ít nhất 2 chữ") {
			t.Errorf("a one-letter search: %d, no hint to type more", code)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		code, body, _ := servertest.Get(t, srv, "/api/localities?q=DIEN%20BIEN")
		var ans struct {
			Localities []struct{ Slug, Label, Group string }
		}
		if err := json.Unmarshal([]byte(body), &ans); code != http.StatusOK || err != nil {
			t.Fatalf("status %d, %v: %s", code, err, body)
		}
		var slugs []string
		for _, l := range ans.Localities {
			slugs = append(slugs, l.Slug)
		}
		if strings.Join(slugs, ",") != "dien-bien,dien-bien-dong" || ans.Localities[1].Group != "Điện Biên · cấp huyện" {
			t.Errorf("matches %v, groups %+v", slugs, ans.Localities)
		}
	})
	t.Run("with script", func(t *testing.T) {
		b := browsertest.New(t)
		site := httptest.NewServer(srv)
		t.Cleanup(site.Close)
		p := b.Visit(t, site.URL+"/?lang=vi")
		p.SendKeys("#f-locality-q", "hai phong")
		p.WaitVisible(`.picker-results input[value="hai-phong-2025"]`)
		p.Click(`.picker-results input[value="hai-phong-2025"]`)
		p.WaitVisible(`.picker-chosen input[value="hai-phong-2025"]`)
		p.Click(`.picker-chosen input[value="song-lo"]`) // untick one of the default ones
		p.Submit("#f-locality-q")
		url := browsertest.Eval[string](p, `location.search`)
		if !strings.Contains(url, "locality=hai-phong-2025") || !strings.Contains(url, "locality=tien-lang") ||
			strings.Contains(url, "song-lo") || strings.Contains(url, "locality_q") {
			t.Errorf("the form sent %s", url)
		}
		if errs := p.ConsoleErrors(); len(errs) > 0 {
			t.Errorf("console errors: %v", errs)
		}
		if v := p.CSPViolations(); len(v) > 0 {
			t.Errorf("CSP violations: %v", v)
		}
	})
}
