package congress

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Export is one congressional export: the summary of Options, written in
// Formats to Dir as congress-fy<FY>.xlsx and congress-fy<FY>-<table>.csv
// and .parquet.
type Export struct {
	Options
	Run     int64     // the transform run whose metric_values the summary shows
	Version string    // imet's version, for the data notes
	Dir     string    // folder to write to
	Formats []string  // xlsx, csv, parquet
	Made    time.Time // the workbook's created time (the export's, not the data's)
}

// Write builds the summary, with the run that made its numbers and the
// rows open in quarantine at its vintage in the data notes (before
// Options.Notes), and writes each format asked for. It returns the paths
// written, the workbook first.
func (x Export) Write(ctx context.Context, db *sql.DB) ([]string, error) {
	q, err := sqlText("open_quarantine.sql")
	if err != nil {
		return nil, err
	}
	var quarantined int64
	if err := db.QueryRowContext(ctx, q, x.Vintage).Scan(&quarantined); err != nil {
		return nil, fmt.Errorf("count the rows open in quarantine: %w", err)
	}
	opt := x.Options
	opt.Notes = slices.Concat([]string{
		fmt.Sprintf("Made by imet %s from transform run %d (D %s, data of batches up to %d).", x.Version, x.Run, x.AsOf.Format(time.DateOnly), x.Vintage),
		fmt.Sprintf("Rows set aside by validation and open at this vintage: %d (listed, without personal data, in the analysts' snapshot).", quarantined),
	}, x.Notes)
	tables, err := Build(ctx, db, opt)
	if err != nil {
		return nil, err
	}
	prefix := fmt.Sprintf("congress-fy%d", x.FY)
	var files []string
	if slices.Contains(x.Formats, "xlsx") {
		path := filepath.Join(x.Dir, prefix+".xlsx")
		if err := WriteXLSX(tables, path, SummaryProperties(x.FY, x.Made)); err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	for _, w := range []struct {
		format string
		write  func([]Table, string, string) ([]string, error)
	}{{"csv", WriteCSV}, {"parquet", WriteParquet}} {
		if !slices.Contains(x.Formats, w.format) {
			continue
		}
		f, err := w.write(tables, x.Dir, prefix)
		if err != nil {
			return nil, err
		}
		files = append(files, f...)
	}
	return files, nil
}

// FMTRExport is one `imet export fmtr`: the fmtr_summary view as one file.
type FMTRExport struct {
	FY      int       // only this fiscal year; 0: every one loaded
	MinCell int       // individual students below it are withheld; 0: DefaultMinCell
	Out     string    // the file to write
	Format  string    // csv, parquet or xlsx
	Made    time.Time // the workbook's created time
}

// Write writes fmtr_summary, its columns headed in the words of the FMTR
// columns sheet, and returns the rows written. No data is an error that
// says how to load the report.
func (x FMTRExport) Write(ctx context.Context, db *sql.DB) (int, error) {
	t, err := readFMTRSummary(ctx, db, x.FY, cmp.Or(x.MinCell, DefaultMinCell))
	if err != nil {
		return 0, err
	}
	if len(t.Rows) == 0 {
		return 0, fmt.Errorf("no Foreign Military Training Report data: load the report's files into inbox/fmtr_activities/ first (see docs/fmtr.md)")
	}
	dir, base := filepath.Split(x.Out)
	if dir == "" {
		dir = "."
	}
	if x.Format == "xlsx" {
		years := "every fiscal year loaded"
		if x.FY != 0 {
			years = fmt.Sprintf("FY%d", x.FY)
		}
		return len(t.Rows), WriteXLSX([]Table{t}, x.Out, Properties{
			Title:       "Foreign Military Training Report summary, " + years,
			Subject:     "The Foreign Military Training Report's columns per fiscal year, region, country and program, with the printed totals and their reconciliation",
			Description: "Data: Foreign Military Training Report, scraped by Security Force Monitor (MIT licence).",
			Keywords:    "FMTR; IMET; " + years,
			Created:     x.Made,
		})
	}
	t.File = strings.TrimSuffix(base, "."+x.Format)
	write := WriteCSV
	if x.Format == "parquet" {
		write = WriteParquet
	}
	written, err := write([]Table{t}, dir, "")
	if err == nil && (len(written) != 1 || filepath.Clean(written[0]) != filepath.Clean(x.Out)) {
		err = fmt.Errorf("internal: wrote %s, not %s", written[0], x.Out)
	}
	return len(t.Rows), err
}
