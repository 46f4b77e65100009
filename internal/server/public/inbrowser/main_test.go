package inbrowser_test

import (
	"os"
	"testing"

	"github.com/cadrestats/cadrestats/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
