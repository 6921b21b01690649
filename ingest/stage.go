package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

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
	// unpadded: no value begins or ends with a character trim() removes
	// (CSV, known from the scan's bytes), so validation need not trim.
	unpadded bool
	// The file's lines (records, for Parquet and XLSX) and those that
	// are no row: all of them are accounted for before a file loads.
	lines, headerLines, spanLines, blankLines, skipped int64
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
DROP VIEW IF EXISTS srcm; DROP TABLE IF EXISTS stg_more; DROP TABLE IF EXISTS recruns`

// stage reads the file into the staging table. A *Rejection error means the
// file cannot be read at all.
func stage(ctx context.Context, conn *sql.Conn, path string, f Format, scanned func() (*scan, error), ds *schemas.Dataset, src Source, lim Limits) (*staged, error) {
	if _, err := conn.ExecContext(ctx, dropStaging); err != nil {
		return nil, err
	}
	switch f {
	case CSV, CSVGz:
		return stageCSV(ctx, conn, path, f, scanned, ds, src, lim)
	case Parquet:
		return stageParquet(ctx, conn, path, ds, src, lim)
	case NDJSON:
		return stageNDJSON(ctx, conn, path, ds, src, lim)
	case XLSX:
		return stageXLSX(ctx, conn, path, ds, src, lim)
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

// tooWide refuses a header of more columns than the limit, before any work
// that grows with its width.
func tooWide(file string, n int, lim Limits) error {
	if n > lim.MaxColumns {
		return reject("%s: the header has %d columns, more than the %d imet reads (imet.toml [limits] max_columns): the first row must name the columns (the widest dataset has about 20)", file, n, lim.MaxColumns)
	}
	return nil
}

func checkHeader(ds *schemas.Dataset, raw []string, file string, src Source) (*header, error) {
	h := &header{present: map[string]bool{}}
	named := len(raw)
	for named > 0 && strings.TrimSpace(raw[named-1]) == "" {
		named--
	}
	h.trailing = len(raw) - named
	seen := map[string]int{} // column name: its cell, from 1
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
			// The cells are counted, not quoted: a "header" may be a data
			// row (a file sent without one), and its values personal.
			return nil, reject("%s: the header names column %s twice (cells %d and %d): keep one", file, n, prev, i+1)
		}
		seen[n] = i + 1
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
		if seps := strings.ReplaceAll(",;\t|", string(src.delim()), ""); len(raw) == 1 && strings.ContainsAny(raw[0], seps) {
			sep := string(raw[0][strings.IndexAny(raw[0], seps)])
			if src.Delimiter != "" {
				return nil, reject("%s: the header is one column of %d characters: imet.toml declares the delimiter %q for %s ([ingest] delimiters), but this file seems to separate values with %q: save it with %q, or change the setting",
					file, len(raw[0]), src.Delimiter, ds.Name, sep, src.Delimiter)
			}
			return nil, reject("%s: the header is one column of %d characters: the file seems to separate values with %q; save it as comma-separated CSV, or declare the delimiter in imet.toml: [ingest] delimiters = { %s = %q }",
				file, len(raw[0]), sep, ds.Name, sep)
		}
		// Only the header's contract columns are named: its other cells
		// may be a data row (a file sent without a header), whose values
		// would reach batches.message, the log and the .reason file.
		var known []string
		for _, n := range h.names[:len(h.names)-h.trailing] {
			if h.present[n] {
				known = append(known, n)
			}
		}
		others := len(h.names) - h.trailing - len(known)
		if len(known) == 0 {
			return nil, reject("%s: required column %s missing from the header, and none of the first line's %d cells names a column of %s: if the file has no header row, add one; otherwise check that the file is in the right dataset folder",
				file, strings.Join(missing, ", "), others, ds.Name)
		}
		hint := ""
		hints := suggest(ds, h.unknown, h.present)
		for _, u := range h.unknown {
			if c, ok := hints[u]; ok && slices.Contains(missing, c) {
				hint += fmt.Sprintf("; did you mean %s for the file's %s? map it in imet.toml: [ingest.aliases.%s] %q = %q", c, u, ds.Name, u, c)
			}
		}
		has := strings.Join(known, ", ")
		if others > 0 {
			has += fmt.Sprintf(", and %d not in the contract", others)
		}
		return nil, reject("%s: required column %s missing from the header (it has: %s); add it, or check that the file is in the right dataset folder (%s)%s",
			file, strings.Join(missing, ", "), has, ds.Name, hint)
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

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// duckMessage is DuckDB's own message without the Go wrapping.
func duckMessage(err error) string {
	var de *duckdb.Error
	if errors.As(err, &de) {
		return de.Msg
	}
	return err.Error()
}
