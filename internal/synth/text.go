package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// periodKind is how an article states a figure's period.
type periodKind uint8

const (
	pYear    periodKind = iota // "Năm 2019"
	pTerm                      // "Nhiệm kỳ 2015 - 2020"
	pSince                     // "Từ năm 2010 đến nay"
	pHalf                      // "6 tháng đầu năm 2024"
	pAt                        // a count at the article's date: "Hiện nay"
	pYearEnd                   // "Tính đến ngày 31/12/2023"
	pTarget                    // "Phấn đấu đến năm 2030"
	pRange                     // "Từ năm 2010 đến ngày 03/10/2018": a later article quoting an earlier period
)

type period struct {
	kind       periodKind
	start, end time.Time
	term       *stats.Term // the term a pTerm period is
	named      bool        // the figure carries the term: its article names it
	stock      bool
}

func jan1(y int) time.Time  { return time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC) }
func dec31(y int) time.Time { return time.Date(y, time.December, 31, 0, 0, 0, 0, time.UTC) }

// period picks how the current article states a figure's period. A
// reported figure's period never ends after its article, nor starts
// before its locality existed; a target's may end later. A term is named
// only when the period lies within it.
func (st *state) period(m stats.Measure, target bool) period {
	r := st.r
	d := st.src.PublishedOn
	lo := earliest
	if st.loc.ValidFrom != nil {
		lo = *st.loc.ValidFrom
	}
	firstYear := lo.Year()
	if !lo.Equal(jan1(lo.Year())) {
		firstYear++
	}
	year := func() (period, bool) {
		from := max(firstYear, d.Year()-6)
		if from > d.Year()-1 {
			return period{}, false
		}
		y := from + r.IntN(d.Year()-from)
		return period{kind: pYear, start: jan1(y), end: dec31(y), stock: m == stats.Stock}, true
	}
	since := func() period {
		from := max(lo.Year(), d.Year()-10)
		y := from + r.IntN(d.Year()-from+1)
		start := jan1(y)
		if start.Before(lo) {
			start = lo
		}
		return period{kind: pSince, start: start, end: d}
	}
	if target {
		to := 2030
		if d.Year() < 2025 && r.IntN(2) == 0 {
			to = 2025
		}
		if d.Year() >= to {
			to = d.Year() + 5
		}
		return period{kind: pTarget, start: jan1(d.Year() + 1), end: dec31(to)}
	}
	if m == stats.Stock {
		switch r.IntN(3) {
		case 1:
			if e := dec31(d.Year() - 1); !e.Before(lo) {
				return period{kind: pYearEnd, start: e, end: e, stock: true}
			}
		case 2:
			if p, ok := year(); ok {
				return p
			}
		}
		return period{kind: pAt, start: d, end: d, stock: true}
	}
	switch x := r.Float64(); {
	case x < 0.40:
		if p, ok := year(); ok {
			return p
		}
	case x < 0.60:
		var fit []*stats.Term
		for i, t := range st.g.congress {
			if t.StartYear < d.Year() && !jan1(t.StartYear).Before(lo) {
				fit = append(fit, &st.g.congress[i])
			}
		}
		if len(fit) > 0 {
			t := fit[r.IntN(len(fit))]
			p := period{kind: pTerm, start: jan1(t.StartYear), end: dec31(t.EndYear), term: t, named: r.Float64() < 0.7}
			if p.end.After(d) {
				p.end = d
			}
			return p
		}
	case x < 0.70:
		if d.Month() >= time.July && !jan1(d.Year()).Before(lo) {
			return period{kind: pHalf, start: jan1(d.Year()), end: time.Date(d.Year(), time.June, 30, 0, 0, 0, 0, time.UTC)}
		}
	}
	return since()
}

func (p period) phrase() string {
	switch p.kind {
	case pYear:
		return "Năm " + strconv.Itoa(p.start.Year())
	case pTerm:
		return fmt.Sprintf("Nhiệm kỳ %d - %d", p.term.StartYear, p.term.EndYear)
	case pSince:
		if p.start.YearDay() != 1 {
			return "Từ ngày " + p.start.Format("02/01/2006") + " đến nay"
		}
		if p.start.Year() == p.end.Year() {
			return "Từ đầu năm " + strconv.Itoa(p.start.Year()) + " đến nay"
		}
		return "Từ năm " + strconv.Itoa(p.start.Year()) + " đến nay"
	case pHalf:
		return "6 tháng đầu năm " + strconv.Itoa(p.start.Year())
	case pYearEnd:
		return "Tính đến ngày " + p.end.Format("02/01/2006")
	case pTarget:
		return "Phấn đấu đến năm " + strconv.Itoa(p.end.Year())
	case pRange:
		from := "ngày " + p.start.Format("02/01/2006")
		if p.start.YearDay() == 1 {
			from = "năm " + strconv.Itoa(p.start.Year())
		}
		return "Từ " + from + " đến ngày " + p.end.Format("02/01/2006")
	}
	return "Hiện nay"
}

