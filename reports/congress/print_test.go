package congress

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sheetXML returns the XML of every worksheet of the workbook at p, by
// sheet name, resolved through the workbook's relationships.
func sheetXML(t *testing.T, p string) map[string]string {
	t.Helper()
	z, err := zip.OpenReader(p)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	files := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = string(b)
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal([]byte(files["xl/workbook.xml"]), &wb); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(files["xl/_rels/workbook.xml.rels"]), &rels); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rel {
			if r.ID == s.ID {
				out[s.Name] = files[path.Join("xl", strings.TrimPrefix(r.Target, "/xl/"))]
			}
		}
		if out[s.Name] == "" {
			t.Fatalf("no XML for sheet %q", s.Name)
		}
	}
	return out
}

// Every sheet prints landscape, one page wide and as many tall as needed,
// with the header row repeated on every page.
func TestXLSXPageSetup(t *testing.T) {
	tables := build(t)
	p := writeWorkbook(t, tables)
	f := open(t, p)
	names := f.GetDefinedName()
	for _, tb := range tables {
		layout, err := f.GetPageLayout(tb.Sheet)
		if err != nil {
			t.Fatal(err)
		}
		if layout.Orientation == nil || *layout.Orientation != "landscape" {
			t.Errorf("%s: orientation %v, want landscape", tb.Sheet, deref(layout.Orientation))
		}
		if layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
			t.Errorf("%s: fit to %v wide by %v tall, want 1 by 0 (any number)", tb.Sheet, deref(layout.FitToWidth), deref(layout.FitToHeight))
		}
		props, err := f.GetSheetProps(tb.Sheet)
		if err != nil {
			t.Fatal(err)
		}
		if props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: fitToPage not set: the fit-to settings would be ignored", tb.Sheet)
		}
		titles := 0
		for _, n := range names {
			if n.Name == "_xlnm.Print_Titles" && n.Scope == tb.Sheet {
				titles++
				if want := "'" + tb.Sheet + "'!$1:$1"; n.RefersTo != want {
					t.Errorf("%s: print titles %q, want %q", tb.Sheet, n.RefersTo, want)
				}
			}
		}
		if titles != 1 {
			t.Errorf("%s: %d print-title names, want 1 (the header row on every page)", tb.Sheet, titles)
		}
		hf, err := f.GetHeaderFooter(tb.Sheet)
		if err != nil {
			t.Fatal(err)
		}
		if hf == nil {
			t.Errorf("%s: no print header or footer", tb.Sheet)
		} else if !strings.Contains(hf.OddFooter, "&P") || !strings.Contains(hf.OddHeader, "IMET congressional summary FY2026") {
			t.Errorf("%s: header %q, footer %q: want the title and page numbers", tb.Sheet, hf.OddHeader, hf.OddFooter)
		}
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

var (
	dimensionRef  = regexp.MustCompile(`<dimension ref="([^"]*)"`)
	autoFilterRef = regexp.MustCompile(`<autoFilter ref="([^"]*)"`)
)

// Each sheet's <dimension> covers exactly the cells written, and its
// autofilter sits on the header row and spans the table.
func TestXLSXDimensionAndFilter(t *testing.T) {
	tables := build(t)
	// A table without rows still has its header row.
	tables = append(tables, Table{Sheet: "Empty", File: "empty", Columns: []Column{{"a", "A", Text}, {"b", "B", Integer}}})
	p := writeWorkbook(t, tables)
	f := open(t, p)
	xmls := sheetXML(t, p)
	for _, tb := range tables {
		last, _ := excelize.CoordinatesToCellName(len(tb.Columns), len(tb.Rows)+1)
		want := "A1:" + last
		// what the cells say: the rows and the widest row read back
		rows, err := f.GetRows(tb.Sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(tb.Rows)+1 || len(rows[0]) != len(tb.Columns) {
			t.Fatalf("%s: read back %d rows, %d header cells", tb.Sheet, len(rows), len(rows[0]))
		}
		got, err := f.GetSheetDimension(tb.Sheet)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: dimension %q, want %q (the used range)", tb.Sheet, got, want)
		}
		x := xmls[tb.Sheet]
		if m := dimensionRef.FindStringSubmatch(x); m == nil || m[1] != want {
			t.Errorf("%s: <dimension> %v in the sheet XML, want %q", tb.Sheet, m, want)
		}
		// excelize writes the filter range absolute ($A$1:$R$23)
		if m := autoFilterRef.FindStringSubmatch(x); m == nil || strings.ReplaceAll(m[1], "$", "") != want {
			t.Errorf("%s: <autoFilter> %v, want %q", tb.Sheet, m, want)
		}
	}
	filters := 0
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" {
			filters++
		}
	}
	if filters != len(tables) {
		t.Errorf("%d filter ranges for %d sheets", filters, len(tables))
	}
}

