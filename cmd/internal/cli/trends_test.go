package cli

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/schemas"
)

// demoTrends checks, on the demo's workspace, the FMTR trends across the
// two report years it loads (FY2013, FY2017) in each product: the
// snapshot's documented fmtr_trends, the quarterly report's section and
// the congressional workbook's FMTR by year sheet (and its CSV), the
// numbers of each against the snapshot's activities.
func demoTrends(t *testing.T, ws, out string) {
	if !regexp.MustCompile(`Foreign Military Training Report FY2017: \d+ of \d+ printed`).MatchString(out) {
		t.Errorf("the demo does not report FY2017:\n%s", out)
	}
	db, err := schemas.OpenReadOnly(context.Background(), filepath.Join(ws, "published", "imet.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// the snapshot: fmtr_trends sums the activities, with its words
	type cell struct {
		sessions int64
		dollars  float64
		share    *float64
		status   string
		region   string
		fy       int
		country  string
	}
	rows, err := db.Query(`SELECT t.fiscal_year, t.country_code, coalesce(t.region, ''), t.sessions, CAST(t.dollars AS DOUBLE), t.reconciled_share, t.reconciliation,
			(SELECT sum(quantity) FROM fmtr_activities a WHERE a.fiscal_year = t.fiscal_year AND a.country_code = t.country_code AND a.program = 'IMET'),
			(SELECT CAST(sum(cost_usd) AS DOUBLE) FROM fmtr_activities a WHERE a.fiscal_year = t.fiscal_year AND a.country_code = t.country_code AND a.program = 'IMET')
		FROM fmtr_trends t WHERE program = 'IMET' ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]cell{}
	years := map[int]float64{}
	for rows.Next() {
		var c cell
		var sumQ int64
		var sumC float64
		if err := rows.Scan(&c.fy, &c.country, &c.region, &c.sessions, &c.dollars, &c.share, &c.status, &sumQ, &sumC); err != nil {
			t.Fatal(err)
		}
		if c.sessions != sumQ || math.Abs(c.dollars-sumC) > 0.005 {
			t.Errorf("fmtr_trends %d %s: %d sessions, $%.2f; the activities sum to %d, $%.2f", c.fy, c.country, c.sessions, c.dollars, sumQ, sumC)
		}
		cells[strconv.Itoa(c.fy)+"/"+c.country] = c
		years[c.fy] += c.dollars
	}
	rows.Close()
	if len(years) != 2 || math.Round(years[2013]) != 70312925 || years[2017] == 0 {
		t.Fatalf("IMET dollars by year in fmtr_trends: %v; want FY2013 $70,312,925 and FY2017", years)
	}
	if n := scalar(t, db, `SELECT count(*) FROM duckdb_columns() WHERE table_name = 'fmtr_trends' AND (comment IS NULL OR comment = '' OR comment = '(not documented)')`); n != 0 {
		t.Errorf("%d columns of fmtr_trends without their comment", n)
	}
	if n := scalar(t, db, `SELECT count(*) FROM duckdb_tables() WHERE table_name = 'fmtr_trends' AND comment LIKE '%training sessions, not people%'`); n != 1 {
		t.Error("fmtr_trends has not the migration's comment")
	}

	// the quarterly report: the section, both years, the words it owes
	html, err := os.ReadFile(filepath.Join(ws, "reports", "FY2026Q4", "evaluator-report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(html)
	i := strings.Index(page, `<section id="fmtr-trends"`)
	if i < 0 {
		t.Fatal("the report has no FMTR trends section")
	}
	section := page[i : i+strings.Index(page[i:], "</section>")]
	for _, want := range []string{"Report years loaded: FY2013, FY2017 (2 of them).", "training sessions, not people", "Security Force Monitor (MIT licence)",
		"of these IMET dollars are in country and program groups whose activities reproduce", "<caption>IMET by region, FY2013 and FY2017",
		"<caption>The 10 countries whose IMET dollars changed most, FY2013 to FY2017", "AF: FY2013 $11,413,163"} {
		if !strings.Contains(section, want) {
			t.Errorf("the section lacks %q", want)
		}
	}
	if n := strings.Count(section, "<svg"); n != 2 {
		t.Errorf("the section draws %d charts, want 2 (dollars, trainees)", n)
	}

	// the workbook: one row per IMET country and year, as the snapshot
	f, err := excelize.OpenFile(filepath.Join(ws, "reports", "FY2026", "congress-fy2026.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet, err := f.GetRows("FMTR by year", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(sheet[0], "|")
	if head != "Region|Country code|Country|Fiscal year|Program|Training sessions|Dollar value|Share of dollars reconciled|Reconciliation with the printed totals" {
		t.Errorf("header %s", head)
	}
	if len(sheet)-1 != len(cells) {
		t.Errorf("the sheet has %d rows, fmtr_trends %d IMET cells", len(sheet)-1, len(cells))
	}
	for _, r := range sheet[1:] {
		for len(r) < 9 {
			r = append(r, "")
		}
		c, ok := cells[r[3]+"/"+r[1]]
		if !ok {
			t.Errorf("sheet row %v is no cell of fmtr_trends", r)
			continue
		}
		dollars, _ := strconv.ParseFloat(r[6], 64)
		share, _ := strconv.ParseFloat(r[7], 64)
		if r[0] != c.region || r[5] != strconv.FormatInt(c.sessions, 10) || math.Abs(dollars-c.dollars) > 0.005 || r[8] != c.status ||
			(c.share != nil && math.Abs(share-*c.share) > 1e-9) || (c.share == nil && r[7] != "") {
			t.Errorf("sheet row %v; fmtr_trends says %+v", r, c)
		}
	}
	if ps, _ := f.GetPageLayout("FMTR by year"); ps.Orientation == nil || *ps.Orientation != "landscape" {
		t.Errorf("FMTR by year does not print landscape: %+v", ps)
	}
	csv := readCSV(t, filepath.Join(ws, "reports", "FY2026", "congress-fy2026-fmtr-by-year.csv"))
	if len(csv) != len(cells) {
		t.Errorf("the CSV has %d rows, fmtr_trends %d IMET cells", len(csv), len(cells))
	}
}
