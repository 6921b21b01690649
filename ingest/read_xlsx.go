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
