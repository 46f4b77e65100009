package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../fetch/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// candidateFields are the proposed rows' value, unit, category, indicator
// and quote, as the page shows them (figures come first, numbered from 1;
// the numbers listed apart follow).
func candidateFields(body string) []string {
	var all []string
	out := &all
	for _, m := range regexp.MustCompile(`name="(r\d+_(?:value|quote|kind))"[^>]*value="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		*out = append(*out, m[1]+"="+m[2])
	}
	for _, m := range regexp.MustCompile(`(?s)<select id="(r\d+_(?:category|indicator|unit))" name="[^"]*"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			*out = append(*out, m[1]+"="+sel[1])
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea id="(r\d+_\w+)" name="[^"]*"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		*out = append(*out, m[1]+"="+m[2])
	}
	var figures []string
	for _, f := range all {
		var n int
		fmt.Sscanf(f, "r%d_", &n)
		if strings.Contains(body, fmt.Sprintf(`name="r%d_kind" value="figure"`, n)) {
			figures = append(figures, f)
		}
	}
	return figures
}

func inputValue(body, name string) string {
	m := regexp.MustCompile(`name="` + name + `"(?: type="\w+")? value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return htmlUnescape(m[1])
}

// A pasted link gives the page's source fields and the candidates of the
// pasted text.
func TestExtractFromLink(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	link := site.Publish("/xay-dung-dang/binh-giang.html", "text/html; charset=utf-8", readTestdata(t, "article.html"))
	code, linked, _ := b.Post("/admin/extract", url.Values{"url": {link}, "locality_slug": {"song-lo"}})
	if code != http.StatusOK {
		t.Fatalf("extract from a link: %d\n%.1500s", code, linked)
	}
	for field, want := range map[string]string{"source_key": "new", "new_source_title": "Bình Giang nâng cao chất lượng đội ngũ cán bộ",
		"new_source_outlet": "Báo Tỉnh A", "new_source_published": "2024-03-15", "new_source_url": link} {
		if got := inputValue(linked, field); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	code, pasted, _ := b.Post("/admin/extract", url.Values{"text": {string(readTestdata(t, "article.txt"))}, "source_key": {"new"},
		"new_source_title": {"Bình Giang nâng cao chất lượng đội ngũ cán bộ"}, "new_source_outlet": {"Báo Tỉnh A"},
		"new_source_published": {"2024-03-15"}, "locality_slug": {"song-lo"}})
	if code != http.StatusOK {
		t.Fatalf("extract pasted text: %d", code)
	}
	got, want := candidateFields(linked), candidateFields(pasted)
	if len(want) < 40 {
		t.Fatalf("pasted text: %d row fields, want the rows of at least ten candidates", len(want))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows from the link differ from the pasted text's:\n%s\n---\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestExtractLinkRefused(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	before := site.State(t)
	tests := []struct{ url, want string }{
		{"http://127.0.0.1:1/bai-viet", "Không đọc địa chỉ trong mạng nội bộ."},
		{"http://169.254.169.254/latest/meta-data/", "Không đọc địa chỉ trong mạng nội bộ."},
		{"ftp://example.org/bai.html", "Địa chỉ không hợp lệ"},
		{site.Press.URL + "/khong-co", "Máy chủ không trả về bài báo"},
	}
	for _, tt := range tests {
		code, body, _ := b.Post("/admin/extract", url.Values{"url": {tt.url}, "locality_slug": {"song-lo"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, tt.want) {
			t.Errorf("%s: %d, want 422 saying %q", tt.url, code, tt.want)
		}
	}
	code, body, _ := b.Post("/admin/extract?lang=en", url.Values{"url": {"http://10.1.2.3/"}, "locality_slug": {"song-lo"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Addresses inside a private network are not read.") {
		t.Errorf("in English: %d, want 422 with the English message", code)
	}
	if site.State(t) != before {
		t.Error("a refused link wrote something")
	}
}

// Several uploads: each article's candidates saved as a batch of
// unverified figures, one new source each, for the review queue.
func TestExtractMany(t *testing.T) {
	site := servertest.NewAdminSite(t)
	b := site.Browser(t)
	b.Login("editor1")
	other := site.Browser(t)
	other.Login("editor2")
	queuedBefore := queued(t, other)
	b.Get("/admin/extract")
	before := site.State(t)
	form := url.Values{"locality_slug": {"song-lo"}, "new_source_outlet": {"Báo Thử"}, "new_source_published": {"01/03/2024"}}

	code, _, _ := b.PostFiles("/admin/extract", form, [][2]string{{"a.html", string(readTestdata(t, "article.html"))}, {"b.pdf", "%PDF"}})
	if code != http.StatusUnprocessableEntity || site.State(t) != before {
		t.Fatalf("a batch with an unreadable file: %d, want 422 and nothing written", code)
	}

	code, body, _ := b.PostFiles("/admin/extract", form, [][2]string{
		{"a.html", string(readTestdata(t, "article.html"))},
		{"b.txt", "Sông Lô luân chuyển cán bộ\n\nNăm 2023, huyện Sông Lô đã luân chuyển 12 cán bộ, bổ nhiệm 5 trưởng phòng.\n"},
		{"c.txt", "Không có số\n\nBài này không nêu con số nào.\n"},
	})
	if code != http.StatusOK {
		t.Fatalf("several files: %d\n%.1500s", code, body)
	}
	for _, want := range []string{"a.html", "b.txt", "c.txt", "Đã lưu 2 số liệu chờ duyệt", "không tìm thấy số liệu nào"} {
		if !strings.Contains(body, want) {
			t.Errorf("the result lacks %q", want)
		}
	}
	if n := site.Count(t, `SELECT count(*) FROM figures f JOIN sources s ON s.id = f.source_id
		WHERE s.outlet = 'Báo Tỉnh A' AND s.published_on = '2024-03-15' AND f.verified_at IS NULL`); n < 10 {
		t.Errorf("%d unverified figures of the page's source, want its candidates (at least 10)", n)
	}
	if n := site.Count(t, `SELECT count(*) FROM figures f JOIN sources s ON s.id = f.source_id
		WHERE s.outlet = 'Báo Thử' AND s.title = 'Sông Lô luân chuyển cán bộ' AND s.published_on = '2024-03-01'
		AND f.verified_at IS NULL`); n != 2 {
		t.Errorf("%d unverified figures of the text file's source, want 2", n)
	}
	saved := site.Count(t, `SELECT count(*) FROM figures f JOIN sources s ON s.id = f.source_id WHERE s.outlet IN ('Báo Thử', 'Báo Tỉnh A')`)
	// Uploads together past the 2 MB of other requests: two pages of 1,2 MB
	// (a large script each, as saved pages carry).
	big := strings.Replace(string(readTestdata(t, "article.html")), "</head>", "<script>"+strings.Repeat("var x = 1;\n", 110_000)+"</script></head>", 1)
	if code, body, _ := b.PostFiles("/admin/extract", form, [][2]string{{"big1.html", big}, {"big2.html", big}}); code != http.StatusOK ||
		strings.Count(body, "số liệu chờ duyệt") != 2 {
		t.Errorf("two pages of %d KB: %d, want both read and saved", len(big)>>10, code)
	}
	saved = site.Count(t, `SELECT count(*) FROM figures f JOIN sources s ON s.id = f.source_id WHERE s.outlet IN ('Báo Thử', 'Báo Tỉnh A')`)
	// Another editor finds them in the review queue.
	if got := queued(t, other); got != queuedBefore+saved {
		t.Errorf("editor2's review queue holds %d figures, want %d + the %d saved", got, queuedBefore, saved)
	}
}

// queued is the number of figures in the browser's user's review queue.
func queued(t *testing.T, b *servertest.Browser) int {
	t.Helper()
	_, page := b.Get("/admin/review")
	if strings.Contains(page, "Không còn số liệu nào chờ bạn kiểm tra.") {
		return 0
	}
	m := regexp.MustCompile(`([\d.]+) số liệu chờ bạn kiểm tra`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the review page gives no count")
	}
	var n int
	fmt.Sscan(strings.ReplaceAll(m[1], ".", ""), &n)
	return n
}
