package congress

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestCongressDisplay(t *testing.T) {
	for _, c := range []struct {
		x    float64
		k    Kind
		want string
	}{
		{0.253123, Percent, "25.3%"},
		{0.2535, Percent, "25.4%"}, // half away from zero, as a spreadsheet shows it
		{1, Percent, "100.0%"},
		{0, Percent, "0.0%"},
		{-0.25, Percent, "-25.0%"},
		{15457639.12, Dollars, "15457639"},
		{24876.5, Dollars, "24877"},
		{2.5, Dollars, "3"}, // not banker's rounding
		{412.5, Days, "413"},
		{1.5678, Number, "1.568"},
		{0.285, Number, "0.285"},
		{1.0005, Number, "1.001"},  // a little below 1.0005 in binary; spreadsheets show 1.001
		{-0.0004, Number, "0.000"}, // never -0.000
		{1e12 + 0.4, Integer, "1000000000000"},
	} {
		if got := Display(c.x, c.k); got != c.want {
			t.Errorf("Display(%v, %s) = %q, want %q", c.x, c.k, got, c.want)
		}
	}
	for k, f := range numberFormats {
		want := map[Kind]string{Integer: "#,##0", Number: "0.000", Percent: "0.0%", Dollars: "$#,##0", Days: "#,##0"}[k]
		if f.code() != want {
			t.Errorf("%s: number format %q, want %q", k, f.code(), want)
		}
	}
}

// The CSV files hold each number as the workbook displays it: excelize's
// own rendering of the cell through its number format, without the
// currency sign and thousands separators.
func TestCongressCSVAsDisplayed(t *testing.T) {
	tables := build(t)
	f := open(t, writeWorkbook(t, tables))
	dir := t.TempDir()
	paths, err := WriteCSV(tables, dir, "c")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[Kind]int{}
	for i, tb := range tables {
		fh, err := os.Open(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(fh).ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range tb.Rows {
			for j, v := range row {
				k := tb.Columns[j].Kind
				switch x := v.(type) {
				case Quantity:
					k = x.Kind
				case float64, int64:
				default:
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, r+2)
				shown, err := f.GetCellValue(tb.Sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				shown = strings.NewReplacer("$", "", ",", "").Replace(shown)
				if got := recs[r+1][j]; got != shown {
					t.Errorf("%s %s (%s, %s): CSV %q, the workbook shows %q", tb.Sheet, cell, tb.Columns[j].Name, k, got, shown)
				}
				kinds[k]++
			}
		}
	}
	for _, k := range []Kind{Integer, Number, Percent, Dollars} {
		if kinds[k] == 0 {
			t.Errorf("the fixture has no %s number", k)
		}
	}
}
