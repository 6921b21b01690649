package cli

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/schemas"
	"github.com/imet-project/imet/transform"
)

func runReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "quarterly" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, "Usage: imet report quarterly --quarter FY2026Q3 [--vintage BATCH]\n\nRun 'imet report quarterly --help' for details.")
			return nil
		}
		return &usageError{"say 'imet report quarterly --quarter FY2026Q3'"}
	}
	fs := flags(e, "report quarterly", "--quarter FY2026Q3 [--vintage BATCH]",
		"Write the evaluators' quarterly report, reports/<quarter>/evaluator-report.html (self-contained)\n"+
			"and .pdf (the same content), for the quarter's last day D. The numbers come from the\n"+
			"transform of D (run now, with the quarter before and the same quarter a year earlier for\n"+
			"the change columns). --vintage BATCH reproduces a report from the data of batches up to\n"+
			"BATCH, even after newer data arrived, in its own folder reports/<quarter>/vintage-BATCH/:\n"+
			"the current report is never overwritten by a reproduction.")
	wsFlag := workspaceFlag(fs)
	quarter := fs.String("quarter", "", "fiscal quarter, e.g. FY2026Q3 (Q1 is October to December)")
	vintage := fs.Int64("vintage", 0, "use the data of batches up to this one (default: all)")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *quarter == "" {
		return &usageError{"--quarter is required, e.g. --quarter FY2026Q3"}
	}
	d, err := schemas.QuarterEnd(strings.ToUpper(*quarter))
	if err != nil {
		return &usageError{err.Error()}
	}
	ws, db, closeAll, err := openWriter(ctx, *wsFlag, "report")
	if err != nil {
		return err
	}
	defer closeAll()
	start := time.Now()
	html, pdf, err := writeQuarterly(ctx, e, ws, db, d, *vintage)
	if err != nil {
		return err
	}
	if *vintage != 0 {
		fmt.Fprintf(e.stdout, "Reproduced the report for vintage %d in its own folder %s\n  (the current report in %s is left as it was).\n",
			*vintage, filepath.Dir(html), filepath.Dir(filepath.Dir(html)))
	}
	fmt.Fprintf(e.stdout, "Wrote %s\n  and %s (%.1f s).\n", html, pdf, time.Since(start).Seconds())
	return nil
}

// reportDir is the folder of a quarter's report: reports/<quarter>/ for
// the current data, reports/<quarter>/vintage-N/ for a reproduction from
// the data of batches up to N, so a reproduction never replaces the
// current report.
func reportDir(ws *workspace, quarter string, vintage int64) string {
	dir := filepath.Join(ws.Reports, quarter)
	if vintage != 0 {
		dir = filepath.Join(dir, fmt.Sprintf("vintage-%d", vintage))
	}
	return dir
}

// writeQuarterly makes sure the transforms of D, the quarter before and the
// same quarter a year earlier exist for the vintage, then writes the report.
func writeQuarterly(ctx context.Context, e *env, ws *workspace, db *sql.DB, d time.Time, vintage int64) (string, string, error) {
	prevY, prevQ := comparedWith(d)
	// side by side: the two earlier quarters never become the headline
	done, err := ensureTransforms(ctx, e, ws, db, []time.Time{d, prevY, prevQ}, vintage)
	if err != nil {
		return "", "", err
	}
	run, v := done[0].Run, done[0].Vintage
	q := schemas.QuarterName(d)
	generated := "imet report quarterly --quarter " + q
	if vintage != 0 {
		generated += fmt.Sprintf(" --vintage %d", vintage)
	}
	doc, err := reports.BuildQuarterly(ctx, db, reports.QuarterlyOptions{
		Quarter: q, AsOf: d, Vintage: v, PrevQ: prevQ, PrevYear: prevY,
		RunID: run, Version: Version, Generated: generated, Metrics: MetricDocs(),
	})
	if err != nil {
		return "", "", err
	}
	return reports.WriteReport(doc, reportDir(ws, q, vintage), "evaluator-report")
}

// comparedWith are the period ends a quarterly report of D compares with:
// the same quarter a year earlier and the quarter before.
func comparedWith(d time.Time) (prevY, prevQ time.Time) {
	return d.AddDate(-1, 0, 0), schemas.LastQuarterEnd(d) // quarter ends fall on the same day every year
}

// ensureTransforms is transform.EnsureAll with the workspace's settings
// for the period ends ds (and a checkpoint after the transforms it ran).
func ensureTransforms(ctx context.Context, e *env, ws *workspace, db *sql.DB, ds []time.Time, vintage int64) ([]transform.Ensured, error) {
	opts := make([]transform.Options, len(ds))
	for i, d := range ds {
		opts[i] = ws.transformOptions(e, d, vintage)
	}
	done, err := transform.EnsureAll(ctx, db, opts)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(done, func(d transform.Ensured) bool { return d.Ran }) {
		if _, err = db.ExecContext(ctx, "CHECKPOINT"); err != nil {
			return nil, fmt.Errorf("checkpoint: %w", err)
		}
	}
	return done, nil
}

// MetricDocs is the registry as products read it (reports and imet serve).
func MetricDocs() []reports.MetricDoc {
	out := make([]reports.MetricDoc, 0, len(transform.Registry))
	for _, m := range transform.Registry {
		r := m.Reading()
		out = append(out, reports.MetricDoc{
			ID: m.ID, Title: m.Title, Definition: m.Definition, Population: m.Population, Event: m.Event,
			Estimator: string(m.Estimator), EstimatorCode: m.Estimator.Code(),
			Unit: string(r.Value), NumUnit: string(r.Numerator), DenUnit: string(r.Denominator), UnitLabel: r.Label,
			ReadBeside: m.ReadBeside, ShownAfter: m.ShownAfter, Associational: m.Associational, Contrast: m.Contrast,
			Caveats: m.Caveats, CompetingExits: m.CompetingExits, IfNobodyLeft: m.IfNobodyLeft, Adjusted: m.Adjusted,
			CompetingExitsAs: m.CompetingExitsAs, Of: m.Of, From: m.From,
		})
	}
	return out
}
