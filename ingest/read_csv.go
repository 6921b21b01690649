package ingest

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/schemas"
)

// stageCSV reads CSV through DuckDB's read_csv into all-text staging; the
// rows it rejects are rescued (trailing empty fields only) or quarantined,
// and line numbers are mapped back to the file.
func stageCSV(ctx context.Context, conn *sql.Conn, path string, f Format, scanned func() (*scan, error), ds *schemas.Dataset, src Source) (*staged, error) {
	file := filepath.Base(path)
	raw, err := readCSVHeader(path, f, src.delim())
	if err != nil {
		return nil, err
	}
	h, err := checkHeader(ds, raw, file, src)
	if err != nil {
		return nil, err
	}
	cols := make([]string, len(h.names))
	pos := map[string]string{}
	for i, n := range h.names {
		cols[i] = fmt.Sprintf("'c%d': 'VARCHAR'", i)
		pos[n] = fmt.Sprintf("stg.c%d", i)
	}
	compression := "none"
	if f == CSVGz {
		compression = "gzip"
	}
	// all-text, no sniffing: types are checked by validation, where a bad
	// value quarantines its row instead of failing the file.
	q := fmt.Sprintf(`CREATE TEMP TABLE stg AS SELECT * FROM read_csv(%s, header = true, auto_detect = false,
		columns = {%s}, delim = %s, quote = '"', escape = '"', compression = '%s',
		store_rejects = true, rejects_table = 'imet_rejects', rejects_scan = 'imet_reject_scans')`,
		literal(path), strings.Join(cols, ", "), literal(string(src.delim())), compression)
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return nil, reject("%s cannot be read as CSV: %v", file, duckMessage(err))
	}
	sc, err := scanned()
	if err != nil {
		return nil, err
	}
	st := &staged{unknown: h.unknown, present: h.present}
	// Rows read_csv could not split into the header's columns.
	rows, err := conn.QueryContext(ctx, `SELECT line, error_type, error_message, csv_line FROM imet_rejects ORDER BY line`)
	if err != nil {
		return nil, err
	}
	rejected := map[int64]bool{}
	var rescued [][]string // rows whose extra or missing fields are only trailing empty ones
	var rescuedLines []int64
	named := len(h.names) - h.trailing
	for rows.Next() {
		var line int64
		var typ, msg string
		var rawLine sql.NullString
		if err := rows.Scan(&line, &typ, &msg, &rawLine); err != nil {
			rows.Close()
			return nil, err
		}
		if rejected[line] {
			continue // one row can fail several ways; quarantine it once
		}
		rejected[line] = true
		if typ == "MISSING COLUMNS" || typ == "TOO MANY COLUMNS" {
			if fields, ok := trailingOnly(rawLine.String, src.delim(), named, len(h.names)); ok {
				rescued, rescuedLines = append(rescued, fields), append(rescuedLines, sc.physicalLine(line))
				continue
			}
		}
		st.malformed = append(st.malformed, badRow{line: sc.physicalLine(line), reason: csvRejectReason(typ, msg, named), raw: rawLine.String})
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM stg").Scan(&st.rows); err != nil {
		return nil, err
	}
	lineExpr := "stg.rowid + 2"
	from := "stg"
	if !sc.simple || len(rejected) > 0 {
		mapped, err := sc.writeLineMap(ctx, conn, rejected, st.rows)
		if err != nil {
			return nil, err
		}
		if mapped == st.rows {
			lineExpr, from = "linemap.line", "stg JOIN linemap ON linemap.r = stg.rowid"
		} else {
			// Never drop a row for want of its line number.
			st.warnings = append(st.warnings, "line numbers are approximate: the file's quoting could not be followed line by line")
		}
	}
	if len(rescued) > 0 {
		if err := stageMore(ctx, conn, len(h.names), rescued, rescuedLines); err != nil {
			return nil, err
		}
		from = fmt.Sprintf("(SELECT %s AS _line, stg.* FROM %s UNION ALL SELECT * FROM stg_more) AS stg", lineExpr, from)
		lineExpr = "stg._line"
		st.rows += int64(len(rescued))
	}
	// A line of delimiters only (`;;;;`, as spreadsheet programs end a
	// sheet) is no row: skipped, and said so.
	allNull := make([]string, len(h.names))
	for i := range h.names {
		allNull[i] = fmt.Sprintf("c%d IS NULL", i)
	}
	var blank int64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FILTER (WHERE %s) FROM %s", strings.Join(allNull, " AND "), from)).Scan(&blank); err != nil {
		return nil, err
	}
	if blank > 0 {
		if lineExpr != "stg._line" {
			from = fmt.Sprintf("(SELECT %s AS _line, stg.* FROM %s) AS stg", lineExpr, from)
			lineExpr = "stg._line"
		}
		from = fmt.Sprintf("(SELECT * FROM %s WHERE NOT (%s)) AS stg", from, strings.Join(allNull, " AND "))
		st.rows -= blank
		st.warnings = append(st.warnings, fmt.Sprintf("%d empty rows (delimiters only) skipped", blank))
	}
	// A value under an empty header cell would be lost with its column:
	// such a column is an unknown one, named by its position.
	for i := named; i < len(h.names); i++ {
		var n int64
		if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(c%d) FROM %s", i, from)).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			st.unknown = append(st.unknown, h.names[i])
		}
	}
	st.rows += int64(len(st.malformed))
	name := func(c string) (string, bool) { s, ok := pos[c]; return s, ok }
	return st, createSrc(ctx, conn, ds, name, st.unknown, lineExpr, from)
}

