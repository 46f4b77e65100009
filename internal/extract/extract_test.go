package extract_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/extract"
)

var published = time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC)

// district is an article of huyện Bình Giang (tỉnh Hải Dương) published in
// mid-2023, which knows a few other units.
func district(text string) extract.Input {
	return extract.Input{
		Text: text, Locality: "binh-giang", Published: published,
		Localities: []extract.Locality{
			{Slug: "hai-duong", Name: "Hải Dương", Level: "province"},
			{Slug: "binh-giang", Name: "Bình Giang", Level: "district", Parent: "hai-duong"},
			{Slug: "thanh-mien", Name: "Thanh Miện", Level: "district", Parent: "hai-duong"},
			{Slug: "dien-bien", Name: "Điện Biên", Level: "province"},
			{Slug: "dien-bien-dong", Name: "Điện Biên Đông", Level: "district", Parent: "dien-bien"},
		},
	}
}

// province is the same for tỉnh Hải Dương itself.
func province(text string) extract.Input {
	in := district(text)
	in.Locality = "hai-duong"
	return in
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"abbreviations before names", "Năm 2019, TP. Hạ Long có 15 đ/c được luân chuyển. ThS. Nguyễn Văn A và TS. Trần B dự.",
			[]string{"Năm 2019, TP. Hạ Long có 15 đ/c được luân chuyển.", "ThS. Nguyễn Văn A và TS. Trần B dự."}},
		{"acronyms of bodies", "Đồng chí là ủy viên BCH T.Ư. Đảng và thành viên UBND. Tỉnh có 3 đ/c. Năm sau thêm 2.",
			[]string{"Đồng chí là ủy viên BCH T.Ư. Đảng và thành viên UBND. Tỉnh có 3 đ/c. Năm sau thêm 2."}},
		{"district and initials", "Q. 1 và Q. Bình Thạnh có 12 người. Ông Nguyễn V. A. cho biết thêm.",
			[]string{"Q. 1 và Q. Bình Thạnh có 12 người.", "Ông Nguyễn V. A. cho biết thêm."}},
		{"decimals and dates", "Tỷ lệ đạt 17.5 phần trăm vào ngày 3.7.2019. Sau đó tăng.",
			[]string{"Tỷ lệ đạt 17.5 phần trăm vào ngày 3.7.2019.", "Sau đó tăng."}},
		{"ellipsis then capital", "từ xã này sang xã khác... Việc bố trí tiếp tục… nhưng chậm.",
			[]string{"từ xã này sang xã khác...", "Việc bố trí tiếp tục… nhưng chậm."}},
		{"a document code ends a sentence", "theo Nghị quyết số 42-NQ/TW. Năm 2019, tỉnh luân chuyển 9 cán bộ!",
			[]string{"theo Nghị quyết số 42-NQ/TW.", "Năm 2019, tỉnh luân chuyển 9 cán bộ!"}},
		{"lines", "Tiêu đề bài báo\nThứ Tư, 28/10/2020\n\nĐoạn một có 5 người. Đoạn hai?\n“Trích dẫn.” Hết.",
			[]string{"Tiêu đề bài báo", "Thứ Tư, 28/10/2020", "Đoạn một có 5 người.", "Đoạn hai?", "“Trích dẫn.”", "Hết."}},
		{"a hard-wrapped paragraph", "Năm 2019, tỉnh đã luân chuyển\nnhiều cán bộ về cơ sở.",
			[]string{"Năm 2019, tỉnh đã luân chuyển\nnhiều cán bộ về cơ sở."}},
		{"lower case after a stop", "Có 3 người v.v. và còn nữa.", []string{"Có 3 người v.v. và còn nữa."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, s := range extract.Sentences(tt.text) {
				got = append(got, tt.text[s.Start:s.End])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

// Numbers that are not counts of people are listed apart, with the reason.
func TestNumbersListedApart(t *testing.T) {
	tests := []struct {
		text, number, reason string
	}{
		{"Thứ Tư, 28/10/2020", "28", extract.ReasonDate},
		{"Đoàn làm việc ngày 3/7/2019 với 5 đồng chí.", "2019", extract.ReasonDate},
		{"Chiều ngày 13-1, hội nghị có 40 đại biểu.", "13", extract.ReasonDate},
		{"Ngày 23.1, tỉnh luân chuyển 5 cán bộ.", "23.1", extract.ReasonDate},
		{"Sáng 20-8, 12 cán bộ được bổ nhiệm.", "20", extract.ReasonDate},
		{"tiến tới Đại hội trong tháng 5/2020", "5", extract.ReasonDate},
		{"Thứ Bảy, 15/02/2020, 06:45 [GMT+7]", "06", extract.ReasonTime},
		{"Cập nhật 04:53", "53", extract.ReasonTime},
		{"15/02/2020, 06:45 [GMT+7]", "7", extract.ReasonTime},
		{"Năm 2019, tỉnh bổ nhiệm 8 cán bộ.", "2019", extract.ReasonYear},
		{"quy hoạch cán bộ giai đoạn 2015-2020", "2020", extract.ReasonYear},
		{"Luân chuyển cán bộ có thời hạn 3 năm.", "3", extract.ReasonDuration},
		{"Sau 5 năm, 20 cán bộ được luân chuyển.", "5", extract.ReasonDuration},
		{"3 tháng đầu năm 2020, huyện tuyển dụng 4 công chức.", "3", extract.ReasonDuration},
		{"Có 30 cán bộ dưới 50 tuổi được quy hoạch.", "50", extract.ReasonAge},
		{"Nghị quyết Trung ương 4 (khóa XII) về xây dựng Đảng", "4", extract.ReasonOrdinal},
		{"Nghị quyết Trung ương 4 (khóa XII) về xây dựng Đảng", "XII", extract.ReasonOrdinal},
		{"tiến tới Đại hội XXIV của Đảng bộ", "XXIV", extract.ReasonOrdinal},
		{"Đại hội đại biểu lần thứ 20 của Đảng bộ tỉnh", "20", extract.ReasonOrdinal},
		{"theo Nghị quyết số 42-NQ/TW của Bộ Chính trị", "42", extract.ReasonDocument},
		{"Kết luận số 48-KL/TW về luân chuyển 12 cán bộ", "48", extract.ReasonDocument},
		{"Kế hoạch số 11-KH/TU của Tỉnh ủy", "11", extract.ReasonDocument},
		{"Hướng dẫn số 15-HD/BTCTW ngày 5/11/2012", "15", extract.ReasonDocument},
		{"Quy định số 02 - QĐ/HU về luân chuyển cán bộ", "02", extract.ReasonDocument},
		{"bồi dưỡng ở nước ngoài theo Đề án 165 của Trung ương", "165", extract.ReasonDocument},
		{"Chương trình hành động số 04-CTr/TU của Tỉnh ủy", "04", extract.ReasonDocument},
		{"Nghị định 108/2014/NĐ-CP về tinh giản biên chế", "108", extract.ReasonDocument},
		{"Lượt xem: 3762", "3762", extract.ReasonViews},
		{"Kinh phí hỗ trợ là 21.804 triệu đồng.", "21.804", extract.ReasonMoney},
		{"Hiển thị : 10 / 25 kết quả", "25", extract.ReasonPage},
		{"Trang: 1 - 2 - 3", "3", extract.ReasonPage},
		{"Thực hiện Nghị quyết ở cả 3 cấp (tỉnh, huyện và cơ sở).", "3", extract.ReasonNoUnit},
		{"Dịch Covid-19 làm chậm việc luân chuyển.", "19", extract.ReasonName},
		{"Hội nghị có 200 đại biểu tham dự.", "200", extract.ReasonNoUnit},
		{"Năm 2022, có 25 cá nhân được tặng bằng khen.", "25", extract.ReasonNoCategory},
		{"Cán bộ trẻ chiếm 12%, tăng 5% so với nhiệm kỳ trước.", "5", extract.ReasonChange},
		{"Lượt xem: 1.245 | Bình luận (3)", "3", extract.ReasonPage},
		{"Tỉnh đã tổ chức 12 lớp bồi dưỡng cho 1.500 lượt cán bộ.", "12", extract.ReasonNoUnit},
		{"ĐT: 0204.3854.123 - Email: toasoan@bao.vn", "0204.3854.123", extract.ReasonPage},
		{"Năm 2022, chỉ số của tỉnh xếp thứ 10/63 tỉnh, thành phố.", "10", extract.ReasonOrdinal},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			res := extract.Extract(district(tt.text))
			for _, c := range res.Candidates {
				if c.Sentence[c.Start:c.End] == tt.number {
					t.Fatalf("%q proposed as a figure (%s, cue %q), want it listed apart as %s", tt.number, c.Category, c.Cue, tt.reason)
				}
			}
			for _, o := range res.Others {
				if o.Text == tt.number {
					if o.Reason != tt.reason {
						t.Errorf("%q listed apart as %s, want %s", tt.number, o.Reason, tt.reason)
					}
					if o.Sentence[o.Start:o.End] != o.Text {
						t.Errorf("span %d–%d of %q is not %q", o.Start, o.End, o.Sentence, o.Text)
					}
					return
				}
			}
			t.Errorf("%q neither proposed nor listed apart: %+v", tt.number, res.Others)
		})
	}
}

// figure is what a test expects of a candidate; empty fields are not checked.
type figure struct {
	number              string // the number as written (the candidate's span)
	value, denominator  float64
	unit, qualifier     string
	category, indicator string
	completeness        string
	start, end, term    string
	from, to            string
	locality            string
	parent              string // the number as written of its total
	subject             string // a substring of the subject
	quote               string // a substring of the quote
	target              bool
}

func check(t *testing.T, in extract.Input, want []figure) {
	t.Helper()
	res := extract.Extract(in)
	if len(res.Candidates) != len(want) {
		var got []string
		for _, c := range res.Candidates {
			got = append(got, c.Sentence[c.Start:c.End]+" "+c.Category)
		}
		t.Errorf("%q: %d candidates %q, want %d; others %+v", in.Text, len(got), got, len(want), res.Others)
	}
	for i, w := range want {
		if i >= len(res.Candidates) {
			break
		}
		c := res.Candidates[i]
		num := c.Sentence[c.Start:c.End]
		day := func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format(time.DateOnly)
		}
		parent := ""
		if c.Parent >= 0 {
			p := res.Candidates[c.Parent]
			parent = p.Sentence[p.Start:p.End]
		}
		checks := []struct {
			field, got, want string
		}{
			{"number", num, w.number},
			{"unit", c.Unit, w.unit},
			{"qualifier", c.Qualifier, w.qualifier},
			{"category", c.Category, w.category},
			{"indicator", c.Indicator, w.indicator},
			{"completeness", c.Completeness, w.completeness},
			{"period_start", day(c.PeriodStart), w.start},
			{"period_end", day(c.PeriodEnd), w.end},
			{"term", c.Term, w.term},
			{"from_level", c.FromLevel, w.from},
			{"to_level", c.ToLevel, w.to},
			{"locality", c.Locality, w.locality},
			{"parent", parent, w.parent},
		}
		for _, ch := range checks {
			if ch.want != "" && ch.want != "-" && ch.got != ch.want {
				t.Errorf("%q, figure %s: %s %q, want %q", in.Text, num, ch.field, ch.got, ch.want)
			}
		}
		if w.indicator == "-" && c.Indicator != "" {
			t.Errorf("%q, figure %s: indicator %q, want none", in.Text, num, c.Indicator)
		}
		if w.value != 0 && c.Value != w.value {
			t.Errorf("%q, figure %s: value %v, want %v", in.Text, num, c.Value, w.value)
		}
		if w.denominator != 0 && c.Denominator != w.denominator {
			t.Errorf("%q, figure %s: denominator %v, want %v", in.Text, num, c.Denominator, w.denominator)
		}
		if w.subject != "" && !strings.Contains(c.Subject, w.subject) {
			t.Errorf("%q, figure %s: subject %q, want it to hold %q", in.Text, num, c.Subject, w.subject)
		}
		if w.quote != "" && !strings.Contains(c.Quote, w.quote) {
			t.Errorf("%q, figure %s: quote %q, want it to hold %q", in.Text, num, c.Quote, w.quote)
		}
		if w.target != c.Target {
			t.Errorf("%q, figure %s: target %v, want %v", in.Text, num, c.Target, w.target)
		}
		if !strings.Contains(c.Sentence, c.Quote) || !strings.Contains(in.Text, c.Sentence) {
			t.Errorf("%q, figure %s: quote %q not in sentence %q", in.Text, num, c.Quote, c.Sentence)
		}
	}
}

