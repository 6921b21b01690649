package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/imet-project/imet/ingest"
	"github.com/imet-project/imet/ingest/fmtr"
	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/synth"
	"github.com/imet-project/imet/transform"
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
	defer ws.protectAtEnd(ctx, "demo")()
	if err := ws.create(ctx); err != nil {
		return err
	}
	start := time.Now()
	fmt.Fprintf(e.stdout, "imet demo: workspace %s\n\n1. Generating %d people (seed %d) into the inbox…\n", root, *students, *seed)
	if err := demoInbox(ctx, e, ws, synth.Options{Students: *students, Seed: *seed, BadRows: true}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n2. Loading the inbox into %s…\n", ws.Warehouse)
	db, err := ws.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := demoLoad(ctx, e, ws, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n3. What the warehouse holds now:\n")
	if err := demoSummary(ctx, db, e); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n4. Computing every metric as of %s (the end of FY2026, the generated data's last day)…\n", demoAsOf.Format(time.DateOnly))
	// with the quarters the report compares with, side by side
	prevY, prevQ := comparedWith(demoAsOf)
	done, err := ensureTransforms(ctx, e, ws, db, []time.Time{demoAsOf, prevY, prevQ}, 0)
	if err != nil {
		return err
	}
	if done[0].Ran {
		printTransform(e, done[0].Result)
	} else { // a demo workspace loaded again: the same files, the same vintage
		fmt.Fprintf(e.stdout, "Transform run %d: as of %s, vintage %d: computed before, kept (the numbers of a D and vintage never change).\n",
			done[0].Run, demoAsOf.Format(time.DateOnly), done[0].Vintage)
	}
	if err := printHeadline(ctx, db, e); err != nil {
		return err
	}
	if err := printFMTRYears(ctx, db, e); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n5. Writing the products…\n")
	if err := demoProducts(ctx, e, ws, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nDone in %.1fs. Try:\n", time.Since(start).Seconds())
	for _, q := range demoQueries {
		fmt.Fprintf(e.stdout, "  imet sql --workspace %s %q\n", root, q)
	}
	fmt.Fprintf(e.stdout, "  imet quarantine --workspace %s --summary\n", root)
	fmt.Fprintf(e.stdout, "  imet serve --workspace %s    (the evidence in a browser at http://127.0.0.1:8080/)\n", root)
	fmt.Fprintf(e.stdout, "(From a checkout without a built binary, write 'go run ./cmd/imet' for 'imet'; 'go build -o imet ./cmd/imet' makes one.)\n")
	return nil
}

// demoInbox fills the inbox: a generated program (its truth beside the
// workspace's folders, for tests) and the shipped FMTR report years.
func demoInbox(ctx context.Context, e *env, ws *workspace, opt synth.Options) error {
	start := time.Now()
	gen, err := synth.Generate(ctx, ws.Inbox, opt)
	if err != nil {
		return err
	}
	printGenerated(e, ws.Inbox, gen, time.Since(start))
	// The truth is for tests; keep it out of the inbox's way but at hand.
	truth := filepath.Join(ws.Root, "generated-truth")
	if err := os.Rename(filepath.Join(ws.Inbox, "_truth"), truth); err != nil && !os.IsNotExist(err) {
		os.RemoveAll(truth)
		if err := os.Rename(filepath.Join(ws.Inbox, "_truth"), truth); err != nil {
			return err
		}
	}
	if err := copySample(filepath.Join(ws.Inbox, schemas.FMTRActivities)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "   and the real Foreign Military Training Reports of FY2013 and FY2017 (six regions each; data: Security Force Monitor, MIT licence).\n")
	return nil
}

// demoLoad loads the inbox with progress and says what arrived and how
// records were linked.
func demoLoad(ctx context.Context, e *env, ws *workspace, db *sql.DB) error {
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
	return nil
}

// demoProducts writes the quarter's report, the fiscal year's
// congressional export and the snapshot, and lists them.
func demoProducts(ctx context.Context, e *env, ws *workspace, db *sql.DB) error {
	t0 := time.Now()
	p, err := ws.privacy()
	if err != nil {
		return err
	}
	// The snapshot is written beside the report and the workbook: it is
	// DuckDB's work, theirs mostly Go's, and all three only read the
	// warehouse (step 4 computed every D they show).
	type publishedSnapshot struct {
		tables int
		err    error
	}
	snap := make(chan publishedSnapshot, 1)
	go func() {
		pub, err := reports.Publish(ctx, db, ws.Snapshot, p, false)
		snap <- publishedSnapshot{pub.Tables, err}
	}()
	products, err := demoDocuments(ctx, e, ws, db)
	s := <-snap
	if err != nil {
		return err
	}
	if s.err != nil {
		return s.err
	}
	products = append(products, fmt.Sprintf("%s (%d documented tables for imet sql or any DuckDB client)", ws.Snapshot, s.tables))
	fmt.Fprintf(e.stdout, "   (%.1f s)\n", time.Since(t0).Seconds())
	for _, p := range products {
		fmt.Fprintf(e.stdout, "   %s\n", p)
	}
	return nil
}

// demoDocuments writes the quarterly report and the congressional export,
// and returns what it wrote.
func demoDocuments(ctx context.Context, e *env, ws *workspace, db *sql.DB) ([]string, error) {
	html, pdf, err := writeQuarterly(ctx, e, ws, db, demoAsOf, 0)
	if err != nil {
		return nil, err
	}
	files, err := writeCongress(ctx, e, ws, db, demoAsOf.Year(), 0, filepath.Join(ws.Reports, fmt.Sprintf("FY%d", demoAsOf.Year())), []string{"xlsx", "csv", "parquet"})
	if err != nil {
		return nil, err
	}
	return []string{html, pdf, files[0] + fmt.Sprintf(" (and %d CSV and Parquet tables beside it)", len(files)-1)}, nil
}

// printFMTRYears says, per loaded report year, how many printed totals the
// activities reproduce and how many rows were set aside.
func printFMTRYears(ctx context.Context, db *sql.DB, e *env) error {
	rows, err := reports.Overview(ctx, db, "fmtr_years")
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Fprintln(e.stdout)
	var quarantined int64
	for rows.Next() {
		var fy, groups, matching int
		var dollars float64
		if err := rows.Scan(&fy, &groups, &matching, &dollars, &quarantined); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Foreign Military Training Report FY%d: %d of %d printed country/program totals reproduced by the activities ($%s in all).\n",
			fy, matching, groups, reports.Thousands(int64(math.Round(dollars))))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if quarantined > 0 {
		fmt.Fprintf(e.stdout, "Rows of the reports set aside in quarantine (see 'imet quarantine --summary'): %d.\n", quarantined)
	}
	return nil
}

// demoAsOf is the generator's last day, the end of FY2026.
var demoAsOf = schemas.FiscalYearEnd(2026)

var demoQueries = []string{
	"SELECT metric_id, cohort, round(value, 3) AS value, round(ci_low, 3) AS low, round(ci_high, 3) AS high, n FROM metric_latest WHERE region = 'ALL' AND country_code = 'ALL' AND course_category = 'ALL' AND graduation_cohort = 'ALL' AND period IN ('ALL', 'FY2026') AND program = 'ALL' AND sex = 'ALL' AND ecl_band = 'ALL' AND post_level = 'ALL' ORDER BY metric_id, cohort",
	"SELECT outcome, cohort, count(*) AS people, round(avg(status::INT), 3) AS share_with_event, round(median(time) / 365.25, 1) AS median_years FROM outcomes GROUP BY ALL ORDER BY ALL",
	"SELECT fiscal_year, reconciliation, count(*) AS groups, sum(dollar_value) AS dollars FROM fmtr_summary GROUP BY ALL ORDER BY ALL",
}

func demoSummary(ctx context.Context, db *sql.DB, e *env) error {
	for _, q := range []struct{ name, title string }{{"holdings", ""}, {"regions", "\nIMET graduates by State Department region:"}} {
		rows, err := reports.Overview(ctx, db, q.name)
		if err != nil {
			return err
		}
		t, err := readTable(rows)
		if err != nil {
			return err
		}
		if q.title != "" {
			fmt.Fprintln(e.stdout, q.title)
		}
		if err := t.write(e.stdout, "table"); err != nil {
			return err
		}
	}
	return nil
}

// headline lists the whole-population numbers a first reader asks about,
// with the period each is read for.
var headline = []struct{ id, period string }{
	{"LEAD_RANK_10Y", "ALL"}, {"LEAD_RANK_HR", "ALL"}, {"LEAD_POS_10Y", "ALL"}, {"RETAIN_5Y", "ALL"},
	{"TRACK_24M", "ALL"}, {"COMPLETION", "FY2026"}, {"FMTR_DOLLARS", "FY2026"},
}

// printHeadline prints the headline transform's numbers (the snapshot's
// metric_latest), each in its unit and with its title from the registry.
func printHeadline(ctx context.Context, db *sql.DB, e *env) error {
	asOf, vintage, err := reports.LatestTransform(ctx, db)
	if err != nil {
		return err
	}
	t := &table{cols: []string{"metric", "period", "cohort", "value", "95% interval", "n", "what it is"}}
	for _, h := range headline {
		m, ok := transform.Lookup(h.id)
		if !ok {
			return fmt.Errorf("headline: no metric %s in the registry", h.id)
		}
		unit, what := string(m.Reading().Value), m.Title
		if m.Contrast && m.Associational {
			what += " (an association, not an effect)"
		}
		rows, err := reports.Overview(ctx, db, "headline", h.id, h.period)
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
			// plain spaces on a terminal (the reports join a value's parts with no-break spaces)
			plain := strings.NewReplacer("\u00a0", " ")
			t.rows = append(t.rows, []any{h.id, h.period, cohort, plain.Replace(reports.Format(unit, v)), plain.Replace(reports.FormatInterval(unit, lo, hi)), n.Int64, what})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "\nHeadline as of %s, vintage %d (whole population; 'imet metrics list' defines each metric):\n", asOf.Format(time.DateOnly), vintage)
	return t.write(e.stdout, "table")
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
