package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

var loadTime = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d UTC`)

var tablePattern = regexp.MustCompile(`(?s)<table[ >].*?</table>`)

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
	t.Parallel()
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
		"Regions and countries", "IMET across the Foreign Military Training Report years", "No report year is loaded", "Methodology and definitions", `<th scope="col"`, "<caption>", `role="img"`, "<desc",
		"LEAD_RANK_HR", "Data vintage", "an association, not an effect"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "evaluator-report.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	// Sections follow one another (reports/TestPDFLayout holds the page
	// fill): nine sections, the country table and the definitions take
	// more than two pages and far fewer than one per section and table.
	// The definitions of evidence.md's fifteen metrics add about six pages,
	// the FMTR trends two, the four stacked attainment charts two and the
	// hazard ratios by country one or two.
	if pages := bytes.Count(pdf, []byte("/Type /Page\n")); !bytes.HasPrefix(pdf, []byte("%PDF-")) || pages < 3 || pages > 32 {
		t.Errorf("the PDF has %d pages", pages)
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
		os.WriteFile(filepath.Join(os.TempDir(), "quarterly-tables-got.html"), []byte(got), 0o644)
		t.Errorf("the report's tables differ from %s (after a deliberate change: -update); what came out is in %s",
			golden, filepath.Join(os.TempDir(), "quarterly-tables-got.html"))
	}
}

// A report reproduced for an earlier vintage after more data arrived shows
// the earlier numbers.
func TestReportVintage(t *testing.T) {
	t.Parallel()
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
	current := reportTables(t, path)
	code, out := run(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3", "--vintage", strconv.FormatInt(vintage, 10))
	if code != 0 {
		t.Fatalf("report --vintage: %s", out)
	}
	// The reproduction has its own folder, named in the output; the
	// current report is left as it was.
	dir := filepath.Join(ws, "reports", "FY2026Q3", "vintage-"+strconv.FormatInt(vintage, 10))
	if !strings.Contains(out, dir) {
		t.Errorf("the output does not name the folder %s:\n%s", dir, out)
	}
	if again := reportTables(t, filepath.Join(dir, "evaluator-report.html")); again != before {
		t.Error("the report for the earlier vintage differs from the one made then")
	}
	if _, err := os.Stat(filepath.Join(dir, "evaluator-report.pdf")); err != nil {
		t.Errorf("the reproduction has no PDF: %v", err)
	}
	if reportTables(t, path) != current {
		t.Error("reproducing an earlier vintage overwrote the current report")
	}
}

// cells is the text of each row of the HTML report's table whose caption
// starts with caption (tags dropped, no-break spaces as spaces).
func cells(t *testing.T, page, caption string) [][]string {
	t.Helper()
	for _, tb := range tablePattern.FindAllString(page, -1) {
		if !strings.Contains(tb, "<caption>"+caption) {
			continue
		}
		var out [][]string
		body := regexp.MustCompile(`(?s)<tbody>(.*)</tbody>`).FindStringSubmatch(tb)[1]
		for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(body, -1) {
			var row []string
			for _, c := range regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`).FindAllStringSubmatch(tr[1], -1) {
				text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(c[1], "")
				row = append(row, html.UnescapeString(strings.ReplaceAll(text, "\u00a0", " ")))
			}
			out = append(out, row)
		}
		return out
	}
	t.Fatalf("the report has no table %q", caption)
	return nil
}

