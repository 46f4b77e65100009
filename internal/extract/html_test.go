package extract_test

import (
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/extract"
)

func TestMainText(t *testing.T) {
	page := `<!doctype html><html><head><title>Sông Lô xây dựng đội ngũ cán bộ</title>
<script>var x = "Nhiệm kỳ 2015 - 2020, 999 người";</script><style>p{}</style></head>
<body><header><nav><a href="/">Trang chủ</a> <a href="/tin">Tin 24 giờ</a></nav></header>
<div class="sidebar"><p>Đọc nhiều: 5 tin</p></div>
<div class="content"><h1>Sông Lô xây dựng đội ngũ cán bộ</h1>
<p>Nhiệm kỳ 2015 - 2020, Ban Thường vụ Huyện ủy Sông Lô bổ nhiệm được 8 trưởng phòng.</p>
<p>Việc bố trí Bí thư Đảng ủy xã không phải là người địa phương được thực hiện ở 4/17 xã, thị trấn.</p></div>
<footer><p>Bản quyền 2020</p></footer><form><input name="q"></form></body></html>`
	got, err := extract.MainText(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Sông Lô xây dựng đội ngũ cán bộ", "bổ nhiệm được 8 trưởng phòng.\n", "4/17 xã, thị trấn."} {
		if !strings.Contains(got, want) {
			t.Errorf("main text lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"999", "Trang chủ", "Bản quyền", "Đọc nhiều"} {
		if strings.Contains(got, bad) {
			t.Errorf("main text keeps %q (script, menu, footer or sidebar):\n%s", bad, got)
		}
	}
	// The extractor reads it like the plain text.
	res := extract.Extract(extract.Input{Text: got, Locality: "song-lo"})
	var values []float64
	for _, c := range res.Candidates {
		values = append(values, c.Value)
	}
	if len(values) < 2 {
		t.Errorf("candidates %v, want 8 and 4/17", values)
	}
}
