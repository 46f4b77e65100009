// Package inbrowser_test drives the admin pages in headless Chromium. It is
// a test binary of its own, apart from the admin package's Go tests, so that
// each stays well inside go test's ten minutes on two cores.
package inbrowser_test
