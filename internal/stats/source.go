package stats

import "time"

// Source is an article figures and findings are drawn from.
type Source struct {
	ID            int64
	Key           string // stable, ASCII: "mong-cai-2020-02-15"
	Title         string
	Outlet        string // "Báo Quảng Ninh"
	Author        string
	PublishedOn   time.Time // date as printed
	PublishedTime string    // "06:45" when printed, else ""
	PublishedText string    // the date line exactly as printed
	URL           string
	Figures       int // how many figures cite it (in listings)
	Findings      int
	Version       int64      // for optimistic locking (admin reads only)
	DeletedAt     *time.Time // soft-deleted (admin reads only; public reads omit deleted sources)
}

// Term is a party-congress term or a plan period that articles refer to.
type Term struct {
	ID        int64
	Key       string // "nk-2015-2020"
	Name      string // "Nhiệm kỳ 2015–2020"
	NameEN    string
	Kind      string // congress, planning, programme
	StartYear int
	EndYear   int
	Version   int64      // for optimistic locking (admin reads only)
	DeletedAt *time.Time // soft-deleted (admin reads only)
	Used      int        // live figures and findings citing it (admin lists)
}

// Years is the nominal length of the term: a congress term 2015–2020 is five
// years even though its two congress years are both named.
func (t Term) Years() int { return t.EndYear - t.StartYear }

// Finding is a statement an article makes about a locality without a number.
type Finding struct {
	ID           int64
	LocalitySlug string
	LocalityName string
	Category     string // optional category code
	TermKey      string
	Statement    string // short summary in Vietnamese
	StatementEN  string
	Quote        string
	Source       Source
	Version      int64      // for optimistic locking (admin reads only)
	DeletedAt    *time.Time // soft-deleted (admin reads only)
}

// FindingFilter selects findings; zero fields do not filter.
type FindingFilter struct {
	Localities []string
	SourceID   int64
}