func TestNumberForms(t *testing.T) {
	tests := []struct {
		text string
		want []figure
	}{
		{"Đảng bộ tỉnh hiện có hơn 7.200 đảng viên.", []figure{{number: "7.200", value: 7200, qualifier: "at_least", completeness: "lower_bound"}}},
		{"Toàn tỉnh có 21.804 cán bộ, công chức, viên chức.", []figure{{number: "21.804", value: 21804, indicator: "civil-servants"}}},
		{"Tỷ lệ cán bộ nữ lãnh đạo, quản lý đạt 17,98%.", []figure{{number: "17,98", value: 17.98, unit: "percent", indicator: "women-leaders-share"}}},
		{"Toàn huyện có hơn 1700 cán bộ, công chức, viên chức.", []figure{{number: "1700", value: 1700, qualifier: "at_least"}}},
		{"Năm 2022, gần 100 cán bộ được luân chuyển.", []figure{{number: "100", value: 100, qualifier: "approximate"}}},
		{"Năm 2022, khoảng 40 cán bộ được bổ nhiệm.", []figure{{number: "40", qualifier: "approximate"}}},
		{"Năm 2022, xấp xỉ 60% cán bộ được đánh giá hoàn thành tốt nhiệm vụ.", []figure{{number: "60", qualifier: "approximate", unit: "percent"}}},
		{"Năm 2022, trên 30 cán bộ được đào tạo, bồi dưỡng.", []figure{{number: "30", qualifier: "at_least"}}},
		{"Năm 2022, tỉnh tuyển dụng 1,700 công chức.", []figure{{number: "1,700", value: 1700}}},
		{"Năm 2015, 13/13 cán bộ hoàn thành xuất sắc nhiệm vụ.", []figure{{number: "13/13", value: 13, denominator: 13}}},
		{"Bí thư không phải là người địa phương được bố trí ở 4/17 xã, thị trấn.", []figure{{number: "4/17", value: 4, denominator: 17, unit: "communes", indicator: "non-local-secretaries"}}},
		{"Năm 2022, tỉnh tuyển dụng 50 công chức trở lên.", []figure{{number: "50", qualifier: "at_least"}}},
		// Counts written in letters; "một" as an article is none.
		{"Năm 2022, có hai đồng chí bị kỷ luật cảnh cáo, một đồng chí bị khiển trách.", []figure{{number: "hai", value: 2, category: "discipline"}, {number: "một", value: 1, category: "discipline"}}},
		{"Một cán bộ trẻ cho biết, năm 2022 huyện đã luân chuyển 12 đồng chí.", []figure{{number: "12", value: 12}}},
		{"Năm 2022, huyện có ba xã thực hiện bí thư đảng ủy đồng thời là chủ tịch UBND xã.", []figure{{number: "ba", value: 3, unit: "communes"}}},
		{"Đến nay, 12 trên tổng số 21 huyện, thành phố, thị xã đã hoàn thành việc sắp xếp.", []figure{{number: "12 trên tổng số 21", value: 12, denominator: 21, unit: "units"}}},
		// An age bracket before a count: the count is a figure.
		{"Năm 2022, quy hoạch có 98 đồng chí, trong đó dưới 45 tuổi 52 đồng chí.", []figure{{number: "98"}, {number: "52", parent: "98"}}},
		{"Năm 2022, Ủy ban Kiểm tra đã kiểm tra 62 đảng viên khi có dấu hiệu vi phạm.", []figure{{number: "62", category: "discipline"}}},
		{"Năm 2022, tỉnh cho thôi giữ chức vụ 4 cán bộ.", []figure{{number: "4", category: "placement"}}},
		// A fraction of districts is no date (10 November).
		{"Đến nay, 10/11 huyện, thành phố có bí thư không phải người địa phương.", []figure{{number: "10/11", value: 10, denominator: 11, unit: "units", category: "placement"}}},
	}
	for _, tt := range tests {
		check(t, district(tt.text), tt.want)
	}
}

