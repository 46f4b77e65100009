package server_test

import (
	"regexp"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
)

func TestZZDebug(t *testing.T) {
	srv := newServer(t, pgtest.NewSeededDB(t))
	_, body, _ := get(t, srv, "/figures?q=luan+chuyen")
	t.Log(regexp.MustCompile(`\d+ số liệu`).FindAllString(body, -1))
	_, body, _ = get(t, srv, "/localities/tien-lang")
	t.Log(regexp.MustCompile(`<h2[^>]*>[^<]*`).FindAllString(body, -1))
}
