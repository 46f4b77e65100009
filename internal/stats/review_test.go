package stats_test

import (
	"slices"
	"testing"
	"time"

	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/stats"
)

// A figure sent back waits for its author: it leaves every review queue
// until someone edits it, and the list tells it apart from the unverified.
func TestReviewQueueAndSendBack(t *testing.T) {
	db := postgres.New(pgtest.NewSeededDB(t))
	ctx := t.Context()
	accounts, ed := stats.NewAccounts(db), stats.NewEditor(db)
	const pw = "mật khẩu đủ dài cho thử nghiệm"
	user := func(name string) stats.User {
		t.Helper()
		if _, err := accounts.Create(ctx, nil, name, stats.RoleEditor, pw); err != nil {
			t.Fatal(err)
		}
		u, err := accounts.Authenticate(ctx, name, pw)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	author, reviewer := user("tac-gia"), user("kiem-tra")
	in := stats.FigureInput{LocalitySlug: "song-lo", Category: "training", Subject: "lớp trung cấp (thử)", Value: 12,
		Unit: "persons", Qualifier: "exact", PeriodStart: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
		PeriodEnd: time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC), SourceKey: "song-lo-2020-10-28",
		Quote: "12 đồng chí được cử đi học lớp trung cấp"}
	id, err := ed.SaveFigure(ctx, author, in, stats.SaveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	queue := func(u stats.User) []int64 {
		t.Helper()
		q, err := ed.ReviewQueue(ctx, u, 100)
		if err != nil {
			t.Fatal(err)
		}
		n, _, err := ed.ReviewCount(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, f := range q.Figures {
			ids = append(ids, f.ID)
		}
		if q.Total != len(ids) || n != len(ids) {
			t.Errorf("%s: queue of %d figures, total %d, count %d", u.Username, len(ids), q.Total, n)
		}
		return ids
	}
	listed := func(status string) bool {
		t.Helper()
		page, err := ed.FigureList(ctx, author, stats.FigureFilter{Status: status, Limit: 100}, false)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(page.Figures, func(f stats.Figure) bool { return f.ID == id })
	}

	if got := queue(author); len(got) != 0 {
		t.Errorf("the author's queue %v holds their own figure", got)
	}
	if got := queue(reviewer); !slices.Equal(got, []int64{id}) {
		t.Errorf("the reviewer's queue %v, want [%d]", got, id)
	}
	fig, err := ed.Figure(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := ed.SendBack(ctx, reviewer, id, fig.Version, "không khớp với bài"); err != nil {
		t.Fatal(err)
	}
	if got := queue(reviewer); len(got) != 0 {
		t.Errorf("after sending it back, the reviewer's queue still holds %v", got)
	}
	if !listed("returned") || listed("unverified") {
		t.Errorf("a returned figure: listed as returned %v, as unverified %v; want only returned", listed("returned"), listed("unverified"))
	}

	// The author corrects it: it is unverified again, in the queue.
	if fig, err = ed.Figure(ctx, id); err != nil {
		t.Fatal(err)
	}
	in.ID = id
	in.Value, in.Quote = 13, "13 đồng chí được cử đi học lớp trung cấp"
	if _, err := ed.SaveFigure(ctx, author, in, stats.SaveOptions{Version: fig.Version}); err != nil {
		t.Fatal(err)
	}
	if got := queue(reviewer); !slices.Equal(got, []int64{id}) {
		t.Errorf("after the author's correction, the reviewer's queue %v, want [%d]", got, id)
	}
	if listed("returned") || !listed("unverified") {
		t.Errorf("a corrected figure: listed as returned %v, as unverified %v; want only unverified", listed("returned"), listed("unverified"))
	}
}
