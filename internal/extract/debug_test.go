package extract

import (
	"os"
	"strings"
	"testing"
)

func TestDebug(t *testing.T) {
	for _, text := range strings.Split(os.Getenv("X"), "|") {
		if text == "" {
			continue
		}
		res := Extract(testInput(text))
		for _, c := range res.Candidates {
			t.Logf("C %v %s %s/%s %s parent=%d count=%d q=%q", c.Value, c.Unit, c.Category, c.Indicator, c.Measure, c.Parent, c.Count, c.Quote)
		}
		for _, o := range res.Others {
			t.Logf("O %v %s %q", o.Value, o.Reason, o.Text)
		}
	}
}
