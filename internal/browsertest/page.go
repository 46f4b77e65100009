package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// cspBinding is the function through which the page reports CSP
// violations to the test. It is a CDP binding: calling it raises
// Runtime.bindingCalled, so the page cannot fake the test's records by
// writing to the console.
const cspBinding = "__browsertestCSP"

// cspListener runs before any script of every document of the tab. CDP adds
// it, so the page's CSP does not apply to it.
const cspListener = `document.addEventListener('securitypolicyviolation', function (e) {
	globalThis.` + cspBinding + `(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
		' at ' + e.sourceFile + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : ''));
}, true);`

// Page is one browser tab. It belongs to the test that opened it: its
// methods fail that test, so open one page per subtest. It is closed when
// that test ends.
type Page struct {
	t      testing.TB
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	status   int64
	console  []string
	csp      []string
	requests []string
	dialogs  []string
	inflight map[network.RequestID]bool
}

// Visit opens url in a new tab and waits until the page has loaded, the
// network is quiet and every .chart-canvas is drawn (or charts.js gave up on
// it), at most about 10 s for the charts. It fails the test if the page
// cannot be loaded; an HTTP error status is not a failure (see Status).
func (b *Browser) Visit(t testing.TB, url string) *Page {
	t.Helper()
	p := &Page{t: t, inflight: make(map[network.RequestID]bool)}
	// The listener is registered before the tab exists, so it sees every
	// event of the tab, in order, before the command that follows it returns.
	p.ctx, p.cancel = chromedp.NewContext(b.ctx, chromedp.WithListener(p.record))
	t.Cleanup(p.Close)

	// The first Run opens the tab and binds the tab's life to its context:
	// like the browser's, it takes a timer rather than a deadline.
	timer := time.AfterFunc(navTimeout, p.cancel)
	err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, runtime.AddBinding, runtime.AddBindingParams{Name: cspBinding}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspListener})
		return err
	}))
	timer.Stop()
	if err != nil {
		t.Fatalf("open tab: %v", err)
	}
	p.navigate(url, func(ctx context.Context) (*network.Response, error) {
		return chromedp.Run(ctx, chromedp.NavigateResponse(url))
	})
	return p
}

// navigate runs load, which loads a new document and returns its
// response, then waits for the page to settle.
func (p *Page) navigate(what string, load func(ctx context.Context) (*network.Response, error)) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, navTimeout)
	defer cancel()
	// A request the old document left open would never finish.
	p.mu.Lock()
	clear(p.inflight)
	p.mu.Unlock()
	resp, err := load(ctx)
	if err != nil {
		p.t.Fatalf("load %s: %v", what, err)
	}
	if resp != nil {
		p.mu.Lock()
		p.status = resp.Status
		p.mu.Unlock()
	}
	p.waitIdle()
	p.waitCharts()
}

// waitIdle waits until no request has been open for 100 ms, or 5 s (a
// page that polls or streams is never idle).
func (p *Page) waitIdle() {
	quiet := 0
	for deadline := time.Now().Add(5 * time.Second); quiet < 2 && time.Now().Before(deadline); {
		p.mu.Lock()
		n := len(p.inflight)
		p.mu.Unlock()
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// chartsDrawn is true when ECharts owns every chart container, or charts.js
// marked it as failed (malformed options).
const chartsDrawn = `document.readyState === 'complete' &&
	Array.from(document.querySelectorAll('.chart-canvas')).every(function (el) {
		return el.hasAttribute('_echarts_instance_') || el.getAttribute('data-chart-state') === 'error';
	})`

func (p *Page) waitCharts() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, chartsTimeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](chartsDrawn,
		chromedp.WithPollingInterval(50*time.Millisecond),
		chromedp.WithPollingTimeout(chartsTimeout)))
	if err != nil {
		// Not fatal: the test's own checks say what is missing.
		p.t.Logf("charts not drawn after %s: %v", chartsTimeout, err)
	}
}

