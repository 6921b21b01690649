package ingest

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/schemas"
)

// stageCSV reads CSV through DuckDB's read_csv into all-text staging; the
// rows it rejects are rescued (trailing empty fields only) or quarantined,
// and line numbers are mapped back to the file.
func stageCSV(ctx context.Context, conn *sql.Conn, path string, f Format, scanned func() (*scan, error), ds *schemas.Dataset, src Source, lim Limits) (*staged, error) {
	h, err := readCSVTable(ctx, conn, path, f, ds, src, lim)
	if err != nil {
		return nil, err
	}
	sc, err := scanned()
	if err != nil {
		return nil, err
	}
	if len(sc.split) > 0 {
		// The reader read lines the scan splits out: read again, from
		// the copy without them (see Loader.read).
		return nil, errSplit
	}
	st := &staged{unknown: h.unknown, present: h.present,
		lines: sc.lines, headerLines: sc.headerLines, spanLines: sc.spanLines, blankLines: sc.blankLines, unpadded: !sc.padded}
	named := len(h.names) - h.trailing
	rejected, rescued, err := csvRejects(ctx, conn, sc, st, src.delim(), named, len(h.names), lim)
	if err != nil {
		return nil, err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM stg").Scan(&st.rows); err != nil {
		return nil, err
	}
	// Every record the scan found is a staged row or a refused one; if
	// not, the reader followed the quoting otherwise, and rows may be
	// lost or numbered wrong: refuse the file rather than load it short.
	if got := st.rows + int64(len(rejected)); got != sc.dataRows {
		return nil, reject("%s: imet cannot account for every line (the CSV reader found %d rows, %d of them unreadable; the line scan %d): nothing was loaded; check the file's quoting (a quote that opens a value must close it, a quote inside a value is doubled) and send it again",
			filepath.Base(path), got, len(rejected), sc.dataRows)
	}
	rel, err := csvLines(ctx, conn, sc, st, rejected, rescued, len(h.names))
	if err != nil {
		return nil, err
	}
	// A value under an empty header cell would be lost with its column:
	// such a column is an unknown one, named by its position.
	for i := named; i < len(h.names); i++ {
		var n int64
		if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(c%d) FROM %s", i, rel.from)).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			st.unknown = append(st.unknown, h.names[i])
		}
	}
	st.rows += int64(len(st.malformed))
	pos := map[string]string{}
	for i, n := range h.names {
		pos[n] = fmt.Sprintf("stg.c%d", i)
	}
	name := func(c string) (string, bool) { s, ok := pos[c]; return s, ok }
	return st, createSrc(ctx, conn, ds, name, st.unknown, rel.line, rel.from)
}

// errSplit says the file has lines to split out before read_csv reads it.
var errSplit = errors.New("lines to split out")

// splitCopy writes the text of a file whose scan split lines out, those
// lines blanked (read_csv skips a blank line but counts it, so the line
// numbers stay), into a new temporary folder; the caller removes it. The
// split-out lines are the file's first malformed rows.
func splitCopy(ctx context.Context, path string, f Format, sc *scan, lim Limits) (string, error) {
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	var r io.Reader = &countingReader{r: in, ctx: ctx}
	if f == CSVGz {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return "", err
		}
		r = gz
	}
	dir, err := os.MkdirTemp("", "imet-split-")
	if err != nil {
		return "", err
	}
	out, err := os.Create(filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), ".gz")))
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	lr := newLineReader(r, lim.withDefaults().MaxLineBytes)
	for {
		text, _, _, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Close()
			os.RemoveAll(dir)
			return "", fmt.Errorf("copy %s without its unreadable lines: %w", filepath.Base(path), err)
		}
		if sc.splitLine[lr.line] {
			text = []byte{'\n'}
		}
		if _, err := w.Write(text); err != nil {
			out.Close()
			os.RemoveAll(dir)
			return "", err
		}
	}
	err = w.Flush()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return out.Name(), nil
}

