package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/imet-project/imet/schemas"
	"github.com/xuri/excelize/v2"
)

// stageXLSX reads the first sheet; the header is row 1, and `_line` is the
// sheet row a person sees in a spreadsheet program.
func stageXLSX(ctx context.Context, conn *sql.Conn, path string, ds *schemas.Dataset, src Source, lim Limits) (*staged, error) {
	sh, err := openSheet(path, ds, src, lim)
	if err != nil {
		return nil, err
	}
	defer sh.close()
	names := sh.h.names
	if err := createTextStage(ctx, conn, names); err != nil {
		return nil, err
	}
	st := &staged{unknown: sh.h.unknown, present: sh.h.present, warnings: sh.warnings, lines: 1, headerLines: 1}
	row := make([]driver.Value, len(names)+1)
	err = appendRows(ctx, conn, "stg", func(app *duckdb.Appender) error {
		for line := int64(2); sh.rows.Next(); line++ {
			cells, err := sh.rows.Columns(sh.opts)
			if err != nil {
				return reject("%s: row %d cannot be read (%v)", sh.file, line, err)
			}
			st.lines++
			if len(cells) == 0 {
				st.blankLines++
				continue
			}
			if extra := beyondHeader(cells, len(names)); extra > 0 {
				st.malformed = append(st.malformed, badRow{line: line, reason: fmt.Sprintf("the row has a value in column %d, beyond the header's %d columns: give that column a header or remove the value", extra, len(names))})
				continue
			}
			st.rows++
			sh.values(row, cells, line)
			if err := app.AppendRow(row...); err != nil {
				return err
			}
		}
		return sh.rows.Error()
	})
	if err != nil {
		return nil, err
	}
	st.rows += int64(len(st.malformed))
	return st, createSrc(ctx, conn, ds, present(names), sh.h.unknown, "stg._line", "stg")
}

// sheet is the first sheet of a workbook, positioned after its header.
type sheet struct {
	x                *excelize.File
	file, name       string
	rows             *excelize.Rows
	opts             excelize.Options
	h                *header
	dateCol, textCol []bool
	warnings         []string
}

// openSheet opens the workbook and checks the header in row 1 of the sheet
// it reads: the one named after the dataset (`Students`, `career events`)
// if there is one, else the first. Other sheets with anything in them are
// not read, and a warning names them: rows there would otherwise be lost
// without a word.
func openSheet(path string, ds *schemas.Dataset, src Source, lim Limits) (*sheet, error) {
	sh := &sheet{file: filepath.Base(path), opts: excelize.Options{RawCellValue: true}}
	var err error
	if sh.x, err = excelize.OpenFile(path); err != nil {
		return nil, reject("%s is not a readable XLSX workbook (%v): save it again as .xlsx", sh.file, err)
	}
	fail := func(e error) (*sheet, error) { sh.close(); return nil, e }
	sheets := sh.x.GetSheetList()
	if len(sheets) == 0 {
		return fail(reject("%s has no sheet", sh.file))
	}
	sh.name = sheets[0]
	for _, n := range sheets {
		if schemas.NormalizeHeader(n) == ds.Name {
			sh.name = n
			break
		}
	}
	if unread := filledSheets(sh.x, sheets, sh.name); len(unread) > 0 {
		shown := unread
		if len(shown) > 10 {
			shown = append(shown[:10:10], fmt.Sprintf("and %d more", len(unread)-10))
		}
		sh.warnings = append(sh.warnings, fmt.Sprintf("only sheet %q of the workbook was read; %d other sheets with data were not (%s): put each dataset's rows in a workbook of its own (or name the sheet to read %s) and send those again",
			sh.name, len(unread), strings.Join(shown, ", "), ds.Name))
	}
	if sh.rows, err = sh.x.Rows(sh.name); err != nil {
		return fail(reject("%s: sheet %q cannot be read (%v)", sh.file, sh.name, err))
	}
	if !sh.rows.Next() {
		return fail(reject("%s is empty: row 1 of sheet %q must name the columns", sh.file, sh.name))
	}
	head, err := sh.rows.Columns(sh.opts)
	if err != nil {
		return fail(reject("%s: row 1 cannot be read (%v)", sh.file, err))
	}
	if err := tooWide(sh.file, len(head), lim); err != nil {
		return fail(err)
	}
	if sh.h, err = checkHeader(ds, head, sh.file, src); err != nil {
		if at := findHeaderRow(sh.x, sh.name, ds); at > 1 {
			return fail(reject("%s: the header must be in row 1 of sheet %q, but row %d looks like the header: delete the rows above it", sh.file, sh.name, at))
		}
		return fail(err)
	}
	// Empty header cells at the end are no columns: a value under one is
	// a value beyond the header (beyondHeader), never dropped unseen.
	sh.h.names = sh.h.names[:len(sh.h.names)-sh.h.trailing]
	sh.dateCol, sh.textCol = make([]bool, len(sh.h.names)), make([]bool, len(sh.h.names))
	for i, n := range sh.h.names {
		c, ok := ds.Column(n)
		sh.dateCol[i] = ok && c.Type == schemas.Date
		sh.textCol[i] = !ok || c.Type == schemas.Text
	}
	return sh, nil
}

func (sh *sheet) close() {
	if sh.rows != nil {
		sh.rows.Close()
	}
	sh.x.Close()
}

// values fills row (line, then one text value or NULL per column) from a
// sheet row's cells.
func (sh *sheet) values(row []driver.Value, cells []string, line int64) {
	clear(row)
	row[0] = line
	for i := range sh.h.names {
		v := ""
		if i < len(cells) {
			v = cells[i]
		}
		// A formula's cached value is not what the source typed: a text
		// cell shows the formula itself (and is quarantined as one), other
		// cells keep a cached value when there is one.
		if f, _ := sh.x.GetCellFormula(sh.name, cellName(i+1, line)); f != "" && (sh.textCol[i] || v == "") {
			v = "=" + f
		}
		if v == "" {
			continue
		}
		if sh.dateCol[i] {
			v = excelDate(v)
		}
		row[i+1] = v
	}
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

// filledSheets lists, quoted, the sheets other than read that hold any cell
// value.
func filledSheets(x *excelize.File, sheets []string, read string) []string {
	var out []string
	for _, n := range sheets {
		if n == read {
			continue
		}
		rows, err := x.Rows(n)
		if err != nil {
			out = append(out, strconv.Quote(n))
			continue
		}
		filled := false
		for !filled && rows.Next() {
			cells, _ := rows.Columns()
			filled = beyondHeader(cells, 0) > 0
		}
		rows.Close()
		if filled {
			out = append(out, strconv.Quote(n))
		}
	}
	return out
}