// record runs in the tab's event loop: it must be quick and send no command.
func (p *Page) record(ev any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			p.console = append(p.console, "console."+string(ev.Type)+": "+argsText(ev.Args))
		}
	case *runtime.EventExceptionThrown:
		p.console = append(p.console, "uncaught: "+exceptionText(ev.ExceptionDetails))
	case *log.EventEntryAdded:
		// The browser's own errors: failed loads, blocked resources.
		e := ev.Entry
		if e == nil || e.Level != log.EntryLevelError {
			return
		}
		p.console = append(p.console, fmt.Sprintf("%s: %s %s", e.Source, e.Text, e.URL))
		// Some violations raise no DOM event (frame-ancestors, workers):
		// the browser's log has them all, the event has them in detail.
		if e.Source == log.EntrySourceSecurity && strings.Contains(e.Text, "Content Security Policy") {
			p.csp = append(p.csp, "log: "+e.Text)
		}
	case *runtime.EventBindingCalled:
		if ev.Name == cspBinding {
			p.csp = append(p.csp, "event: "+ev.Payload)
		}
	case *network.EventRequestWillBeSent:
		p.requests = append(p.requests, ev.Request.URL)
		p.inflight[ev.RequestID] = true
	case *network.EventLoadingFinished:
		delete(p.inflight, ev.RequestID)
	case *network.EventLoadingFailed:
		delete(p.inflight, ev.RequestID)
	case *page.EventJavascriptDialogOpening:
		p.dialogs = append(p.dialogs, string(ev.Type)+": "+ev.Message)
		// A dialog blocks the page; only another goroutine may answer it.
		// Leaving the page (beforeunload) is allowed, everything else
		// is dismissed.
		accept := ev.Type == page.DialogTypeBeforeunload
		go chromedp.Call(p.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
	}
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && json.Unmarshal(a.Value, &s) == nil:
		case a.Description != "":
			s = a.Description
		case len(a.Value) > 0:
			s = string(a.Value)
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "unknown exception"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s = d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d)", s, d.URL, d.LineNumber+1)
}

// Close closes the tab. It runs by itself when the test ends.
func (p *Page) Close() { p.cancel() }

// Status is the HTTP status of the last document loaded.
func (p *Page) Status() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

// ConsoleErrors returns console.error and console.assert calls, uncaught
// exceptions and the browser's error log (failed loads, CSP reports) since
// the page was opened.
func (p *Page) ConsoleErrors() []string { return p.copyOf(&p.console) }

// CSPViolations returns the CSP violations of every document loaded in
// this tab: the securitypolicyviolation DOM events ("event: …") and the
// browser's log lines about them ("log: …"), so most appear twice.
func (p *Page) CSPViolations() []string { return p.copyOf(&p.csp) }

// Requests returns the URL of every request made by the tab, in order.
func (p *Page) Requests() []string { return p.copyOf(&p.requests) }

// DialogsOpened returns the JavaScript dialogs the page opened, as
// "alert: text". Alert, confirm and prompt were dismissed; beforeunload was
// accepted, so that the page could be left.
func (p *Page) DialogsOpened() []string { return p.copyOf(&p.dialogs) }

// ForeignRequests returns the requests that went to a host other than
// allowed, which is "host:port" or a URL such as httptest.Server.URL.
// data: and blob: URLs never leave the page and are not counted.
func (p *Page) ForeignRequests(allowed string) []string {
	return foreign(p.Requests(), allowed)
}

func foreign(requests []string, allowed string) []string {
	if u, err := url.Parse(allowed); err == nil && u.Host != "" {
		allowed = u.Host
	}
	var out []string
	for _, r := range requests {
		u, err := url.Parse(r)
		if err == nil && (u.Scheme == "data" || u.Scheme == "blob" || u.Host == allowed) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func (p *Page) copyOf(s *[]string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), (*s)...)
}

// run runs steps with the action timeout and fails the test on error.
func (p *Page) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON
// value into T; a promise is awaited. It fails the test on an exception.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	return evalWithin[T](p, expr, actionTimeout)
}

// evalWithin is Eval with its own time limit, for scripts that walk the
// whole page.
func evalWithin[T any](p *Page, expr string, limit time.Duration) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, limit)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// Click clicks the first element matching the CSS selector, once it is
// visible, with the mouse.
func (p *Page) Click(selector string) {
	p.t.Helper()
	p.run("click "+selector, chromedp.Click(chromedp.CSS(selector)))
}

// ClickAndWait clicks a link or button that loads a new page, and waits for
// that page as Visit does.
func (p *Page) ClickAndWait(selector string) {
	p.t.Helper()
	p.navigate("after click on "+selector, func(ctx context.Context) (*network.Response, error) {
		return chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	})
}

// WaitVisible waits until an element matching the CSS selector is visible.
func (p *Page) WaitVisible(selector string) {
	p.t.Helper()
	p.run("wait for "+selector, chromedp.WaitVisible(chromedp.CSS(selector)))
}

// Text returns the visible text of the first element matching the selector.
func (p *Page) Text(selector string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", selector, err)
	}
	return s
}

// SendKeys types text into the field matching the selector, key by key.
func (p *Page) SendKeys(selector, text string) {
	p.t.Helper()
	p.run("type into "+selector, chromedp.SendKeys(chromedp.CSS(selector), text))
}

// Press sends keys to the element that has the focus as real key events,
// as a keyboard does, so that the page's key handlers and the browser's own
// behaviour (Enter on a button submits) run. kb.Enter, kb.Escape and the
// like name special keys.
func (p *Page) Press(keys string) {
	p.t.Helper()
	p.run("press "+strconv.Quote(keys), keyEvents(keys))
}

