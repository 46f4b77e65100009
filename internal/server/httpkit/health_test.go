package httpkit_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cadrestats/cadrestats/internal/i18n"
	"github.com/cadrestats/cadrestats/internal/pgtest"
	"github.com/cadrestats/cadrestats/internal/postgres"
	"github.com/cadrestats/cadrestats/internal/server"
	"github.com/cadrestats/cadrestats/internal/stats"
)

func TestHealthAndReadiness(t *testing.T) {
	pool := pgtest.NewDB(t)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Stats: stats.NewService(postgres.New(pool)), Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	status := func(path string) int {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec.Code
	}
	if got := status("/healthz"); got != http.StatusOK {
		t.Errorf("/healthz = %d", got)
	}
	if got := status("/readyz"); got != http.StatusOK {
		t.Errorf("/readyz with the database up = %d", got)
	}
	pool.Close() // the database is gone
	if got := status("/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down = %d, want 503", got)
	}
	if got := status("/healthz"); got != http.StatusOK {
		t.Errorf("/healthz with the database down = %d, want 200: the process lives", got)
	}
}

func TestDatabaseDownAnswers503InTheUsersLanguage(t *testing.T) {
	pool := pgtest.NewSeededDB(t)
	catalog, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{Stats: stats.NewService(postgres.New(pool)), Catalog: catalog})
	if err != nil {
		t.Fatal(err)
	}
	pool.Close()
	for lang, want := range map[string]string{"vi": "Cơ sở dữ liệu tạm thời không truy cập được", "en": "The database is temporarily unavailable"} {
		for _, path := range []string{"/", "/localities/song-lo", "/figures", "/sources", "/export.csv", "/export.xlsx", "/api/figures"} {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path+"?lang="+lang, nil))
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("%s (%s) with the database down = %d, want 503", path, lang, rec.Code)
			}
			body := rec.Body.String()
			if !strings.Contains(body, want) {
				t.Errorf("%s (%s): the answer does not say %q", path, lang, want)
			}
			if strings.Contains(body, "closed pool") || strings.Contains(body, "SQLSTATE") || strings.Contains(body, "goroutine") {
				t.Errorf("%s (%s): internals reach the user:\n%s", path, lang, body)
			}
		}
	}
}