// On the fixture with a file of bad enrollment rows: the quarantine
// table's numbers are the SQL's (each rule's rows over the dataset's
// quarantined rows, as labelled), and the vetting section lists every
// denied-vetting alarm of every year, the same ones imet run warns about.
func TestReportQualityAndAlarms(t *testing.T) {
	t.Parallel()
	ws := fixtureWorkspace(t)
	bad := "enrollment_id,student_id,course_code,program,fiscal_year,start_date,end_date,status,rank_at_entry,rank_code_at_entry,ecl_score,cost_usd,partner_cost_usd,vetting_status,vetting_date\n" +
		"ENRBAD01,S00000001,B152487,IMET,2012,2012-08-24,2012-09-13,GRADUATED,,OF-2,70,9771.54,,APPROVED,2012-05-05\n" +
		"ENRBAD02,S00000001,B152487,IMET,2012,2012-08-24,2012-09-13,GRADUATED,,OF-2,70,9771.54,,APPROVED,2012-05-05\n" +
		"ENRBAD03,S00000001,B152487,IMET,2012,2012-08-24,2012-09-13,GRADUATED,,OF-2,70,9771.54,,APPROVED,2012-05-05\n" +
		"ENRBAD04,S00000001,B152487,IMET,2012,2012-13-45,2012-09-13,COMPLETED,,OF-2,70,9771.54,,APPROVED,2012-05-05\n"
	os.WriteFile(filepath.Join(ws, "inbox", "enrollments", "enrollments-bad.csv"), []byte(bad), 0o644)
	run(t, "ingest", "--workspace", ws)
	if code, out := run(t, "report", "quarterly", "--workspace", ws, "--quarter", "FY2026Q3"); code != 0 {
		t.Fatalf("report: %s", out)
	}
	body, err := os.ReadFile(filepath.Join(ws, "reports", "FY2026Q3", "evaluator-report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(body)
	db := openWarehouse(t, ws)
	vintage := scalar(t, db, `SELECT max(batch_id) FROM batches`)

	t.Run("quarantine shares", func(t *testing.T) {
		if !strings.Contains(page, "Share of the dataset&#39;s quarantined rows") {
			t.Error("the quarantine table does not say what its share is of")
		}
		rows, err := db.Query(`SELECT dataset, rule, count(*), format('{:.1f}%', 100 * count(*) / sum(count(*)) OVER (PARTITION BY dataset))
			FROM quarantine WHERE batch_id <= ? AND (resolved_by IS NULL OR resolved_by > ?) GROUP BY dataset, rule ORDER BY dataset, rule`, vintage, vintage)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for rows.Next() {
			var ds, rule, share string
			var n int64
			rows.Scan(&ds, &rule, &n, &share)
			want[ds+" "+rule] = fmt.Sprintf("%d %s", n, share)
		}
		if want["enrollments allowed"] != "3 75.0%" || want["enrollments type"] != "1 25.0%" {
			t.Fatalf("the bad file was not quarantined as planted: %v", want)
		}
		got := map[string]string{}
		for _, r := range cells(t, page, "Rows set aside in quarantine") {
			got[r[0]+" "+r[1]] = r[2] + " " + r[3]
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the report's quarantine table %v, the SQL %v", got, want)
		}
	})

	t.Run("denied vetting alarms", func(t *testing.T) {
		rows, err := db.Query(`SELECT 'FY' || fiscal_year_of(start_date), count(*) FROM enrollments
			WHERE vetting_status = 'DENIED' AND status IN ('COMPLETED', 'IN_PROGRESS') AND start_date <= DATE '2026-06-30'
			GROUP BY ALL ORDER BY ALL`)
		if err != nil {
			t.Fatal(err)
		}
		var want [][]string
		var total int64
		for rows.Next() {
			var fy string
			var n int64
			rows.Scan(&fy, &n)
			want = append(want, []string{fy, strconv.FormatInt(n, 10)})
			total += n
		}
		if len(want) < 2 || want[0][0] == "FY2026" {
			t.Fatalf("the fixture should hold alarms of earlier years: %v", want)
		}
		if got := cells(t, page, "Open alarms"); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the report lists the alarms %v, the enrollments hold %v", got, want)
		}
		warnings, err := check(context.Background(), db, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), vintage)
		if err != nil {
			t.Fatal(err)
		}
		alarm := fmt.Sprintf("ALARM: %d enrollments attended despite DENIED vetting", total)
		if !strings.Contains(strings.Join(warnings, "; "), alarm) {
			t.Errorf("imet run's check warns %q, want %q", warnings, alarm)
		}
	})
}

// imet explain returns, for three metrics, a population whose size is the
// published n, and leaves the warehouse as it was.
func TestExplainPopulationIsN(t *testing.T) {
	t.Parallel()
	ws := fixtureWorkspace(t)
	before := tableCounts(t, ws)
	for _, c := range []struct {
		id   string
		keys []string
	}{
		{"LEAD_RANK_5Y", []string{"--cohort", "PARTICIPANT"}},
		{"TRACK_24M", []string{"--cohort", "PARTICIPANT", "--region", "AF"}},
		{"COMPLETION", []string{"--period", "FY2020"}},
		{"RETAIN_5Y", []string{"--cohort", "COMPARISON", "--graduation-cohort", "FY2015"}},
		{"LEAD_RANK_HR_IPW", nil}, // its unit writes the weights and the balance rows through the appender
	} {
		args := append([]string{"explain", c.id, "--workspace", ws, "--format", "csv"}, c.keys...)
		code, out := run(t, args...)
		if code != 0 {
			t.Fatalf("explain %s: %s", c.id, out)
		}
		population := strings.Count(strings.TrimSpace(out), "\n") // lines after the header
		db := openWarehouse(t, ws)
		q := `SELECT n FROM metric_values WHERE metric_id = ? AND program = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' AND course_category = 'ALL' AND country_code = 'ALL'`
		args2 := []any{c.id}
		keys := map[string]string{"--cohort": "cohort", "--region": "region", "--period": "period", "--graduation-cohort": "graduation_cohort"}
		set := map[string]string{"cohort": "ALL", "region": "ALL", "period": "ALL", "graduation_cohort": "ALL"}
		for i := 0; i < len(c.keys); i += 2 {
			set[keys[c.keys[i]]] = c.keys[i+1]
		}
		for k, v := range set {
			q += " AND " + k + " = ?"
			args2 = append(args2, v)
		}
		n := scalar(t, db, q, args2...)
		db.Close()
		if int64(population) != n || n == 0 {
			t.Errorf("explain %s %v: %d people/rows, published n = %d", c.id, c.keys, population, n)
		}
	}
	code, out := run(t, "explain", "LEAD_RANK_5Y", "--workspace", ws, "--cohort", "PARTICIPANT")
	if code != 0 || !strings.Contains(out, "Published:   n = ") || !strings.Contains(out, "Where these people's records came from") {
		t.Errorf("explain as a table: %s", out)
	}
	if after := tableCounts(t, ws); after != before {
		t.Errorf("explain changed the warehouse:\n%s\n%s", before, after)
	}
}