// trailingOnly reads one CSV record that read_csv found to have too few or
// too many fields and says whether the difference is only empty fields at
// the end, as spreadsheet programs write them (`1,2,3,,` under `a,b,c`, or
// `1,2,3` under `a,b,c,,`); if so it returns the record with width fields.
func trailingOnly(record string, delim byte, named, width int) ([]string, bool) {
	r := csv.NewReader(strings.NewReader(record))
	r.Comma = rune(delim)
	r.FieldsPerRecord = -1
	fields, err := r.Read()
	if err != nil || len(fields) < named {
		return nil, false
	}
	for _, v := range fields[named:] {
		if v != "" {
			return nil, false
		}
	}
	out := make([]string, width)
	copy(out, fields[:min(len(fields), width)])
	return out, true
}

// stageMore holds rescued rows with their file lines, in stg's columns.
func stageMore(ctx context.Context, conn *sql.Conn, width int, rows [][]string, lines []int64) error {
	cols := []string{"_line BIGINT"}
	for i := 0; i < width; i++ {
		cols = append(cols, fmt.Sprintf("c%d VARCHAR", i))
	}
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE stg_more ("+strings.Join(cols, ", ")+")"); err != nil {
		return err
	}
	return appendRows(ctx, conn, "stg_more", func(app *duckdb.Appender) error {
		vals := make([]driver.Value, width+1)
		for k, r := range rows {
			vals[0] = lines[k]
			for i, v := range r {
				vals[i+1] = nil
				if v != "" {
					vals[i+1] = v
				}
			}
			if err := app.AppendRow(vals...); err != nil {
				return err
			}
		}
		return nil
	})
}

func csvRejectReason(typ, msg string, ncols int) string {
	switch typ {
	case "MISSING COLUMNS", "TOO MANY COLUMNS":
		return fmt.Sprintf("the line does not have the header's %d fields (%s): check for a missing or extra comma, or an unquoted comma inside a value", ncols, strings.ToLower(typ))
	case "UNQUOTED VALUE":
		return "a quote inside a value is not escaped: quote the whole value and double the quote (\"\")"
	case "LINE SIZE OVER MAXIMUM":
		return "the line is longer than 2 MB: a value is far too long, or a quote is not closed"
	}
	return strings.ToLower(typ) + ": " + msg
}

// physicalLine maps read_csv's record number (1 = header) to the file line.
func (s *scan) physicalLine(rec int64) int64 {
	if rec >= 1 && int(rec) <= len(s.recLine) {
		return int64(s.recLine[rec-1])
	}
	return rec
}

// writeLineMap maps staging rows to file lines where records span lines,
// blank lines were skipped, or rows were rejected.
// It returns how many rows it mapped.
func (s *scan) writeLineMap(ctx context.Context, conn *sql.Conn, rejected map[int64]bool, staged int64) (int64, error) {
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE linemap (r BIGINT, line BIGINT)"); err != nil {
		return 0, err
	}
	r := int64(0)
	err := appendRows(ctx, conn, "linemap", func(app *duckdb.Appender) error {
		for k := 1; k < len(s.recLine) && r < staged; k++ {
			if s.recBlank[k] || rejected[int64(k+1)] {
				continue
			}
			if err := app.AppendRow(r, int64(s.recLine[k])); err != nil {
				return err
			}
			r++
		}
		return nil
	})
	return r, err
}

func readCSVHeader(path string, f Format, delim byte) ([]string, error) {
	file := filepath.Base(path)
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var r io.Reader = fh
	if f == CSVGz {
		gz, err := gzip.NewReader(fh)
		if err != nil {
			return nil, reject("%s is not a readable gzip file: %v", file, err)
		}
		r = gz
	}
	cr := csv.NewReader(bufio.NewReader(r))
	cr.Comma = rune(delim)
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, reject("%s is empty: a CSV file needs a header row naming its columns", file)
	}
	if err != nil {
		return nil, reject("%s: the header row cannot be read as CSV (%v)", file, err)
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
	return rec, nil
}
