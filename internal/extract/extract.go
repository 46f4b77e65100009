// Package extract finds the figures a Vietnamese press report gives about
// cadre-personnel work (công tác cán bộ): every number of the text, either
// proposed as a figure (with its sentence, category, indicator, unit,
// qualifier, completeness, period, rotation direction, total and
// locality) or listed apart with the reason it is not a count of people
// (a date, a document number, a duration, an age, a view counter…).
//
// It is pure: text in, candidates out; no I/O, no database, no domain
// types. Its rules are tables of Vietnamese cue words (rules.go), written
// for the press in general rather than for any one article. What it
// proposes is for an editor to confirm: it never decides alone.
package extract

import (
	"strings"
	"time"

	"github.com/cadrestats/cadrestats/internal/numtext"
)

// Locality is a unit the extractor may recognise in a sentence.
type Locality struct {
	Slug   string
	Name   string // without its prefix: "Điện Biên Đông"
	Level  string // national, province, provincial_city, district, commune
	Parent string // slug of the unit it lay in, "" for a province
	// ValidFrom and ValidTo bound when the unit existed (zero: open); of two
	// units with one name, the one that existed at publication is meant.
	ValidFrom, ValidTo time.Time
}

// Input is an article and what is known about it. Only Text is required.
type Input struct {
	Text  string
	Title string // the headline; when the text does not start with it, it is read first
	// Published caps every period ("từ năm 2010 đến nay" ends on it) and
	// dates stocks ("hiện có"). Zero: read from the article's header lines.
	Published time.Time
	// Locality is the slug of the article's locality, proposed for figures
	// whose sentence names no other. Empty: a known locality named in the
	// headline, if any.
	Locality   string
	Localities []Locality
}

// National is the unit central-level figures are proposed for (Bộ Chính
// trị, Ban Bí thư, cán bộ diện Trung ương quản lý).
const (
	NationalSlug  = "trung-uong"
	NationalLevel = "national"
)

// Candidate is a number proposed as a figure.
type Candidate struct {
	Sentence string // the sentence holding the number, verbatim
	// At is the byte offset of Sentence in Input.Text, or -1 when the
	// sentence is Input.Title (a headline not repeated in the text).
	At         int
	Start, End int    // the number in Sentence: Sentence[Start:End] ("4/17" for a fraction)
	Quote      string // the clause or clauses of Sentence the figure rests on, verbatim
	Cue        string // the words that proposed the category, as in the text

	Category  string // a category code: appointment, rotation …
	Indicator string // an indicator key, or "" when no cue is specific enough
	Subject   string // what was counted, in the sentence's words
	Measure   string // flow or stock (the indicator's, else the category's)

	Value        float64
	Denominator  float64 // "4/17": 17; 0 when the number is not a fraction
	Unit         string  // persons, turns, cases, percent, documents, organisations, communes
	Qualifier    string  // exact, at_least (hơn, trên), approximate (gần, khoảng)
	Completeness string  // complete, lower_bound (hơn …, or a list of examples), part (of Parent)
	Parent       int     // index in Result.Candidates of the total this is a part of; -1 for none
	// Count is, for a share, the index in Result.Candidates of the count it
	// gives as a share ("tái cử: 22, chiếm 61,1%": the 22); -1 for none.
	Count int

	// The period comes from the nearest time phrase (PeriodText): in the
	// sentence, else earlier in its paragraph; a stock without one is
	// dated at publication. Zero dates: nothing to go by.
	PeriodStart, PeriodEnd time.Time
	PeriodText             string
	Term                   string // a term key: nk-2015-2020 (congress term), qh-2015-2020 (planning term)
	Target                 bool   // a target or plan ("phấn đấu đến năm 2025 …"), not a result

	FromLevel, ToLevel string // rotations: national, province, district, commune

	Locality string // slug: a known locality named in the sentence, else the article's
	Level    string // the locality's level, when known
}

// Other is a number that is not proposed as a figure, with the reason.
type Other struct {
	Sentence   string
	At         int // as Candidate.At
	Start, End int // the number in Sentence
	Text       string
	Value      float64
	Reason     string // one of the Reason constants
}

// Reasons a number is not proposed as a figure.
const (
	ReasonDate       = "date"        // 28/10/2020, ngày 13-1, tháng 5/2020
	ReasonTime       = "time"        // 06:45, GMT+7
	ReasonYear       = "year"        // 2019, 2015-2020
	ReasonDuration   = "duration"    // 5 năm, 3 tháng, 2 nhiệm kỳ
	ReasonAge        = "age"         // dưới 50 tuổi
	ReasonOrdinal    = "ordinal"     // Đại hội XXIV, khóa XII, Trung ương 4, lần thứ 5
	ReasonDocument   = "document"    // Nghị quyết số 42-NQ/TW, Đề án 165
	ReasonViews      = "views"       // Lượt xem: 3762
	ReasonMoney      = "money"       // 21.804 triệu đồng
	ReasonChange     = "change"      // tăng 5% so với năm trước: a difference, not a count
	ReasonPage       = "page"        // page furniture: Trang 1 - 2 - 3, Hiển thị 10 / 25 kết quả
	ReasonName       = "name"        // part of a name or code: Covid-19
	ReasonRepeated   = "repeated"    // a headline or caption repeating a figure of the body
	ReasonNoUnit     = "no-unit"     // no counted noun follows: "cả 3 cấp"
	ReasonNoCategory = "no-category" // a count, but of nothing the categories cover
)

