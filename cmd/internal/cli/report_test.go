package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

var loadTime = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d UTC`)

var tablePattern = regexp.MustCompile(`(?s)<table>.*?</table>`)

// reportTables is the text of every table of an HTML report.
func reportTables(t *testing.T, path string) string {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(tablePattern.FindAllString(string(body), -1), "\n")
}

// The quarterly report on the fixed data set: self-contained HTML with
// every section, accessible tables and charts, a PDF, and tables equal to
// the committed golden.
func TestQuarterlyReport(t *testing.T) {
	ws := fixtureWorkspace(t)
	if code, out := run(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3"); code != 0 {
		t.Fatalf("report: %s", out)
	}
	dir := filepath.Join(ws, "reports", "FY2026Q3")
	html, err := os.ReadFile(filepath.Join(dir, "evaluator-report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(html)
	for _, bad := range []string{"<script", "src=", "@import", "url(", `href="http`} {
		if strings.Contains(page, bad) {
			t.Errorf("the report is not self-contained: it has %q", bad)
		}
	}
	for _, want := range []string{"Headline indicators", "Tracking coverage and data quality", "Leadership attainment",
		"Promotion, retention, interoperability and utilization", "Human-rights vetting and flags", "Cost-effectiveness",
		"Regions and countries", "Methodology and definitions", `<th scope="col"`, "<caption>", `role="img"`, "<desc",
		"LEAD_RANK_HR", "Data vintage", "an association, not an effect"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "evaluator-report.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || bytes.Count(pdf, []byte("/Type /Page\n")) < 8 {
		t.Errorf("the PDF has %d pages", bytes.Count(pdf, []byte("/Type /Page\n")))
	}
	// load times differ from run to run of the test
	got := loadTime.ReplaceAllString(reportTables(t, filepath.Join(dir, "evaluator-report.html")), "(load time)")
	golden := filepath.Join("testdata", "quarterly-FY2026Q3-tables.html")
	if *updateGolden {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(golden, []byte(got), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/internal/cli -run TestQuarterlyReport -update)", err)
	}
	if got != string(want) {
		t.Errorf("the report's tables differ from %s (after a deliberate change: -update)", golden)
	}
}

// A report reproduced for an earlier vintage after more data arrived shows
// the earlier numbers.
func TestReportVintage(t *testing.T) {
	ws := fixtureWorkspace(t)
	run(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3")
	path := filepath.Join(ws, "reports", "FY2026Q3", "evaluator-report.html")
	before := reportTables(t, path)
	db := openWarehouse(t, ws)
	vintage := scalar(t, db, `SELECT max(batch_id) FROM batches`)
	db.Close()

	// New data: every enrollment of the first 200 lines is now WITHDRAWN.
	body, _ := os.ReadFile(filepath.Join(fixtureDir, "enrollments.csv"))
	lines := strings.Split(string(body), "\n")
	for i := 1; i < 200 && i < len(lines); i++ {
		lines[i] = strings.Replace(lines[i], ",COMPLETED,", ",WITHDRAWN,", 1)
	}
	os.WriteFile(filepath.Join(ws, "inbox", "enrollments", "enrollments-corrected.csv"), []byte(strings.Join(lines, "\n")), 0o644)
	if code, out := run(t, "ingest", "--workspace", ws); code != 0 {
		t.Fatalf("ingest: %s", out)
	}
	run(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3")
	if after := reportTables(t, path); after == before {
		t.Fatal("the new data changed nothing in the report: the test proves nothing")
	}
	if code, out := run(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3", "--vintage", strconv.FormatInt(vintage, 10)); code != 0 {
		t.Fatalf("report --vintage: %s", out)
	}
	if again := reportTables(t, path); again != before {
		t.Error("the report for the earlier vintage differs from the one made then")
	}
}
