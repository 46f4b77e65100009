package admin_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

func TestLoginFailuresLookAlikeAndAreThrottled(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Get("/login")
	codeUser, bodyUser, _ := b.Post("/login", url.Values{"username": {"nobody"}, "password": {servertest.TestPassword}})
	codePass, bodyPass, _ := b.Post("/login", url.Values{"username": {"editor1"}, "password": {"sai mật khẩu rồi"}})
	if codeUser != http.StatusUnauthorized || codePass != http.StatusUnauthorized {
		t.Errorf("statuses %d and %d, want 401 both", codeUser, codePass)
	}
	msg := "Tên đăng nhập hoặc mật khẩu không đúng."
	if !strings.Contains(bodyUser, msg) || !strings.Contains(bodyPass, msg) {
		t.Error("a wrong user and a wrong password do not get the same message")
	}
	// Two more wrong passwords, then the throttle refuses the next: three
	// failures of a name from an address are free (the site's clock stands
	// still, so no wait runs out however slowly passwords are hashed).
	var codes []int
	for range 3 {
		code, _, _ := b.Post("/login", url.Values{"username": {"editor1"}, "password": {"sai mật khẩu rồi"}})
		codes = append(codes, code)
	}
	if fmt.Sprint(codes) != "[401 401 429]" {
		t.Fatalf("the second to fourth wrong passwords got %v, want 401, 401 then 429", codes)
	}
	code, body, h := b.Post("/login", url.Values{"username": {"editor1"}, "password": {servertest.TestPassword}})
	if code != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
		t.Errorf("while throttled the right password got %d, want 429 with Retry-After", code)
	}
	if !strings.Contains(body, "Quá nhiều lần đăng nhập sai") {
		t.Error("the throttled page does not say why")
	}
}

func TestInvalidFigureChangesNothing(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	before := site.State(t)
	tests := []struct {
		field, value, message string
	}{
		{"value", "-5", "Không được là số âm."},
		{"value", "mười hai", "Không đọc được số “mười hai”"},
		{"value", "1.700,5", "Số đếm (người) phải là số nguyên."},
		{"value", "2.5", "Không đọc được số “2.5”"}, // a Vietnamese group has three digits
		{"value", "7", "Câu trích không chứa con số 7"},
		{"value", "101", "Tỷ lệ phần trăm không được lớn hơn 100."}, // with unit percent below
		{"denominator", "3", "Mẫu số không được nhỏ hơn giá trị."},
		{"period_end", "2018-12-31", "Ngày kết thúc không được trước ngày bắt đầu."},
		{"period_end", "2020-10-29", "Kỳ của số liệu kết thúc sau ngày bài báo đăng (28/10/2020)"},
		{"term", "nk-2010-2015", "Kỳ của số liệu nằm ngoài nhiệm kỳ đã chọn (2010–2015)."},
		{"indicator", "rotation-turns", "Chỉ tiêu này thuộc nhóm khác"},
		{"completeness", "part", "Số liệu là một phần của số khác thì phải ghi số liệu tổng."},
		{"rank", "preferred", "Ghi lý do khi chọn giá trị ưu tiên hoặc không dùng."},
		{"locality_slug", "atlantis", "Không có địa phương này."},
		{"quote", "   ", "Bắt buộc nhập."},
		{"subject", strings.Repeat("dài ", 100), "Quá dài (tối đa 300 ký tự)."},
		{"subject", "bad \xff utf-8", "Văn bản chứa ký tự không hợp lệ."},
		{"period_start", "31/02/2019", "Ngày không hợp lệ"},
		{"source_key", "nope", "Không có nguồn này."},
		{"from_level", "province", "Hướng luân chuyển chỉ dùng cho nhóm luân chuyển"},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			f := servertest.ValidFigure()
			f.Set(tt.field, tt.value)
			if tt.value == "101" {
				f.Set("unit", "percent")
			}
			if tt.field == "from_level" {
				f.Set("to_level", "district")
			}
			code, body, _ := b.Post("/admin/figures", f)
			if code != http.StatusUnprocessableEntity {
				t.Fatalf("%d, want 422", code)
			}
			if !strings.Contains(body, tt.message) {
				t.Errorf("the form does not say %q", tt.message)
			}
			// The entered values are kept.
			if tt.field == "value" && !strings.Contains(body, `value="`+tt.value+`"`) {
				t.Errorf("the entered value %q is not kept in the form", tt.value)
			}
		})
	}
	if after := site.State(t); after != before {
		t.Errorf("database changed by invalid forms: %s → %s", before, after)
	}
}

