package cli

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/imet-project/imet/cmd/internal/schedule"
	"github.com/imet-project/imet/ingest"
	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/transform"
)

func runRun(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "run", "[--workspace DIR] [--as-of YYYY-MM-DD] [--full]",
		"The pipeline the scheduler runs, once, now: load the inbox, transform as of D (default\n"+
			"today), check the results, and publish the analysts' snapshot (published/imet.duckdb).\n"+
			"The run and its steps are recorded in the run history ('imet runs'). Exits 1 when the\n"+
			"run failed or a file was rejected. --full rebuilds every model from all the data (as\n"+
			"'imet transform --full'), not only the rows of the people the new files touch, and\n"+
			"writes the snapshot whole instead of updating a copy of the last one.")
	wsFlag := workspaceFlag(fs)
	asOf := fs.String("as-of", "", "period end D, YYYY-MM-DD (default: today)")
	full := fs.Bool("full", false, "rebuild every model from all the data, and write the snapshot whole")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	d, err := parseDate("as-of", *asOf)
	if err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if !ws.exists() {
		return fmt.Errorf("%s is not a workspace: create one with 'imet init', or pass --workspace", ws.Root)
	}
	rec, err := runJob(ctx, e, ws, "run", "manual", func(ctx context.Context, rec *schedule.Record) error {
		return pipeline(ctx, e, ws, rec, d, *full, nil)
	})
	printRun(e, rec)
	if err != nil {
		return &exitError{code: 1, msg: "run failed: " + err.Error()}
	}
	if rec.Rejected > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// runJob records a run of job in the workspace's history around fn.
func runJob(ctx context.Context, e *env, ws *workspace, job, trigger string, fn func(context.Context, *schedule.Record) error) (*schedule.Record, error) {
	rec, err := ws.History.Start(job, trigger, time.Now())
	if err != nil {
		return nil, err
	}
	err = schedule.Execute(ctx, ws.History, rec, fn, time.Now)
	return rec, err
}

