package stats

import "strings"

// SyntheticSourcePrefix starts the key of every source that cadrestats
// synth invents. A figure is synthetic when its source is: a database
// whose figures all cite such sources holds no real data.
const SyntheticSourcePrefix = "synth-"

// IsSynthetic reports whether a source key names an invented source.
func IsSynthetic(sourceKey string) bool { return strings.HasPrefix(sourceKey, SyntheticSourcePrefix) }

// LoadFigure is a figure for a bulk load that bypasses the editors'
// pipeline (cadrestats synth): the input as an editor would type it, so
// that the domain's rules can be checked on it, with the ids its
// locality, indicator, term and source resolve to (0: none). ID and
// ParentID are set: parts name totals loaded before them.
type LoadFigure struct {
	FigureInput
	LocalityID  int64
	IndicatorID int64
	TermID      int64
	SourceID    int64
	Verified    bool // checked by a second editor
	Deleted     bool // soft-deleted
}

// BulkRefs are what the figures of a bulk load may cite, as stored: the
// localities the load was given (with the ids they have, or were given),
// the live indicators and terms, and the ids its first source and first
// figure take. Figure ids start above those of every figure stored and
// above 1000, so that the seed's fixed ids stay free.
type BulkRefs struct {
	Localities    []Locality
	Indicators    []Indicator
	Terms         []Term
	FirstSourceID int64
	FirstFigureID int64
}

// BulkLoad counts what a bulk load wrote.
type BulkLoad struct {
	Localities, Sources, Figures int
}