func TestFigureLifecycle(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	f := servertest.ValidFigure()
	f.Set("subject", "\u00D0ào tạo thạc sỹ") // a look-alike Ð is stored as Đ
	loc := b.CreateFigure(f)
	id := servertest.FigureLocation.FindStringSubmatch(loc)[1]
	if n := site.Count(t, "SELECT count(*) FROM figures WHERE subject = 'Đào tạo thạc sỹ' AND verified_at IS NULL"); n != 1 {
		t.Errorf("the new figure is not stored normalised and unverified")
	}
	_, csv := b.Get("/export.csv?locality=song-lo")
	if !strings.Contains(csv, "Đào tạo thạc sỹ") {
		t.Error("the new figure is not in the export at once")
	}
	_, list := b.Get("/figures?q=" + url.QueryEscape("Đào tạo thạc sỹ"))
	if !strings.Contains(list, "Đào tạo thạc sỹ") || !strings.Contains(list, "Chưa kiểm tra") {
		t.Error("the public figures list does not show the new figure marked unverified")
	}
	if _, list = b.Get("/figures?verified=1&q=" + url.QueryEscape("Đào tạo thạc sỹ")); strings.Contains(list, `id="fig-`+id+`"`) {
		t.Error("verified=1 still lists an unverified figure")
	}
	if _, src := b.Get("/sources/4"); !strings.Contains(src, "Chưa kiểm tra") {
		t.Error("the source page does not mark the unverified figure")
	}

	// Its author cannot verify it; a second editor can.
	code, page := b.Get(loc)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	b.Post(loc+"/verify", url.Values{"version": {version}})
	if site.Count(t, "SELECT count(*) FROM figures WHERE id = "+id+" AND verified_at IS NOT NULL") != 0 {
		t.Error("the author verified their own figure")
	}
	b2 := site.Browser(t)
	b2.Login("editor2")
	b2.Get(loc)
	b2.Post(loc+"/verify", url.Values{"version": {version}})
	if site.Count(t, "SELECT count(*) FROM figures WHERE id = "+id+" AND verified_at IS NOT NULL") != 1 {
		t.Error("a second editor could not verify the figure")
	}

	// Edit, delete, restore; each leaves a revision.
	code, page = b.Get(loc)
	version = regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	f.Set("value", "13")
	f.Set("quote", "13 đồng chí được cử đi học lớp trung cấp")
	f.Set("version", version)
	if code, _, _ = b.Post(loc, f); code != http.StatusSeeOther {
		t.Fatalf("edit: %d", code)
	}
	if site.Count(t, "SELECT count(*) FROM figures WHERE id = "+id+" AND value = 13 AND verified_at IS NULL") != 1 {
		t.Error("the edit was not saved, or left the figure verified")
	}
	version = fmt.Sprint(site.Count(t, "SELECT version FROM figures WHERE id = "+id))
	b.Post(loc+"/delete", url.Values{"version": {version}})
	if _, csv = b.Get("/export.csv?locality=song-lo"); strings.Contains(csv, "Đào tạo thạc sỹ") {
		t.Error("a deleted figure is still exported")
	}
	version = fmt.Sprint(site.Count(t, "SELECT version FROM figures WHERE id = "+id))
	b.Post(loc+"/restore", url.Values{"version": {version}})
	if _, csv = b.Get("/export.csv?locality=song-lo"); !strings.Contains(csv, "Đào tạo thạc sỹ") {
		t.Error("a restored figure is not exported")
	}
	code, hist := b.Get(loc + "/history")
	if code != http.StatusOK {
		t.Fatalf("history: %d", code)
	}
	for _, action := range []string{"Thêm", "Xác nhận", "Sửa", "Xóa", "Khôi phục", "editor1", "editor2", "<del>12</del>"} {
		if !strings.Contains(hist, action) {
			t.Errorf("history does not show %q", action)
		}
	}
	if n := site.Count(t, "SELECT count(*) FROM revisions WHERE entity = 'figure' AND entity_id = "+id); n != 5 {
		t.Errorf("%d revisions, want 5 (create, verify, update, delete, restore)", n)
	}
}

