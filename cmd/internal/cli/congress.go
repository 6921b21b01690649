package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imet-project/imet/reports"
	"github.com/imet-project/imet/reports/congress"
	"github.com/imet-project/imet/schemas"
)

func exportCongress(ctx context.Context, e *env, args []string) error {
	fs := flags(e, "export congress", "--fy 2026 [--format xlsx,csv,parquet] [--vintage BATCH] [--out DIR]",
		"Write the congressional summary of a fiscal year (D = 30 September): one workbook (Summary,\n"+
			"By region, By country, By course category, FMTR columns, Methodology, Data notes) and the\n"+
			"same tables as CSV and Parquet, with small cells suppressed ([disclosure] min_cell, and\n"+
			"complementary suppression), spreadsheet formulas neutralised, and no personal data.\n"+
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
	run, v, err := ensureTransform(ctx, e, ws, db, d, vintage)
	if err != nil {
		return nil, err
	}
	docs := metricDocs()
	var quarantined int64
	db.QueryRowContext(ctx, `SELECT count(*) FROM quarantine WHERE batch_id <= ? AND (resolved_by IS NULL OR resolved_by > ?)`, v, v).Scan(&quarantined)
	tables, err := congress.Build(ctx, db, congress.Options{
		FY: fy, AsOf: d, Vintage: v, MinCell: ws.Config.Disclosure.MinCell, Metrics: docs,
		Notes: []string{
			fmt.Sprintf("Made by imet %s from transform run %d (D %s, data of batches up to %d).", Version, run, d.Format(time.DateOnly), v),
			fmt.Sprintf("Rows set aside by validation and open at this vintage: %d (listed, without personal data, in the analysts' snapshot).", quarantined),
		},
	})
	if err != nil {
		return nil, err
	}
	prefix := fmt.Sprintf("congress-fy%d", fy)
	var files []string
	if slices.Contains(formats, "xlsx") {
		path := filepath.Join(dir, prefix+".xlsx")
		if err := congress.WriteXLSX(tables, path, congress.SummaryProperties(fy, made)); err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	if slices.Contains(formats, "csv") {
		f, err := congress.WriteCSV(tables, dir, prefix)
		if err != nil {
			return nil, err
		}
		files = append(files, f...)
	}
	if slices.Contains(formats, "parquet") {
		f, err := congress.WriteParquet(tables, dir, prefix)
		if err != nil {
			return nil, err
		}
		files = append(files, f...)
	}
	return files, nil
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
	if err := oneOf("format", *format, "csv", "parquet", "xlsx"); err != nil {
		return err
	}
	made := time.Now()
	ws, err := openWorkspace(*wsFlag)
	if err != nil {
		return err
	}
	db, err := openExport(ctx, ws)
	if err != nil {
		return err
	}
	defer db.Close()
	where := ""
	if *fy != 0 {
		where = " WHERE fiscal_year = " + strconv.Itoa(*fy)
	}
	rows, err := db.QueryContext(ctx, `SELECT fiscal_year, region, country_code, program, sub_program, sessions, course_count,
		dollar_value, printed_sessions, printed_dollars, reconciliation, individual_students, note
		FROM fmtr_summary`+where+` ORDER BY fiscal_year, region, country_code, program, sub_program NULLS FIRST`)
	if err != nil {
		return err
	}
	// The names are fmtr_summary's columns; the headers are the FMTR
	// columns sheet's words.
	t := congress.Table{Sheet: "FMTR summary", File: "fmtr-summary", Columns: []congress.Column{
		congress.FMTRFiscalYear, congress.FMTRRegion, congress.FMTRCountryCode, congress.FMTRProgram, congress.FMTRSubProgram,
		congress.FMTRSessions.Named("sessions"), congress.FMTRCourses, congress.FMTRDollars,
		congress.FMTRPrintedSessions, congress.FMTRPrintedDollars, congress.FMTRReconciliation,
		congress.FMTRStudents, congress.FMTRNote,
	}}
	for rows.Next() {
		var fyv int64
		var region, country, program, sub, rec, note sql.NullString
		var sessions, courses, printedS, students sql.NullInt64
		var dollars, printedD sql.NullFloat64
		if err := rows.Scan(&fyv, &region, &country, &program, &sub, &sessions, &courses, &dollars, &printedS, &printedD, &rec, &students, &note); err != nil {
			rows.Close()
			return err
		}
		// Individual students come from person-level enrollments, not
		// from the published report: a count below the minimum cell size
		// is withheld, as in the congressional workbook. (Distinct
		// counts do not add up, so no complement is needed.)
		var studentsCell any = i64(students)
		if students.Valid && students.Int64 < int64(ws.Config.Disclosure.MinCell) {
			studentsCell = congress.Withheld{}
			note.String = strings.TrimPrefix(note.String+fmt.Sprintf("; individual students suppressed: below the minimum cell size of %d", ws.Config.Disclosure.MinCell), "; ")
			note.Valid = true
		}
		t.Rows = append(t.Rows, []any{fyv, str(region), str(country), str(program), str(sub), i64(sessions), i64(courses), f64(dollars),
			i64(printedS), f64(printedD), str(rec), studentsCell, str(note)})
	}
	rows.Close()
	if len(t.Rows) == 0 {
		return fmt.Errorf("no Foreign Military Training Report data: load the report's files into inbox/fmtr_activities/ first (see docs/fmtr.md)")
	}
	dir, base := filepath.Split(*out)
	if dir == "" {
		dir = "."
	}
	switch *format {
	case "xlsx":
		years := "every fiscal year loaded"
		if *fy != 0 {
			years = fmt.Sprintf("FY%d", *fy)
		}
		err = congress.WriteXLSX([]congress.Table{t}, *out, congress.Properties{
			Title:       "Foreign Military Training Report summary, " + years,
			Subject:     "The Foreign Military Training Report's columns per fiscal year, region, country and program, with the printed totals and their reconciliation",
			Description: "Data: Foreign Military Training Report, scraped by Security Force Monitor (MIT licence).",
			Keywords:    "FMTR; IMET; " + years,
			Created:     made,
		})
	default:
		t.File = strings.TrimSuffix(base, "."+*format)
		var written []string
		if *format == "csv" {
			written, err = congress.WriteCSV([]congress.Table{t}, dir, "")
		} else {
			written, err = congress.WriteParquet([]congress.Table{t}, dir, "")
		}
		if err == nil && (len(written) != 1 || filepath.Clean(written[0]) != filepath.Clean(*out)) {
			err = fmt.Errorf("internal: wrote %s, not %s", written[0], *out)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %s: %d rows. Data: Foreign Military Training Report, scraped by Security Force Monitor (MIT licence).\n", *out, len(t.Rows))
	return nil
}

func str(v sql.NullString) any {
	if !v.Valid {
		return nil
	}
	return v.String
}

func i64(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

func f64(v sql.NullFloat64) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

// openExport opens the warehouse read-only for an export.
func openExport(ctx context.Context, ws *workspace) (*sql.DB, error) {
	if _, err := os.Stat(ws.Warehouse); err != nil {
		return nil, fmt.Errorf("no warehouse in %s: run 'imet ingest' first, or pass --workspace", ws.Root)
	}
	db, err := schemas.OpenForExport(ctx, ws.Warehouse)
	if err != nil {
		return nil, fmt.Errorf("%w (is a pipeline writing the warehouse? try again when it is done)", err)
	}
	return db, nil
}