// partText is one part of a total as the sentence lists it.
type partText struct {
	value float64
	desc  string
}

type partDesc struct {
	text     string
	from, to stats.Level
}

var groups = []string{"cán bộ nữ", "cán bộ trẻ dưới 40 tuổi", "cán bộ là người dân tộc thiểu số", "khối Đảng",
	"khối chính quyền", "khối Mặt trận Tổ quốc và các đoàn thể", "cấp tỉnh", "cấp huyện", "cấp xã"}

var levelWords = map[stats.Level]string{stats.LevelNational: "Trung ương", stats.LevelProvince: "cấp tỉnh",
	stats.LevelDistrict: "cấp huyện", stats.LevelCommune: "cấp xã"}

// partDescriptions names n distinct parts: directions between levels for
// rotations, groups of cadres otherwise.
func partDescriptions(r *rand.Rand, category string, n int, l *stats.Locality) []partDesc {
	var all []partDesc
	if category == "rotation" {
		for _, d := range directions(l) {
			all = append(all, partDesc{text: "từ " + levelWords[d[0]] + " về " + levelWords[d[1]], from: d[0], to: d[1]})
		}
	} else {
		for _, g := range groups {
			all = append(all, partDesc{text: g})
		}
	}
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	for len(all) < n {
		all = append(all, partDesc{text: fmt.Sprintf("nhóm %d", len(all)+1)})
	}
	return all[:n]
}

var leads = []string{
	"Thực hiện Nghị quyết số 26-NQ/TW của Ban Chấp hành Trung ương về tập trung xây dựng đội ngũ cán bộ các cấp, ",
	"Theo báo cáo của Ban Tổ chức, ",
	"Qua rà soát, đánh giá, ",
	"Với quyết tâm đổi mới công tác cán bộ, ",
	"Bám sát các quy định của Trung ương, ",
}

var tails = []string{
	"góp phần nâng cao chất lượng đội ngũ cán bộ",
	"đáp ứng yêu cầu nhiệm vụ trong tình hình mới",
	"bảo đảm đúng quy trình, công khai, dân chủ",
	"tạo nguồn cán bộ cho nhiệm kỳ tới",
	"được dư luận đồng tình, đánh giá cao",
}

var extras = []string{
	"Công tác cán bộ được thực hiện chặt chẽ, đúng nguyên tắc, quy trình.",
	"Chất lượng đội ngũ cán bộ từng bước được nâng lên.",
	"Tuy nhiên, việc luân chuyển cán bộ ở một số nơi còn lúng túng.",
	"Đây là cơ sở để tiếp tục kiện toàn đội ngũ cán bộ lãnh đạo, quản lý.",
}

