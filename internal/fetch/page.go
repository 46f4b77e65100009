// Package fetch brings an article page from the web, guarded against
// hostile servers (private addresses, redirects, huge or endless bodies),
// and takes its main text and metadata out with a readability library:
// the text the extractor reads, the title, outlet, date and address of
// its source.
package fetch

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"

	"github.com/cadrestats/cadrestats/internal/textnorm"
)

// Page is an article as a page gives it.
type Page struct {
	URL       string // the address it was read from (after redirects)
	Title     string
	Outlet    string    // the site's name, else its host
	Published time.Time // zero when the page does not say
	Text      string    // the main text in NFC, the title first, paragraphs apart
}

// Read takes the article out of an HTML page (UTF-8) read from pageURL
// (nil for a saved file: no address, no host to name the outlet).
// Errors: the page holds no readable text.
func Read(r io.Reader, pageURL *url.URL) (Page, error) {
	art, err := readability.FromReader(r, pageURL)
	if err != nil {
		return Page{}, fmt.Errorf("read page: %w", err)
	}
	var b bytes.Buffer
	if art.Node != nil {
		if err := art.RenderText(&b); err != nil {
			return Page{}, fmt.Errorf("read page: %w", err)
		}
	}
	text := strings.TrimSpace(b.String())
	if text == "" {
		return Page{}, fmt.Errorf("read page: no article text")
	}
	p := Page{Title: oneLine(art.Title()), Outlet: oneLine(art.SiteName())}
	// The headline is the extractor's first reading (it names the
	// locality) and readability leaves it out of the body.
	if p.Title != "" && !strings.HasPrefix(text, p.Title) {
		text = p.Title + "\n\n" + text
	}
	p.Text = textnorm.Canonical(text)
	p.Title = textnorm.Canonical(p.Title)
	p.Outlet = textnorm.Canonical(p.Outlet)
	if t, err := art.PublishedTime(); err == nil {
		// A day is what a source records; the page's own zone keeps the
		// day it printed.
		p.Published = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	if pageURL != nil {
		p.URL = pageURL.String()
		if p.Outlet == "" {
			p.Outlet = strings.TrimPrefix(pageURL.Hostname(), "www.")
		}
	}
	return p, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