func TestSecondEditorSeesAConflict(t *testing.T) {
	site := servertest.NewAdminSite(t)
	a, b := site.Browser(t), site.Browser(t)
	a.Login("editor1")
	b.Login("editor2")
	_, pageA := a.Get("/admin/figures/45")
	_, _ = b.Get("/admin/figures/45")
	formOf := func(page, value string) url.Values {
		return url.Values{
			"version":       {regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]},
			"locality_slug": {"dien-bien"}, "category": {"rotation"}, "subject": {"cán bộ được luân chuyển (toàn tỉnh)"},
			"value": {value}, "unit": {"persons"}, "qualifier": {"exact"}, "indicator": {"rotated"},
			"period_start": {"2010-01-01"}, "period_end": {"2018-10-03"}, "source_key": {"dien-bien-2018-10-03"},
			"quote": {"Từ năm 2010 đến nay, toàn tỉnh có " + value + " đồng chí được luân chuyển."},
		}
	}
	if code, body, _ := a.Post("/admin/figures/45", formOf(pageA, "165")); code != http.StatusSeeOther {
		t.Fatalf("first edit: %d\n%.400s", code, body)
	}
	fB := formOf(pageA, "170") // editor2 edits the version both saw
	code, body, _ := b.Post("/admin/figures/45", fB)
	if code != http.StatusConflict {
		t.Fatalf("second edit on a stale version = %d, want 409", code)
	}
	if !strings.Contains(body, "Người khác đã sửa") || !strings.Contains(body, "165") || !strings.Contains(body, `value="170"`) {
		t.Error("the conflict page does not show the other's value and keep mine")
	}
	if site.Count(t, "SELECT value::int FROM figures WHERE id = 45") != 165 {
		t.Error("the first editor's change was overwritten")
	}
}

func TestDoubleSubmitAndConcurrentEditors(t *testing.T) {
	site := servertest.NewAdminSite(t)
	before := site.Count(t, "SELECT count(*) FROM figures")
	const editors = 8
	var wg sync.WaitGroup
	same := servertest.ValidFigure()
	for i := 0; i < editors; i++ {
		b := site.Browser(t)
		b.Login([]string{"editor1", "editor2"}[i%2])
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f := servertest.ValidFigure()
			f.Set("subject", fmt.Sprintf("khóa đào tạo số %d", i))
			b.CreateFigure(f)
			// Everyone also submits the one shared form, as a double click would.
			code, _, _ := b.Post("/admin/figures", same)
			if code != http.StatusSeeOther {
				t.Errorf("repeat submit: %d", code)
			}
		}(i)
	}
	wg.Wait()
	if got := site.Count(t, "SELECT count(*) FROM figures") - before; got != editors+1 {
		t.Errorf("%d figures created, want %d (one each, and one for the form submitted %d times)", got, editors+1, editors)
	}
}

func TestDuplicateAsksForConfirmation(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	f := url.Values{"locality_slug": {"dien-bien"}, "category": {"rotation"}, "subject": {"Luân chuyển dọc"}, "value": {"126"},
		"unit": {"persons"}, "period_start": {"2010-01-01"}, "period_end": {"2018-10-03"}, "source_key": {"dien-bien-2018-10-03"},
		"quote": {"Trong đó, luân chuyển dọc 126 đồng chí"}, "submission_key": {"dup-1"}}
	before := site.State(t)
	code, body, _ := b.Post("/admin/figures", f)
	if code != http.StatusConflict || !strings.Contains(body, "confirm_duplicate") {
		t.Fatalf("a duplicate of figure 46 got %d without a confirmation box", code)
	}
	if site.State(t) != before {
		t.Error("a likely duplicate was written without confirmation")
	}
	f.Set("confirm_duplicate", "1")
	b.CreateFigure(f)
}

