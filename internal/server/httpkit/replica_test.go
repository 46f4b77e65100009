package httpkit_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/pgxstore"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// replicaSite is the admin site over a primary and a real hot standby,
// With the replica monitor checked by the test (Check) on a test clock,
// so that lag is deterministic.
type replicaSite struct {
	*servertest.AdminSite
	repl *pgtest.Replicated
	rep  *postgres.Replica
	clk  *testClock
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func newReplicaSite(t *testing.T, maxLag time.Duration) *replicaSite {
	t.Helper()
	return newReplicaSiteWith(t, maxLag, func(r server.Replication) server.Replication { return r })
}

// newReplicaSiteWith lets the test stand between the server and the
// replica.
func newReplicaSiteWith(t *testing.T, maxLag time.Duration, wrap func(server.Replication) server.Replication) *replicaSite {
	t.Helper()
	repl := pgtest.NewReplicated(t)
	clk := &testClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	rep, err := postgres.NewReplica(repl.Primary, repl.ReplicaDSN, postgres.ReplicaOptions{MaxLag: maxLag, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rep.Close)
	db := postgres.New(repl.Primary).WithReplica(rep)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	accounts := stats.NewAccounts(db)
	for _, name := range []string{"editor1", "editor2"} {
		if _, err := accounts.Create(t.Context(), nil, name, stats.RoleEditor, servertest.TestPassword); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := server.New(server.Config{Stats: stats.NewService(db), Editor: stats.NewEditor(db), Accounts: accounts,
		Sessions: pgxstore.NewWithCleanupInterval(repl.Primary, 0), Catalog: catalog, Replication: wrap(rep)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	s := &replicaSite{AdminSite: &servertest.AdminSite{URL: ts.URL, Pool: repl.Primary}, repl: repl, rep: rep, clk: clk}
	s.caughtUp(t)
	return s
}

// caughtUp waits for the standby to replay everything, then checks until
// the monitor sends reads to it with no lag.
func (s *replicaSite) caughtUp(t *testing.T) {
	t.Helper()
	s.repl.WaitReplayed()
	deadline := time.Now().Add(time.Minute) // only if it never catches up
	for {
		st := s.rep.Check(t.Context())
		if st.Usable && st.Lag == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("replica status after a minute: %+v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReplicaServesPublicReadsEditorsReadTheirWrites(t *testing.T) {
	site := newReplicaSite(t, time.Minute)
	editor, other, visitor := site.Browser(t), site.Browser(t), site.Browser(t)
	editor.Login("editor1") // sessions are written and read on the primary
	other.Login("editor2")
	site.caughtUp(t)
	for _, b := range []*servertest.Browser{editor, other} {
		if b.Get("/about"); b.Pinned() { // a login writes: the cookie stays until the replica has it
			t.Fatal("the WAL position cookie stays after the replica replayed the login")
		}
	}
	site.repl.PauseReplay()

	f := servertest.ValidFigure()
	f.Set("value", "-5")
	if code, _, _ := editor.Post("/admin/figures", f); code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid figure: %d, want 422", code)
	}
	if editor.Pinned() {
		t.Error("a refused write pinned the editor to the primary")
	}

	fig := editor.AddFigure("cán bộ luân chuyển (ghi khi bản sao tạm dừng)") // the replica refuses writes
	if !editor.Pinned() {
		t.Fatal("no WAL position cookie after a write")
	}
	if code, page := editor.Get(fig.Loc); code != http.StatusOK || !strings.Contains(page, fig.Subject) {
		t.Errorf("the admin page of the new figure (%d) does not show it: admin pages must read the primary", code)
	}
	if !editor.Sees(fig) {
		t.Error("the editor does not see the figure just saved on the public page")
	}
	// Everyone else reads the replica, which has not replayed the write.
	if visitor.Sees(fig) {
		t.Error("a visitor sees a figure the paused replica lacks: public reads went to the primary")
	}
	if other.Sees(fig) {
		t.Error("another editor, who wrote nothing, reads the primary")
	}
	for _, path := range []string{"/export.csv", "/api/figures?q=" + url.QueryEscape(fig.Subject)} {
		if code, body := visitor.Get(path); code != http.StatusOK || strings.Contains(body, fig.Subject) {
			t.Errorf("%s: %d, or the body has the unreplayed figure", path, code)
		}
	}

	// Once the replica has replayed it, everyone reads the replica and
	// the editor's cookie goes.
	site.repl.ResumeReplay()
	site.caughtUp(t)
	if !visitor.Sees(fig) {
		t.Error("a visitor does not see the figure after the replay")
	}
	if !editor.Sees(fig) || editor.Pinned() {
		t.Errorf("after the replay: the editor still pinned (%v) or not seeing the figure", editor.Pinned())
	}
	site.repl.PauseReplay()
	second := other.AddFigure("cán bộ luân chuyển (ghi lần hai)")
	if editor.Sees(second) {
		t.Error("the first editor, no longer pinned, reads the primary")
	}
	if !other.Sees(second) {
		t.Error("the second editor does not see their own write")
	}
}

func TestReplicaLaggingOrStoppedSendsReadsToThePrimary(t *testing.T) {
	site := newReplicaSite(t, 2*time.Second)
	editor, visitor := site.Browser(t), site.Browser(t)
	editor.Login("editor1")
	ctx := t.Context()

	site.repl.PauseReplay()
	late := editor.AddFigure("cán bộ được đào tạo (bản sao trễ)")
	if visitor.Sees(late) {
		t.Fatal("within the lag bound, a visitor reads the primary")
	}
	site.clk.Add(3 * time.Second)
	if st := site.rep.Check(ctx); st.Usable {
		t.Fatalf("a replica 3 s behind with a 2 s bound is usable: %+v", st)
	}
	if !visitor.Sees(late) {
		t.Error("with the replica beyond the lag bound, a visitor does not read the primary")
	}

	site.repl.ResumeReplay()
	site.caughtUp(t)
	site.repl.PauseReplay()
	back := editor.AddFigure("cán bộ được đào tạo (bản sao đã theo kịp)")
	if visitor.Sees(back) {
		t.Error("caught up, the replica does not serve public reads again")
	}

	site.repl.StopReplica()
	start := time.Now()
	if !visitor.Sees(back) { // before any check: the failed read moves to the primary
		t.Error("with the replica stopped, a visitor does not get the primary's data")
	}
	t.Logf("first page with the replica stopped: %v", time.Since(start).Round(time.Millisecond))
	if code, _ := visitor.Get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz with the replica stopped: %d, want 200 (the primary answers)", code)
	}
	if st := site.rep.Check(ctx); st.Usable || !strings.Contains(st.Reason, "unavailable") {
		t.Errorf("status of a stopped replica: %+v", st)
	}
	if !visitor.Sees(back) {
		t.Error("with the replica stopped and checked, a visitor does not read the primary")
	}

	site.repl.StartReplica()
	site.caughtUp(t)
	site.repl.PauseReplay()
	restarted := editor.AddFigure("cán bộ được đào tạo (bản sao khởi động lại)")
	if visitor.Sees(restarted) {
		t.Error("restarted and caught up, the replica does not serve public reads again")
	}
	if !editor.Sees(restarted) {
		t.Error("the editor does not see their write")
	}
}

// positionUnknown is a replica whose primary cannot say where its WAL ends.
type positionUnknown struct{ server.Replication }

func (positionUnknown) PrimaryPosition(context.Context) (uint64, error) {
	return 0, errors.New("primary busy")
}

func TestReplicaCookie(t *testing.T) {
	site := newReplicaSiteWith(t, 90*time.Second, func(r server.Replication) server.Replication { return positionUnknown{r} })
	editor := site.Browser(t)
	editor.Login("editor1")
	site.caughtUp(t)
	var setCookies http.Header
	f := servertest.ValidFigure()
	f.Set("subject", "cán bộ (vị trí WAL không rõ)")
	if code, _, h := editor.Post("/admin/figures", f); code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	} else {
		setCookies = h
	}
	var c *http.Cookie
	for _, ck := range (&http.Response{Header: setCookies}).Cookies() {
		if ck.Name == "cadrestats_lsn" {
			c = ck
		}
	}
	if c == nil {
		t.Fatalf("no WAL position cookie after a write: %v", setCookies["Set-Cookie"])
	}
	if c.Value != "FFFFFFFF/FFFFFFFF" || c.MaxAge != 90 || !c.HttpOnly || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("cookie %+v: want the highest position (the write's is unknown), for the 90 s lag bound, HttpOnly, Lax, path /", c)
	}
	site.caughtUp(t)
	if editor.Get("/about"); !editor.Pinned() {
		t.Error("a write whose position is unknown is unpinned before the window ends")
	}

	visitor := site.Browser(t)
	u, _ := url.Parse(site.URL)
	visitor.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "cadrestats_lsn", Value: "not a position", Path: "/"}})
	if visitor.Get("/about"); visitor.Pinned() {
		t.Error("a malformed cookie is kept")
	}
}
