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
