package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/ingest"
	"github.com/imet-project/imet/ingest/fmtr"
	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/synth"
)

// demoMarker marks a workspace the demo created: the only kind it writes
// synthetic people into.
const demoMarker = ".imet-demo"

// claimForDemo makes root the demo's (a new or empty folder) or checks that
// it is already; a folder with anything else in it, a real workspace above
// all, is refused: the demo would mix 5,000 synthetic people into its
// warehouse, replace allocations and republish its snapshot.
func claimForDemo(root string) error {
	marker := filepath.Join(root, demoMarker)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	entries, err := os.ReadDir(root)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	if len(entries) > 0 {
		what := "files the demo did not create"
		if layout(root).exists() {
			what = "a workspace the demo did not create"
		}
		return &exitError{code: 1, msg: fmt.Sprintf("%s holds %s: the demo would mix synthetic people into it. Run 'imet demo' without --workspace (it makes a new temporary folder), or give a new or empty folder", root, what)}
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	return os.WriteFile(marker, []byte("created by imet demo: synthetic data only\n"), 0o644)
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "demo", "[--workspace DIR] [--students N] [--seed S]",
		"Show imet end to end on a fresh machine: generate a realistic synthetic program (about 130\n"+
			"countries, 19 fiscal years, comparison peers, messy rows), load it into a workspace's\n"+
			"warehouse, and summarise what arrived, what was quarantined and how records were linked.\n"+
			"Without --workspace the demo works in a new temporary folder and says where.")
	wsFlag := fs.String("workspace", "", "workspace folder to create or reuse (default: a new temporary folder)")
	students := fs.Int("students", 5000, "people to generate")
	seed := fs.Int64("seed", 1, "random seed")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	root := *wsFlag
	if root == "" {
		dir, err := os.MkdirTemp("", "imet-demo-")
		if err != nil {
			return err
		}
		root = dir
	}
	ws := layout(root)
	if err := claimForDemo(root); err != nil {
		return err
	}
	if err := ws.readConfig(); err != nil {
		return err
	}
	lock, err := ws.lock(ctx, "demo")
	if err != nil {
		return err
	}
	defer lock.Release()
	if err := ws.create(ctx); err != nil {
		return err
	}
	start := time.Now()
	fmt.Fprintf(e.stdout, "imet demo: workspace %s\n\n1. Generating %d people (seed %d) into the inbox…\n", root, *students, *seed)
	gen, err := synth.Generate(ctx, ws.Inbox, synth.Options{Students: *students, Seed: *seed, BadRows: true})
	if err != nil {
		return err
	}
	printGenerated(e, ws.Inbox, gen, time.Since(start))
	// The truth is for tests; keep it out of the inbox's way but at hand.
	if err := os.Rename(filepath.Join(ws.Inbox, "_truth"), filepath.Join(root, "generated-truth")); err != nil && !os.IsNotExist(err) {
		os.RemoveAll(filepath.Join(root, "generated-truth"))
		if err := os.Rename(filepath.Join(ws.Inbox, "_truth"), filepath.Join(root, "generated-truth")); err != nil {
			return err
		}
	}

	if err := copySample(filepath.Join(ws.Inbox, schemas.FMTRActivities)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "   and the real Foreign Military Training Reports of FY2013 and FY2017 (six regions each; data: Security Force Monitor, MIT licence).\n")
	fmt.Fprintf(e.stdout, "\n2. Loading the inbox into %s…\n", ws.Warehouse)
	db, err := ws.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	items, err := ingest.Discover(ws.Inbox)
	if err != nil {
		return err
	}
	results, err := loadWithProgress(ctx, e, ws, ws.loader(db, e), items)
	printSummary(e.stdout, results)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return err
	}
	link, err := ingest.LinkStatus(ctx, db)
	if err != nil {
		return err
	}
	printLinks(e.stdout, link)

	fmt.Fprintf(e.stdout, "\n3. What the warehouse holds now:\n")
	if err := demoSummary(ctx, db, e); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n4. Computing every metric as of %s (the end of FY2026, the generated data's last day)…\n", demoAsOf.Format(time.DateOnly))
	res, err := runTransformOn(ctx, e, ws, db, demoAsOf, 0)
	if err != nil {
		return err
	}
	printTransform(e, res)
	if err := printHeadline(ctx, db, e); err != nil {
		return err
	}
	if err := printFMTRYears(ctx, db, e); err != nil {
		return err
	}

	fmt.Fprintf(e.stdout, "\n5. Writing the products…\n")
	t0 := time.Now()
	html, pdf, err := writeQuarterly(ctx, e, ws, db, demoAsOf, 0)
	if err != nil {
		return err
	}
	products := []string{html, pdf}
	files, err := writeCongress(ctx, e, ws, db, demoAsOf.Year(), 0, filepath.Join(ws.Reports, fmt.Sprintf("FY%d", demoAsOf.Year())), []string{"xlsx", "csv", "parquet"})
	if err != nil {
		return err
	}
	products = append(products, files[0]+fmt.Sprintf(" (and %d CSV and Parquet tables beside it)", len(files)-1))
	if n, err := reports.Publish(ctx, db, ws.Snapshot, ws.Config.Snapshot.IncludePersonal); err != nil {
		return err
	} else {
		products = append(products, fmt.Sprintf("%s (%d documented tables for imet sql or any DuckDB client)", ws.Snapshot, n))
	}
	fmt.Fprintf(e.stdout, "   (%.1f s)\n", time.Since(t0).Seconds())
	for _, p := range products {
		fmt.Fprintf(e.stdout, "   %s\n", p)
	}
	fmt.Fprintf(e.stdout, "\nDone in %.1fs. Try:\n", time.Since(start).Seconds())
	for _, q := range demoQueries {
		fmt.Fprintf(e.stdout, "  imet sql --workspace %s %q\n", root, q)
	}
	fmt.Fprintf(e.stdout, "  imet quarantine --workspace %s --summary\n", root)
	fmt.Fprintf(e.stdout, "(From a checkout without a built binary, write 'go run ./cmd/imet' for 'imet'; 'go build -o imet ./cmd/imet' makes one.)\n")
	return nil
}