// PressAndWait presses keys that load a new page, such as Enter on a
// submit button, and waits for that page as Visit does.
func (p *Page) PressAndWait(keys string) {
	p.t.Helper()
	p.navigate("after pressing "+strconv.Quote(keys), func(ctx context.Context) (*network.Response, error) {
		return chromedp.RunResponse(ctx, keyEvents(keys))
	})
}

// keyEvents types keys the way a keyboard does on Linux and Windows: a raw
// key down, the character it makes, key up. chromedp.KeyEvent sends its key
// down as "keyDown", after which Chromium types the character even when a
// handler cancelled the key down: a page's single-key shortcut that moves
// the focus to a field would see its letter typed into the field, which no
// keyboard does.
func keyEvents(keys string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, r := range keys {
			for _, k := range kb.Encode(r) {
				if k.Type == input.DispatchKeyEventTypeKeyDown {
					k.Type = input.DispatchKeyEventTypeRawKeyDown
				}
				if _, err := cdp.Call(ctx, tg, input.DispatchKeyEvent, *k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// SetValue replaces the value of a field (input, select, textarea) without
// typing, and fires input and change events as a person's edit would.
func (p *Page) SetValue(selector, value string) {
	p.t.Helper()
	sel, _ := json.Marshal(selector)
	val, _ := json.Marshal(value)
	p.run("set value of "+selector, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function () {
		var el = document.querySelector(%s);
		if (!el) throw new Error('no element');
		el.value = %s;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, sel, val)))
}

// Submit submits a form as a person would and waits for the page that
// answers. The selector names the submit button (its name and value are
// sent), the form, or a field of the form. The browser's validation runs:
// a form it refuses loads nothing, and Submit fails after the timeout.
func (p *Page) Submit(selector string) {
	p.t.Helper()
	sel, _ := json.Marshal(selector)
	submit := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function () {
		var el = document.querySelector(%s);
		if (!el) throw new Error('no element');
		if (el.matches('button, input[type=submit], input[type=image]')) { el.click(); return; }
		var form = el.form || el.closest('form');
		if (!form) throw new Error('no form');
		form.requestSubmit();
	})()`, sel))
	p.navigate("submit "+selector, func(ctx context.Context) (*network.Response, error) {
		return chromedp.RunResponse(ctx, submit)
	})
}

// SetViewport resizes the page's viewport (e.g. 375 wide for a phone) and
// waits until the charts have followed.
func (p *Page) SetViewport(width, height int64) {
	p.t.Helper()
	p.run("set viewport", chromedp.EmulateViewport(width, height))
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	// charts.js resizes after a debounce; ECharts' inner div then has the
	// container's width.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.querySelectorAll('.chart-canvas[_echarts_instance_]')).every(function (el) {
		return el.offsetParent === null || !el.firstElementChild || Math.abs(el.firstElementChild.offsetWidth - el.clientWidth) < 2;
	})`, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		p.t.Fatalf("charts not resized to the viewport %dx%d: %v", width, height, err)
	}
}

// EmulatePrint switches the page to print media (on) or back to screen,
// as far as CSS and matchMedia see: the page keeps the viewport's width.
func (p *Page) EmulatePrint(on bool) {
	p.t.Helper()
	media := ""
	if on {
		media = "print"
	}
	p.run("emulate media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	}))
	// Media query listeners run in the next rendering step, before its
	// animation frame callbacks: after two frames they have run.
	Eval[struct{}](p, `new Promise(function (done) { requestAnimationFrame(function () { requestAnimationFrame(done); }); })`)
}

// Screenshot saves a PNG of the whole page as <test name>-<name>.png in the
// screenshots folder and returns its path. The folder is
// $CADRESTATS_ARTIFACTS/screenshots, or .artifacts/screenshots at the root
// of the repository.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	dir, err := screenshotDir()
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	// A full page is painted and encoded whole: as slow as axe on a busy machine.
	ctx, cancel := context.WithTimeout(p.ctx, axeTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG, anything less is JPEG
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, fileName(p.t.Name())+"-"+fileName(name)+".png")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	p.t.Logf("screenshot: %s", path)
	return path
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileName(s string) string {
	return strings.Trim(unsafeFileChars.ReplaceAllString(s, "_"), "_")
}

func screenshotDir() (string, error) {
	if d := os.Getenv("CADRESTATS_ARTIFACTS"); d != "" {
		return filepath.Join(d, "screenshots"), nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, ".artifacts", "screenshots"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; set CADRESTATS_ARTIFACTS")
		}
		dir = parent
	}
}