// readCSVTable checks the file's header and reads it into table stg, every
// column as text c0, c1, … in the header's order.
func readCSVTable(ctx context.Context, conn *sql.Conn, path string, f Format, ds *schemas.Dataset, src Source, lim Limits) (*header, error) {
	file := filepath.Base(path)
	raw, err := readCSVHeader(path, f, src.delim(), lim)
	if err != nil {
		return nil, err
	}
	h, err := checkHeader(ds, raw, file, src)
	if err != nil {
		return nil, err
	}
	cols := make([]string, len(h.names))
	for i := range h.names {
		cols[i] = fmt.Sprintf("'c%d': 'VARCHAR'", i)
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
	return h, nil
}

// rescuedRows are records read_csv refused whose extra or missing fields
// are only trailing empty ones: loaded after all, from stg_more.
type rescuedRows struct {
	fields [][]string
	lines  []int64
}

// csvRejects goes through the records read_csv could not split into the
// header's columns: each is rescued (only trailing empty fields differ) or
// malformed (quarantined whole). It returns the refused lines of stg's
// numbering.
func csvRejects(ctx context.Context, conn *sql.Conn, sc *scan, st *staged, delim byte, named, width int, lim Limits) (map[int64]bool, rescuedRows, error) {
	var rescued rescuedRows
	rows, err := conn.QueryContext(ctx, `SELECT line, error_type, error_message, csv_line FROM imet_rejects ORDER BY line`)
	if err != nil {
		return nil, rescued, fmt.Errorf("read the refused records: %w", err)
	}
	defer rows.Close()
	rejected := map[int64]bool{}
	for rows.Next() {
		var line int64
		var typ, msg string
		var rawLine sql.NullString
		if err := rows.Scan(&line, &typ, &msg, &rawLine); err != nil {
			return nil, rescued, fmt.Errorf("read the refused records: %w", err)
		}
		if rejected[line] {
			continue // one row can fail several ways; quarantine it once
		}
		rejected[line] = true
		if typ == "MISSING COLUMNS" || typ == "TOO MANY COLUMNS" {
			if fields, ok := trailingOnly(rawLine.String, delim, named, width); ok {
				rescued.fields, rescued.lines = append(rescued.fields, fields), append(rescued.lines, sc.physicalLine(line))
				continue
			}
		}
		if int64(len(st.malformed)) >= lim.MaxQuarantined {
			return nil, rescued, reject("more than %d records cannot be read as rows (the limit of quarantined rows per file, imet.toml [limits] max_quarantined), nothing was loaded; the first: line %d: %s",
				lim.MaxQuarantined, st.malformed[0].line, st.malformed[0].reason)
		}
		st.malformed = append(st.malformed, badRow{line: sc.physicalLine(line), reason: csvRejectReason(typ, msg, named), raw: truncate(rawLine.String, rawBound)})
	}
	return rejected, rescued, rows.Err()
}

// relation is what createSrc reads the staged rows from: a FROM clause
// and the expression of each row's line in the file.
type relation struct{ from, line string }

// csvLines is the staged rows with their line numbers in the file: stg,
// numbered by the scan's line map when the file's records are not one
// per line, with the rescued rows added and rows of delimiters only left
// out (and counted in a warning).
func csvLines(ctx context.Context, conn *sql.Conn, sc *scan, st *staged, rejected map[int64]bool, rescued rescuedRows, width int) (relation, error) {
	rel := relation{from: "stg", line: "stg.rowid + 2"}
	if !sc.simple || len(rejected) > 0 {
		mapped, err := sc.writeLineMap(ctx, conn)
		if err != nil {
			return rel, err
		}
		if mapped == st.rows {
			rel = relation{from: "stg JOIN linemap ON linemap.r = stg.rowid", line: "linemap.line"}
		} else {
			// Never drop a row for want of its line number.
			st.warnings = append(st.warnings, "line numbers are approximate: the file's quoting could not be followed line by line")
		}
	}
	numbered := func() {
		if rel.line != "stg._line" {
			rel = relation{from: fmt.Sprintf("(SELECT %s AS _line, stg.* FROM %s) AS stg", rel.line, rel.from), line: "stg._line"}
		}
	}
	if len(rescued.fields) > 0 {
		if err := stageMore(ctx, conn, width, rescued.fields, rescued.lines); err != nil {
			return rel, err
		}
		numbered()
		rel.from = fmt.Sprintf("(SELECT * FROM %s UNION ALL SELECT * FROM stg_more) AS stg", rel.from)
		st.rows += int64(len(rescued.fields))
	}
	// A line of delimiters only (`;;;;`, as spreadsheet programs end a
	// sheet) is no row: skipped, and said so.
	allNull := make([]string, width)
	for i := range allNull {
		allNull[i] = fmt.Sprintf("c%d IS NULL", i)
	}
	var blank int64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT count(*) FILTER (WHERE %s) FROM %s", strings.Join(allNull, " AND "), rel.from)).Scan(&blank); err != nil {
		return rel, fmt.Errorf("count empty rows: %w", err)
	}
	if blank > 0 {
		numbered()
		rel.from = fmt.Sprintf("(SELECT * FROM %s WHERE NOT (%s)) AS stg", rel.from, strings.Join(allNull, " AND "))
		st.rows -= blank
		st.skipped = blank
		st.warnings = append(st.warnings, fmt.Sprintf("%d empty rows (delimiters only) skipped", blank))
	}
	return rel, nil
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
		return "the record is longer than 2 MB: a value is far too long, or a quote is not closed"
	}
	return strings.ToLower(typ) + ": " + msg
}

