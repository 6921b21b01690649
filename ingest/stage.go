package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/schemas"
)

// staged describes the all-text staging of one file: the temp view `src`
// with `_line` and one VARCHAR column per contract column (NULL when the file
// lacks it) plus the file's unknown columns.
type staged struct {
	unknown   []string // header names that are not contract columns
	present   map[string]bool
	malformed []badRow // rows that could not be read as rows at all
	warnings  []string
	rows      int64 // rows read, malformed ones included
}

// absent lists the contract columns the file does not carry: a file
// changes only the columns it has (see mergeStored).
func (st *staged) absent(ds *schemas.Dataset) []string {
	var out []string
	for _, c := range ds.Columns {
		if !st.present[c.Name] {
			out = append(out, c.Name)
		}
	}
	return out
}

type badRow struct {
	line   int64
	reason string
	raw    string
}

// Temp objects of one load, on the load's pinned connection.
const dropStaging = `DROP VIEW IF EXISTS good; DROP VIEW IF EXISTS src; DROP TABLE IF EXISTS stg; DROP TABLE IF EXISTS linemap;
DROP TABLE IF EXISTS chk; DROP TABLE IF EXISTS imet_rejects; DROP TABLE IF EXISTS imet_reject_scans;
DROP VIEW IF EXISTS srcm; DROP TABLE IF EXISTS stg_more`

// stage reads the file into the staging table. A *Rejection error means the
// file cannot be read at all.
func stage(ctx context.Context, conn *sql.Conn, path string, f Format, scanned func() (*scan, error), ds *schemas.Dataset, src Source) (*staged, error) {
	if _, err := conn.ExecContext(ctx, dropStaging); err != nil {
		return nil, err
	}
	switch f {
	case CSV, CSVGz:
		return stageCSV(ctx, conn, path, f, scanned, ds, src)
	case Parquet:
		return stageParquet(ctx, conn, path, ds, src)
	case NDJSON:
		return stageNDJSON(ctx, conn, path, ds, src)
	case XLSX:
		return stageXLSX(ctx, conn, path, ds, src)
	}
	return nil, fmt.Errorf("stage: unknown format %q", f)
}

// header maps the file's header names to contract columns. It rejects a
// file whose header repeats a column or lacks a required one.
type header struct {
	names   []string // normalised and aliased, in file order
	unknown []string
	// trailing counts the empty header cells after the last named one,
	// as spreadsheet programs write them (`a,b,c,,`); their names are
	// trailingName(i) and they are neither contract nor unknown columns.
	trailing int
	present  map[string]bool // contract columns in the header
}

func trailingName(i int) string { return fmt.Sprintf("column_%d", i+1) }

