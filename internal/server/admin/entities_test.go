package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// The forms of sources, findings, localities and terms, against a real
// seeded database (admin_test.go builds the site and its browsers).

func TestSourceLifecycle(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	if code, _ := b.Get("/admin/sources/new"); code != http.StatusOK {
		t.Fatalf("new source form: %d", code)
	}
	loc := b.CreateAt("/admin/sources", url.Values{
		"title":  {"\u00D0ổi mới   công tác cán bộ"}, // look-alike Ð, runs of spaces
		"outlet": {"Báo Thử Nghiệm"}, "author": {"Ngọc Anh"}, "published_on": {"2022-03-04"},
		"published_time": {"07:30"}, "url": {"https://example.org/bai-viet"},
	})
	id := strings.TrimPrefix(loc, "/admin/sources/")
	if n := site.Count(t, "SELECT count(*) FROM sources WHERE id = "+id+
		" AND title = 'Đổi mới công tác cán bộ' AND key = 'bao-thu-nghiem-2022-03-04' AND version = 1"); n != 1 {
		t.Fatal("the source is not stored normalised (Ð → Đ, one space) with a key from outlet and date")
	}
	if _, body := b.Get("/sources"); !strings.Contains(body, "Đổi mới công tác cán bộ") {
		t.Error("a new source is not listed publicly")
	}

	// Edit: a history row with the values before and after.
	version := b.Version(loc)
	code, body, _ := b.Post(loc, url.Values{"version": {version}, "title": {"Đổi mới công tác cán bộ ở cơ sở"},
		"outlet": {"Báo Thử Nghiệm"}, "published_on": {"2022-03-04"}, "key": {"ignored-on-edit"}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%.500s", code, body)
	}
	if n := site.Count(t, "SELECT count(*) FROM sources WHERE id = "+id+
		" AND title = 'Đổi mới công tác cán bộ ở cơ sở' AND key = 'bao-thu-nghiem-2022-03-04' AND author = '' AND version = 2"); n != 1 {
		t.Error("the edit was not saved, or changed the key")
	}
	if n := site.Count(t, "SELECT count(*) FROM revisions WHERE entity = 'source' AND entity_id = "+id+` AND action = 'update'
		AND before->>'title' = 'Đổi mới công tác cán bộ' AND after->>'title' = 'Đổi mới công tác cán bộ ở cơ sở'
		AND user_id = (SELECT id FROM users WHERE username = 'editor1')`); n != 1 {
		t.Error("the edit has no revision with who, before and after")
	}
	if code, hist := b.Get(loc + "/history"); code != http.StatusOK || !strings.Contains(hist, "<del>Đổi mới công tác cán bộ</del>") {
		t.Errorf("history page: %d, or it lacks the old title", code)
	}

	// Delete: gone from public pages and from the figure form; restorable.
	if code, body, _ = b.Post(loc+"/delete", url.Values{"version": {b.Version(loc)}}); code != http.StatusSeeOther {
		t.Fatalf("delete: %d\n%.500s", code, body)
	}
	if _, body := b.Get("/sources"); strings.Contains(body, "Đổi mới công tác cán bộ") {
		t.Error("a deleted source is listed publicly")
	}
	if code, _ := b.Get("/sources/" + id); code != http.StatusNotFound {
		t.Errorf("GET /sources/%s of a deleted source = %d, want 404", id, code)
	}
	if _, body := b.Get("/admin/figures/new"); strings.Contains(body, "Đổi mới công tác cán bộ") {
		t.Error("the figure form offers a deleted source")
	}
	if _, body := b.Get("/admin/sources"); !strings.Contains(body, "Đổi mới công tác cán bộ") {
		t.Error("the admin list hides a deleted source (it could not be restored)")
	}
	if code, body, _ = b.Post(loc+"/restore", url.Values{"version": {b.Version(loc)}}); code != http.StatusSeeOther {
		t.Fatalf("restore: %d\n%.500s", code, body)
	}
	if code, _ := b.Get("/sources/" + id); code != http.StatusOK {
		t.Errorf("a restored source answers %d", code)
	}
	var actions []string
	rows, err := site.Pool.Query(t.Context(), "SELECT action FROM revisions WHERE entity = 'source' AND entity_id = "+id+" ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		actions = append(actions, a)
	}
	if got := strings.Join(actions, ","); got != "create,update,delete,restore" {
		t.Errorf("revisions %s, want create,update,delete,restore", got)
	}
	if _, page := b.Get("/admin/changes"); !strings.Contains(page, `href="/admin/sources/`+id+`/history"`) {
		t.Error("recent changes do not link to the source's history")
	}
}

func TestFindingLifecycle(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	statement := "Huyện chú trọng \u00D0ào tạo cán bộ nữ"
	loc := b.CreateAt("/admin/findings", url.Values{"locality": {"song-lo"}, "category": {"training"},
		"term": {"nk-2015-2020"}, "statement": {statement}, "quote": {"chú trọng đào tạo cán bộ nữ"}, "source_id": {"4"}})
	id := strings.TrimPrefix(loc, "/admin/findings/")
	if site.Count(t, "SELECT count(*) FROM findings WHERE id = "+id+" AND statement = 'Huyện chú trọng Đào tạo cán bộ nữ'") != 1 {
		t.Fatal("the finding is not stored normalised")
	}
	if _, page := b.Get("/localities/song-lo"); !strings.Contains(page, "Huyện chú trọng Đào tạo cán bộ nữ") {
		t.Error("a new finding is not on its locality's page")
	}
	code, body, _ := b.Post(loc, url.Values{"version": {b.Version(loc)}, "locality": {"song-lo"},
		"statement": {"Huyện chú trọng đào tạo cán bộ nữ, cán bộ trẻ"}, "quote": {"chú trọng đào tạo cán bộ nữ"}, "source_id": {"4"}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%.500s", code, body)
	}
	if site.Count(t, "SELECT count(*) FROM revisions WHERE entity = 'finding' AND entity_id = "+id+
		" AND action = 'update' AND before->>'term' = 'nk-2015-2020' AND after->>'term' IS NULL") != 1 {
		t.Error("the edit has no revision with before and after")
	}
	b.Post(loc+"/delete", url.Values{"version": {b.Version(loc)}})
	if _, page := b.Get("/localities/song-lo"); strings.Contains(page, "cán bộ nữ, cán bộ trẻ") {
		t.Error("a deleted finding is still on its locality's page")
	}
	if _, page := b.Get("/sources/4"); strings.Contains(page, "cán bộ nữ, cán bộ trẻ") {
		t.Error("a deleted finding is still on its source's page")
	}
	b.Post(loc+"/restore", url.Values{"version": {b.Version(loc)}})
	if _, page := b.Get("/localities/song-lo"); !strings.Contains(page, "cán bộ nữ, cán bộ trẻ") {
		t.Error("a restored finding is not back on its locality's page")
	}
}

func TestLocalityLifecycle(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	loc := b.CreateAt("/admin/localities", url.Values{"slug": {"xa-thu"}, "name": {"\u00D0ồng Thử"}, "prefix": {"xã"},
		"level": {"commune"}, "parent": {"song-lo"}, "valid_to": {"2025-06-30"}, "note": {"Xã thử nghiệm."}})
	id := strings.TrimPrefix(loc, "/admin/localities/")
	if site.Count(t, "SELECT count(*) FROM localities WHERE id = "+id+" AND name = 'Đồng Thử' AND parent_id IS NOT NULL") != 1 {
		t.Fatal("the locality is not stored normalised with its parent")
	}
	if code, page := b.Get("/localities/xa-thu"); code != http.StatusOK || !strings.Contains(page, "Đồng Thử") {
		t.Fatalf("the new locality's page: %d", code)
	}
	code, body, _ := b.Post(loc, url.Values{"version": {b.Version(loc)}, "name": {"Đồng Thử Mới"}, "prefix": {"xã"},
		"level": {"commune"}, "parent": {"song-lo"}, "slug": {"changed"}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%.500s", code, body)
	}
	if site.Count(t, "SELECT count(*) FROM localities WHERE id = "+id+" AND slug = 'xa-thu' AND name = 'Đồng Thử Mới'") != 1 {
		t.Error("the edit was not saved, or changed the slug")
	}
	b.Post(loc+"/delete", url.Values{"version": {b.Version(loc)}})
	if code, _ := b.Get("/localities/xa-thu"); code != http.StatusNotFound {
		t.Errorf("a deleted locality's page answers %d, want 404", code)
	}
	if code, _ := b.Get("/export.csv?locality=xa-thu"); code != http.StatusBadRequest {
		t.Errorf("exporting a deleted locality answers %d, want 400 (unknown locality)", code)
	}
	if _, page := b.Get("/localities/song-lo"); strings.Contains(page, "Đồng Thử Mới") {
		t.Error("a deleted locality is listed under its parent")
	}
	// A figure cannot be added to a deleted locality.
	f := servertest.ValidFigure()
	f.Set("locality_slug", "xa-thu")
	if code, _, _ := b.Post("/admin/figures", f); code != http.StatusUnprocessableEntity {
		t.Errorf("a figure on a deleted locality: %d, want 422", code)
	}
	b.Post(loc+"/restore", url.Values{"version": {b.Version(loc)}})
	if code, _ := b.Get("/localities/xa-thu"); code != http.StatusOK {
		t.Errorf("a restored locality's page answers %d", code)
	}
	if n := site.Count(t, "SELECT count(*) FROM revisions WHERE entity = 'locality' AND entity_id = "+id); n != 4 {
		t.Errorf("%d revisions, want 4", n)
	}
}

func TestTermLifecycle(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	loc := b.CreateAt("/admin/terms", url.Values{"key": {"nk-2025-2030"}, "name": {"Nhiệm kỳ 2025–2030"},
		"name_en": {"Term 2025–2030"}, "kind": {"congress"}, "start_year": {"2025"}, "end_year": {"2030"}})
	id := strings.TrimPrefix(loc, "/admin/terms/")
	if _, page := b.Get("/admin/figures/new"); !strings.Contains(page, `value="nk-2025-2030"`) {
		t.Error("the figure form does not offer the new term")
	}
	code, body, _ := b.Post(loc, url.Values{"version": {b.Version(loc)}, "name": {"Nhiệm kỳ \u00D0ại hội 2025–2030"},
		"name_en": {"Congress term 2025–2030"}, "kind": {"congress"}, "start_year": {"2025"}, "end_year": {"2030"}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%.500s", code, body)
	}
	if site.Count(t, "SELECT count(*) FROM terms WHERE id = "+id+" AND name = 'Nhiệm kỳ Đại hội 2025–2030'") != 1 {
		t.Error("the edit is not stored normalised")
	}
	// No figure is tagged with it yet: the public filter would select nothing.
	if _, page := b.Get("/figures"); strings.Contains(page, "nk-2025-2030") {
		t.Error("the public filter offers a term no figure is tagged with")
	}
	b.Post(loc+"/delete", url.Values{"version": {b.Version(loc)}})
	if _, page := b.Get("/admin/figures/new"); strings.Contains(page, `value="nk-2025-2030"`) {
		t.Error("the figure form offers a deleted term")
	}
	b.Post(loc+"/restore", url.Values{"version": {b.Version(loc)}})
	if _, page := b.Get("/admin/figures/new"); !strings.Contains(page, `value="nk-2025-2030"`) {
		t.Error("the figure form does not offer a restored term")
	}
	if n := site.Count(t, "SELECT count(*) FROM revisions WHERE entity = 'term' AND entity_id = "+id); n != 4 {
		t.Errorf("%d revisions, want 4", n)
	}
}

func TestDeletingWhatIsCitedIsRefused(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	p := servertest.VI(t)
	tests := []struct{ path, version string }{
		{"/admin/sources/4", ""}, // song-lo-2020-10-28: figures and findings
		{"/admin/localities/" + site.ID(t, "SELECT id FROM localities WHERE slug = 'song-lo'"), ""},
		{"/admin/localities/" + site.ID(t, "SELECT id FROM localities WHERE slug = 'vinh-phuc'"), ""}, // parent of song-lo
		{"/admin/terms/" + site.ID(t, "SELECT id FROM terms WHERE key = 'nk-2015-2020'"), ""},
	}
	before := site.EntityState(t)
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			code, body, _ := b.Post(tt.path+"/delete", url.Values{"version": {b.Version(tt.path)}})
			if code != http.StatusConflict {
				t.Fatalf("delete: %d, want 409", code)
			}
			msg := p.T("admin.record.in_use", 0, 0, 0)
			if body = html.UnescapeString(body); !strings.Contains(body, msg[:strings.Index(msg, "0")]) {
				t.Errorf("no message saying why\n%.600s", body)
			}
		})
	}
	if after := site.EntityState(t); after != before {
		t.Errorf("refused deletes changed the database: %s → %s", before, after)
	}
}

func TestRestoreNeedsLiveReferences(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	src := b.CreateAt("/admin/sources", url.Values{"title": {"Bài tạm"}, "outlet": {"Báo Tạm"}, "published_on": {"2023-01-02"}})
	srcID := strings.TrimPrefix(src, "/admin/sources/")
	finding := b.CreateAt("/admin/findings", url.Values{"locality": {"song-lo"}, "statement": {"Nhận định tạm"},
		"quote": {"câu trích tạm"}, "source_id": {srcID}})
	f := servertest.ValidFigure()
	var key string
	if err := site.Pool.QueryRow(t.Context(), `SELECT key FROM sources WHERE id = `+srcID).Scan(&key); err != nil {
		t.Fatal(err)
	}
	f.Set("source_key", key)
	figure := b.CreateFigure(f)

	b.Post(finding+"/delete", url.Values{"version": {b.Version(finding)}})
	b.Post(figure+"/delete", url.Values{"version": {b.Version(figure)}})
	if code, body, _ := b.Post(src+"/delete", url.Values{"version": {b.Version(src)}}); code != http.StatusSeeOther {
		t.Fatalf("deleting a source only deleted records cite: %d\n%.500s", code, body)
	}
	before := site.EntityState(t)
	code, body, _ := b.Post(finding+"/restore", url.Values{"version": {b.Version(finding)}})
	if code != http.StatusConflict || !strings.Contains(html.UnescapeString(body), "Không thể khôi phục") {
		t.Errorf("restoring a finding whose source is deleted: %d\n%.600s", code, body)
	}
	b.Post(figure+"/restore", url.Values{"version": {b.Version(figure)}})
	if after := site.EntityState(t); after != before {
		t.Errorf("refused restores changed the database: %s → %s", before, after)
	}
	if _, page := b.Get(figure); !strings.Contains(page, servertest.VI(t).T("admin.flash.figure_refs_deleted")) {
		t.Error("restoring a figure whose source is deleted does not say why it was refused")
	}
}

func TestInvalidEntityFormsChangeNothing(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	p := servertest.VI(t)
	source := func() url.Values {
		return url.Values{"title": {"Tiêu đề"}, "outlet": {"Báo A"}, "published_on": {"2021-05-06"}}
	}
	finding := func() url.Values {
		return url.Values{"locality": {"song-lo"}, "statement": {"Nhận định"}, "quote": {"câu trích"}, "source_id": {"4"}}
	}
	locality := func() url.Values {
		return url.Values{"slug": {"xa-moi"}, "name": {"Xã Mới"}, "level": {"commune"}, "parent": {"song-lo"}}
	}
	term := func() url.Values {
		return url.Values{"key": {"qh-2025-2030"}, "name": {"Quy hoạch 2025–2030"}, "name_en": {"Planning 2025–2030"},
			"kind": {"planning"}, "start_year": {"2025"}, "end_year": {"2030"}}
	}
	long := strings.Repeat("dài ", 300)
	tests := []struct {
		path  string
		form  func() url.Values
		field string
		value string
		want  string
	}{
		{"/admin/sources", source, "title", "  ", p.T("error.required")},
		{"/admin/sources", source, "title", "bad \xff utf-8", p.T("error.text.invalid")},
		{"/admin/sources", source, "title", long, p.T("error.text.too_long", "500")},
		{"/admin/sources", source, "outlet", "", p.T("error.required")},
		{"/admin/sources", source, "published_on", "06/05/2021", p.T("error.date.invalid")},
		{"/admin/sources", source, "published_time", "25:61", p.T("error.time.invalid")},
		{"/admin/sources", source, "url", "javascript:alert(1)", p.T("error.url.invalid")},
		{"/admin/sources", source, "key", "Khóa Sai", p.T("error.key.invalid")},
		{"/admin/sources", source, "key", "song-lo-2020-10-28", p.T("error.key.taken", "song-lo-2020-10-28")},
		{"/admin/findings", finding, "locality", "atlantis", p.T("error.locality.unknown")},
		{"/admin/findings", finding, "category", "nope", p.T("error.category.unknown")},
		{"/admin/findings", finding, "term", "nk-1900", p.T("error.term.unknown")},
		{"/admin/findings", finding, "statement", "", p.T("error.required")},
		{"/admin/findings", finding, "statement", long, p.T("error.text.too_long", "1000")},
		{"/admin/findings", finding, "quote", " \u00a0 ", p.T("error.required")},
		{"/admin/findings", finding, "source_id", "999", p.T("error.source.unknown")},
		{"/admin/findings", finding, "source_id", "abc", p.T("error.id.invalid")},
		{"/admin/localities", locality, "slug", "Xã Mới", p.T("error.key.invalid")},
		{"/admin/localities", locality, "slug", "vinh-phuc", p.T("error.key.taken", "vinh-phuc")},
		{"/admin/localities", locality, "name", "", p.T("error.required")},
		{"/admin/localities", locality, "level", "city", p.T("error.level.unknown")},
		{"/admin/localities", locality, "parent", "", p.T("error.required")},
		{"/admin/localities", locality, "parent", "atlantis", p.T("error.locality.unknown")},
		{"/admin/localities", locality, "parent", "xa-moi", p.T("error.locality.self")},
		{"/admin/localities", locality, "successor", "atlantis", p.T("error.locality.unknown")},
		{"/admin/localities", locality, "valid_from", "2025-13-01", p.T("error.date.invalid")},
		{"/admin/terms", term, "key", "nk-2015-2020", p.T("error.key.taken", "nk-2015-2020")},
		{"/admin/terms", term, "name_en", "", p.T("error.required")},
		{"/admin/terms", term, "kind", "party", p.T("error.kind.unknown")},
		{"/admin/terms", term, "start_year", "hai nghìn", p.T("error.year.invalid")},
		{"/admin/terms", term, "end_year", "2020", p.T("error.year.end_before_start")},
		{"/admin/terms", term, "end_year", "3000", p.T("error.year.range")},
	}
	before := site.EntityState(t)
	for _, tt := range tests {
		t.Run(tt.path+"/"+tt.field+"="+tt.value, func(t *testing.T) {
			f := tt.form()
			f.Set(tt.field, tt.value)
			code, body, _ := b.Post(tt.path, f)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422\n%.500s", code, body)
			}
			body = html.UnescapeString(body)
			// The message sits next to the field, which points at it.
			if !strings.Contains(body, `<p class="field-error" id="`+tt.field+`-error">`+tt.want) {
				t.Errorf("no message %q next to %s", tt.want, tt.field)
			}
			// A choice's field is its search box (name_q).
			if !regexp.MustCompile(`id="` + tt.field + `" name="` + tt.field + `(_q)?"[^>]*aria-invalid="true"`).MatchString(body) {
				t.Errorf("%s is not marked invalid", tt.field)
			}
			for k, v := range f { // the entered values are kept
				if k != tt.field && k != "_csrf" && !strings.Contains(body, `value="`+v[0]+`"`) && !strings.Contains(body, ">"+v[0]+"</textarea>") {
					t.Errorf("the value of %s (%q) is not kept", k, v[0])
				}
			}
		})
	}
	if after := site.EntityState(t); after != before {
		t.Errorf("invalid forms changed the database: %s → %s", before, after)
	}
}