// physicalLine maps read_csv's record number (1 = header) to the file line.
func (s *scan) physicalLine(rec int64) int64 {
	k := sort.Search(len(s.runs), func(k int) bool { return s.runs[k].rec > rec }) - 1
	if k < 0 || rec >= s.runs[k].rec+s.runs[k].n {
		return rec
	}
	return s.runs[k].line + rec - s.runs[k].rec
}

// writeLineMap maps staging rows to file lines where records span lines,
// blank lines were skipped, or rows were rejected: the scan's runs of
// non-blank records, numbered in SQL, without the refused records.
// It returns how many rows it mapped.
func (s *scan) writeLineMap(ctx context.Context, conn *sql.Conn) (int64, error) {
	if _, err := conn.ExecContext(ctx, "CREATE TEMP TABLE recruns (rec BIGINT, line BIGINT, n BIGINT)"); err != nil {
		return 0, err
	}
	err := appendRows(ctx, conn, "recruns", func(app *duckdb.Appender) error {
		for _, r := range s.runs {
			if r.blank {
				continue
			}
			if err := app.AppendRow(r.rec, r.line, r.n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE linemap AS
		SELECT row_number() OVER (ORDER BY rec) - 1 AS r, line FROM (
			SELECT rec + i AS rec, line + i AS line FROM (SELECT rec, line, unnest(range(n)) AS i FROM recruns))
		WHERE rec > 1 AND rec NOT IN (SELECT line FROM imet_rejects)`); err != nil {
		return 0, fmt.Errorf("map rows to lines: %w", err)
	}
	var n int64
	err = conn.QueryRowContext(ctx, "SELECT count(*) FROM linemap").Scan(&n)
	return n, err
}

func readCSVHeader(path string, f Format, delim byte, lim Limits) ([]string, error) {
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
	// The header is read within the line limit, whatever its length, and
	// its width is checked before any work that grows with it.
	maxHeader := int64(lim.MaxLineBytes) * int64(lim.MaxRecordLines)
	cr := csv.NewReader(bufio.NewReader(io.LimitReader(r, maxHeader+1)))
	cr.Comma = rune(delim)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, reject("%s is empty: a CSV file needs a header row naming its columns", file)
	}
	if cr.InputOffset() > maxHeader {
		return nil, reject("%s: the header row is longer than %s (imet.toml [limits] max_line_bytes × max_record_lines): the first row must name the columns (the widest dataset has about 20)", file, bytesText(maxHeader))
	}
	if err != nil {
		return nil, reject("%s: the header row cannot be read as CSV (%v)", file, err)
	}
	if err := tooWide(file, len(rec), lim); err != nil {
		return nil, err
	}
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	}
	return rec, nil
}