func checkHeader(ds *schemas.Dataset, raw []string, file string, src Source) (*header, error) {
	h := &header{present: map[string]bool{}}
	named := len(raw)
	for named > 0 && strings.TrimSpace(raw[named-1]) == "" {
		named--
	}
	h.trailing = len(raw) - named
	seen := map[string]string{}
	for i, r := range raw {
		if i >= named {
			h.names = append(h.names, trailingName(i))
			continue
		}
		n := src.column(schemas.NormalizeHeader(r))
		if n == "" {
			n = fmt.Sprintf("column_%d", i+1)
		}
		if len(n) > 200 {
			return nil, reject("%s: header cell %d is %d characters long; the header row must name the columns (%s)", file, i+1, len(r), strings.Join(ds.ColumnNames(), ", "))
		}
		if prev, dup := seen[n]; dup {
			return nil, reject("%s: the header names column %s twice (%q and %q): keep one", file, n, prev, r)
		}
		seen[n] = r
		h.names = append(h.names, n)
		if _, ok := ds.Column(n); ok {
			h.present[n] = true
		} else {
			h.unknown = append(h.unknown, n)
		}
	}
	var missing []string
	for _, c := range ds.Columns {
		if _, ok := seen[c.Name]; c.Required && !ok {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		if len(raw) == 1 && strings.ContainsAny(raw[0], ";\t|") {
			sep := string(raw[0][strings.IndexAny(raw[0], ";\t|")])
			return nil, reject("%s: the header is one column %q: the file seems to separate values with %q; save it as comma-separated CSV, or declare the delimiter in imet.toml: [ingest] delimiters = { %s = %q }",
				file, truncate(raw[0], 80), sep, ds.Name, sep)
		}
		hint := ""
		hints := suggest(ds, h.unknown, h.present)
		for _, u := range h.unknown {
			if c, ok := hints[u]; ok && slices.Contains(missing, c) {
				hint += fmt.Sprintf("; did you mean %s for the file's %s? map it in imet.toml: [ingest.aliases.%s] %q = %q", c, u, ds.Name, u, c)
			}
		}
		return nil, reject("%s: required column %s missing from the header (it has: %s); add it, or check that the file is in the right dataset folder (%s)%s",
			file, strings.Join(missing, ", "), strings.Join(h.names[:len(h.names)-h.trailing], ", "), ds.Name, hint)
	}
	return h, nil
}

// createSrc defines the view every later step reads: the contract's columns
// in order, then unknown ones, with the line expression.
func createSrc(ctx context.Context, conn *sql.Conn, ds *schemas.Dataset, stagedName func(col string) (string, bool), unknown []string, lineExpr, from string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TEMP VIEW src AS SELECT %s AS _line", lineExpr)
	for _, c := range ds.Columns {
		if s, ok := stagedName(c.Name); ok {
			fmt.Fprintf(&b, ", %s AS %s", s, ident(c.Name))
		} else {
			fmt.Fprintf(&b, ", NULL::VARCHAR AS %s", ident(c.Name))
		}
	}
	for _, u := range unknown {
		s, _ := stagedName(u)
		fmt.Fprintf(&b, ", %s AS %s", s, ident(u))
	}
	b.WriteString(" FROM " + from)
	_, err := conn.ExecContext(ctx, b.String())
	return err
}

func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

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

func stageParquet(ctx context.Context, conn *sql.Conn, path string, ds *schemas.Dataset, src Source) (*staged, error) {
	file := filepath.Base(path)
	rows, err := conn.QueryContext(ctx, fmt.Sprintf("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(%s))", literal(path)))
	if err != nil {
		return nil, reject("%s is not a readable Parquet file (%v): export it again", file, duckMessage(err))
	}
	var raw, types []string
	for rows.Next() {
		var n, t string
		if err := rows.Scan(&n, &t); err != nil {
			rows.Close()
			return nil, err
		}
		raw, types = append(raw, n), append(types, t)
	}
	rows.Close()
	h, err := checkHeader(ds, raw, file, src)
	if err != nil {
		return nil, err
	}
	sel := []string{"file_row_number + 1 AS _line"}
	for i, n := range h.names {
		expr := ident(raw[i])
		if c, ok := ds.Column(n); ok && c.Type == schemas.Date && strings.HasPrefix(types[i], "TIMESTAMP") {
			expr = "CAST(" + expr + " AS DATE)"
		}
		sel = append(sel, fmt.Sprintf("CAST(%s AS VARCHAR) AS %s", expr, ident(n)))
	}
	q := fmt.Sprintf("CREATE TEMP TABLE stg AS SELECT %s FROM read_parquet(%s, file_row_number = true)", strings.Join(sel, ", "), literal(path))
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return nil, reject("%s is not a readable Parquet file (%v): export it again", file, duckMessage(err))
	}
	st := &staged{unknown: h.unknown, present: h.present}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM stg").Scan(&st.rows); err != nil {
		return nil, err
	}
	return st, createSrc(ctx, conn, ds, present(h.names), h.unknown, "stg._line", "stg")
}

func present(names []string) func(string) (string, bool) {
	set := map[string]bool{}
	for _, n := range names {
		set[n] = true
	}
	return func(c string) (string, bool) { return "stg." + ident(c), set[c] }
}

// createTextStage makes stg(_line, one VARCHAR per name) for the readers
// that append rows from Go.
func createTextStage(ctx context.Context, conn *sql.Conn, names []string) error {
	cols := []string{"_line BIGINT"}
	for _, n := range names {
		cols = append(cols, ident(n)+" VARCHAR")
	}
	_, err := conn.ExecContext(ctx, "CREATE TEMP TABLE stg ("+strings.Join(cols, ", ")+")")
	return err
}

