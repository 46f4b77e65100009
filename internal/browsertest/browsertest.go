// Package browsertest drives a headless Chromium from tests: it opens pages
// of a test server and records what a person would not want to see (console
// errors, CSP violations, requests to other hosts, dialogs), runs axe-core
// accessibility checks and saves screenshots.
//
// It is imported by tests only, but its files are not _test files so that
// the tests of every package can use it. Chromium comes from Debian
// (apt-get install chromium); without it the tests skip, or fail under CI.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Timeouts are generous: CI machines have two cores and a test server
// started beside the browser.
const (
	startTimeout  = 60 * time.Second
	navTimeout    = 30 * time.Second
	actionTimeout = 10 * time.Second
	chartsTimeout = 10 * time.Second
	axeTimeout    = 40 * time.Second // axe and full-page screenshots
)

// Browser is one headless Chromium. The pages of a test, and of its
// subtests, can share it: each Visit opens a new tab.
type Browser struct {
	ctx context.Context // the browser's chromedp context
}

// New starts Chromium and closes it when the test ends. Without Chromium the
// test is skipped, unless the environment variable CI is set: then it fails,
// so that a CI without the browser does not pass by skipping.
func New(t testing.TB) *Browser {
	t.Helper()
	path := findChromium()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium not installed: CI must run the browser tests; add apt-get install -y chromium to its setup")
		}
		t.Skip("chromium not installed: apt-get install chromium (Debian) to run browser tests")
	}

	// chromedp's defaults already give headless, --no-first-run,
	// --disable-background-networking and --disable-sync; the allocator
	// also makes a fresh --user-data-dir in the temp dir and removes it
	// when the browser exits.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests run as root in CI, where the sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits until the browser has exited
	})

	// The first Run starts the browser and ties its life to the context it
	// gets, so it cannot take a deadline; a timer stops a hung start instead.
	timer := time.AfterFunc(startTimeout, cancel)
	err := chromedp.Do(ctx)
	timer.Stop()
	if err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

func findChromium() string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}