// printFMTRYears says, per loaded report year, how many printed totals the
// activities reproduce and how many rows were set aside.
func printFMTRYears(ctx context.Context, db *sql.DB, e *env) error {
	rows, err := db.QueryContext(ctx, `SELECT fiscal_year, count(*) FILTER (WHERE printed_quantity IS NOT NULL),
		count(*) FILTER (WHERE reconciliation LIKE 'matches%'), coalesce(sum(cost_usd), 0)
		FROM fmtr_reconciliation GROUP BY fiscal_year ORDER BY fiscal_year`)
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Fprintln(e.stdout)
	for rows.Next() {
		var fy, groups, matching int
		var dollars float64
		if err := rows.Scan(&fy, &groups, &matching, &dollars); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Foreign Military Training Report FY%d: %d of %d printed country/program totals reproduced exactly by the activities ($%s in all).\n",
			fy, matching, groups, thousands(int64(math.Round(dollars))))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var quarantined int
	db.QueryRowContext(ctx, `SELECT count(*) FROM quarantine WHERE dataset = 'fmtr_activities'`).Scan(&quarantined)
	if quarantined > 0 {
		fmt.Fprintf(e.stdout, "Rows of the reports set aside in quarantine (see 'imet quarantine --summary'): %d.\n", quarantined)
	}
	return nil
}

// demoAsOf is the generator's last day, the end of FY2026.
var demoAsOf = schemas.FiscalYearEnd(2026)

var demoQueries = []string{
	"SELECT metric_id, cohort, round(value, 3) AS value, round(ci_low, 3) AS low, round(ci_high, 3) AS high, n FROM metric_latest WHERE region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL' AND graduation_cohort = 'ALL' AND period IN ('ALL', 'FY2026') AND program = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' ORDER BY metric_id, cohort",
	"SELECT outcome, cohort, count(*) AS people, round(avg(status::INT), 3) AS share_with_event, round(median(time) / 365.25, 1) AS median_years FROM outcomes GROUP BY ALL ORDER BY ALL",
	"SELECT fiscal_year, reconciliation, count(*) AS groups, sum(dollar_value) AS dollars FROM fmtr_summary GROUP BY ALL ORDER BY ALL",
}