// The document properties name imet and the export time, not the
// library's defaults, and say what the workbook is.
func TestXLSXProperties(t *testing.T) {
	f := open(t, writeWorkbook(t, build(t)))
	p, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	stamp := madeAt.Format(time.RFC3339)
	if p.Creator != "imet" || p.LastModifiedBy != "imet" {
		t.Errorf("creator %q, last modified by %q, want imet", p.Creator, p.LastModifiedBy)
	}
	if p.Created != stamp || p.Modified != stamp {
		t.Errorf("created %q, modified %q, want the export time %s", p.Created, p.Modified, stamp)
	}
	if p.Title != "IMET congressional summary FY2026" || !strings.Contains(p.Subject, "fiscal year 2026") || !strings.Contains(p.Subject, "congressional summary") {
		t.Errorf("title %q, subject %q", p.Title, p.Subject)
	}
	app, err := f.GetAppProps()
	if err != nil {
		t.Fatal(err)
	}
	if app.Application != "imet" {
		t.Errorf("application %q", app.Application)
	}
	// Zero Created means now, never 2006.
	tables := build(t)
	path := t.TempDir() + "/now.xlsx"
	before := time.Now().Add(-time.Second)
	if err := WriteXLSX(tables, path, Properties{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	g := open(t, path)
	q, _ := g.GetDocProps()
	created, err := time.Parse(time.RFC3339, q.Created)
	if err != nil || created.Before(before.Truncate(time.Second)) || created.After(time.Now()) {
		t.Errorf("created %q (%v), want now", q.Created, err)
	}
}

// A row of wrapped text is tall enough for its lines, so that printed
// text never runs over the next row; other rows keep the default height.
func TestXLSXWrappedRowHeight(t *testing.T) {
	for _, c := range []struct {
		s       string
		perLine int
		want    int
	}{
		{"", 10, 1},
		{"short", 10, 1},
		{"aaaa bbbb cccc", 9, 2},
		{"aaaa bbbb", 9, 1},
		{"abcdefghijklmnopqrstuvwxyz", 10, 3},
		{"one\ntwo", 80, 2},
	} {
		if got := wrappedLines(c.s, c.perLine); got != c.want {
			t.Errorf("wrappedLines(%q, %d) = %d, want %d", c.s, c.perLine, got, c.want)
		}
	}
	long := strings.Repeat("word ", 60) // 300 characters: 4 lines at 78
	tables := []Table{{Sheet: "Notes", File: "notes", Columns: []Column{{"item", "Item", Text}, {"note", "Note", Text}},
		Rows: [][]any{{"a", "short"}, {"b", long}}}}
	f := open(t, writeWorkbook(t, tables))
	if h, _ := f.GetRowHeight("Notes", 2); h != 15 {
		t.Errorf("a one-line row is %v points tall, want 15", h)
	}
	if h, _ := f.GetRowHeight("Notes", 3); h != 4*lineHeight {
		t.Errorf("a four-line row is %v points tall, want %v", h, 4*lineHeight)
	}
}