func TestPeriods(t *testing.T) {
	tests := []struct {
		text string
		want []figure
	}{
		{"Năm 2019, huyện bổ nhiệm 8 cán bộ.", []figure{{start: "2019-01-01", end: "2019-12-31"}}},
		{"Nhiệm kỳ 2015 - 2020, huyện bổ nhiệm 8 trưởng phòng.", []figure{{start: "2015-01-01", end: "2020-12-31", term: "nk-2015-2020"}}},
		{"Từ năm 2011 đến 2015, huyện ban hành 12 văn bản.", []figure{{start: "2011-01-01", end: "2015-12-31", category: "documents"}}},
		{"Từ đầu nhiệm kỳ đến nay, tỉnh đã luân chuyển 35 cán bộ.", []figure{{start: "2020-01-01", end: "2023-06-30", term: "nk-2020-2025"}}},
		{"3 tháng đầu năm 2020, huyện tuyển dụng 4 công chức.", []figure{{start: "2020-01-01", end: "2020-03-31"}}},
		{"6 tháng đầu năm, huyện tuyển dụng 4 công chức.", []figure{{start: "2023-01-01", end: "2023-06-30"}}},
		{"Từ năm 2010 đến nay, toàn tỉnh có 164 đồng chí được luân chuyển.", []figure{{start: "2010-01-01", end: "2023-06-30"}}},
		{"Quý I/2023, huyện điều động 6 cán bộ.", []figure{{start: "2023-01-01", end: "2023-03-31"}}},
		{"Trong tháng 5/2023, huyện điều động 6 cán bộ.", []figure{{start: "2023-05-01", end: "2023-05-31"}}},
		{"Giai đoạn 2016 - 2020, tỉnh tinh giản 1.215 biên chế.", []figure{{start: "2016-01-01", end: "2020-12-31"}}},
		{"5 năm qua, tỉnh đã luân chuyển 120 cán bộ.", []figure{{start: "2018-01-01", end: "2023-06-30"}}},
		{"Trong 5 năm, toàn Đảng bộ kết nạp được 6.420 đảng viên mới.", []figure{{start: "2018-01-01", end: "2023-06-30"}}},
		{"Năm 2022, huyện cho thôi việc 3 công chức không hoàn thành nhiệm vụ trong 2 năm liên tiếp.", []figure{{start: "2022-01-01", end: "2022-12-31"}}},
		{"Hiện nay, huyện có 43 ủy viên Ban Chấp hành.", []figure{{start: "2023-06-30", end: "2023-06-30"}}},
		{"Tính đến ngày 31/12/2022, toàn tỉnh có 52.300 đảng viên.", []figure{{start: "2022-12-31", end: "2022-12-31"}}},
		// A period never ends after publication.
		{"Nhiệm kỳ 2020 - 2025, tỉnh đã luân chuyển 60 cán bộ.", []figure{{start: "2020-01-01", end: "2023-06-30", term: "nk-2020-2025"}}},
		{"Năm 2021, 2022, tỉnh kỷ luật 36 đảng viên.", []figure{{start: "2021-01-01", end: "2022-12-31"}}},
		// "Hiện" opening a sentence is now; a phrase after the number counts only in its segment.
		{"Hiện toàn tỉnh có 21.804 cán bộ, công chức, viên chức; giai đoạn 2016 - 2021 đã tinh giản 1.125 biên chế.",
			[]figure{{number: "21.804", start: "2023-06-30"}, {number: "1.125", start: "2016-01-01", end: "2021-12-31", category: "streamlining"}}},
		// A baseline ("so với nhiệm kỳ trước") dates nothing.
		{"Cán bộ trẻ chiếm 12% tổng số cán bộ, tăng 5% so với nhiệm kỳ trước.", []figure{{number: "12", start: "2023-06-30", term: ""}}},
		{"Trong 5 năm (2016 - 2020), tỉnh luân chuyển 2.541 cán bộ.", []figure{{start: "2016-01-01", end: "2020-12-31"}}},
		// A planning term is not the period.
		{"Năm 2022, huyện đưa ra khỏi quy hoạch giai đoạn 2020-2025 đối với 3 đồng chí.", []figure{{start: "2022-01-01", end: "2022-12-31", term: "qh-2020-2025"}}},
		// A deadline marks a target.
		{"Phấn đấu đến năm 2025, tỷ lệ cán bộ nữ lãnh đạo, quản lý đạt 30%.", []figure{{end: "2025-12-31", target: true, indicator: "women-leaders-share"}}},
		// The nearest phrase of the paragraph carries to its next sentences;
		// a stock in a paragraph of its own is dated at publication.
		{"Năm 2011, có 610 cán bộ được đánh giá. Trong đó, 318 đồng chí hoàn thành xuất sắc nhiệm vụ.\n\nHiện có 17 cán bộ nữ.",
			[]figure{{number: "610", start: "2011-01-01"}, {number: "318", start: "2011-01-01", parent: "610"}, {number: "17", start: "2023-06-30"}}},
		// An evaluation in a new paragraph is of the article's year, a stock of
		// publication day.
		{"Năm 2022, huyện luân chuyển 23 cán bộ.\n\nVề đánh giá, có 52 tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ. Huyện có 17 cán bộ nữ.",
			[]figure{{number: "23", start: "2022-01-01"}, {number: "52", start: "2022-01-01", end: "2022-12-31", category: "evaluation"}, {number: "17", start: "2023-06-30"}}},
		// A flow in a new paragraph takes the article's period, not the last
		// year of a year-by-year list.
		{"Nhiệm kỳ 2015 - 2020, huyện đã luân chuyển 86 cán bộ. Năm 2016 có 18 đồng chí; năm 2017 có 25 đồng chí.\n\nCùng với đó, huyện đã bổ nhiệm mới 47 cán bộ lãnh đạo.",
			[]figure{{number: "86", start: "2015-01-01"}, {number: "18", start: "2016-01-01", end: "2016-12-31"}, {number: "25", start: "2017-01-01", end: "2017-12-31"},
				{number: "47", start: "2015-01-01", end: "2020-12-31", term: "nk-2015-2020"}}},
	}
	for _, tt := range tests {
		check(t, district(tt.text), tt.want)
	}
	// The national congress's terms run a year later than local ones.
	in := district("Từ đầu nhiệm kỳ XIII đến nay, Trung ương đã thi hành kỷ luật hơn 170 cán bộ diện Trung ương quản lý.")
	in.Locality = extract.NationalSlug
	check(t, in, []figure{{start: "2021-01-01", end: "2023-06-30", term: "nk-2021-2026", locality: "trung-uong", qualifier: "at_least"}})
	in = district("Nhiệm kỳ qua, tỉnh luân chuyển 30 cán bộ.")
	check(t, in, []figure{{start: "2015-01-01", end: "2020-12-31", term: "nk-2015-2020"}})
}

