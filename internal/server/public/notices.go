package public

import (
	"github.com/cadrestats/cadrestats/internal/i18n"
)

// noticeGroup is notices of one kind (parts that do not add up, sources
// that disagree) in one box: a summary that counts them and the list,
// folded away when long, so that thirty provinces do not make thirty
// banners.
type noticeGroup struct {
	Summary string
	Items   []string
	More    string // "và 12 thông báo khác"
	Open    bool
}

// Notices a group lists before "and N more".
const (
	noticesShown = 30
	noticesOpen  = 3 // a group this short is open
)

func newNoticeGroup(p *i18n.Printer, summaryKey string, items []string) (noticeGroup, bool) {
	if len(items) == 0 {
		return noticeGroup{}, false
	}
	g := noticeGroup{Summary: p.T(summaryKey, p.Number(float64(len(items)))), Open: len(items) <= noticesOpen}
	g.Items = items[:min(len(items), noticesShown)]
	if rest := len(items) - len(g.Items); rest > 0 {
		g.More = p.T("notice.more", p.Number(float64(rest)))
	}
	return g, true
}