// pipeline loads the inbox, transforms as of d, checks, runs products
// (the quarterly and yearly jobs' exports) and publishes the snapshot,
// recording each step in rec. It holds the writer lock throughout.
func pipeline(ctx context.Context, e *env, ws *workspace, rec *schedule.Record, d time.Time, full bool, products func(context.Context, *sql.DB, *schedule.Record) error) error {
	lock, err := ws.lock(ctx, rec.Job)
	if err != nil {
		return err
	}
	defer lock.Release()
	defer ws.protectAtEnd(ctx, rec.Job)() // the archived and rejected files, the history
	if err := ws.create(ctx); err != nil {
		return err
	}
	db, err := ws.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	step := func(name string, f func() (int64, string, error)) error {
		t0 := time.Now()
		rows, msg, err := f()
		rec.Steps = append(rec.Steps, schedule.Step{Name: name, Seconds: time.Since(t0).Seconds(), Rows: rows, Message: msg})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	var notes []string
	if err := step("ingest", func() (int64, string, error) { return ingestStep(ctx, e, ws, db, rec, &notes) }); err != nil {
		return err
	}
	var res struct{ vintage, rows int64 }
	if err := step("transform", func() (int64, string, error) {
		opt := ws.transformOptions(e, d, 0)
		opt.Full = full
		r, err := transformOn(ctx, db, opt)
		res.vintage, res.rows = r.Vintage, r.MetricRows
		return r.MetricRows, fmt.Sprintf("as of %s, vintage %d; models %s", d.Format(time.DateOnly), r.Vintage, r.Models), err
	}); err != nil {
		return err
	}
	if err := step("check", func() (int64, string, error) {
		warnings, err := check(ctx, db, d, res.vintage)
		notes = append(notes, warnings...)
		return int64(len(warnings)), strings.Join(warnings, "; "), err
	}); err != nil {
		return err
	}
	if products != nil {
		if err := products(ctx, db, rec); err != nil {
			return err
		}
	}
	if err := step("publish", func() (int64, string, error) {
		p, err := ws.privacy()
		if err != nil {
			return 0, "", err
		}
		pub, err := reports.Publish(ctx, db, ws.Snapshot, p, full)
		return int64(pub.Tables), fmt.Sprintf("%d tables to %s, %s", pub.Tables, ws.Snapshot, pub.How), err
	}); err != nil {
		return err
	}
	rec.Message = fmt.Sprintf("as of %s, vintage %d: %d rows loaded, %d metric rows, snapshot published", d.Format(time.DateOnly), res.vintage, rec.Rows, res.rows)
	if len(notes) > 0 {
		rec.Message += "; " + strings.Join(notes, "; ")
	}
	return nil
}

// ingestStep is the pipeline's ingest: the inbox loaded, the rows counted
// into rec, and a note for the files rejected.
func ingestStep(ctx context.Context, e *env, ws *workspace, db *sql.DB, rec *schedule.Record, notes *[]string) (int64, string, error) {
	items, err := ingest.Discover(ws.Inbox)
	if err != nil {
		return 0, "", err
	}
	results, err := ws.loader(db, e).LoadAll(ctx, items, ws.Inbox, ws.Archive, ws.Rejected, nil)
	var loaded, quarantined int64
	rejected := 0
	for _, r := range results {
		loaded += r.Loaded + r.Replaced
		quarantined += r.Quarantined
		if r.Status == ingest.StatusRejected {
			rejected++
		}
	}
	rec.Rows += loaded
	rec.Rejected += rejected
	msg := fmt.Sprintf("%d file%s, %d rows loaded, %d quarantined", len(results), plural(len(results)), loaded, quarantined)
	if rejected > 0 {
		*notes = append(*notes, fmt.Sprintf("%d file%s rejected (see %s)", rejected, plural(rejected), ws.Rejected))
	}
	return loaded, msg, err
}

// check runs the pipeline checks after a transform: a broken invariant
// fails the run (and nothing is published); alarms come back as warnings.
func check(ctx context.Context, db *sql.DB, d time.Time, vintage int64) (warnings []string, err error) {
	c, err := transform.Check(ctx, db, d, vintage)
	if err != nil {
		return nil, err
	}
	if len(c.Failures) > 0 {
		return nil, fmt.Errorf("check failed: %s; the snapshot was not published", strings.Join(c.Failures, "; "))
	}
	alarms, err := reports.DeniedVettingAlarms(ctx, db, d, vintage)
	if err != nil {
		return nil, err
	}
	var denied int64
	for _, a := range alarms {
		denied += a.Enrollments
	}
	if denied > 0 {
		warnings = append(warnings, fmt.Sprintf("ALARM: %d enrollments attended despite DENIED vetting (VET_DENIED_ATTENDED)", denied))
	}
	return append(warnings, c.Warnings...), nil
}

func printRun(e *env, rec *schedule.Record) {
	if rec == nil {
		return
	}
	t := &table{cols: []string{"step", "seconds", "rows", "message"}}
	for _, s := range rec.Steps {
		t.rows = append(t.rows, []any{s.Name, fmt.Sprintf("%.1f", s.Seconds), s.Rows, s.Message})
	}
	t.writeAligned(e.stdout)
	fmt.Fprintf(e.stdout, "Run %s: %s. %s\n", rec.ID, rec.Status, rec.Message)
}

// quarterlyProducts writes the quarter's evaluator report (HTML, PDF) and
// its metric_values as CSV beside it, in reports/<quarter>/.
func quarterlyProducts(e *env, ws *workspace, d time.Time) func(context.Context, *sql.DB, *schedule.Record) error {
	return func(ctx context.Context, db *sql.DB, rec *schedule.Record) error {
		t0 := time.Now()
		html, pdf, err := writeQuarterly(ctx, e, ws, db, d, 0)
		if err != nil {
			return fmt.Errorf("quarterly report: %w", err)
		}
		vintage, err := transform.LatestVintage(ctx, db) // the vintage writeQuarterly reported on
		if err != nil {
			return err
		}
		csv := filepath.Join(filepath.Dir(html), "metric_values.csv")
		if err := reports.Copy(ctx, db, reports.MetricsQuery(d, vintage), csv, "csv"); err != nil {
			return err
		}
		rec.Steps = append(rec.Steps, schedule.Step{Name: "products", Seconds: time.Since(t0).Seconds(), Rows: 3, Message: strings.Join([]string{html, pdf, csv}, ", ")})
		return nil
	}
}

// congressProducts writes the fiscal year's congressional summary.
func congressProducts(e *env, ws *workspace, fy int) func(context.Context, *sql.DB, *schedule.Record) error {
	return func(ctx context.Context, db *sql.DB, rec *schedule.Record) error {
		t0 := time.Now()
		files, err := writeCongress(ctx, e, ws, db, fy, 0, filepath.Join(ws.Reports, fmt.Sprintf("FY%d", fy)), []string{"xlsx", "csv", "parquet"})
		if err != nil {
			return fmt.Errorf("congressional export: %w", err)
		}
		rec.Steps = append(rec.Steps, schedule.Step{Name: "products", Seconds: time.Since(t0).Seconds(), Rows: int64(len(files)), Message: files[0] + " and its CSV and Parquet tables"})
		return nil
	}
}
