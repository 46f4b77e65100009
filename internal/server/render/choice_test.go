package render_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// The admin forms' localities and sources are searched for, never listed
// (render/choice.go): without script, what an editor types into a choice's
// search box is taken as a slug or key, and text that names nothing
// comes back as an error with its matches to pick.

// checkedChoice matches the input of a choice that is chosen.
func checkedChoice(name, value string) string {
	return `name="` + name + `" value="` + value + `" checked`
}

// offeredChoice matches a match offered to pick, not yet chosen.
func offeredChoice(name, value string) *regexp.Regexp {
	return regexp.MustCompile(`<input type="radio" name="` + regexp.QuoteMeta(name) + `" value="` + regexp.QuoteMeta(value) + `">`)
}

func TestChoicesWithoutScript(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	msg := servertest.VI(t)
	const key = "song-lo-2020-10-28"
	var sourceID int64
	if err := site.Pool.QueryRow(t.Context(), `SELECT id FROM sources WHERE key = $1`, key).Scan(&sourceID); err != nil {
		t.Fatal(err)
	}

	t.Run("names typed are offered", func(t *testing.T) {
		f := servertest.ValidFigure()
		f.Del("locality_slug")
		f.Del("source_key")
		f.Set("locality_slug_q", "song lo")
		f.Set("source_key_q", "xay dung doi ngu")
		before := site.State(t)
		code, body, _ := b.Post("/admin/figures", f)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("%d, want 422", code)
		}
		text := html.UnescapeString(body)
		for _, want := range []string{
			// The domain's message, then what the text matches.
			`<p class="field-error" id="locality_slug-error">` + msg.T("error.locality.unknown") + " (song lo) " + msg.T("choice.locality.matches", "song lo"),
			`<p class="field-error" id="source_key-error">` + msg.T("error.source.unknown") + " " + msg.T("choice.source.matches", "xay dung doi ngu"),
			"huyện Sông Lô (Vĩnh Phúc)", "Báo Vĩnh Phúc, 28/10/2020: Sông Lô xây dựng đội ngũ cán bộ",
			`id="locality_slug" name="locality_slug_q" type="search" value=""`, // picked from the matches, not typed again
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the form lacks %s", want)
			}
		}
		for _, re := range []*regexp.Regexp{offeredChoice("locality_slug", "song-lo"), offeredChoice("source_key", key)} {
			if !re.MatchString(body) {
				t.Errorf("the form does not offer %s", re)
			}
		}
		if after := site.State(t); after != before {
			t.Errorf("the refused form wrote: %s → %s", before, after)
		}
		// Picking the offered ones saves.
		f.Del("locality_slug_q")
		f.Del("source_key_q")
		f.Set("locality_slug", "song-lo")
		f.Set("source_key", key)
		if code, body, _ := b.Post("/admin/figures", f); code != http.StatusSeeOther {
			t.Fatalf("with the picks: %d\n%.400s", code, body)
		}
	})

	t.Run("a slug and a key typed are taken", func(t *testing.T) {
		f := servertest.ValidFigure()
		f.Del("locality_slug")
		f.Set("source_key", "new") // the typed key wins over what the radios say
		f.Set("locality_slug_q", " song-lo ")
		f.Set("source_key_q", key)
		f.Set("value", "13")
		f.Set("quote", "13 đồng chí được cử đi học")
		code, _, h := b.Post("/admin/figures", f)
		if code != http.StatusSeeOther {
			t.Fatalf("%d, want 303", code)
		}
		id := strings.TrimPrefix(h.Get("Location"), "/admin/figures/")
		if n := site.Count(t, `SELECT count(*) FROM figures f JOIN localities l ON l.id = f.locality_id
			WHERE f.id = `+id+` AND l.slug = 'song-lo' AND f.source_id = `+fmt.Sprint(sourceID)); n != 1 {
			t.Errorf("figure %s is not Sông Lô's from %s", id, key)
		}
		// Its edit form shows both chosen, the source by outlet, date and title.
		_, page := b.Get("/admin/figures/" + id)
		for _, want := range []string{checkedChoice("locality_slug", "song-lo"), checkedChoice("source_key", key),
			"Báo Vĩnh Phúc, 28/10/2020: Sông Lô xây dựng đội ngũ cán bộ đáp ứng yêu cầu nhiệm vụ"} {
			if !strings.Contains(html.UnescapeString(page), want) {
				t.Errorf("the edit form lacks %s", want)
			}
		}
	})

	t.Run("a finding's source typed by key", func(t *testing.T) {
		f := url.Values{"locality_q": {"song-lo"}, "statement": {"Nhận định (khoá gõ tay)"}, "quote": {"chú trọng đào tạo cán bộ nữ"},
			"source_id_q": {key}}
		code, _, h := b.Post("/admin/findings", f)
		if code != http.StatusSeeOther {
			t.Fatalf("%d, want 303", code)
		}
		id := strings.TrimPrefix(h.Get("Location"), "/admin/findings/")
		if n := site.Count(t, "SELECT count(*) FROM findings WHERE id = "+id+" AND source_id = "+fmt.Sprint(sourceID)); n != 1 {
			t.Errorf("finding %s does not cite source %d", id, sourceID)
		}
		f.Set("source_id_q", "xay dung doi ngu")
		code, body, _ := b.Post("/admin/findings", f)
		if code != http.StatusUnprocessableEntity || !offeredChoice("source_id", fmt.Sprint(sourceID)).MatchString(body) {
			t.Errorf("a source typed by title: %d, offered %v", code, offeredChoice("source_id", fmt.Sprint(sourceID)).MatchString(body))
		}
	})

	t.Run("a link to an unknown locality", func(t *testing.T) {
		_, page := b.Get("/admin/figures/new?locality_slug=atlantis")
		if want := msg.T("error.locality.unknown") + " " + msg.T("choice.locality.no_matches", "atlantis"); !strings.Contains(html.UnescapeString(page), want) {
			t.Errorf("the form does not say %q", want)
		}
	})

	t.Run("API", func(t *testing.T) {
		code, body := b.Get("/api/sources?q=XAY+DUNG+DOI+NGU")
		var ans struct {
			Sources []struct {
				ID                                   int64
				Key, Label, Title, Outlet, Published string
			}
		}
		if err := json.Unmarshal([]byte(body), &ans); code != http.StatusOK || err != nil {
			t.Fatalf("status %d, %v: %s", code, err, body)
		}
		var keys []string
		for _, s := range ans.Sources {
			keys = append(keys, s.Key)
		}
		if len(ans.Sources) == 0 || ans.Sources[0].Key != key || ans.Sources[0].ID != sourceID || ans.Sources[0].Published != "2020-10-28" ||
			ans.Sources[0].Label != "Báo Vĩnh Phúc, 28/10/2020: Sông Lô xây dựng đội ngũ cán bộ đáp ứng yêu cầu nhiệm vụ" {
			t.Errorf("matches %v: %+v", keys, ans.Sources)
		}
		if code, body := b.Get("/api/sources?q=x"); code != http.StatusOK || body != `{"sources":[]}`+"\n" {
			t.Errorf("a one-letter search: %d %q", code, body)
		}
	})
}

