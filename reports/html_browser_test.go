package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// measure is a script added to a copy of the report (the report itself
// has none) that writes, for every table, its width and its box's, and the
// page's own overflow, into the DOM that --dump-dom prints.
const measure = `<script>
addEventListener('load', () => {
  const out = [];
  for (const w of document.querySelectorAll('.table-wrap')) {
    const t = w.querySelector('table');
    out.push('table|' + t.querySelector('caption').textContent + '|' + t.getBoundingClientRect().width + '|' + w.clientWidth + '|' + getComputedStyle(w).overflowX);
  }
  out.push('page|' + document.documentElement.scrollWidth + '|' + innerWidth);
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = out.join('\n');
  document.body.appendChild(pre);
});
</script>`

func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	// CI installs chromium and sets IMET_REQUIRE_BROWSER, so there a missing
	// browser fails; a bare machine with only Go skips this one check.
	if os.Getenv("IMET_REQUIRE_BROWSER") != "" {
		t.Fatal("IMET_REQUIRE_BROWSER is set but no chromium is on PATH (apt-get install -y chromium)")
	}
	t.Skip("no chromium on this machine (apt-get install -y chromium)")
	return ""
}

// layout opens the page in headless chromium at a window width and
// returns the measured lines.
func layout(t *testing.T, chromium, page string, width int) []string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte(strings.Replace(page, "</body>", measure+"</body>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--window-size="+strconv.Itoa(width)+",2000", "--dump-dom", "file://"+path)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	m := regexp.MustCompile(`(?s)<pre id="measured">(.*?)</pre>`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("chromium printed no measurements:\n%s", stderr.String())
	}
	return strings.Split(m[1], "\n")
}

// Every table of the HTML report fits: on a desktop screen without
// scrolling; on a narrow screen inside a box that scrolls, never past the
// page; and in print (the print rules applied to a page as wide as US
// Letter landscape less its margins) within the page.
func TestHTMLTablesFit(t *testing.T) {
	chromium := browser(t)
	d := buildTest(t, seeded(t))
	var buf bytes.Buffer
	if err := WriteHTML(d, &buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	// In print: US Letter landscape less the @page margins.
	printWidth := 965 // (279.4 − 2 × 12) mm at 96 px per inch
	printPage := strings.Replace(page, "@media print {", "@media all {", 1)
	if printPage == page {
		t.Fatal("the page has no print rules")
	}
	for _, c := range []struct {
		name      string
		page      string
		width     int
		mayScroll bool
	}{
		{"desktop screen", page, 1280, false},
		{"narrow screen", page, 560, true},
		{"print", printPage, printWidth, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tables := 0
			for _, line := range layout(t, chromium, c.page, c.width) {
				f := strings.Split(line, "|")
				switch f[0] {
				case "table":
					tables++
					tw, _ := strconv.ParseFloat(f[2], 64)
					bw, _ := strconv.ParseFloat(f[3], 64)
					if tw <= bw+0.5 {
						continue
					}
					if !c.mayScroll {
						t.Errorf("table %q is %.0f px wide in a box of %.0f px: its last columns are cut off", f[1], tw, bw)
					} else if f[4] != "auto" && f[4] != "scroll" {
						t.Errorf("table %q overflows its box (%.0f > %.0f px) and the box does not scroll (overflow-x %s)", f[1], tw, bw, f[4])
					}
				case "page":
					sw, _ := strconv.Atoi(f[1])
					iw, _ := strconv.Atoi(f[2])
					if sw > iw {
						t.Errorf("the page is %d px wide in a window of %d px", sw, iw)
					}
				}
			}
			if tables < 10 {
				t.Errorf("measured %d tables", tables)
			}
		})
	}
}
