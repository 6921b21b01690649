package congress

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/imet-project/imet/schemas"

	"github.com/xuri/excelize/v2"
)

// madeAt is the export time the test workbooks carry.
var madeAt = time.Date(2026, 11, 2, 14, 30, 5, 0, time.UTC)

func writeWorkbook(t *testing.T, tables []Table) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "congress-fy2026.xlsx")
	if err := WriteXLSX(tables, path, SummaryProperties(2026, madeAt)); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("%d files beside the workbook (temporary file left?)", len(entries))
	}
	return path
}

func open(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// styleFmt is the number format of a style, custom or built in.
func styleFmt(s *excelize.Style) string {
	if s.CustomNumFmt != nil {
		return *s.CustomNumFmt
	}
	return map[int]string{0: "General", 1: "0", 3: "#,##0", 9: "0%", 10: "0.00%", 49: "@"}[s.NumFmt]
}

func TestXLSXWorkbook(t *testing.T) {
	tables := build(t)
	f := open(t, writeWorkbook(t, tables))
	var sheets []string
	for _, tb := range tables {
		sheets = append(sheets, tb.Sheet)
	}
	if got := f.GetSheetList(); !slices.Equal(got, sheets) {
		t.Fatalf("sheets %q, want %q", got, sheets)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("the workbook opens on sheet %d, want the first (%s)", i, sheets[0])
	}
	style := func(sheet, cell string) *excelize.Style {
		t.Helper()
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	wantFmt := map[Kind]string{Text: "@", Integer: "#,##0", Number: "0.000", Percent: "0.0%", Dollars: "$#,##0", Days: "#,##0", Year: "0", Bool: "General"}
	seen := map[string]bool{}
	for _, tb := range tables {
		panes, err := f.GetPanes(tb.Sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v, want the header row frozen", tb.Sheet, panes)
		}
		for j, c := range tb.Columns {
			name, _ := excelize.ColumnNumberToName(j + 1)
			head, _ := f.GetCellValue(tb.Sheet, name+"1")
			if head != c.Header {
				t.Errorf("%s %s1: header %q, want %q", tb.Sheet, name, head, c.Header)
			}
			if s := style(tb.Sheet, name+"1"); s.Font == nil || !s.Font.Bold {
				t.Errorf("%s %s1: header not bold", tb.Sheet, name)
			}
			w, _ := f.GetColWidth(tb.Sheet, name)
			if w < minWidth || w > maxWidth || w < float64(len(c.Header)) && len(c.Header) < maxWidth {
				t.Errorf("%s column %s: width %v for header %q", tb.Sheet, name, w, c.Header)
			}
		}
		for i, row := range tb.Rows {
			for j, v := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
				where := tb.Sheet + " " + cell + " (" + tb.Columns[j].Name + ")"
				raw, err := f.GetCellValue(tb.Sheet, cell, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				typ, _ := f.GetCellType(tb.Sheet, cell)
				if formula, _ := f.GetCellFormula(tb.Sheet, cell); formula != "" {
					t.Errorf("%s: formula %q", where, formula)
				}
				s := style(tb.Sheet, cell)
				grey := s.Fill.Type == "pattern" && len(s.Fill.Color) > 0 && strings.HasSuffix(strings.ToUpper(s.Fill.Color[0]), SuppressedFill)
				kind := tb.Columns[j].Kind
				switch x := v.(type) {
				case Withheld:
					seen["withheld"] = true
					if raw != "" || !grey {
						t.Errorf("%s: suppressed cell holds %q, grey %v", where, raw, grey)
					}
					continue
				case nil:
					if raw != "" {
						t.Errorf("%s: %q, want empty", where, raw)
					}
				case string:
					if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
						t.Errorf("%s: text stored as type %v", where, typ)
					}
					if raw != schemas.NeutraliseFormula(x) || strings.ContainsAny(raw[:1], "=+-@\t\r") {
						t.Errorf("%s: %q", where, raw)
					}
					if strings.HasPrefix(raw, "'") {
						seen["neutralised"] = true
					}
				case bool:
					if typ != excelize.CellTypeBool || raw != map[bool]string{true: "1", false: "0"}[x] {
						t.Errorf("%s: bool %v stored as %v %q", where, x, typ, raw)
					}
				case int64, float64, Quantity:
					want := 0.0
					switch x := x.(type) {
					case int64:
						want = float64(x)
					case float64:
						want = x
					case Quantity:
						want, kind = x.V, x.Kind
					}
					got, err := strconv.ParseFloat(raw, 64)
					if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || err != nil {
						t.Errorf("%s: number stored as %v %q", where, typ, raw)
					} else if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
						t.Errorf("%s: %v, want %v (rounded by value, not by format?)", where, got, want)
					}
					seen[kind.String()] = true
				}
				if grey {
					t.Errorf("%s: grey but not suppressed", where)
				}
				if got := styleFmt(s); got != wantFmt[kind] {
					t.Errorf("%s: number format %q, want %q for %s", where, got, wantFmt[kind], kind)
				}
			}
		}
	}
	for _, k := range []string{"withheld", "neutralised", "integer", "number", "percent", "dollars"} {
		if !seen[k] {
			t.Errorf("the fixture has no %s cell", k)
		}
	}
}

// TestXLSXDeterministic writes the workbook twice from two builds and
// reads both back: every cell value and style is the same.
func TestXLSXDeterministic(t *testing.T) {
	a := open(t, writeWorkbook(t, build(t)))
	b := open(t, writeWorkbook(t, build(t)))
	for _, sheet := range a.GetSheetList() {
		ra, err := a.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(ra) < 2 || len(ra) != len(rb) {
			t.Fatalf("%s: %d and %d rows", sheet, len(ra), len(rb))
		}
		for i := range ra {
			if !slices.Equal(ra[i], rb[i]) {
				t.Errorf("%s row %d: %q and %q", sheet, i+1, ra[i], rb[i])
			}
			for j := range ra[i] {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				sa, _ := a.GetCellStyle(sheet, cell)
				sb, _ := b.GetCellStyle(sheet, cell)
				if sa != sb {
					t.Errorf("%s %s: styles %d and %d", sheet, cell, sa, sb)
				}
			}
		}
	}
	if !slices.Equal(a.GetSheetList(), b.GetSheetList()) {
		t.Error("sheet lists differ")
	}
}
