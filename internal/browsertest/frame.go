package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// EvalInFrame evaluates a JavaScript expression in the first iframe of the
// page whose address starts with prefix, and decodes its JSON value into
// T. The page's own scripts cannot reach into a frame of another origin
// (an embed on a newspaper's page); the test can. It runs in an isolated
// world of the frame: the frame's DOM, not its scripts' globals. It fails
// the test when no such frame is loaded or the expression throws.
func EvalInFrame[T any](p *Page, prefix, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	var out T
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// The frame exists before its document: wait until it has loaded
		// the address (the page's own load event does not wait for it).
		var frame *cdp.Frame
		for frame == nil {
			tree, err := cdp.Call(ctx, tg, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			frame = findFrame(tree.FrameTree, prefix)
			if frame == nil {
				select {
				case <-ctx.Done():
					return fmt.Errorf("no frame at %s", prefix)
				case <-time.After(50 * time.Millisecond):
				}
			}
		}
		world, err := cdp.Call(ctx, tg, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: frame.ID, WorldName: "browsertest"})
		if err != nil {
			return err
		}
		byValue := true
		res, err := cdp.Call(ctx, tg, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ContextID: world.ExecutionContextID,
			ReturnByValue: &byValue, AwaitPromise: &byValue})
		if err != nil {
			return err
		}
		if res.ExceptionDetails != nil {
			return fmt.Errorf("exception: %s", exceptionText(res.ExceptionDetails))
		}
		if res.Result == nil || len(res.Result.Value) == 0 {
			return fmt.Errorf("no value (%s)", res.Result.Type)
		}
		return json.Unmarshal([]byte(res.Result.Value), &out)
	}))
	if err != nil {
		p.t.Fatalf("eval in frame %s: %s: %v", prefix, expr, err)
	}
	return out
}

func findFrame(t *page.FrameTree, prefix string) *cdp.Frame {
	if t == nil {
		return nil
	}
	if t.Frame != nil && t.Frame.ParentID != "" && strings.HasPrefix(t.Frame.URL, prefix) {
		return t.Frame
	}
	for _, c := range t.ChildFrames {
		if f := findFrame(c, prefix); f != nil {
			return f
		}
	}
	return nil
}

// FrameURLs waits until every iframe of the page has committed a document
// and returns their addresses: "chrome-error://chromewebdata/" for a frame
// the browser refused to show (X-Frame-Options, frame-ancestors).
func FrameURLs(p *Page) []string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, actionTimeout)
	defer cancel()
	var out []string
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for {
			tree, err := cdp.Call(ctx, tg, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			out = out[:0]
			pending := false
			for _, c := range tree.FrameTree.ChildFrames {
				pending = pending || c.Frame.URL == ""
				out = append(out, c.Frame.URL)
			}
			if !pending {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	}))
	if err != nil {
		p.t.Fatalf("frames: %v", err)
	}
	return out
}