// adminPageLimit is the most an admin form may weigh, whatever the
// database holds: at national scale the lists they had were megabytes.
const adminPageLimit = 200 << 10

// maxChoiceInputs is how many localities or sources a form may offer.
const maxChoiceInputs = 50

var choiceInput = regexp.MustCompile(`<input type="(?:radio|checkbox)" name="(?:r\d+_)?(locality|locality_slug|source_key|source_id|parent|successor)"`)

// TestAdminFormsAtNationalScale: over 10.000 localities and 20.000
// sources, the figure form, the finding and locality forms and the
// extraction page stay small, list no locality or source beyond a few
// matches, and still let an editor find Sông Lô and a source, without
// script, and save a figure with them.
func TestAdminFormsAtNationalScale(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100.000 synthetic figures")
	}
	site := servertest.NewAdminSiteOn(t, pgtest.NewSyntheticDB(t, servertest.PlanFigures))
	b := site.Browser(t)
	b.Login("editor1")
	if n := site.Count(t, "SELECT count(*) FROM localities"); n < 10_000 {
		t.Fatalf("%d localities, want a country's", n)
	}
	var key, title string
	var published time.Time
	if err := site.Pool.QueryRow(t.Context(), `SELECT key, title, published_on FROM sources
		WHERE published_on <= '2025-06-30' ORDER BY published_on DESC, id DESC LIMIT 1`).Scan(&key, &title, &published); err != nil {
		t.Fatal(err)
	}
	// Part of its title, without diacritics: the newest source comes first.
	words := strings.Split(stats.Slugify(title), "-")
	part := strings.Join(words[1:min(len(words), 5)], " ")

	small := func(t *testing.T, what, body string) {
		t.Helper()
		t.Logf("%s: %d bytes", what, len(body))
		if len(body) > adminPageLimit {
			t.Errorf("%s is %d KB, want at most %d KB", what, len(body)>>10, adminPageLimit>>10)
		}
		if strings.Contains(body, "<datalist") {
			t.Errorf("%s lists choices in a datalist", what)
		}
		n := map[string]int{}
		for _, m := range choiceInput.FindAllStringSubmatch(body, -1) {
			n[m[1]]++
		}
		for field, k := range n {
			if k > maxChoiceInputs {
				t.Errorf("%s offers %d choices of %s, want at most %d", what, k, field, maxChoiceInputs)
			}
		}
	}
	for _, path := range []string{"/admin/figures/new", "/admin/findings/new", "/admin/localities/new", "/admin/extract",
		"/admin/figures/new?locality_slug=song&source_key=" + url.QueryEscape(part)} {
		code, body := b.Get(path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", path, code)
		}
		small(t, path, body)
	}
	start := time.Now()
	code, body, hh := b.Post("/admin/extract", url.Values{"text": {"Năm 2024, huyện Sông Lô cử 37 cán bộ đi học lớp trung cấp lý luận chính trị."},
		"source_key_q": {key}, "locality_slug_q": {"song-lo"}})
	if code != http.StatusOK || !strings.Contains(body, checkedChoice("source_key", key)) {
		t.Fatalf("extraction with source %s: %d %d %v %v %.3000s", key, code, len(body), hh, time.Since(start), body)
	}
	small(t, "the extraction's rows", body)

	f := url.Values{"locality_slug_q": {"song lo"}, "source_key_q": {part}, "category": {"training"},
		"subject": {"cán bộ được cử đi học (quy mô cả nước)"}, "value": {"37"}, "unit": {"persons"}, "qualifier": {"exact"},
		"period_start": {published.AddDate(-1, 0, 0).Format(time.DateOnly)}, "period_end": {published.Format(time.DateOnly)},
		"quote": {"37 cán bộ được cử đi học"}, "submission_key": {"k-scale"}}
	code, body, _ = b.Post("/admin/figures", f)
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("names typed: %d, want 422 with their matches", code)
	}
	small(t, "the form with the matches", body)
	for _, re := range []*regexp.Regexp{offeredChoice("locality_slug", "song-lo"), offeredChoice("source_key", key)} {
		if !re.MatchString(body) {
			t.Errorf("searching %q and %q does not offer %s", "song lo", part, re)
		}
	}
	f.Del("locality_slug_q")
	f.Del("source_key_q")
	f.Set("locality_slug", "song-lo")
	f.Set("source_key", key)
	code, body, h := b.Post("/admin/figures", f)
	if code != http.StatusSeeOther {
		t.Fatalf("with the picks: %d\n%.600s", code, body)
	}
	id := strings.TrimPrefix(h.Get("Location"), "/admin/figures/")
	if n := site.Count(t, `SELECT count(*) FROM figures f JOIN localities l ON l.id = f.locality_id JOIN sources s ON s.id = f.source_id
		WHERE f.id = `+id+` AND l.slug = 'song-lo' AND s.key = '`+key+`'`); n != 1 {
		t.Errorf("figure %s is not Sông Lô's from %s", id, key)
	}
	_, body = b.Get("/admin/figures/" + id)
	small(t, "the saved figure's form", body)
}