func TestDirectionsAndTotals(t *testing.T) {
	tests := []struct {
		in   extract.Input
		want []figure
	}{
		{district("Nhiệm kỳ qua, huyện tiếp nhận 5 đồng chí từ cấp tỉnh về huyện, 3 đồng chí từ huyện được điều động lên tỉnh."),
			[]figure{{number: "5", from: "province", to: "district", indicator: "transferred"},
				{number: "3", from: "district", to: "province", indicator: "transferred"}}},
		{district("Năm 2021, 4 cán bộ lãnh đạo, quản lý cấp huyện được luân chuyển làm cán bộ chủ chốt ở cơ sở và một số đồng chí được điều động từ cơ sở lên huyện."),
			[]figure{{number: "4", from: "district", to: "commune", completeness: "complete", quote: "ở cơ sở"}}},
		{province("Từ năm 2010 đến nay, toàn tỉnh có 164 đồng chí được luân chuyển. Trong đó, luân chuyển dọc 126 đồng chí; cấp tỉnh luân chuyển về huyện 19 đồng chí."),
			[]figure{{number: "164"}, {number: "126", parent: "164", completeness: "part"},
				{number: "19", from: "province", to: "district", completeness: "complete"}}},
		{district("Hiện nay, huyện có 417 cán bộ diện Ban Thường vụ Huyện ủy quản lý, trong đó nữ có 161 đồng chí."),
			[]figure{{number: "417", indicator: "managed-cadres"}, {number: "161", parent: "417", indicator: "managed-cadres-women", subject: ": nữ"}}},
		{district("Năm 2019, tổng số cán bộ diện Ban Thường vụ Huyện ủy quản lý là 610 đồng chí, có 318 đ/c hoàn thành xuất sắc nhiệm vụ, 276 đ/c hoàn thành tốt nhiệm vụ, 2 đ/c không hoàn thành nhiệm vụ."),
			[]figure{{number: "610", category: "evaluation", indicator: "evaluated"}, {number: "318", parent: "610", indicator: "rated-excellent"},
				{number: "276", parent: "610", indicator: "rated-good"}, {number: "2", parent: "610", indicator: "rated-not-completed"}}},
		// "gồm" with no total before it in its clause is the count itself.
		{district("Năm 2021, huyện kiện toàn các chức danh lãnh đạo gồm 13 đồng chí."),
			[]figure{{number: "13", category: "placement", indicator: "posts-staffed", parent: ""}}},
		// Parts that add up to more than the total are not its parts.
		{district("Năm 2021, huyện luân chuyển 10 cán bộ, gồm 8 cán bộ cấp huyện và 7 cán bộ cấp xã."),
			[]figure{{number: "10"}, {number: "8", completeness: "complete"}, {number: "7", completeness: "complete"}}},
		// Parts in brackets after their total; a list naming its unit once.
		{province("Năm 2022, Ủy ban Kiểm tra thi hành kỷ luật 36 đảng viên (khiển trách 20, cảnh cáo 12, cách chức 4)."),
			[]figure{{number: "36"}, {number: "20", parent: "36", unit: "persons", indicator: "disciplined-party-members"},
				{number: "12", parent: "36"}, {number: "4", parent: "36"}}},
		// A number counting nothing does not cut the clause of one that counts.
		{province("Tỉnh đã tổ chức 12 lớp bồi dưỡng cho 1.500 lượt cán bộ."), []figure{{number: "1.500", unit: "turns", category: "training"}}},
		// A later number of a list reads its indicator with the first's verb.
		{province("Năm 2022, tỉnh luân chuyển từ tỉnh về huyện 24 đồng chí, từ huyện lên tỉnh 9 đồng chí."),
			[]figure{{number: "24", from: "province", to: "district"}, {number: "9", indicator: "rotated", from: "district", to: "province"}}},
		// A list of examples is a lower bound, each of its numbers.
		{district("Điển hình năm 2019, huyện cử 15 đồng chí đi học cao cấp lý luận chính trị, 3 đồng chí đi học trung cấp lý luận chính trị…"),
			[]figure{{number: "15", completeness: "lower_bound", indicator: "sent-senior-political-theory"},
				{number: "3", completeness: "lower_bound", indicator: "sent-intermediate-political-theory"}}},
		{district("Năm 2019, huyện cử cán bộ đi học các lớp như: cao cấp lý luận chính trị 15 đồng chí, trung cấp lý luận chính trị 30 đồng chí."),
			[]figure{{number: "15", completeness: "lower_bound"}, {number: "30", completeness: "lower_bound"}}},
		{district("Năm 2020, một số chức danh được kiện toàn: trưởng phòng 4 đồng chí, phó trưởng phòng 7 đồng chí."),
			[]figure{{number: "4", completeness: "lower_bound"}, {number: "7", completeness: "lower_bound"}}},
		// A list continues the verb of its first number.
		{district("Nhiệm kỳ 2015 - 2020, huyện bổ nhiệm được 8 trưởng phòng, 9 phó trưởng phòng và tương đương."),
			[]figure{{number: "8", indicator: "appointed-division-heads"},
				{number: "9", category: "appointment", indicator: "appointed-division-deputies", quote: "bổ nhiệm được 8 trưởng phòng, 9 phó"}}},
	}
	for _, tt := range tests {
		check(t, tt.in, tt.want)
	}
}

