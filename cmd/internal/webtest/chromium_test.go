package webtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium. CI installs it and sets
// IMET_REQUIRE_BROWSER, so there a missing browser fails; a bare machine
// with only Go skips the browser's tests.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("IMET_REQUIRE_BROWSER") != "" {
		t.Fatal("IMET_REQUIRE_BROWSER is set but no chromium is on PATH (apt-get install -y chromium)")
	}
	t.Skip("no chromium on this machine (apt-get install -y chromium)")
	return ""
}

// tab is one headless Chromium tab, reused by a whole test, that records
// every request it makes, every request that failed and every error the
// page reported (console errors, uncaught exceptions, the browser's log:
// a refused resource, a Content-Security-Policy violation).
type tab struct {
	ctx       context.Context
	downloads string // the folder downloads go to, named by their GUID

	mu       sync.Mutex
	urls     map[network.RequestID]string
	requests []string // every URL requested, in order
	problems []string // failures and errors since the last take
}

// newTab starts Chromium (one per test) with a page of w×h.
func newTab(t testing.TB, w, h int) *tab {
	t.Helper()
	path := chromiumPath(t)
	dir := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(w, h),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("hide-scrollbars", true),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tb := &tab{downloads: filepath.Join(dir, "downloads"), urls: map[network.RequestID]string{}}
	ctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(tb.event))
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	tb.ctx = ctx
	// The window's size less its frame: the page gets exactly w×h.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), int64(h))); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: tb.downloads, EventsEnabled: &yes,
	}); err != nil {
		t.Fatal(err)
	}
	return tb
}

// event runs in the tab's loop: it records and returns at once.
func (tb *tab) event(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.urls[ev.RequestID] = ev.Request.URL
		tb.requests = append(tb.requests, ev.Request.URL)
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			tb.problems = append(tb.problems, fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL))
		}
	case *network.EventLoadingFailed:
		u := tb.urls[ev.RequestID]
		// A link that downloads ends its navigation as aborted.
		if !(ev.Canceled || ev.ErrorText == "net::ERR_ABORTED") || !strings.Contains(u, "format=") {
			tb.problems = append(tb.problems, fmt.Sprintf("failed %s: %s %s", u, ev.ErrorText, ev.BlockedReason))
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || ev.Type == runtime.ConsoleAPICalledTypeWarning {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			tb.problems = append(tb.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		tb.problems = append(tb.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
	case *log.EventEntryAdded:
		if e := ev.Entry; e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning || e.Source == log.EntrySourceSecurity {
			tb.problems = append(tb.problems, fmt.Sprintf("log %s %s: %s (%s)", e.Source, e.Level, e.Text, e.URL))
		}
	}
}

// take returns the problems recorded since the last take, and forgets them.
func (tb *tab) take() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	p := tb.problems
	tb.problems = nil
	return p
}

// allRequests is every URL the tab has requested.
func (tb *tab) allRequests() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.requests...)
}

// step runs actions with a bound, so a page that never shows what is
// awaited fails the test instead of hanging it.
func (tb *tab) step(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// value runs one action that returns a value, with the same bound.
func value[T any](t testing.TB, tb *tab, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open navigates to base+path, fails unless the answer is 200, and waits
// until the page's heading is there.
func (tb *tab) open(t testing.TB, base, path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != 200 {
		t.Errorf("open %s: %d", path, resp.Status)
	}
	tb.step(t, "the heading of "+path, chromedp.WaitVisible(chromedp.CSS("main h1")))
}

// has reports whether the page has an element matching the CSS selector
// sel now (without waiting for one).
func (tb *tab) has(t testing.TB, sel string) bool {
	t.Helper()
	return value(t, tb, "look for "+sel, chromedp.Evaluate[bool](`document.querySelector(`+strconv.Quote(sel)+`) !== null`))
}

// location is the address the tab shows, less the origin.
func (tb *tab) location(t testing.TB) *url.URL {
	t.Helper()
	loc := value(t, tb, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// download clicks the link sel and returns the bytes of the file the
// browser saved.
func (tb *tab) download(t testing.TB, sel string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, time.Minute)
	defer cancel()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download from %s: %v", sel, err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(tb.downloads, ev.GUID))
			if err != nil {
				t.Fatalf("the downloaded file: %v", err)
			}
			return b
		case browser.DownloadProgressStateCanceled:
			t.Fatalf("the download from %s was canceled", sel)
		}
	}
	return nil
}
