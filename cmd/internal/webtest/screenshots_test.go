package webtest

import (
	"bytes"
	"flag"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

var update = flag.Bool("update", false, "regenerate docs/serve/*.png from the demo workspace in Chromium")

// screenshotDir is docs/serve of the repository.
var screenshotDir = filepath.Join("..", "..", "..", "docs", "serve")

// maxScreenshot keeps the repository small.
const maxScreenshot = 300 << 10

// screenshots are docs/serve.md's pictures: a file name and the page.
func screenshots(t testing.TB) [][2]string {
	return [][2]string{
		{"overview", "/"},
		{"explore", "/explore"},
		{"curves", "/curves"},
		{"countries", "/countries"},
		{"profile", "/countries/" + demo(t).bigCountry},
		{"methodology", "/methodology"},
		{"lineage", "/lineage?metric=LEAD_RANK_CIF_5Y&cohort=PARTICIPANT"},
		{"quality", "/quality"},
		{"runs", "/runs"},
		{"sql", "/sql?q=" + url.QueryEscape("SELECT region, count(*) AS graduates, round(avg(has_followup::INT), 3) AS followed_up\nFROM graduates GROUP BY ALL ORDER BY graduates DESC")},
	}
}

// The screenshots of docs/serve.md: with -update, taken again in Chromium
// at 1280×900 from the demo workspace served by the real command;
// otherwise each must be there, a PNG of that size, under 300 KB.
//
//	go test -run TestScreenshots ./cmd/internal/webtest/ -update
func TestScreenshots(t *testing.T) {
	const w, h = 1280, 900
	if *update {
		base := serveCLI(t, demoWS)
		tb := newTab(t, w, h)
		if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, s := range screenshots(t) {
			tb.open(t, base[:len(base)-1], s[1])
			b := value(t, tb, "screenshot of "+s[1], chromedp.CaptureScreenshot())
			if err := os.WriteFile(filepath.Join(screenshotDir, s[0]+".png"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, p := range tb.take() {
				t.Errorf("%s: %s", s[1], p)
			}
		}
	}
	for _, s := range screenshots(t) {
		f := filepath.Join(screenshotDir, s[0]+".png")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Errorf("%v (make it with: go test -run TestScreenshots ./cmd/internal/webtest/ -update)", err)
			continue
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		switch {
		case err != nil:
			t.Errorf("%s is not a PNG: %v", f, err)
		case cfg.Width != w || cfg.Height != h:
			t.Errorf("%s is %d×%d, want %d×%d", f, cfg.Width, cfg.Height, w, h)
		case len(b) > maxScreenshot:
			t.Errorf("%s is %d KB, over %d KB", f, len(b)>>10, maxScreenshot>>10)
		}
	}
}