// Result is what Extract found, candidates and others in text order.
type Result struct {
	Candidates []Candidate
	Others     []Other
	Published  time.Time // as given, or read from the header; zero if unknown
	Locality   string    // the default locality used
}

// Extract reads the article and returns every number in it, either as a
// candidate figure or listed apart. The text should be in Unicode NFC
// (textnorm.Canonical); look-alike letters, tone-mark placement ("uỷ",
// "ủy") and letter case are folded for matching, never in what is
// returned. Extract never fails: a text without numbers gives nothing.
func Extract(in Input) Result {
	text, offset := in.Text, 0
	title := strings.TrimSpace(in.Title)
	if title != "" && !hasLine(in.Text, title) {
		text = title + "\n\n" + in.Text
		offset = len(title) + 2
	}
	d := newDoc(text, in)
	if offset > 0 {
		d.paras[0].lead = true
	}
	d.run()
	res := Result{Published: d.pub, Locality: d.locality}
	at := func(a int) int {
		if offset == 0 {
			return a
		}
		if a < offset {
			return -1
		}
		return a - offset
	}
	for _, c := range d.out {
		c.At = at(c.At)
		res.Candidates = append(res.Candidates, c)
	}
	for _, o := range d.others {
		o.At = at(o.At)
		res.Others = append(res.Others, o)
	}
	return res
}

// hasLine reports whether some line of text is the title (white space
// and case aside).
func hasLine(text, title string) bool {
	want := strings.ToLower(strings.Join(strings.Fields(title), " "))
	for line := range strings.SplitSeq(text, "\n") {
		if strings.ToLower(strings.Join(strings.Fields(line), " ")) == want {
			return true
		}
	}
	return false
}

// doc is one extraction's working state.
type doc struct {
	in       Input
	text     string
	r        *rules
	nums     []numtext.Token
	toks     []tok
	paras    []para
	sents    []sent
	numbers  []number
	numOf    map[int]int // token → index in numbers
	pub      time.Time
	locality string
	level    string // the default locality's level
	parents  map[string]string
	names    []phrase // the names of in.Localities, compiled
	out      []Candidate
	others   []Other
}

type para struct {
	paragraph
	lead    bool // a headline or header line before the body
	display bool // a short line without a final stop: headline, caption
}

type sent struct {
	sentence
	t0, t1  int // tokens
	phrases []timePhrase
	plan    string // a planning term named in the sentence (qh-2015-2020)
	segs    []span // parts between semicolons
	mask    []span
	cues    []cueMatch
	dup     bool // the same sentence appeared earlier (a repeated caption)
}

func newDoc(text string, in Input) *doc {
	d := &doc{in: in, text: text, r: compiledRules(), pub: in.Published, parents: map[string]string{}}
	d.nums = numtext.Scan(text)
	d.toks = tokenize(text, d.nums)
	d.numberWords()
	for _, p := range paragraphs(text) {
		d.paras = append(d.paras, para{paragraph: p, display: !p.ends && p.words < 30})
	}
	// Lines before the first body paragraph are the header: section, title,
	// date, counters.
	for i := range d.paras {
		if d.paras[i].ends && d.paras[i].words >= 12 || d.paras[i].words >= 25 {
			break
		}
		d.paras[i].lead = true
	}
	k := 0
	seen := map[string]bool{}
	for _, s := range sentences(text, paragraphsOf(d.paras)) {
		st := sent{sentence: s}
		for k < len(d.toks) && d.toks[k].start < s.Start {
			k++
		}
		st.t0 = k
		for k < len(d.toks) && d.toks[k].start < s.End {
			k++
		}
		st.t1 = k
		key := strings.ToLower(strings.Join(strings.Fields(text[s.Start:s.End]), " "))
		st.dup = seen[key]
		seen[key] = true
		d.sents = append(d.sents, st)
	}
	for _, l := range in.Localities {
		d.parents[l.Slug] = l.Parent
		d.names = append(d.names, compile(l.Name))
	}
	d.locality = in.Locality
	return d
}

func paragraphsOf(ps []para) []paragraph {
	out := make([]paragraph, len(ps))
	for i, p := range ps {
		out[i] = p.paragraph
	}
	return out
}

func (d *doc) run() {
	if d.pub.IsZero() {
		d.pub = d.headerDate()
	}
	if d.locality == "" {
		d.locality = d.headerLocality()
	}
	d.level = d.levelOf(d.locality)
	d.classifyNumbers()
	for i := range d.sents {
		d.prepareSentence(i)
	}
	d.buildFigures()
}

// levelOf is a known locality's level.
func (d *doc) levelOf(slug string) string {
	if slug == NationalSlug {
		return NationalLevel
	}
	for _, l := range d.in.Localities {
		if l.Slug == slug {
			return l.Level
		}
	}
	return ""
}
