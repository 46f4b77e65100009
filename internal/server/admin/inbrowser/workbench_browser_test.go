package inbrowser_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	keys "github.com/chromedp/chromedp/kb"

	"github.com/cadrestats/cadrestats/internal/browsertest"
	"github.com/cadrestats/cadrestats/internal/server/servertest"
)

// The editors' workbench in headless Chromium: the figure list, the edit
// links of the public pages and the review queue, used as an editor would,
// the queue from the keyboard only. Figures that a test needs but does not
// look at being entered are posted through the server's own form over
// HTTP (site.browser): the form in the browser is TestAdminInBrowser's.

// signIn signs user in through the login form. The cookie is the
// Browser's: every later tab of b is that user's until signOut.
func signIn(t *testing.T, b *browsertest.Browser, site *servertest.AdminSite, user string) {
	t.Helper()
	p := b.Visit(t, site.URL+"/login?lang=vi")
	p.SetValue("#username", user)
	p.SetValue("#password", servertest.TestPassword)
	p.Submit(`form[action="/login"] button[type=submit]`)
	if got := pagePath(t, p); got != "/admin" {
		t.Fatalf("login %s: at %s, want /admin", user, got)
	}
}

// signOut signs the browser's user out with the admin navigation's button.
func signOut(t *testing.T, b *browsertest.Browser, site *servertest.AdminSite) {
	t.Helper()
	p := b.Visit(t, site.URL+"/admin")
	p.Submit(`form[action="/logout"] button[type=submit]`)
}

