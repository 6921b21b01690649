package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/reports/congress"
	"github.com/imet-project/imet/schemas"
)

func exportCongress(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "export congress", "--fy 2026 [--format xlsx,csv,parquet] [--vintage BATCH] [--out DIR]",
		"Write the congressional summary of a fiscal year (D = 30 September): one workbook (Summary,\n"+
			"By region, By country, By course category, FMTR columns, FMTR by year, Methodology, Data\n"+
			"notes) and the same tables as CSV and Parquet, with small cells suppressed ([disclosure]\n"+
			"min_cell, and complementary suppression; FMTR by year holds the report's published figures),\n"+
			"spreadsheet formulas neutralised, and no personal data.\n"+
			"The transform of D runs first if it has not run for this vintage. The same D and vintage\n"+
			"give byte-identical CSV and Parquet files and identical workbook values.")
	wsFlag := workspaceFlag(fs)
	fy := fs.Int("fy", 0, "fiscal year (required)")
	format := fs.String("format", "xlsx,csv,parquet", "comma-separated: xlsx, csv, parquet")
	vintage := fs.Int64("vintage", 0, "use the data of batches up to this one (default: all)")
	out := fs.String("out", "", "folder to write to (default: reports/FY<fy>/ in the workspace)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *fy < 1976 || *fy > 2100 {
		return &usageError{"--fy is required: a fiscal year such as 2026"}
	}
	formats := strings.Split(*format, ",")
	for _, f := range formats {
		if err := oneOf("format", f, "xlsx", "csv", "parquet"); err != nil {
			return err
		}
	}
	ws, db, closeAll, err := openWriter(ctx, *wsFlag, "export congress")
	if err != nil {
		return err
	}
	defer closeAll()
	if err := ws.checkOut(*out); err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(ws.Reports, fmt.Sprintf("FY%d", *fy))
	}
	t0 := time.Now()
	files, err := writeCongress(ctx, e, ws, db, *fy, *vintage, dir, formats)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote, in %.1f s:\n", time.Since(t0).Seconds())
	for _, f := range files {
		fmt.Fprintf(e.stdout, "  %s\n", f)
	}
	return nil
}

// writeCongress runs the transform of the fiscal year's end if needed and
// writes the congressional products.
func writeCongress(ctx context.Context, e *env, ws *workspace, db *sql.DB, fy int, vintage int64, dir string, formats []string) ([]string, error) {
	made := time.Now() // the workbook's created time
	if err := checkFiscalYear(ctx, db, fy, vintage); err != nil {
		return nil, err
	}
	d := schemas.FiscalYearEnd(fy)
	done, err := ensureTransforms(ctx, e, ws, db, []time.Time{d}, vintage)
	if err != nil {
		return nil, err
	}
	run, v := done[0].Run, done[0].Vintage
	return congress.Export{
		Options: congress.Options{FY: fy, AsOf: d, Vintage: v, MinCell: ws.Config.Disclosure.MinCell, Metrics: MetricDocs()},
		Run:     run, Version: Version, Dir: dir, Formats: formats, Made: made,
	}.Write(ctx, db)
}

// checkFiscalYear refuses, before any transform runs, a fiscal year in
// which no enrollment started: its summary would be empty.
func checkFiscalYear(ctx context.Context, db *sql.DB, fy int, vintage int64) error {
	years, err := reports.FiscalYears(ctx, db, vintage)
	if err != nil {
		return err
	}
	if slices.Contains(years, fy) {
		return nil
	}
	at := ""
	if vintage > 0 {
		at = fmt.Sprintf(" in the data of batches up to %d", vintage)
	}
	if len(years) == 0 {
		return fmt.Errorf("FY%d has no data: no enrollments are loaded%s; load the inbox first ('imet ingest')", fy, at)
	}
	return fmt.Errorf("FY%d has no data: no enrollment started in it (1 October %d to 30 September %d)%s. Fiscal years with data: %s; give one of them with --fy",
		fy, fy-1, fy, at, reports.YearList(years))
}

func exportFMTR(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "export fmtr", "--out FILE [--format csv|parquet|xlsx] [--fy YEAR]",
		"Write the Foreign Military Training Report's columns per fiscal year, region, country and\n"+
			"program: fiscal_year, region, country_code, program, sub_program, sessions, course_count,\n"+
			"dollar_value, printed_sessions, printed_dollars, reconciliation (matches, matches (rounded),\n"+
			"differs, no_printed_total), individual_students (where person-level enrollments exist) and a\n"+
			"note.\n"+
			"Text that a spreadsheet would run as a formula is neutralised. Data: Security Force Monitor (MIT).")
	wsFlag := workspaceFlag(fs)
	out := fs.String("out", "", "file to write (required)")
	format := fs.String("format", "csv", "csv, parquet or xlsx")
	fy := fs.Int("fy", 0, "only this fiscal year")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return &usageError{"--out FILE is required"}
	}
	if *fy != 0 && (*fy < 1976 || *fy > 2100) {
		return &usageError{fmt.Sprintf("--fy %d: give a fiscal year such as 2017 (or leave it out for every year)", *fy)}
	}
	if err := oneOf("format", *format, "csv", "parquet", "xlsx"); err != nil {
		return err
	}
	made := time.Now()
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	if err := ws.checkOut(*out); err != nil {
		return err
	}
	db, closeAll, err := openExport(ctx, ws, "export fmtr")
	if err != nil {
		return err
	}
	defer closeAll()
	n, err := congress.FMTRExport{FY: *fy, MinCell: ws.Config.Disclosure.MinCell, Out: *out, Format: *format, Made: made}.Write(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %s: %d rows. Data: Foreign Military Training Report, scraped by Security Force Monitor (MIT licence).\n", *out, n)
	return nil
}

// openExport opens the warehouse read-only for the export job, holding the
// workspace lock shared (a writer waits for it, it waits for a writer);
// closeAll closes both.
func openExport(ctx context.Context, ws *workspace, job string) (db *sql.DB, closeAll func(), err error) {
	if _, err := os.Stat(ws.Warehouse); err != nil {
		return nil, nil, fmt.Errorf("no warehouse in %s: run 'imet ingest' first, or pass --workspace", ws.Root)
	}
	lock, err := ws.readLock(ctx, job)
	if err != nil {
		return nil, nil, err
	}
	if db, err = schemas.OpenForExport(ctx, ws.Warehouse); err != nil {
		lock.Release()
		return nil, nil, fmt.Errorf("%w (another process has the warehouse open: try again when it is done)", err)
	}
	return db, func() { db.Close(); lock.Release() }, nil
}
