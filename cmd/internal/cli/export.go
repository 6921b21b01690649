package cli

import (
	"context"
	"fmt"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/transform"
)

func runExport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(e.stdout, "Usage: imet export WHAT [flags]\n\nWhat:\n"+
			"  metrics   metric_values of one transform as CSV, Parquet or JSON\n"+
			"  congress  the congressional summary of a fiscal year: XLSX, CSV, Parquet, disclosure-controlled\n"+
			"  fmtr      the Foreign Military Training Report's columns with their reconciliation\n"+
			"  lake      every public table as Hive-partitioned Parquet with a manifest\n\nEach takes --help.\n")
		if len(args) == 0 {
			return &usageError{"say what to export: metrics, congress, fmtr or lake"}
		}
		return nil
	}
	switch args[0] {
	case "metrics":
		return exportMetrics(ctx, e, args[1:])
	case "congress":
		return exportCongress(ctx, e, args[1:])
	case "fmtr":
		return exportFMTR(ctx, e, args[1:])
	case "lake":
		return exportLake(ctx, e, args[1:])
	}
	return &usageError{fmt.Sprintf("unknown export %q: use metrics, congress, fmtr or lake", args[0])}
}

func exportMetrics(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "export metrics", "--out FILE [--format csv|parquet|json] [--as-of YYYY-MM-DD --vintage BATCH]",
		"Write metric_values (every metric, every disaggregation, unrounded, with limits and notes)\n"+
			"of one transform: by default the latest; --as-of and --vintage pick an earlier one. The\n"+
			"file appears whole or not at all. Rows are in a fixed order, so the same transform gives\n"+
			"byte-identical files.")
	wsFlag := workspaceFlag(fs)
	out := fs.String("out", "", "file to write (required)")
	format := fs.String("format", "csv", "csv, parquet or json (a JSON array of objects)")
	asOf := fs.String("as-of", "", "D of the transform to export (default: the latest period end transformed)")
	vintage := fs.Int64("vintage", 0, "vintage of the transform to export (with --as-of; default: the newest transformed for that D)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"--out FILE is required"}
	}
	if err := oneOf("format", *format, reports.Formats...); err != nil {
		return err
	}
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if err := ws.checkOut(*out); err != nil {
		return err
	}
	db, closeAll, err := openExport(ctx, ws, "export metrics")
	if err != nil {
		return err
	}
	defer closeAll()
	d, v, err := reports.LatestTransform(ctx, db)
	if err != nil {
		return err
	}
	if *asOf != "" {
		if d, err = parseDate("as-of", *asOf); err != nil {
			return err
		}
		v = *vintage
		if v == 0 {
			// the newest vintage transformed for that D, as the other
			// products read a D
			if v, err = transform.LatestTransformedVintage(ctx, db, d); err != nil {
				return fmt.Errorf("no transform as of %s: run 'imet transform --as-of %s' first", *asOf, *asOf)
			}
		}
		run, err := transform.FirstRun(ctx, db, d, v)
		if err != nil {
			return err
		}
		if run == 0 {
			return fmt.Errorf("no transform as of %s with vintage %d: run 'imet transform --as-of %s --vintage %d' first", *asOf, v, *asOf, v)
		}
	}
	if err := reports.Copy(ctx, db, reports.MetricsQuery(d, v), *out, *format); err != nil {
		return err
	}
	var rows int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM metric_values WHERE as_of = ? AND vintage = ?`, d, v).Scan(&rows); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %s: %d metric rows as of %s, vintage %d.\n", *out, rows, d.Format("2006-01-02"), v)
	return nil
}
