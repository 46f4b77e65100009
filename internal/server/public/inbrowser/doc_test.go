// Package inbrowser_test opens the public pages in headless Chromium. It is
// a test binary of its own, apart from the public package's Go tests, so
// that each stays well inside go test's ten minutes on two cores.
package inbrowser_test