func TestLocalities(t *testing.T) {
	tests := []struct {
		in   extract.Input
		want []figure
	}{
		// A sub-locality named in the sentence wins over the article's.
		{province("Năm 2022, huyện Thanh Miện luân chuyển 12 cán bộ về cơ sở."), []figure{{locality: "thanh-mien"}}},
		// The longest name: Điện Biên Đông, not Điện Biên.
		{province("Năm 2022, huyện Điện Biên Đông tiếp nhận 6 cán bộ từ tỉnh về huyện."), []figure{{locality: "dien-bien-dong"}}},
		// The article's own province is not a sub-locality.
		{district("Năm 2022, tỉnh Hải Dương điều động 4 cán bộ về huyện Bình Giang."), []figure{{locality: "binh-giang"}}},
		// The central level: Bộ Chính trị acting, cadres managed by the Central Committee.
		{province("Năm 2023, Bộ Chính trị, Ban Bí thư đã điều động, luân chuyển 44 cán bộ từ Trung ương về địa phương."),
			[]figure{{locality: "trung-uong", from: "national", to: "province"}}},
		{province("Hiện nay, tỉnh có 12 cán bộ diện Trung ương quản lý."), []figure{{locality: "trung-uong", indicator: "higher-managed-cadres"}}},
		// A document of the Politburo does not make a provincial figure central.
		{province("Thực hiện Kết luận của Bộ Chính trị, năm 2022 tỉnh luân chuyển 20 cán bộ."), []figure{{locality: "hai-duong"}}},
	}
	for _, tt := range tests {
		check(t, tt.in, tt.want)
	}
}