func TestEditorsCannotManageUsers(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	before := site.State(t)
	if code, _ := b.Get("/admin/users"); code != http.StatusForbidden {
		t.Errorf("editor GET /admin/users = %d, want 403", code)
	}
	code, _, _ := b.Post("/admin/users", url.Values{"username": {"mallory"}, "role": {"admin"}, "password": {servertest.TestPassword}})
	if code != http.StatusForbidden {
		t.Errorf("editor POST /admin/users = %d, want 403", code)
	}
	if site.State(t) != before {
		t.Error("a refused request changed the database")
	}
	a := site.Browser(t)
	a.Login("admin")
	code, body, _ := a.Post("/admin/users", url.Values{"username": {"minh"}, "role": {"editor"}, "password": {servertest.TestPassword}})
	if code != http.StatusSeeOther {
		t.Fatalf("admin adds a user: %d\n%.300s", code, body)
	}
	// Disabling a user ends their session.
	id := site.Count(t, "SELECT id FROM users WHERE username = 'editor1'")
	a.Post(fmt.Sprintf("/admin/users/%d", id), url.Values{"role": {"editor"}, "disabled": {"true"}})
	if code, _ := b.Get("/admin"); code != http.StatusSeeOther {
		t.Errorf("a disabled editor still reaches /admin (%d)", code)
	}
}

func TestFormulaInSubjectExportsAsText(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	f := servertest.ValidFigure()
	f.Set("subject", `=HYPERLINK("http://evil.example","bấm")`)
	b.CreateFigure(f)
	_, csv := b.Get("/export.csv?locality=song-lo")
	if !strings.Contains(csv, `"'=HYPERLINK(""http://evil.example"",""bấm"")"`) {
		t.Errorf("the formula is not neutralised in the CSV:\n%s", csv)
	}
	if !strings.Contains(csv, ",12,persons,") {
		t.Error("the value did not stay a plain number")
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	_, page := b.Get("/")
	asset := regexp.MustCompile(`/static/[0-9a-f]+/css/app\.css`).FindString(page)
	for _, path := range []string{"/", "/figures", "/export.csv", "/no-such-page", "/login", "/admin", asset, "/healthz"} {
		req, _ := http.NewRequest(http.MethodGet, site.URL+path, nil)
		req.Header.Set("Accept", "text/html")
		resp, err := b.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: missing nosniff or Referrer-Policy", path)
		}
	}
	// Session and CSRF cookies are HttpOnly and SameSite.
	req, _ := http.NewRequest(http.MethodGet, site.URL+"/login", nil)
	jar, _ := cookiejar.New(nil)
	resp, err := (&http.Client{Jar: jar}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cookies := resp.Cookies()
	// Signing in sets the session cookie.
	token := servertest.CSRFField.FindSubmatch(body)[1]
	form := url.Values{"username": {"editor1"}, "password": {servertest.TestPassword}, "_csrf": {string(token)}}
	req, _ = http.NewRequest(http.MethodPost, site.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	noRedirect := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cookies = append(cookies, resp.Cookies()...)
	names := map[string]bool{}
	for _, c := range cookies {
		names[c.Name] = true
		if !c.HttpOnly || c.SameSite == http.SameSiteDefaultMode || c.SameSite == http.SameSiteNoneMode {
			t.Errorf("cookie %s: HttpOnly %v, SameSite %v", c.Name, c.HttpOnly, c.SameSite)
		}
	}
	if names["cadrestats_csrf"] || !names["cadrestats_session"] {
		t.Errorf("cookies set: %v, want the session cookie only (the CSRF token lives in the session)", names)
	}
}

func TestUsersChangeTheirOwnPassword(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	b.Get("/admin/password")
	code, body, _ := b.Post("/admin/password", url.Values{"current_password": {"không đúng mật khẩu"}, "new_password": {"mật khẩu mới rất dài"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Mật khẩu hiện tại không đúng.") {
		t.Errorf("wrong current password: %d", code)
	}
	code, _, _ = b.Post("/admin/password", url.Values{"current_password": {servertest.TestPassword}, "new_password": {"mật khẩu mới rất dài"}})
	if code != http.StatusSeeOther {
		t.Fatalf("change: %d", code)
	}
	if code, _ := b.Get("/admin"); code != http.StatusOK {
		t.Errorf("signed out after changing one's own password (%d)", code)
	}
	other := site.Browser(t)
	other.Get("/login")
	if code, _, _ := other.Post("/login", url.Values{"username": {"editor1"}, "password": {servertest.TestPassword}}); code != http.StatusUnauthorized {
		t.Errorf("the old password still signs in (%d)", code)
	}
	if code, _, _ := other.Post("/login", url.Values{"username": {"editor1"}, "password": {"mật khẩu mới rất dài"}}); code != http.StatusSeeOther {
		t.Errorf("the new password does not sign in (%d)", code)
	}
}