func demoSummary(ctx context.Context, db *sql.DB, e *env) error {
	rows, err := db.QueryContext(ctx, `
		SELECT 'students' AS "table", count(*) AS "rows", count(*) FILTER (WHERE cohort = 'COMPARISON') AS "of which comparison peers" FROM students
		UNION ALL SELECT 'enrollments', count(*), NULL FROM enrollments
		UNION ALL SELECT 'courses', count(*), NULL FROM courses
		UNION ALL SELECT 'career_events', count(*), NULL FROM career_events
		UNION ALL SELECT 'hr_flags', count(*), NULL FROM hr_flags
		UNION ALL SELECT 'allocations', count(*), NULL FROM allocations
		UNION ALL SELECT 'quarantine', count(*), NULL FROM quarantine
		UNION ALL SELECT 'link_review', count(*), NULL FROM link_review`)
	if err != nil {
		return err
	}
	t, err := readTable(rows)
	if err != nil {
		return err
	}
	if err := t.write(e.stdout, "table"); err != nil {
		return err
	}
	rows, err = db.QueryContext(ctx, `
		SELECT c.region, count(DISTINCT s.country_code) AS countries, count(DISTINCT s.student_id) AS graduates,
		       min(e.fiscal_year) AS first_fy, max(e.fiscal_year) AS last_fy
		FROM enrollments e JOIN students s USING (student_id) JOIN countries c ON c.country_code = s.country_code
		WHERE e.status = 'COMPLETED' AND e.program = 'IMET'
		GROUP BY ALL ORDER BY graduates DESC`)
	if err != nil {
		return err
	}
	if t, err = readTable(rows); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\nIMET graduates by State Department region:")
	return t.write(e.stdout, "table")
}

// headline lists the whole-population numbers a first reader asks about.
var headline = []struct{ id, period, label string }{
	{"LEAD_RANK_10Y", "ALL", "reached general/flag rank within 10 years"},
	{"LEAD_RANK_HR", "ALL", "hazard ratio, graduates vs peers (associational)"},
	{"LEAD_POS_10Y", "ALL", "reached a strategic/senior position within 10 years"},
	{"RETAIN_5Y", "ALL", "still serving 5 years on"},
	{"TRACK_24M", "ALL", "tracking coverage: reported on in the last 2 years"},
	{"COMPLETION", "FY2026", "completed their course, FY2026"},
	{"FMTR_DOLLARS", "FY2026", "FMTR dollar value, FY2026"},
}

// printHeadline prints the headline transform's numbers: the rows the
// snapshot's metric_latest holds.
func printHeadline(ctx context.Context, db *sql.DB, e *env) error {
	asOf, vintage, err := reports.LatestTransform(ctx, db)
	if err != nil {
		return err
	}
	t := &table{cols: []string{"metric", "cohort", "value", "95% interval", "n", "what it says"}}
	for _, h := range headline {
		rows, err := db.QueryContext(ctx, `SELECT cohort, value, ci_low, ci_high, n FROM metric_values
			WHERE metric_id = ? AND period = ? AND as_of = ? AND vintage = ? AND graduation_cohort = 'ALL' AND program = 'ALL'
			  AND region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL'
			ORDER BY cohort DESC`, h.id, h.period, asOf, vintage)
		if err != nil {
			return err
		}
		for rows.Next() {
			var cohort string
			var v, lo, hi sql.NullFloat64
			var n sql.NullInt64
			if err := rows.Scan(&cohort, &v, &lo, &hi, &n); err != nil {
				rows.Close()
				return err
			}
			t.rows = append(t.rows, []any{h.id, cohort, display(h.id, v), interval(h.id, lo, hi), n.Int64, h.label})
		}
		rows.Close()
	}
	fmt.Fprintf(e.stdout, "\nHeadline as of %s, vintage %d (whole population; 'imet metrics list' defines each metric):\n", asOf.Format(time.DateOnly), vintage)
	return t.write(e.stdout, "table")
}

// display rounds a value for reading: shares as percentages, ratios to two
// decimals, dollars whole.
func display(id string, v sql.NullFloat64) string {
	if !v.Valid {
		return "–"
	}
	switch {
	case id == "LEAD_RANK_HR":
		return fmt.Sprintf("%.2f", v.Float64)
	case strings.HasPrefix(id, "FMTR_"):
		return "$" + thousands(int64(math.Round(v.Float64)))
	}
	return fmt.Sprintf("%.1f%%", 100*v.Float64)
}

func interval(id string, lo, hi sql.NullFloat64) string {
	if !lo.Valid || !hi.Valid {
		return ""
	}
	return display(id, lo) + " – " + display(id, hi)
}

// thousands writes 15457639 as 15,457,639.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// copySample writes the embedded FMTR sample into dir.
func copySample(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := fs.ReadDir(fmtr.Sample, "sample")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".tsv") {
			continue
		}
		b, err := fmtr.Sample.ReadFile("sample/" + e.Name())
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
