package export

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestFieldsAsEncodingCSV: the byte writer quotes and escapes as
// encoding/csv with UseCRLF does, guarded or not.
func TestFieldsAsEncodingCSV(t *testing.T) {
	for _, s := range []string{"", "a", "a,b", `say "hi"`, "line\nbreak", "cr\rlf\r\n", " lead", "\tlead", `\.`, "\u00a0nbsp",
		"=SUM(A1)", "-5", "+x,y", "@a\nb", "ok'", "Điện Biên", "'=", " =1"} {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.UseCRLF = true
		_ = w.Write([]string{s, Neutralize(s)})
		w.Flush()
		got := appendField(nil, s, false)
		got = append(got, ',')
		got = appendField(got, s, needsGuard(s))
		got = append(got, '\r', '\n')
		if string(got) != want.String() {
			t.Errorf("%q: got %q, want %q", s, got, want.String())
		}
	}
}