func appendRows(ctx context.Context, conn *sql.Conn, table string, fill func(*duckdb.Appender) error) error {
	return conn.Raw(func(dc any) error {
		app, err := duckdb.NewAppender(dc.(driver.Conn), "temp", "main", table)
		if err != nil {
			return err
		}
		if err := fill(app); err != nil {
			app.Close()
			return err
		}
		return app.Close()
	})
}

// stageNDJSON reads the file twice: once to learn the keys (any line may
// add one), once to append. A line that is not a JSON object is a malformed
// row, never a reason to drop the file: read_json would turn it into NULLs
// without a word.
func stageNDJSON(ctx context.Context, conn *sql.Conn, path string, ds *schemas.Dataset, src Source) (*staged, error) {
	file := filepath.Base(path)
	st := &staged{present: map[string]bool{}}
	index := map[string]int{}
	var names []string
	for _, c := range ds.Columns {
		index[c.Name] = len(names)
		names = append(names, c.Name)
	}
	seen := map[string]bool{}
	err := eachJSONLine(path, func(line int64, obj map[string]any, raw []byte, perr error) error {
		if perr != nil {
			return nil
		}
		for k := range obj {
			n := src.column(schemas.NormalizeHeader(k))
			seen[n] = true
			if _, ok := index[n]; !ok {
				index[n] = len(names)
				names = append(names, n)
				st.unknown = append(st.unknown, n)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, c := range ds.Columns {
		if c.Required && !seen[c.Name] {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return nil, reject("%s: no line has the required key %s; add it, or check that the file is in the right dataset folder (%s)", file, strings.Join(missing, ", "), ds.Name)
	}
	for _, c := range ds.Columns {
		st.present[c.Name] = seen[c.Name] // a key on no line is absent from the file
	}
	if err := createTextStage(ctx, conn, names); err != nil {
		return nil, err
	}
	row := make([]driver.Value, len(names)+1)
	err = appendRows(ctx, conn, "stg", func(app *duckdb.Appender) error {
		return eachJSONLine(path, func(line int64, obj map[string]any, raw []byte, perr error) error {
			st.rows++
			if perr != nil {
				st.malformed = append(st.malformed, badRow{line: line, reason: perr.Error(), raw: truncate(string(raw), 10000)})
				return nil
			}
			clear(row)
			row[0] = line
			for k, v := range obj {
				row[index[src.column(schemas.NormalizeHeader(k))]+1] = jsonText(v)
			}
			return app.AppendRow(row...)
		})
	})
	if err != nil {
		return nil, err
	}
	return st, createSrc(ctx, conn, ds, present(names), st.unknown, "stg._line", "stg")
}

func eachJSONLine(path string, fn func(line int64, obj map[string]any, raw []byte, err error) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	br := bufio.NewReaderSize(fh, 1<<20)
	for line := int64(1); ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			if line == 1 {
				b = bytes.TrimPrefix(b, []byte("\ufeff"))
			}
			var obj map[string]any
			d := json.NewDecoder(bytes.NewReader(b))
			d.UseNumber()
			perr := d.Decode(&obj)
			if perr == nil && d.More() {
				perr = errors.New("more than one JSON value on the line")
			}
			if perr == nil && obj == nil {
				perr = errors.New("not a JSON object")
			}
			if perr != nil {
				perr = fmt.Errorf("the line is not one JSON object (%v): write one {…} object per line", perr)
			}
			if ferr := fn(line, obj, bytes.TrimRight(b, "\r\n"), perr); ferr != nil {
				return ferr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func jsonText(v any) driver.Value {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// stageXLSX reads the first sheet; the header is row 1, and `_line` is the
// sheet row a person sees in a spreadsheet program.
func stageXLSX(ctx context.Context, conn *sql.Conn, path string, ds *schemas.Dataset, src Source) (*staged, error) {
	file := filepath.Base(path)
	x, err := excelize.OpenFile(path)
	if err != nil {
		return nil, reject("%s is not a readable XLSX workbook (%v): save it again as .xlsx", file, err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, reject("%s has no sheet", file)
	}
	rows, err := x.Rows(sheets[0])
	if err != nil {
		return nil, reject("%s: sheet %q cannot be read (%v)", file, sheets[0], err)
	}
	defer rows.Close()
	opts := excelize.Options{RawCellValue: true}
	if !rows.Next() {
		return nil, reject("%s is empty: row 1 of sheet %q must name the columns", file, sheets[0])
	}
	head, err := rows.Columns(opts)
	if err != nil {
		return nil, reject("%s: row 1 cannot be read (%v)", file, err)
	}
	h, err := checkHeader(ds, head, file, src)
	if err != nil {
		if at := findHeaderRow(x, sheets[0], ds); at > 1 {
			return nil, reject("%s: the header must be in row 1 of sheet %q, but row %d looks like the header: delete the rows above it", file, sheets[0], at)
		}
		return nil, err
	}
	// Empty header cells at the end are no columns: a value under one is
	// a value beyond the header (beyondHeader), never dropped unseen.
	h.names = h.names[:len(h.names)-h.trailing]
	if err := createTextStage(ctx, conn, h.names); err != nil {
		return nil, err
	}
	dateCol := make([]bool, len(h.names))
	textCol := make([]bool, len(h.names))
	for i, n := range h.names {
		c, ok := ds.Column(n)
		dateCol[i] = ok && c.Type == schemas.Date
		textCol[i] = !ok || c.Type == schemas.Text
	}
	st := &staged{unknown: h.unknown, present: h.present}
	row := make([]driver.Value, len(h.names)+1)
	err = appendRows(ctx, conn, "stg", func(app *duckdb.Appender) error {
		for line := int64(2); rows.Next(); line++ {
			cells, err := rows.Columns(opts)
			if err != nil {
				return reject("%s: row %d cannot be read (%v)", file, line, err)
			}
			if len(cells) == 0 {
				continue
			}
			clear(row)
			row[0] = line
			if extra := beyondHeader(cells, len(h.names)); extra > 0 {
				st.malformed = append(st.malformed, badRow{line: line, reason: fmt.Sprintf("the row has a value in column %d, beyond the header's %d columns: give that column a header or remove the value", extra, len(h.names))})
				continue
			}
			st.rows++
			for i := range h.names {
				v := ""
				if i < len(cells) {
					v = cells[i]
				}
				// A formula's cached value is not what the source typed: a
				// text cell shows the formula itself (and is quarantined as
				// one), other cells keep a cached value when there is one.
				if f, _ := x.GetCellFormula(sheets[0], cellName(i+1, line)); f != "" && (textCol[i] || v == "") {
					v = "=" + f
				}
				if v == "" {
					continue
				}
				if dateCol[i] {
					v = excelDate(v)
				}
				row[i+1] = v
			}
			if err := app.AppendRow(row...); err != nil {
				return err
			}
		}
		return rows.Error()
	})
	if err != nil {
		return nil, err
	}
	st.rows += int64(len(st.malformed))
	return st, createSrc(ctx, conn, ds, present(h.names), h.unknown, "stg._line", "stg")
}

func cellName(col int, row int64) string {
	n, _ := excelize.CoordinatesToCellName(col, int(row))
	return n
}

// beyondHeader is the 1-based column of the first value right of the
// header's columns, or 0.
func beyondHeader(cells []string, n int) int {
	for i := n; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			return i + 1
		}
	}
	return 0
}

// excelDate turns a date cell's serial number into YYYY-MM-DD; text is left
// for validation to judge.
func excelDate(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f > 2958465 {
		return v
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return v
	}
	return t.Format("2006-01-02")
}

func findHeaderRow(x *excelize.File, sheet string, ds *schemas.Dataset) int {
	rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return 0
	}
	for i := 0; i < len(rows) && i < 20; i++ {
		have := map[string]bool{}
		for _, c := range rows[i] {
			have[schemas.NormalizeHeader(c)] = true
		}
		ok := true
		for _, c := range ds.Columns {
			if c.Required && !have[c.Name] {
				ok = false
			}
		}
		if ok {
			return i + 1
		}
	}
	return 0
}

// duckMessage is DuckDB's own message without the Go wrapping.
func duckMessage(err error) string {
	var de *duckdb.Error
	if errors.As(err, &de) {
		return de.Msg
	}
	return err.Error()
}
