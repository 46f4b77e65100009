package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/html/charset"
)

// Config bounds what a fetch may do.
type Config struct {
	Timeout      time.Duration // the whole fetch, body included (a slow drip ends here)
	MaxBytes     int64         // the body's cap
	MaxRedirects int
	// Allow lists addresses ("127.0.0.1:8080") that may be reached though
	// they are private or loopback: for tests against a local server.
	Allow []string
}

// Defaults suit a news article: pages are rarely over a few megabytes.
var Defaults = Config{Timeout: 15 * time.Second, MaxBytes: 8 << 20, MaxRedirects: 5}

// Reasons a fetch fails, for the editor's message.
const (
	ReasonAddress  = "address"  // not an http(s) address, or credentials in it
	ReasonPrivate  = "private"  // a private, loopback or link-local address, first or after a redirect
	ReasonRedirect = "redirect" // too many redirects
	ReasonTimeout  = "timeout"
	ReasonSize     = "size"    // the body is over the cap
	ReasonStatus   = "status"  // the server answered other than 200
	ReasonType     = "type"    // not an HTML page
	ReasonNetwork  = "network" // no connection, no such host
	ReasonContent  = "content" // no article text in the page
)

// Error is a fetch that failed, with the reason shown to the editor.
type Error struct {
	Reason string
	URL    string
	Err    error
}

func (e *Error) Error() string { return fmt.Sprintf("fetch %s: %s: %v", e.URL, e.Reason, e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Fetcher fetches article pages. Its client dials only public addresses
// (checked on the address actually dialled, so a DNS answer or a redirect
// cannot lead it inside) and uses no proxy.
type Fetcher struct {
	cfg    Config
	client *http.Client
}

var errPrivate = errors.New("address not allowed")

// New is a fetcher with cfg; zero fields take Defaults'.
func New(cfg Config) *Fetcher {
	if cfg.Timeout <= 0 {
		cfg.Timeout = Defaults.Timeout
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = Defaults.MaxBytes
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = Defaults.MaxRedirects
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		if slices.Contains(cfg.Allow, address) {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !public(ap.Addr()) {
			return fmt.Errorf("%w: %s", errPrivate, address)
		}
		return nil
	}}
	tr := &http.Transport{
		Proxy: nil, DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConns: 4, IdleConnTimeout: 30 * time.Second,
	}
	f := &Fetcher{cfg: cfg}
	f.client = &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) > cfg.MaxRedirects {
			return &Error{Reason: ReasonRedirect, URL: req.URL.String(), Err: fmt.Errorf("%d redirects", len(via))}
		}
		if err := checkURL(req.URL); err != nil {
			return err
		}
		return nil
	}}
	return f
}

// public: an address on the internet, not inside a network.
func public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() || a.IsLinkLocalUnicast() ||
		a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() || a.IsMulticast() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// reserved are ranges netip does not call private but that are not the
// internet: "this network", carrier-grade NAT, benchmarking, IETF, 6to4
// relays, documentation, reserved.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), netip.MustParsePrefix("2001:db8::/32"),
}

func checkURL(u *url.URL) error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return &Error{Reason: ReasonAddress, URL: u.String(), Err: fmt.Errorf("scheme %q", u.Scheme)}
	case u.User != nil:
		return &Error{Reason: ReasonAddress, URL: u.Redacted(), Err: errors.New("credentials in the address")}
	case u.Hostname() == "":
		return &Error{Reason: ReasonAddress, URL: u.String(), Err: errors.New("no host")}
	}
	return nil
}

// Article fetches the page at raw and takes its article out.
// Errors: *Error, whose Reason says why.
func (f *Fetcher) Article(ctx context.Context, raw string) (Page, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Page{}, &Error{Reason: ReasonAddress, URL: raw, Err: err}
	}
	if err := checkURL(u); err != nil {
		return Page{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Page{}, &Error{Reason: ReasonAddress, URL: raw, Err: err}
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9")
	req.Header.Set("User-Agent", "cadrestats (article extraction)")
	resp, err := f.client.Do(req)
	if err != nil {
		return Page{}, f.failed(u, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL
	if resp.StatusCode != http.StatusOK {
		return Page{}, &Error{Reason: ReasonStatus, URL: final.String(), Err: fmt.Errorf("status %d", resp.StatusCode)}
	}
	ct := resp.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); ct != "" && (err != nil || mt != "text/html" && mt != "application/xhtml+xml") {
		return Page{}, &Error{Reason: ReasonType, URL: final.String(), Err: fmt.Errorf("content type %q", ct)}
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		return Page{}, &Error{Reason: ReasonSize, URL: final.String(), Err: fmt.Errorf("%d bytes", resp.ContentLength)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return Page{}, f.failed(final, err)
	}
	if int64(len(body)) > f.cfg.MaxBytes {
		return Page{}, &Error{Reason: ReasonSize, URL: final.String(), Err: fmt.Errorf("over %d bytes", f.cfg.MaxBytes)}
	}
	// The page's charset (header, <meta>, or a guess) to UTF-8.
	r, err := charset.NewReader(strings.NewReader(string(body)), ct)
	if err != nil {
		return Page{}, &Error{Reason: ReasonContent, URL: final.String(), Err: err}
	}
	p, err := Read(r, final)
	if err != nil {
		return Page{}, &Error{Reason: ReasonContent, URL: final.String(), Err: err}
	}
	return p, nil
}

// failed names why a request or a read did not complete.
func (f *Fetcher) failed(u *url.URL, err error) error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	reason := ReasonNetwork
	var ne net.Error
	switch {
	case errors.Is(err, errPrivate):
		reason = ReasonPrivate
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		reason = ReasonTimeout
	}
	return &Error{Reason: reason, URL: u.String(), Err: err}
}