// listedIDs are the figure ids of the admin list's rows, in order.
func listedIDs(t *testing.T, p *browsertest.Page) []string {
	t.Helper()
	return browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll('table.admin-figures tbody tr')).map(function (tr) {
		return tr.id.replace('fig-', ''); })`)
}

// onPhone screenshots the page at 375 px, fails if it is wider than the
// screen, and goes back to the desktop width.
func onPhone(t *testing.T, p *browsertest.Page, name string) {
	t.Helper()
	p.SetViewport(375, 800)
	if w := browsertest.Eval[int](p, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("%s is %d px wide on a 375 px screen", name, w)
	}
	p.Screenshot(name + "-375")
	p.SetViewport(1280, 900)
}

// enterFigures posts n figures as the HTTP browser's user, each with its
// own value, and returns their ids in the order entered.
func enterFigures(t *testing.T, hb *servertest.Browser, n, first int, subject string) []int64 {
	t.Helper()
	var ids []int64
	for i := range n {
		v := first + i
		f := servertest.ValidFigure()
		f.Set("subject", fmt.Sprintf("%s (%d)", subject, v))
		f.Set("value", strconv.Itoa(v))
		f.Set("quote", fmt.Sprintf("Năm 2019, %d đồng chí được cử đi học lớp trung cấp lý luận chính trị.", v))
		id, err := strconv.ParseInt(strings.TrimPrefix(hb.CreateFigure(f), "/admin/figures/"), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestWorkbenchList(t *testing.T) {
	t.Parallel()
	site := servertest.NewAdminSite(t)
	hb := site.Browser(t)
	hb.Login("editor1")
	// With the 50 seeded figures, three more make the list longer than
	// its page of 50.
	f := servertest.ValidFigure()
	f.Set("category", "rotation")
	f.Set("indicator", "rotated")
	f.Set("subject", "cán bộ luân chuyển dọc từ tỉnh về huyện (thử)")
	f.Set("value", "41")
	f.Set("quote", "Năm 2019, 41 cán bộ được luân chuyển dọc từ tỉnh về huyện.")
	mine := strings.TrimPrefix(hb.CreateFigure(f), "/admin/figures/")
	others := enterFigures(t, hb, 2, 301, "lớp trung cấp lý luận chính trị")
	total := site.Count(t, "SELECT count(*) FROM figures WHERE deleted_at IS NULL")
	if total <= 50 {
		t.Fatalf("%d figures: the list would fit one page", total)
	}
	b := browsertest.New(t)

	t.Run("anonymous sees no edit link", func(t *testing.T) {
		p := b.Visit(t, site.URL+"/localities/song-lo")
		pageIsClean(t, p, "/localities/song-lo")
		if n := browsertest.Eval[int](p, `document.querySelectorAll('a.edit-link, a[href^="/admin"]').length`); n != 0 {
			t.Errorf("an anonymous visitor sees %d links into the admin", n)
		}
		if c := browsertest.Eval[string](p, `document.cookie`); c != "" {
			t.Errorf("an anonymous visitor got cookies %q", c)
		}
	})

	signIn(t, b, site, "editor1")

	t.Run("edit link", func(t *testing.T) {
		p := b.Visit(t, site.URL+"/localities/song-lo?lang=vi")
		pageIsClean(t, p, "/localities/song-lo")
		link := "#fig-" + mine + " a.edit-link"
		if n := browsertest.Eval[int](p, `document.querySelectorAll('a.edit-link').length`); n < 2 {
			t.Errorf("a signed-in editor sees %d edit links on /localities/song-lo, want one per figure", n)
		}
		accessible(t, p, "/localities/song-lo signed in")
		p.ClickAndWait(link)
		if got := pagePath(t, p); got != "/admin/figures/"+mine {
			t.Fatalf("the edit link led to %s, want /admin/figures/%s", got, mine)
		}
		pageIsClean(t, p, "figure form from the edit link")
		if got := browsertest.Eval[string](p, `document.querySelector('#value').value`); got != "41" {
			t.Errorf("the form shows value %q, want 41", got)
		}
	})

	p := b.Visit(t, site.URL+"/admin/figures?lang=vi")
	pageIsClean(t, p, "/admin/figures")
	accessible(t, p, "/admin/figures")
	p.Screenshot("list")
	onPhone(t, p, "list")
	msg := servertest.VI(t)
	if got, want := p.Text(".result-count"), msg.T("figures.count", msg.Number(float64(total))); got != want {
		t.Errorf("count %q, want %q", got, want)
	}

	t.Run("pages", func(t *testing.T) {
		first := listedIDs(t, p)
		if len(first) != 50 {
			t.Fatalf("first page: %d rows, want 50", len(first))
		}
		p.ClickAndWait(`.pagination a[rel=next]`)
		pageIsClean(t, p, "page 2")
		second := listedIDs(t, p)
		if len(second) != total-50 {
			t.Errorf("second page: %d rows, want %d", len(second), total-50)
		}
		for _, id := range second {
			if slices.Contains(first, id) {
				t.Errorf("figure %s is on both pages", id)
			}
		}
		// Back by the previous page's link: the same first page.
		p.ClickAndWait(`.pagination a[rel=prev]`)
		pageIsClean(t, p, "back to page 1")
		if back := listedIDs(t, p); !slices.Equal(back, first) {
			t.Errorf("previous page: %v, want the first page %v", back, first)
		}
	})

	t.Run("search without diacritics", func(t *testing.T) {
		p := b.Visit(t, site.URL+"/admin/figures?lang=vi")
		// The search field has the focus: type, Enter.
		if id := browsertest.Eval[string](p, `document.activeElement.id`); id != "f-q" {
			t.Fatalf("focus on %q, want the search field", id)
		}
		p.Press("luan chuyen doc")
		p.PressAndWait(keys.Enter)
		pageIsClean(t, p, "search")
		ids := listedIDs(t, p)
		want := site.Count(t, `SELECT count(*) FROM figures WHERE deleted_at IS NULL AND search LIKE fold('%luan chuyen doc%')`)
		if !slices.Contains(ids, mine) || len(ids) != want {
			t.Errorf("luan chuyen doc: rows %v, want %d including %s", ids, want, mine)
		}
		if got := p.Text("#fig-" + mine); !strings.Contains(got, "luân chuyển dọc") {
			t.Errorf("the row found shows %q, want the subject with its diacritics", got)
		}
		if got := browsertest.Eval[string](p, `location.search`); !strings.Contains(got, "q=luan+chuyen+doc") {
			t.Errorf("the search is not in the address: %q", got)
		}
	})

	t.Run("status", func(t *testing.T) {
		p := b.Visit(t, site.URL+"/admin/figures?lang=vi")
		p.SetValue("#f-status", "unverified")
		p.Submit("#f-status")
		pageIsClean(t, p, "status=unverified")
		ids := listedIDs(t, p)
		want := []string{mine, fmt.Sprint(others[0]), fmt.Sprint(others[1])}
		if !sameSet(ids, want) {
			t.Errorf("unverified: rows %v, want %v", ids, want)
		}
		if n := browsertest.Eval[int](p, `document.querySelectorAll('table.admin-figures tbody .badge-unverified').length`); n != len(want) {
			t.Errorf("%d rows marked unverified, want %d", n, len(want))
		}
		// The author is offered no verify button on their own figures.
		if n := browsertest.Eval[int](p, `document.querySelectorAll('table.admin-figures form[action$="/verify"]').length`); n != 0 {
			t.Errorf("the author sees %d verify buttons on their own figures", n)
		}
		p.SetValue("#f-status", "verified")
		p.Submit("#f-status")
		pageIsClean(t, p, "status=verified")
		if got := p.Text(".result-count"); got != msg.T("figures.count", msg.Number(float64(total-3))) {
			t.Errorf("verified: %q, want the %d seeded figures", got, total-3)
		}
	})

	t.Run("sort", func(t *testing.T) {
		p := b.Visit(t, site.URL+"/admin/figures?lang=vi&status=unverified")
		p.ClickAndWait(`table.admin-figures th a[href*="sort=value"]`)
		pageIsClean(t, p, "sorted by value")
		if got := browsertest.Eval[string](p, `document.querySelector('table.admin-figures th a[href*="sort=value"]').parentElement.getAttribute('aria-sort')`); got != "ascending" {
			t.Errorf("value column aria-sort %q, want ascending", got)
		}
		if got, want := listedIDs(t, p), []string{mine, fmt.Sprint(others[0]), fmt.Sprint(others[1])}; !slices.Equal(got, want) {
			t.Errorf("by value ascending (41, 301, 302): %v, want %v", got, want)
		}
		p.ClickAndWait(`table.admin-figures th a[href*="sort=value"]`)
		if got, want := listedIDs(t, p), []string{fmt.Sprint(others[1]), fmt.Sprint(others[0]), mine}; !slices.Equal(got, want) {
			t.Errorf("by value descending: %v, want %v", got, want)
		}
		// The filter survives the sort.
		if got := browsertest.Eval[string](p, `location.search`); !strings.Contains(got, "status=unverified") || !strings.Contains(got, "dir=desc") {
			t.Errorf("address after sorting twice: %q", got)
		}
	})

	t.Run("row links", func(t *testing.T) {
		p := b.Visit(t, site.URL+"/admin/figures?lang=vi&status=unverified")
		row := "#fig-" + mine
		p.ClickAndWait(row + ` .row-actions a[href="/admin/figures/` + mine + `"]`)
		if got := pagePath(t, p); got != "/admin/figures/"+mine {
			t.Fatalf("edit link led to %s", got)
		}
		pageIsClean(t, p, "edit page")
		if n := browsertest.Eval[int](p, `document.querySelectorAll('form[action$="/verify"]').length`); n != 0 {
			t.Errorf("the author is offered a verify button on the edit page")
		}
		p = b.Visit(t, site.URL+"/admin/figures?lang=vi&status=unverified")
		p.ClickAndWait(row + ` .row-actions a[href$="/history"]`)
		if got := pagePath(t, p); got != "/admin/figures/"+mine+"/history" {
			t.Fatalf("history link led to %s", got)
		}
		pageIsClean(t, p, "history page")
		if got := p.Text("main"); !strings.Contains(got, "editor1") {
			t.Errorf("history does not name editor1")
		}
	})

	t.Run("second editor may verify", func(t *testing.T) {
		signOut(t, b, site)
		signIn(t, b, site, "editor2")
		p := b.Visit(t, site.URL+"/admin/figures?lang=vi&status=unverified")
		pageIsClean(t, p, "list as editor2")
		p.Screenshot("list-editor2")
		if n := browsertest.Eval[int](p, `document.querySelectorAll('table.admin-figures form[action$="/verify"]').length`); n != 3 {
			t.Errorf("editor2 sees %d verify buttons, want one per figure of editor1 (3)", n)
		}
		p = b.Visit(t, site.URL+"/admin/figures/"+mine)
		pageIsClean(t, p, "edit page as editor2")
		if n := browsertest.Eval[int](p, `document.querySelectorAll('form[action$="/verify"] button').length`); n != 1 {
			t.Errorf("editor2 sees %d verify buttons on the edit page, want 1", n)
		}
		// Verifying from the list returns to the list, filter kept.
		p = b.Visit(t, site.URL+"/admin/figures?lang=vi&status=unverified")
		p.Submit("#fig-" + mine + ` form[action$="/verify"] button`)
		pageIsClean(t, p, "after verify from the list")
		wantFlash(t, p, msg.T("admin.flash.figure_verified"))
		if got := browsertest.Eval[string](p, `location.pathname + location.search`); !strings.Contains(got, "status=unverified") {
			t.Errorf("after verifying, at %s: want the list with its filter", got)
		}
		if ids := listedIDs(t, p); slices.Contains(ids, mine) {
			t.Errorf("verified figure %s still listed as unverified", mine)
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestWorkbenchReviewQueue: editor1 enters twenty figures, editor2 clears
// them from the review queue with the keyboard only (Enter, v, j, k), then
// sends a twenty-first back with a reason (r, typing, Enter), which
// editor1 finds in the list with the reason.
func TestWorkbenchReviewQueue(t *testing.T) {
	t.Parallel()
	site := servertest.NewAdminSite(t)
	hb := site.Browser(t)
	hb.Login("editor1")
	ids := enterFigures(t, hb, 20, 101, "lớp trung cấp lý luận chính trị")
	b := browsertest.New(t)
	signIn(t, b, site, "editor2")
	msg := servertest.VI(t)
	var editor2 int64
	if err := site.Pool.QueryRow(t.Context(), `SELECT id FROM users WHERE username = 'editor2'`).Scan(&editor2); err != nil {
		t.Fatal(err)
	}

	p := b.Visit(t, site.URL+"/admin/review?lang=vi")
	pageIsClean(t, p, "/admin/review")
	accessible(t, p, "/admin/review")
	p.Screenshot("queue")
	onPhone(t, p, "queue")

	badge := func(want int) {
		t.Helper()
		if got := p.Text(".review-link .badge"); got != strconv.Itoa(want) {
			t.Errorf("navigation count %q, want %d", got, want)
		}
	}
	// focused is the id of the review item holding the focus and what
	// has it: "confirm", "reason" or the element's tag.
	focused := func() string {
		t.Helper()
		return browsertest.Eval[string](p, `(function (a) {
			var it = a.closest('[data-review-item]');
			if (!it) return 'outside:' + a.tagName;
			return it.id + ' ' + (a.hasAttribute('data-review-confirm') ? 'confirm' : a.hasAttribute('data-review-reason') ? 'reason' : a.tagName);
		})(document.activeElement)`)
	}
	item := func(id int64) string { return fmt.Sprintf("review-%d", id) }
	verified := func(id int64) bool {
		t.Helper()
		return site.Count(t, fmt.Sprintf(`SELECT count(*) FROM figures WHERE id = %d AND verified_by = %d`, id, editor2)) == 1
	}

	badge(20)
	// Oldest change first, the first confirm button focused on arrival.
	if got := browsertest.Eval[string](p, `document.querySelector('[data-review-item]').id`); got != item(ids[0]) {
		t.Errorf("first item %s, want %s", got, item(ids[0]))
	}
	if got := focused(); got != item(ids[0])+" confirm" {
		t.Errorf("on arrival the focus is on %q, want the first confirm button", got)
	}

	// j and k move between items without confirming anything.
	p.Press("jj")
	if got := focused(); got != item(ids[2])+" confirm" {
		t.Errorf("after j j the focus is on %q, want %s's confirm button", got, item(ids[2]))
	}
	p.Press("k")
	if got := focused(); got != item(ids[1])+" confirm" {
		t.Errorf("after k the focus is on %q, want %s's confirm button", got, item(ids[1]))
	}
	// v confirms the focused item, the second: the first stays queued.
	p.PressAndWait("v")
	pageIsClean(t, p, "after v")
	wantFlash(t, p, msg.T("admin.flash.figure_verified"))
	if !verified(ids[1]) || verified(ids[0]) {
		t.Fatalf("v on the second item: verified %v / %v, want only the second", verified(ids[0]), verified(ids[1]))
	}
	badge(19)
	// r goes to the current item's reason field, where keys are text, and
	// Escape comes back.
	p.Press("r")
	if got := focused(); got != item(ids[0])+" reason" {
		t.Errorf("after r the focus is on %q, want %s's reason field", got, item(ids[0]))
	}
	p.Press("vjk")
	if got := browsertest.Eval[string](p, `document.activeElement.value`); got != "vjk" {
		t.Errorf("keys typed into the reason field gave %q, want the text vjk", got)
	}
	if verified(ids[0]) {
		t.Errorf("typing v into the reason field confirmed the figure")
	}
	p.Press(keys.Escape)
	if got := focused(); got != item(ids[0])+" confirm" {
		t.Errorf("after Escape the focus is on %q, want the item's confirm button", got)
	}

	// The other 19, alternately by Enter on the focused button and by v.
	for i := 0; i < 19; i++ {
		key := keys.Enter
		if i%2 == 1 {
			key = "v"
		}
		p.PressAndWait(key)
		if st := p.Status(); st != 200 {
			t.Fatalf("after %q number %d: status %d", key, i+1, st)
		}
		if i == 18 {
			break
		}
		// The next item's button takes the focus when the browser applies
		// autofocus, which may come after the load on a busy machine.
		got := focused()
		for deadline := time.Now().Add(10 * time.Second); !strings.HasSuffix(got, " confirm") && time.Now().Before(deadline); got = focused() {
			time.Sleep(20 * time.Millisecond)
		}
		if !strings.HasSuffix(got, " confirm") {
			t.Fatalf("after %d confirmations the focus is on %q, not a confirm button", i+1, got)
		}
	}
	pageIsClean(t, p, "emptied queue")
	badge(0)
	if n := browsertest.Eval[int](p, `document.querySelectorAll('[data-review-item]').length`); n != 0 {
		t.Errorf("%d items left in the queue", n)
	}
	if got := p.Text("main .no-data"); got != msg.T("admin.review.empty") {
		t.Errorf("empty queue says %q", got)
	}
	for _, id := range ids {
		if !verified(id) {
			t.Errorf("figure %d is not verified by editor2", id)
		}
	}
	if n := site.Count(t, fmt.Sprintf(`SELECT count(*) FROM revisions WHERE action = 'verify' AND user_id = %d`, editor2)); n != 20 {
		t.Errorf("%d verifications by editor2 in the history, want 20", n)
	}

	// A twenty-first figure, sent back: r, the reason, Enter.
	back := enterFigures(t, hb, 1, 121, "lớp trung cấp lý luận chính trị")[0]
	const reason = "Bài viết ghi 112 đồng chí, không phải 121: xem lại câu trích."
	p = b.Visit(t, site.URL+"/admin/review?lang=vi")
	badge(1)
	p.Press("r")
	if got := focused(); got != item(back)+" reason" {
		t.Fatalf("after r the focus is on %q, want the reason field", got)
	}
	p.Press(reason)
	p.PressAndWait(keys.Enter)
	pageIsClean(t, p, "after sending back")
	wantFlash(t, p, msg.T("admin.flash.figure_sent_back"))
	badge(0)
	if n := browsertest.Eval[int](p, `document.querySelectorAll('[data-review-item]').length`); n != 0 {
		t.Errorf("the figure sent back is still in the sender's queue (%d items)", n)
	}
	if n := site.Count(t, fmt.Sprintf(`SELECT count(*) FROM figures WHERE id = %d AND verified_at IS NULL AND returned_by = %d AND return_reason = '%s'`,
		back, editor2, reason)); n != 1 {
		t.Errorf("figure %d is not stored as sent back by editor2 with the reason", back)
	}

	signOut(t, b, site)
	signIn(t, b, site, "editor1")
	p = b.Visit(t, site.URL+"/admin/figures?lang=vi&status=returned")
	pageIsClean(t, p, "returned figures of editor1")
	if got := listedIDs(t, p); !slices.Equal(got, []string{fmt.Sprint(back)}) {
		t.Errorf("status=returned lists %v, want [%d]", got, back)
	}
	row := p.Text(fmt.Sprintf("#fig-%d", back))
	if !strings.Contains(row, msg.T("admin.status.returned")) || !strings.Contains(row, reason) {
		t.Errorf("editor1's row of the returned figure %q lacks the status and the reason", row)
	}
	// The author's queue never holds their own figures.
	p = b.Visit(t, site.URL+"/admin/review?lang=vi")
	if n := browsertest.Eval[int](p, `document.querySelectorAll('[data-review-item]').length`); n != 0 {
		t.Errorf("editor1's queue holds %d figures, want none of their own", n)
	}
}
