package synth

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/cadrestats/cadrestats/internal/stats"
)

// The 2025 reorganisation: the last day of the old units, the first of
// the new ones (as the seed records them).
var (
	lastOldDay  = time.Date(2025, time.June, 30, 0, 0, 0, 0, time.UTC)
	firstNewDay = time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC)
)

const inventedNote = " Tên đơn vị giả lập (cadrestats synth)."

// Localities returns the synthetic country, parents before their
// children: the central level; the 63 provinces as they stood before 1
// July 2025, about 700 districts under them and about 10.000 communes
// under those, all valid until 30 June 2025; the 23 provinces formed by
// merging on 1 July 2025, successors of the 52 they replaced; the 11 left
// unchanged belong to both periods. Province names are real, districts
// and communes invented. A unit that known holds (the seed's), the same
// by name, level, period and parent, keeps its slug; every other slug is
// one known does not use. The same seed gives the same country.
func Localities(seed uint64, known []stats.Locality) []stats.Locality {
	r := rand.New(rand.NewPCG(seed, 0x10ca1))
	taken := map[string]bool{}
	for _, l := range known {
		taken[l.Slug] = true
	}
	var out []stats.Locality
	// match finds the known unit that is this one.
	match := func(l stats.Locality) (stats.Locality, bool) {
		for _, k := range known {
			if k.Name == l.Name && k.Level == l.Level && (k.ValidFrom != nil) == (l.ValidFrom != nil) &&
				(k.ValidTo != nil) == (l.ValidTo != nil) && k.ParentSlug == l.ParentSlug {
				return k, true
			}
		}
		return stats.Locality{}, false
	}
	slug := func(base string, suffixes ...string) string {
		for _, s := range append([]string{""}, suffixes...) {
			c := base
			if s != "" {
				c += "-" + s
			}
			if !taken[c] {
				taken[c] = true
				return c
			}
		}
		for n := 2; ; n++ {
			if c := base + "-" + strconv.Itoa(n); !taken[c] {
				taken[c] = true
				return c
			}
		}
	}
	add := func(l stats.Locality, suffixes ...string) stats.Locality {
		if k, ok := match(l); ok {
			l.Slug, l.Note, l.Focus = k.Slug, k.Note, k.Focus
		} else {
			l.Slug = slug(stats.Slugify(l.Name), suffixes...)
		}
		out = append(out, l)
		return l
	}
	old, from := &lastOldDay, &firstNewDay

	add(stats.Locality{Name: "Trung ương", Level: stats.LevelNational,
		Note: "Cấp Trung ương: Bộ Chính trị, Ban Bí thư, các cơ quan Trung ương và cán bộ diện Trung ương quản lý."})

	// The new provinces first, so that the old ones can name them.
	newSlug := map[string]string{}
	merged := map[string][]string{}
	for _, p := range provinces {
		if p.into != "" {
			merged[p.into] = append(merged[p.into], p.name)
		}
	}
	for _, p := range provinces {
		if _, done := newSlug[p.into]; p.into == "" || done {
			continue
		}
		prefix := "tỉnh"
		if cities[p.into] {
			prefix = "thành phố"
		}
		l := add(stats.Locality{Name: p.into, Prefix: prefix, Level: stats.LevelProvince, ValidFrom: from,
			Note: "Hình thành từ 01/07/2025 do hợp nhất " + joinNames(merged[p.into]) + "."}, "2025")
		newSlug[p.into] = l.Slug
	}
	for _, p := range provinces {
		pl := stats.Locality{Name: p.name, Prefix: p.prefix, Level: stats.LevelProvince}
		if p.into != "" {
			pl.ValidTo, pl.SuccessorSlug = old, newSlug[p.into]
			pl.Note = "Hợp nhất vào " + newPrefix(p.into) + " " + p.into + " từ 01/07/2025."
		}
		pl = add(pl, "truoc-2025")
		districts := 7 + r.IntN(9)
		names := map[string]bool{}
		// The seed's districts of this province come first, as themselves.
		var ds []stats.Locality
		for _, k := range known {
			if k.ParentSlug == pl.Slug && (k.Level == stats.LevelDistrict || k.Level == stats.LevelProvincialCity) {
				ds = append(ds, k)
				names[k.Name] = true
			}
		}
		for len(ds) < districts {
			name := placeName(r, names)
			d := stats.Locality{Name: name, Prefix: "huyện", Level: stats.LevelDistrict, ParentSlug: pl.Slug,
				ValidTo: old, Note: "Cấp huyện kết thúc hoạt động từ 01/07/2025." + inventedNote}
			switch x := r.Float64(); {
			case x < 0.10:
				d.Prefix, d.Level = "thành phố", stats.LevelProvincialCity
			case x < 0.18:
				d.Prefix = "thị xã"
			}
			ds = append(ds, d)
		}
		for _, d := range ds {
			if d.Slug == "" {
				d = add(d, pl.Slug)
			} else {
				out = append(out, d)
			}
			communes := 9 + r.IntN(12)
			cnames := map[string]bool{}
			for range communes {
				c := stats.Locality{Name: placeName(r, cnames), Prefix: "xã", Level: stats.LevelCommune, ParentSlug: d.Slug,
					ValidTo: old, Note: "Sắp xếp lại từ 01/07/2025." + inventedNote}
				switch x := r.Float64(); {
				case d.Level == stats.LevelProvincialCity && x < 0.8, x < 0.06:
					c.Prefix = "phường"
				case x < 0.12:
					c.Prefix = "thị trấn"
				}
				add(c, d.Slug)
			}
		}
	}
	return out
}

// placeName invents a two-word name not yet in used.
func placeName(r *rand.Rand, used map[string]bool) string {
	for {
		a, b := syllables[r.IntN(len(syllables))], syllables[r.IntN(len(syllables))]
		if a == b {
			continue
		}
		if n := a + " " + b; !used[n] {
			used[n] = true
			return n
		}
	}
}

func newPrefix(name string) string {
	if cities[name] {
		return "thành phố"
	}
	return "tỉnh"
}

// joinNames writes "các tỉnh A, B và C".
func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			s += " và "
		default:
			s += ", "
		}
		s += n
	}
	return "các đơn vị " + s
}
