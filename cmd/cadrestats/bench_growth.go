package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// sqlNote finds a page's SQL time in its note.
var sqlNote = regexp.MustCompile(`SQL ([0-9.]+ ms)`)

// sizeRun is what one size measured, as -json writes it.
type sizeRun struct {
	Size    string   `json:"size"`
	Where   string   `json:"where"` // "disk" or "tmpfs"
	Results []result `json:"results"`
}

// runs groups the results by size, in the order measured.
func (b *bench) runs() []sizeRun {
	var out []sizeRun
	for _, r := range b.results {
		if len(out) == 0 || out[len(out)-1].Size != r.Size {
			out = append(out, sizeRun{Size: r.Size})
		}
		out[len(out)-1].Results = append(out[len(out)-1].Results, r)
	}
	for i := range out {
		out[i].Where = b.where[out[i].Size]
	}
	return out
}

// printGrowth prints, as a Markdown table, each figure at every size
// measured: the measure and its ratio to its limit (at most 1 meets it),
// so that what grows with the data shows in its row.
func printGrowth(w io.Writer, runs []sizeRun) {
	var keys []string
	cells := map[string]map[int]result{}
	var sizes []sizeRun
	for _, run := range runs {
		if run.Size == "start" {
			continue
		}
		col := len(sizes)
		sizes = append(sizes, run)
		for _, r := range run.Results {
			if _, ok := cells[r.Key]; !ok {
				keys = append(keys, r.Key)
				cells[r.Key] = map[int]result{}
			}
			cells[r.Key][col] = r
		}
	}
	if len(sizes) == 0 {
		return
	}
	fmt.Fprintf(w, "\ngrowth (measure, ratio to its limit: at most 1 meets it)\n\n| what | limit |")
	for _, s := range sizes {
		fmt.Fprintf(w, " %s (%s) |", s.Size, s.Where)
	}
	fmt.Fprintf(w, "\n|---|---|%s\n", strings.Repeat("---|", len(sizes)))
	for _, k := range keys {
		// A fixed limit is the same at every size; a page's follows its SQL.
		limit, varies := "", false
		for col := range sizes {
			if r, ok := cells[k][col]; ok && r.Limit != "" {
				varies = varies || (limit != "" && r.Limit != limit) || sqlNote.MatchString(r.Note)
				limit = r.Limit
			}
		}
		if varies {
			limit = "1,5 × SQL + 5 ms, ≤ 100 ms"
		}
		fmt.Fprintf(w, "| %s | %s |", k, limit)
		for col := range sizes {
			r, ok := cells[k][col]
			switch {
			case !ok:
				fmt.Fprint(w, " – |")
			case r.Ratio > 0:
				mark := ""
				if !r.OK {
					mark = "**"
				}
				sql := ""
				if m := sqlNote.FindStringSubmatch(r.Note); varies && m != nil {
					sql = ", SQL " + m[1]
				}
				fmt.Fprintf(w, " %s%s%s (%.2f)%s |", mark, r.Measured, sql, r.Ratio, mark)
			default:
				fmt.Fprintf(w, " %s |", r.Measured)
			}
		}
		fmt.Fprintln(w)
	}
}