func TestSecondEditorOfARecordSeesAConflict(t *testing.T) {
	site := servertest.NewAdminSite(t)
	a, b := site.Browser(t), site.Browser(t)
	a.Login("editor1")
	b.Login("editor2")
	tests := []struct {
		path  string
		form  url.Values
		field string // changed by both
		check string // SQL reading the field
	}{
		{"/admin/sources/4", url.Values{"title": nil, "outlet": {"Báo Vĩnh Phúc"}, "published_on": {"2020-10-28"}},
			"title", "SELECT title FROM sources WHERE id = 4"},
		{"/admin/findings/1", url.Values{"locality": {"song-lo"}, "statement": nil, "quote": {"câu trích"}, "source_id": {"4"}},
			"statement", "SELECT statement FROM findings WHERE id = 1"},
		{"/admin/localities/" + site.ID(t, "SELECT id FROM localities WHERE slug = 'song-lo'"),
			url.Values{"name": nil, "prefix": {"huyện"}, "level": {"district"}, "parent": {"vinh-phuc"}},
			"name", "SELECT name FROM localities WHERE slug = 'song-lo'"},
		{"/admin/terms/" + site.ID(t, "SELECT id FROM terms WHERE key = 'nk-2015-2020'"),
			url.Values{"name": nil, "name_en": {"Term"}, "kind": {"congress"}, "start_year": {"2015"}, "end_year": {"2020"}},
			"name", "SELECT name FROM terms WHERE key = 'nk-2015-2020'"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			seen := a.Version(tt.path)
			if v := b.Version(tt.path); v != seen {
				t.Fatalf("two editors see versions %s and %s", seen, v)
			}
			first := url.Values{"version": {seen}}
			second := url.Values{"version": {seen}}
			for k, v := range tt.form {
				first[k], second[k] = v, v
			}
			first.Set(tt.field, "Giá trị của người thứ nhất")
			second.Set(tt.field, "Giá trị của người thứ hai")
			if code, body, _ := a.Post(tt.path, first); code != http.StatusSeeOther {
				t.Fatalf("first edit: %d\n%.500s", code, body)
			}
			before := site.EntityState(t)
			code, body, _ := b.Post(tt.path, second)
			if code != http.StatusConflict {
				t.Fatalf("second edit on the same version: %d, want 409", code)
			}
			body = html.UnescapeString(body)
			if !strings.Contains(body, servertest.VI(t).T("admin.record.conflict")) || !strings.Contains(body, "<dd>Giá trị của người thứ nhất</dd>") ||
				!strings.Contains(body, "Giá trị của người thứ hai") {
				t.Error("the conflict page does not show the other's value and keep mine")
			}
			if after := site.EntityState(t); after != before {
				t.Errorf("the conflicting edit changed the database: %s → %s", before, after)
			}
			var got string
			if err := site.Pool.QueryRow(t.Context(), tt.check).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != "Giá trị của người thứ nhất" {
				t.Errorf("stored %q: the first editor's change was overwritten", got)
			}
			// Saving again, now on the version the conflict page carries,
			// overwrites knowingly.
			second.Set("version", servertest.VersionField.FindStringSubmatch(body)[1])
			if code, _, _ := b.Post(tt.path, second); code != http.StatusSeeOther {
				t.Errorf("saving again after the conflict: %d", code)
			}
		})
	}
}

