package congress

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Number formats of the workbook, by kind.
var numFmts = map[Kind]string{
	Text:    "@",
	Integer: "#,##0",
	Number:  "0.000",
	Percent: "0.0%",
	Dollars: "$#,##0",
	Days:    "#,##0",
}

// SuppressedFill is the fill colour of a suppressed cell in the workbook.
const SuppressedFill = "D9D9D9"

const (
	minWidth = 6
	maxWidth = 80
)

// styles creates each cell style of the workbook once.
type styles struct {
	f      *excelize.File
	header int
	byKind map[[3]bool]map[Kind]int // withheld, wrap → kind → style
}

func (s *styles) cell(k Kind, withheld, wrap bool) (int, error) {
	key := [3]bool{withheld, wrap}
	if s.byKind[key] == nil {
		s.byKind[key] = map[Kind]int{}
	}
	if id, ok := s.byKind[key][k]; ok {
		return id, nil
	}
	st := &excelize.Style{}
	if f, ok := numFmts[k]; ok && !withheld {
		st.CustomNumFmt = &f
	}
	st.Alignment = &excelize.Alignment{Vertical: "top", WrapText: wrap}
	if withheld {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{SuppressedFill}}
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.byKind[key][k] = id
	return id, nil
}

// WriteXLSX writes the tables as one workbook, one sheet per table in
// order: bold header row, frozen; column widths fitted to the content
// (up to 80 characters); numbers stored as numbers with number formats
// (#,##0 integers and days, 0.0% shares, $#,##0 dollars, 0.000 other
// numbers); text as text, wrapped where longer than its column;
// suppressed cells empty with a grey fill.
func WriteXLSX(tables []Table, path string) error {
	if len(tables) == 0 {
		return fmt.Errorf("write %s: no tables", path)
	}
	for i := range tables {
		if err := tables[i].check(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	st := &styles{f: f, header: bold, byKind: map[[3]bool]map[Kind]int{}}
	for i := range tables {
		t := &tables[i]
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.Sheet)
		} else {
			_, err = f.NewSheet(t.Sheet)
		}
		if err == nil {
			err = writeSheet(f, st, t)
		}
		if err != nil {
			return fmt.Errorf("write %s sheet %q: %w", path, t.Sheet, err)
		}
	}
	f.SetActiveSheet(0)
	return writeFile(path, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
}

func writeSheet(f *excelize.File, st *styles, t *Table) error {
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	wrap := make([]bool, len(t.Columns)) // text too wide for its column wraps
	for j, c := range t.Columns {
		w := utf8.RuneCountInString(c.Header)
		for _, row := range t.Rows {
			w = max(w, utf8.RuneCountInString(display(row[j], c.Kind)))
		}
		wrap[j] = w+2 > maxWidth
		if err := sw.SetColWidth(j+1, j+1, float64(min(max(w+2, minWidth), maxWidth))); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	head := make([]any, len(t.Columns))
	for j, c := range t.Columns {
		head[j] = excelize.Cell{StyleID: st.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	cells := make([]any, len(t.Columns))
	for i, row := range t.Rows {
		for j, v := range row {
			k := t.Columns[j].Kind
			var val any
			withheld := false
			switch x := v.(type) {
			case string:
				val = Neutralise(x)
			case Quantity:
				val, k = x.V, x.Kind
			case Withheld:
				withheld = true
			default: // nil, int64, float64, bool
				val = x
			}
			id, err := st.cell(k, withheld, wrap[j])
			if err != nil {
				return err
			}
			cells[j] = excelize.Cell{StyleID: id, Value: val}
		}
		ref, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}
