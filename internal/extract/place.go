package extract

import (
	"slices"
)

// direction reads where a rotation went: "từ cấp tỉnh về huyện", "từ
// huyện được điều động lên tỉnh", "cấp tỉnh luân chuyển về huyện", "cán
// bộ … cấp huyện được luân chuyển làm cán bộ chủ chốt ở cơ sở".
func (d *doc) direction(f *fig) (string, string) {
	type mention struct {
		at    int
		level string
		kind  byte // 'f' after "từ", 't' after a to-word, 'c' after "cấp" or a person noun
	}
	var ms []mention
	verb := -1
	for _, m := range d.sents[f.sent].cues {
		if m.from >= f.from && m.to <= f.to && d.r.categories[m.rule].category == "rotation" && verb < 0 {
			verb = m.from
		}
	}
	for i := f.from; i < f.to; i++ {
		level, end := d.levelAt(i, f.to)
		if level == "" {
			continue
		}
		// "Huyện ủy", "tỉnh ủy" name committees, not levels.
		if end < f.to && (d.is(end, "ủy") || d.is(end, "uỷ")) && !d.afterTo(i, f.from) {
			i = end - 1
			continue
		}
		k := byte(0)
		switch {
		case d.before(i, f.from, d.r.from):
			k = 'f'
		case d.afterTo(i, f.from):
			k = 't'
		case d.is(i, "cấp") || d.is(i-1, "diện") || d.before(i, f.from, d.r.persons):
			k = 'c' // "cấp huyện …", "cán bộ Trung ương", "ủy viên Trung ương"
		}
		if k != 0 {
			ms = append(ms, mention{i, level, k})
		}
		i = end - 1
	}
	from, to := "", ""
	for _, m := range ms {
		if m.kind == 'f' && from == "" {
			from = m.level
		}
	}
	for _, m := range ms {
		if m.kind == 't' && to == "" && (verb < 0 || m.at > verb || from != "") {
			to = m.level
		}
	}
	if from == "" {
		// "cấp huyện được luân chuyển … ở cơ sở", "ủy viên Trung ương … về
		// làm bí thư tỉnh ủy": the level the cadres held, before where they went.
		toAt := len(d.toks)
		for _, m := range ms {
			if m.kind == 't' && m.level == to {
				toAt = m.at
				break
			}
		}
		for _, m := range ms {
			if m.kind == 'c' && m.at < toAt {
				from = m.level
			}
		}
	}
	if to == "local" && from == "national" {
		to = "province" // "từ Trung ương về địa phương"
	}
	if from == "local" && to == "national" {
		from = "province"
	}
	if from == "" || to == "" || from == to || to == "local" {
		return "", ""
	}
	return from, to
}

// afterTo: token i follows a to-word ("về huyện", "lên tỉnh", "về làm bí
// thư tỉnh ủy", "ở cơ sở"), a few words of the new post allowed between.
func (d *doc) afterTo(i, lo int) bool {
	for k := i; k >= lo && k >= i-5; k-- {
		if d.before(k, lo, d.r.to) {
			if k == i || d.is(k, "làm", "công", "giữ", "các", "cấp") {
				return true
			}
		}
		if k < i && !d.toks[k].word {
			return false
		}
	}
	return false
}

// levelAt reads an administrative level at token i.
func (d *doc) levelAt(i, hi int) (string, int) {
	best, bestEnd := "", i
	for _, l := range d.r.levels {
		for _, p := range l.words {
			if end, ok := p.matchAt(d.toks, i, hi); ok && end > bestEnd {
				best, bestEnd = l.level, end
			}
		}
	}
	if best == "" && d.is(i, "thành") && d.is(i+1, "phố") {
		best, bestEnd = "province", i+2
		if d.level == "provincial_city" || d.level == "district" || d.level == "commune" {
			best = "district"
		}
	}
	if best == "" && d.is(i, "địa") && d.is(i+1, "phương") {
		best, bestEnd = "local", i+2
	}
	return best, bestEnd
}

// localityOf: the central level when the item names a central body as
// actor; else a known locality the item names, else one the sentence
// names before it; else the article's.
func (d *doc) localityOf(f *fig) string {
	for _, m := range find(d.toks, f.from, f.to, d.r.central) {
		if !d.before(m.from, d.sents[f.sent].t0, d.r.centralNot) {
			return NationalSlug
		}
	}
	if slug, _ := d.namedLocality(f.from, f.to); slug != "" {
		return slug
	}
	if slug, _ := d.namedLocality(d.sents[f.sent].t0, f.from); slug != "" {
		return slug
	}
	return d.locality
}

// namedLocality finds the last known locality named in toks[from:to] that
// is neither the article's locality nor one containing it.
func (d *doc) namedLocality(from, to int) (string, int) {
	best, bestAt := "", -1
	for i, l := range d.in.Localities {
		// The central level is proposed by its own cues (Bộ Chính trị, cán
		// bộ diện Trung ương quản lý), never by the word "Trung ương" alone:
		// "Đề án 165 của Trung ương" is the province's training.
		if l.Name == "" || l.Level == NationalLevel || l.Slug == d.locality || d.isAncestor(l.Slug) || !d.validAt(l) {
			continue
		}
		for _, m := range find(d.toks, from, to, d.names[i:i+1]) {
			// "Điện Biên" inside "Điện Biên Đông" is not Điện Biên.
			if d.longerName(m.span, d.names[i]) {
				continue
			}
			if m.from > bestAt {
				best, bestAt = l.Slug, m.from
			}
		}
	}
	return best, bestAt
}

// longerName: a longer known name starts where name matched.
func (d *doc) longerName(m span, name phrase) bool {
	short := name.keys
	for _, p := range d.names {
		if len(p.keys) <= len(short) || !slices.Equal(p.keys[:len(short)], short) {
			continue
		}
		if _, ok := p.matchAt(d.toks, m.from, len(d.toks)); ok {
			return true
		}
	}
	return false
}

func (d *doc) isAncestor(slug string) bool {
	for s, n := d.parents[d.locality], 0; s != "" && n < 10; s, n = d.parents[s], n+1 {
		if s == slug {
			return true
		}
	}
	return false
}

func (d *doc) validAt(l Locality) bool {
	if d.pub.IsZero() {
		return true
	}
	if !l.ValidFrom.IsZero() && d.pub.Before(l.ValidFrom) {
		return false
	}
	return l.ValidTo.IsZero() || !d.pub.After(l.ValidTo)
}
