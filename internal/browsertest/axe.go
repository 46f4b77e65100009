package browsertest

import (
	_ "embed"
	"fmt"
	"strings"
)

// axeSource is axe-core 4.14.1 from npm (MPL-2.0, see testdata/axe). The
// app does not serve it: it reaches the page only through CDP.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// Violation is one axe-core rule that the page breaks.
type Violation struct {
	ID      string          `json:"id"`
	Impact  string          `json:"impact"` // minor, moderate, serious or critical
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is an element that breaks the rule.
type ViolationNode struct {
	Target  string `json:"target"`  // CSS selector
	HTML    string `json:"html"`    // start of the element's markup
	Summary string `json:"summary"` // what to fix, e.g. the contrast ratio found
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s (%s)", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t%s: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// runAxe maps axe's results to Violation. A target is a list of selectors,
// nested when it crosses a shadow root or frame.
const runAxe = `axe.run(document, {resultTypes: ['violations']}).then(function (r) {
	return r.violations.map(function (v) {
		return {
			id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(function (n) {
				return {target: [].concat(n.target).flat(Infinity).join(' >>> '), html: n.html, summary: n.failureSummary || ''};
			})
		};
	});
})`

// Axe runs axe-core's checks on the page as it is now and returns the
// violations. Script evaluated through CDP is not subject to the page's
// CSP, so the page needs no exception for it.
func (p *Page) Axe() []Violation {
	p.t.Helper()
	if !Eval[bool](p, `typeof axe !== 'undefined'`) {
		Eval[struct{}](p, axeSource+"\n;undefined") // the value of the last statement is not JSON
	}
	// axe walks every node: on two cores busy with other test packages a
	// large page takes longer than an action.
	return evalWithin[[]Violation](p, runAxe, axeTimeout)
}

// SeriousViolations keeps the violations of impact serious or critical,
// the ones a test should fail on.
func SeriousViolations(vs []Violation) []Violation {
	var out []Violation
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			out = append(out, v)
		}
	}
	return out
}