// A number that a headline repeats from the body is one candidate, with
// the body's sentence; a headline number the body lacks stays a candidate.
func TestHeadlineRepeatsBody(t *testing.T) {
	text := "Bình Giang: 35 cán bộ được luân chuyển\nThứ Hai, 12/6/2023\n\n" +
		"Xác định công tác cán bộ là khâu then chốt, thời gian qua huyện đã có nhiều giải pháp đổi mới công tác cán bộ. " +
		"Từ đầu nhiệm kỳ đến nay, huyện đã luân chuyển 35 cán bộ về cơ sở.\n\n" +
		"12 cán bộ trẻ nhận quyết định luân chuyển\n"
	in := district(text)
	in.Published = time.Time{} // read from the header
	res := extract.Extract(in)
	if len(res.Candidates) != 2 {
		t.Fatalf("%d candidates, want 2: %+v", len(res.Candidates), res.Candidates)
	}
	if c := res.Candidates[0]; c.Value != 35 || !strings.HasPrefix(c.Sentence, "Từ đầu nhiệm kỳ") {
		t.Errorf("first candidate %v in %q, want 35 in the body's sentence", c.Value, c.Sentence)
	}
	if !res.Published.Equal(time.Date(2023, 6, 12, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("published %v, want the header's 12/6/2023", res.Published)
	}
	repeated := false
	for _, o := range res.Others {
		if o.Text == "35" && o.Reason == extract.ReasonRepeated {
			repeated = true
		}
	}
	if !repeated {
		t.Errorf("the headline's 35 is not listed apart as repeated: %+v", res.Others)
	}
	// A title given apart, not in the text, is read as a headline first.
	res = extract.Extract(extract.Input{Title: "Huyện Bình Giang luân chuyển 35 cán bộ",
		Text: "Năm 2023, huyện đã luân chuyển 35 cán bộ về cơ sở.", Locality: "binh-giang", Published: published})
	if len(res.Candidates) != 1 || res.Candidates[0].At != 0 {
		t.Errorf("with a separate title: %+v, want one candidate in the text", res.Candidates)
	}
	if len(res.Others) != 2 || res.Others[0].At != -1 || res.Others[0].Text != "35" || res.Others[0].Reason != extract.ReasonRepeated {
		t.Errorf("with a separate title: others %+v, want the title's 35 repeated, at -1, then the year", res.Others)
	}
}

// Sentences written for this test, not taken from the seed articles: the
// same phrases in provincial and central reports.
func TestOwnSentences(t *testing.T) {
	tests := []struct {
		in   extract.Input
		want []figure
	}{
		{province("Nhiệm kỳ 2020 - 2025, Bộ Chính trị đã điều động, luân chuyển 18 đồng chí ủy viên Trung ương Đảng về làm bí thư tỉnh ủy."),
			[]figure{{number: "18", category: "rotation", locality: "trung-uong", from: "national", to: "province", term: "nk-2020-2025"}}},
		{province("Năm 2022, Ban Bí thư luân chuyển 6 cán bộ diện Trung ương quản lý từ các bộ, ngành Trung ương về địa phương."),
			[]figure{{number: "6", category: "rotation", indicator: "rotated", locality: "trung-uong", from: "national", to: "province"}}},
		{province("Năm 2022, Ủy ban Kiểm tra các cấp đã thi hành kỷ luật 215 đảng viên, trong đó khiển trách 150, cảnh cáo 48, cách chức 7, khai trừ 10 đảng viên."),
			[]figure{{number: "215", category: "discipline", indicator: "disciplined-party-members"},
				{number: "150", category: "discipline", parent: "215", unit: "persons"}, {number: "48", parent: "215"},
				{number: "7", parent: "215"}, {number: "10", category: "discipline", parent: "215"}}},
		{province("Năm 2021, toàn tỉnh kỷ luật 12 tổ chức đảng và 48 cán bộ, công chức."),
			[]figure{{number: "12", indicator: "disciplined-organisations"}, {number: "48", indicator: "disciplined-cadres"}}},
		{province("Năm 2023, tỉnh đã tuyển dụng 312 công chức, viên chức thông qua thi tuyển."),
			[]figure{{number: "312", category: "recruitment", indicator: "recruited", start: "2023-01-01"}}},
		{province("Giai đoạn 2016 - 2021, toàn tỉnh đã tinh giản biên chế 1.215 người, đạt 10,2%."),
			[]figure{{number: "1.215", category: "streamlining", indicator: "staff-reduced"}, {number: "10,2", unit: "percent", category: "streamlining"}}},
		{province("Hiện nay, tỷ lệ cán bộ nữ giữ chức vụ lãnh đạo, quản lý của tỉnh đạt 28,5%."),
			[]figure{{number: "28,5", category: "workforce", indicator: "women-leaders-share", unit: "percent"}}},
		{province("Năm 2022, tỉnh đã bổ nhiệm mới 42 cán bộ lãnh đạo cấp sở, bổ nhiệm lại 31 đồng chí."),
			[]figure{{number: "42", indicator: "appointed-leaders"}, {number: "31", indicator: "reappointed"}}},
		{province("Năm 2020, Tỉnh ủy giới thiệu 9 đồng chí ứng cử đại biểu Quốc hội khóa XV."),
			[]figure{{number: "9", category: "nomination", indicator: "nominated"}}},
		{province("Năm 2022, toàn tỉnh kết nạp 1.350 đảng viên mới, nâng tổng số đảng viên lên 52.300 đồng chí."),
			[]figure{{number: "1.350", category: "party", indicator: "-"}, {number: "52.300", category: "party", indicator: "party-members"}}},
		{province("Năm 2021, tỉnh phê duyệt quy hoạch 420 lượt cán bộ vào các chức danh lãnh đạo, quản lý."),
			[]figure{{number: "420", category: "planning", unit: "turns", indicator: "-"}}},
		{province("Năm 2022, có 18,5% cán bộ diện Ban Thường vụ Tỉnh ủy quản lý được xếp loại hoàn thành xuất sắc nhiệm vụ."),
			[]figure{{number: "18,5", indicator: "rated-excellent-share"}}},
	}
	for _, tt := range tests {
		check(t, tt.in, tt.want)
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"Năm 2019, TP. Hạ Long có hơn 7.200 đảng viên; trong đó nữ 40%.",
		"Nhiệm kỳ 2015 - 2020, huyện bổ nhiệm 8 trưởng phòng, 9 phó trưởng phòng…",
		"Việc bố trí ở 4/17 xã, thị trấn. Lượt xem: 3762\n\nTrang: 1 - 2",
		"Từ năm 2010 đến nay có 164 đồng chí được luân chuyển. Trong đó, 126 đồng chí…",
		"quý IV/2023 ngày 3.7.2019 lúc 04:53 theo Quyết định 108/2014/NĐ-CP",
		"", "1", "%", "từ", "Ð\u0301 2/", "4/ 0 xã", "11/11 cán bộ", "năm 2019-",
	} {
		f.Add(s, "Tiêu đề 5 cán bộ")
	}
	f.Fuzz(func(t *testing.T, text, title string) {
		in := district(text)
		in.Title = title
		res := extract.Extract(in)
		inside := func(sentence string, at, start, end int) {
			src := text
			if at < 0 {
				src = title
				at = strings.Index(title, sentence)
				if at < 0 {
					t.Fatalf("sentence %q is not in the title %q", sentence, title)
				}
			}
			if at+len(sentence) > len(src) || src[at:at+len(sentence)] != sentence {
				t.Fatalf("sentence %q not at %d of the text", sentence, at)
			}
			if start < 0 || end > len(sentence) || start >= end {
				t.Fatalf("span %d–%d outside sentence %q", start, end, sentence)
			}
		}
		for _, c := range res.Candidates {
			inside(c.Sentence, c.At, c.Start, c.End)
			if !strings.Contains(text, c.Quote) && !strings.Contains(title, c.Quote) {
				t.Fatalf("quote %q is not in the input", c.Quote)
			}
			if c.Parent >= len(res.Candidates) || c.Parent < -1 {
				t.Fatalf("parent %d out of range", c.Parent)
			}
		}
		for _, o := range res.Others {
			inside(o.Sentence, o.At, o.Start, o.End)
		}
	})
}

// Without a publication date (none given, none in a header), "until now"
// has no end: the editor fills it rather than trust a guess.
func TestUnknownPublication(t *testing.T) {
	in := district("Từ năm 2010 đến nay, toàn tỉnh có 164 đồng chí được luân chuyển.")
	in.Published = time.Time{}
	check(t, in, []figure{{start: "2010-01-01", end: ""}})
	res := extract.Extract(in)
	if len(res.Candidates) == 1 && !res.Candidates[0].PeriodEnd.IsZero() {
		t.Errorf("period end %v, want none", res.Candidates[0].PeriodEnd)
	}
}