func TestEntityPagesNeedASession(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Get("/login")
	before := site.EntityState(t)
	for _, path := range []string{"/admin/sources", "/admin/findings/1", "/admin/localities/new", "/admin/terms"} {
		if code, _ := b.Get(path); code != http.StatusSeeOther {
			t.Errorf("GET %s without a session: %d, want 303 to the login", path, code)
		}
	}
	code, _, _ := b.Post("/admin/sources", url.Values{"title": {"x"}, "outlet": {"y"}, "published_on": {"2021-01-01"}})
	if code != http.StatusSeeOther {
		t.Errorf("POST without a session: %d", code)
	}
	b.Login("editor1")
	code, _, _ = b.Post("/admin/terms/1/delete", url.Values{"version": {"1"}, "_csrf": {"wrong"}})
	if code != http.StatusForbidden && code != http.StatusBadRequest {
		t.Errorf("delete with a wrong CSRF token: %d", code)
	}
	if after := site.EntityState(t); after != before {
		t.Errorf("refused requests changed the database: %s → %s", before, after)
	}
}

func TestIndicatorLifecycle(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	loc := b.CreateAt("/admin/indicators", url.Values{"key": {"women-in-committees"}, "name": {"Nữ trong cấp ủy"},
		"name_en": {"Women in party committees"}, "category": {"workforce"}, "unit": {"percent"}, "measure": {"stock"},
		"definition": {"Tỷ lệ nữ trong ban chấp hành đảng bộ."}})
	id := strings.TrimPrefix(loc, "/admin/indicators/")
	if _, page := b.Get("/admin/figures/new"); !strings.Contains(page, `value="women-in-committees"`) {
		t.Error("the figure form does not offer the new indicator")
	}
	if _, page := b.Get("/figures"); !strings.Contains(page, "Nữ trong cấp ủy") {
		t.Error("the public filter does not offer the new indicator")
	}
	// A figure of it, then its unit cannot change: the figure was counted in it.
	f := servertest.ValidFigure()
	f.Set("indicator", "women-in-committees")
	f.Set("category", "workforce")
	f.Set("unit", "percent")
	f.Set("value", "12,5")
	f.Set("quote", "nữ chiếm 12,5%")
	b.CreateFigure(f)
	code, body, _ := b.Post(loc, url.Values{"version": {b.Version(loc)}, "name": {"Nữ trong cấp ủy"},
		"name_en": {"Women in party committees"}, "category": {"workforce"}, "unit": {"persons"}, "measure": {"stock"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "1 số liệu đang dùng chỉ tiêu này") {
		t.Errorf("changing the unit of a used indicator: %d, want 422 saying why", code)
	}
	code, body, _ = b.Post(loc, url.Values{"version": {b.Version(loc)}, "name": {"Nữ trong ban chấp hành"},
		"name_en": {"Women in party committees"}, "category": {"workforce"}, "unit": {"percent"}, "measure": {"stock"}})
	if code != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%.500s", code, body)
	}
	if code, _, _ := b.Post(loc+"/delete", url.Values{"version": {b.Version(loc)}}); code != http.StatusConflict {
		t.Errorf("deleting an indicator a figure cites: %d, want 409", code)
	}
	if n := site.Count(t, "SELECT count(*) FROM revisions WHERE entity = 'indicator' AND entity_id = "+id); n != 2 {
		t.Errorf("%d revisions, want 2 (create, update)", n)
	}
	if code, hist := b.Get(loc + "/history"); code != http.StatusOK || !strings.Contains(hist, "Nữ trong ban chấp hành") {
		t.Errorf("history %d lacks the new name", code)
	}
}
