package congress

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/imet-project/imet/schemas"

	"github.com/xuri/excelize/v2"

	"github.com/imet-project/imet/reports"
)

// numFmt is the workbook's number format of a kind: "@" for text, the
// display rule's code for numbers (numberFormats), none for booleans.
func numFmt(k Kind) (string, bool) {
	if k == Text {
		return "@", true
	}
	f, ok := numberFormats[k]
	return f.code(), ok
}

// Creator is the author, and last editor, of every workbook imet writes.
const Creator = "imet"

// Properties are a workbook's document properties (File > Properties).
// Creator and last editor are always Creator.
type Properties struct {
	Title, Subject, Description, Keywords string
	// Created is when the export was made: the created and modified time.
	// Zero means now.
	Created time.Time
}

// SummaryProperties are the document properties of the congressional
// summary of fiscal year fy, made at created.
func SummaryProperties(fy int, created time.Time) Properties {
	return Properties{
		Title: fmt.Sprintf("IMET congressional summary FY%d", fy),
		Subject: fmt.Sprintf("Outcomes of the International Military Education and Training program, fiscal year %d "+
			"(1 October %d to 30 September %d): the congressional summary, disclosure-controlled", fy, fy-1, fy),
		Description: "Aggregate metric values only, no personal data; small cells suppressed; methodology and data notes in the last two sheets.",
		Keywords:    fmt.Sprintf("IMET; congressional summary; FY%d; Foreign Military Training Report", fy),
		Created:     created,
	}
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
	if f, ok := numFmt(k); ok && !withheld {
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
// order: bold header row, frozen, with an autofilter; column widths fitted
// to the content (up to 80 characters); numbers stored as numbers with
// number formats (#,##0 integers and days, 0.0% shares, $#,##0 dollars,
// 0.000 other numbers, 0 years); text as text, wrapped where longer than
// its column; suppressed cells empty with a grey fill. Every sheet prints
// landscape on US Letter, one page wide and as many tall as it takes, with
// the header row repeated on every page and the title, sheet and page
// number in the margins. The document properties are p's.
func WriteXLSX(tables []Table, path string, p Properties) error {
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
	if err := setProperties(f, p); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	for i := range tables {
		t := &tables[i]
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.Sheet)
			// The workbook opens on its first sheet. Set here, while it is
			// the only sheet and still empty: set at the end, excelize
			// reads back every streamed sheet, which took half the time of
			// writing the workbook.
			f.SetActiveSheet(0)
		} else {
			_, err = f.NewSheet(t.Sheet)
		}
		if err == nil {
			err = pageSetup(f, t, p.Title)
		}
		if err == nil {
			err = writeSheet(f, st, t)
		}
		if err != nil {
			return fmt.Errorf("write %s sheet %q: %w", path, t.Sheet, err)
		}
	}
	return reports.WriteFile(path, func(w io.Writer) error {
		_, err := f.WriteTo(w)
		return err
	})
}

func setProperties(f *excelize.File, p Properties) error {
	created := p.Created
	if created.IsZero() {
		created = time.Now()
	}
	stamp := created.UTC().Truncate(time.Second).Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: Creator, LastModifiedBy: Creator, Created: stamp, Modified: stamp,
		Title: p.Title, Subject: p.Subject, Description: p.Description, Keywords: p.Keywords, Language: "en-US",
	}); err != nil {
		return err
	}
	return f.SetAppProps(&excelize.AppProperties{Application: Creator})
}

// pageSetup prepares the sheet of t before its rows are streamed: the
// stream writer writes the sheet's properties and dimension when it is
// created, so the fit-to-page flag, the dimension and the autofilter must
// be set first.
func pageSetup(f *excelize.File, t *Table, title string) error {
	last, err := excelize.CoordinatesToCellName(len(t.Columns), len(t.Rows)+1)
	if err != nil {
		return err
	}
	used := "A1:" + last
	if err := f.SetSheetDimension(t.Sheet, used); err != nil {
		return err
	}
	// The filter buttons sit on the header row; the range is the table.
	if err := f.AutoFilter(t.Sheet, used, nil); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(t.Sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	landscape, letter, wide, tall := "landscape", 1, 1, 0 // tall 0: as many pages as it takes
	if err := f.SetPageLayout(t.Sheet, &excelize.PageLayoutOptions{
		Size: &letter, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	side, top, edge := 0.4, 0.6, 0.3
	if err := f.SetPageMargins(t.Sheet, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &edge, Footer: &edge,
	}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(t.Sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + strings.ReplaceAll(title, "&", "&&") + "&R&A",
		OddFooter: "&RPage &P of &N",
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(t.Sheet) + "!$1:$1", Scope: t.Sheet,
	})
}

// lineHeight is the height in points of one line of the default font
// (11 pt), the workbook's default row height.
const lineHeight = 15

// wrappedLines is how many lines s takes wrapped at perLine characters,
// breaking at spaces as a spreadsheet does (a longer word is cut).
func wrappedLines(s string, perLine int) int {
	perLine = max(perLine, 1)
	n := 0
	for _, para := range strings.Split(s, "\n") {
		n++
		col := 0
		for _, word := range strings.Fields(para) {
			w := utf8.RuneCountInString(word)
			switch {
			case col == 0:
			case col+1+w <= perLine:
				col++
			default:
				n++
				col = 0
			}
			for w > perLine { // a word longer than a line
				n++
				w -= perLine
			}
			col += w
		}
	}
	return n
}

// quoteSheet is a sheet name as a reference writes it: 'By region'.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

func writeSheet(f *excelize.File, st *styles, t *Table) error {
	sw, err := f.NewStreamWriter(t.Sheet)
	if err != nil {
		return err
	}
	wrap := make([]bool, len(t.Columns)) // text too wide for its column wraps
	width := make([]int, len(t.Columns))
	for j, c := range t.Columns {
		w := utf8.RuneCountInString(c.Header)
		for _, row := range t.Rows {
			w = max(w, utf8.RuneCountInString(display(row[j], c.Kind)))
		}
		wrap[j] = w+2 > maxWidth
		width[j] = min(max(w+2, minWidth), maxWidth)
		if err := sw.SetColWidth(j+1, j+1, float64(width[j])); err != nil {
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
				val = schemas.NeutraliseFormula(x)
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
		// A row of wrapped text is as tall as its longest cell: neither
		// Excel nor LibreOffice sizes streamed rows, and text would
		// print over the next row.
		lines := 1
		for j, v := range row {
			if s, ok := v.(string); ok && wrap[j] {
				lines = max(lines, wrappedLines(schemas.NeutraliseFormula(s), width[j]-2))
			}
		}
		var opts []excelize.RowOpts
		if lines > 1 {
			opts = append(opts, excelize.RowOpts{Height: min(lineHeight*float64(lines), excelize.MaxRowHeight)})
		}
		if err := sw.SetRow(ref, cells, opts...); err != nil {
			return err
		}
	}
	return sw.Flush()
}