// quote writes the article's sentence that states the figure: its
// period, where, the value in one of its written forms with its
// qualifier, what was counted and, for a total, its parts.
func quote(r *rand.Rand, l *stats.Locality, p period, in stats.FigureInput, parts []partText) string {
	var b strings.Builder
	if r.Float64() < 0.3 {
		b.WriteString(leads[r.IntN(len(leads))])
		b.WriteString(lowerFirst(p.phrase()))
	} else {
		b.WriteString(p.phrase())
	}
	b.WriteString(", ")
	if in.Unit == "percent" {
		// "tỷ lệ … của tỉnh Kon Tum đạt 24,8%"
		b.WriteString(claim(r, in, " của "+placePhrase(r, l, false)))
	} else {
		b.WriteString(placePhrase(r, l, true))
		b.WriteString(" ")
		b.WriteString(claim(r, in, ""))
	}
	for i, pt := range parts {
		if i == 0 {
			b.WriteString(", trong đó ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(number(r, pt.value, in.Unit) + " " + pt.desc)
	}
	if r.Float64() < 0.5 {
		b.WriteString(", " + tails[r.IntN(len(tails))])
	}
	b.WriteString(".")
	if r.Float64() < 0.25 {
		b.WriteString(" " + extras[r.IntN(len(extras))])
	}
	return b.String()
}

// claim is "có hơn 1.700 cán bộ được luân chuyển", "tỷ lệ … đạt 62,5%".
func claim(r *rand.Rand, in stats.FigureInput, of string) string {
	q := ""
	switch {
	case in.Qualifier == "at_least" && r.IntN(2) == 0:
		q = "hơn "
	case in.Qualifier == "at_least":
		q = "trên "
	case in.Qualifier == "approximate":
		q = "khoảng "
	}
	n := number(r, in.Value, in.Unit)
	switch {
	case in.Unit == "percent":
		return in.Subject + of + " đạt " + q + n + "%"
	case in.Denominator != nil:
		return "có " + q + n + "/" + number(r, *in.Denominator, in.Unit) + " " + in.Subject
	case in.FromLevel != "":
		return "có " + q + n + " " + in.Subject + " từ " + levelWords[in.FromLevel] + " về " + levelWords[in.ToLevel]
	case in.Completeness == stats.LowerBound && in.Qualifier == "exact":
		return "có " + n + " " + in.Subject + " điển hình"
	}
	return "có " + q + n + " " + in.Subject
}

var numberWords = map[float64]string{1: "một", 2: "hai", 3: "ba", 4: "bốn", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}

// number writes v as articles do: "1.700" mostly, sometimes "1700" or
// "1 700", decimals with a comma, small counts now and then in words.
func number(r *rand.Rand, v float64, unit string) string {
	if unit == "percent" {
		return strings.Replace(stats.FormatValue(v), ".", ",", 1)
	}
	if w, ok := numberWords[v]; ok && r.Float64() < 0.04 {
		return w
	}
	s := stats.FormatValue(v)
	if v < 1000 {
		return s
	}
	sep := "."
	switch x := r.Float64(); {
	case x < 0.2:
		return s
	case x < 0.3:
		sep = " "
	}
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// placePhrase is where: "toàn tỉnh Điện Biên", "huyện Sông Lô", "cấp Trung ương".
func placePhrase(r *rand.Rand, l *stats.Locality, whole bool) string {
	switch l.Level {
	case stats.LevelNational:
		return "cấp Trung ương"
	case stats.LevelProvince:
		if whole && r.IntN(2) == 0 {
			return "toàn " + l.Prefix + " " + l.Name
		}
	}
	if l.Prefix == "" {
		return l.Name
	}
	return l.Prefix + " " + l.Name
}

// subjectOf is what a figure of the indicator counts, as its subject.
func subjectOf(ind stats.Indicator) string {
	s := lowerFirst(strings.TrimSuffix(ind.Name, " (%)"))
	if ind.Unit == "percent" && !strings.HasPrefix(s, "tỷ lệ") {
		s = "tỷ lệ " + s
	}
	return s
}

func lowerFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(c)) + s[n:]
}

var weekdays = [...]string{"Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

var titleForms = []string{
	"%s: Nâng cao chất lượng đội ngũ cán bộ",
	"%s đẩy mạnh luân chuyển, điều động cán bộ",
	"Công tác cán bộ ở %s: Kết quả và kinh nghiệm",
	"%s tổng kết công tác tổ chức xây dựng Đảng năm %d",
	"%s chú trọng đào tạo, bồi dưỡng cán bộ trẻ",
	"Đổi mới công tác đánh giá cán bộ ở %s",
}

func title(r *rand.Rand, l *stats.Locality, d time.Time) string {
	place, inner := l.Name, l.Name
	if l.Level != stats.LevelNational && l.Prefix != "" {
		place, inner = upperFirst(l.Prefix)+" "+l.Name, l.Prefix+" "+l.Name
	}
	f := titleForms[r.IntN(len(titleForms))]
	switch {
	case strings.Count(f, "%") == 2:
		return fmt.Sprintf(f, place, d.Year()-1)
	case strings.HasPrefix(f, "%"):
		return fmt.Sprintf(f, place)
	}
	return fmt.Sprintf(f, inner)
}

func upperFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c)) + s[n:]
}

var nationalOutlets = []string{"Báo Nhân Dân", "Tạp chí Xây dựng Đảng", "Báo điện tử Đảng Cộng sản Việt Nam"}

func outlet(r *rand.Rand, l, province *stats.Locality) string {
	if l.Level == stats.LevelNational {
		return nationalOutlets[r.IntN(len(nationalOutlets))]
	}
	if r.Float64() < 0.6 {
		return "Báo " + province.Name
	}
	return fmt.Sprintf(outletForms[r.IntN(len(outletForms))], province.Name)
}
