package reports

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// WritePDF writes the document as a PDF (US Letter, landscape) with the
// same sections, tables and charts as the HTML: tables repeat their header
// on each page, charts are vector drawings, the font is embedded (Go's
// TrueType fonts) so accented country names print. The file appears whole
// or not at all.
func WritePDF(d *Document, path string) error {
	p := fpdf.New("L", "mm", "Letter", "")
	p.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) // reproducible bytes
	p.SetModificationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	p.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.SetTitle(d.Title, true)
	p.SetCreator("imet", true)
	p.SetMargins(14, 14, 14)
	p.SetAutoPageBreak(true, 14)
	p.SetFooterFunc(func() {
		p.SetY(-10)
		p.SetFont("go", "", 7.5)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(0, 4, d.Title+"  ·  page "+strconv.Itoa(p.PageNo()), "", 0, "R", false, 0, "")
	})
	r := &pdfWriter{p: p}
	p.AddPage()
	p.SetFont("go", "B", 17)
	p.MultiCell(0, 8, d.Title, "", "L", false)
	p.SetFont("go", "", 10)
	p.SetTextColor(80, 80, 80)
	p.MultiCell(0, 5, d.Subtitle, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(2)
	for _, f := range d.Facts {
		p.SetFont("go", "B", 9)
		p.CellFormat(40, 5, f[0], "", 0, "L", false, 0, "")
		p.SetFont("go", "", 9)
		p.MultiCell(0, 5, f[1], "", "L", false)
	}
	for i, s := range d.Sections {
		if i > 0 {
			p.AddPage()
		}
		p.Ln(3)
		p.SetFont("go", "B", 13)
		p.MultiCell(0, 7, fmt.Sprintf("%d. %s", i+1, s.Title), "B", "L", false)
		p.Ln(2)
		for _, b := range s.Blocks {
			switch {
			case b.Text != "":
				p.SetFont("go", "", 9.5)
				p.MultiCell(0, 4.8, b.Text, "", "L", false)
				p.Ln(2)
			case b.Note != "":
				p.SetFont("go", "B", 9.5)
				p.SetFillColor(255, 244, 239)
				p.MultiCell(0, 4.8, "Read with care: "+b.Note, "L", "L", true)
				p.Ln(2)
			case b.Table != nil:
				r.table(b.Table)
			case b.Chart != nil:
				r.chart(b.Chart)
			}
		}
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+filepath.Base(path)+".tmp")
	if err := p.OutputFileAndClose(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return commitFile(tmp, path)
}

type pdfWriter struct{ p *fpdf.Fpdf }

const (
	fontSize   = 8.0
	lineHeight = 3.8
)

// table draws a table whose columns share the page width by content,
// wrapping long cells and repeating the header on every new page.
func (r *pdfWriter) table(t *Table) {
	p := r.p
	pageW, _ := p.GetPageSize()
	lm, _, rm, _ := p.GetMargins()
	width := pageW - lm - rm
	p.SetFont("go", "", fontSize)
	// natural widths, capped, then scaled to the page
	nat := make([]float64, len(t.Columns))
	for j, c := range t.Columns {
		p.SetFont("go", "B", fontSize)
		nat[j] = math.Min(p.GetStringWidth(c)+3, 45)
		p.SetFont("go", "", fontSize)
		for _, row := range t.Rows {
			if j < len(row) {
				nat[j] = math.Max(nat[j], math.Min(p.GetStringWidth(row[j])+3, 90))
			}
		}
	}
	// Numeric columns keep their natural width (numbers never wrap); text
	// columns share what is left, in proportion, wrapping as needed.
	var fixed, flex float64
	for j, w := range nat {
		if j < len(t.Numeric) && t.Numeric[j] {
			fixed += w
		} else {
			flex += w
		}
	}
	widths := make([]float64, len(nat))
	scale := 1.0
	if fixed+flex > width && flex > 0 {
		scale = math.Max(width-fixed, 20) / flex
	} else if fixed+flex < width && fixed+flex > 0 {
		scale = width / (fixed + flex) // stretch everything to the page
	}
	for j := range nat {
		if j < len(t.Numeric) && t.Numeric[j] && fixed+flex > width {
			widths[j] = nat[j]
		} else {
			widths[j] = nat[j] * scale
		}
	}
	p.SetFont("go", "B", 9.5)
	p.MultiCell(0, 5, t.Caption, "", "L", false)
	header := func() {
		p.SetFont("go", "B", fontSize)
		p.SetFillColor(232, 236, 241)
		r.row(t.Columns, widths, t.Numeric, true)
		p.SetFont("go", "", fontSize)
	}
	header()
	_, pageH := p.GetPageSize()
	_, _, _, bm := p.GetMargins()
	for i, row := range t.Rows {
		h := r.rowHeight(row, widths)
		if p.GetY()+h > pageH-bm-6 {
			p.AddPage()
			header()
		}
		if i%2 == 1 {
			p.SetFillColor(243, 245, 248)
		} else {
			p.SetFillColor(255, 255, 255)
		}
		r.row(row, widths, t.Numeric, true)
	}
	p.Ln(4)
}

func (r *pdfWriter) rowHeight(cells []string, widths []float64) float64 {
	lines := 1
	for j, c := range cells {
		if j < len(widths) {
			lines = max(lines, len(r.wrap(c, widths[j]-2)))
		}
	}
	return float64(lines)*lineHeight + 1.5
}

// row draws one table row of wrapped cells with a rule below.
func (r *pdfWriter) row(cells []string, widths []float64, numeric []bool, fill bool) {
	p := r.p
	h := r.rowHeight(cells, widths)
	x0, y0 := p.GetXY()
	x := x0
	for j, c := range cells {
		if j >= len(widths) {
			break
		}
		p.Rect(x, y0, widths[j], h, "F")
		align := "L"
		if j < len(numeric) && numeric[j] {
			align = "R"
		}
		p.SetXY(x+1, y0+0.75)
		for _, line := range r.wrap(c, widths[j]-2) {
			p.CellFormat(widths[j]-2, lineHeight, line, "", 2, align, false, 0, "")
			p.SetX(x + 1)
		}
		x += widths[j]
	}
	p.SetDrawColor(201, 201, 201)
	p.Line(x0, y0+h, x, y0+h)
	p.SetXY(x0, y0+h)
}

// chart draws Kaplan-Meier steps with bands, as in the HTML.
func (r *pdfWriter) chart(c *Chart) {
	p := r.p
	const W, H = 200.0, 92.0
	_, pageH := p.GetPageSize()
	if p.GetY()+H+18 > pageH-14 {
		p.AddPage()
	}
	lm, _, _, _ := p.GetMargins()
	p.SetFont("go", "B", 10)
	p.MultiCell(0, 5, c.Title, "", "L", false)
	x0, y0 := lm+14, p.GetY()+2
	pw, ph := W-60, H-16
	xmax, ymax := math.Max(c.XMax, 1), c.YMax
	if ymax <= 0 {
		ymax = 1
	}
	x := func(v float64) float64 { return x0 + pw*math.Min(v, xmax)/xmax }
	y := func(v float64) float64 { return y0 + ph*(1-v/ymax) }
	p.SetFont("go", "", 7.5)
	p.SetDrawColor(221, 221, 221)
	p.SetLineWidth(0.2)
	for _, v := range yTicks(ymax) {
		p.Line(x0, y(v), x0+pw, y(v))
		p.Text(x0-9, y(v)+1, fmt.Sprintf("%.0f%%", 100*v))
	}
	p.SetDrawColor(50, 50, 50)
	p.Line(x0, y0+ph, x0+pw, y0+ph)
	p.Line(x0, y0, x0, y0+ph)
	step := math.Max(1, math.Ceil(xmax/10))
	for v := 0.0; v <= xmax+1e-9; v += step {
		p.Line(x(v), y0+ph, x(v), y0+ph+1.2)
		p.Text(x(v)-1, y0+ph+4.5, strconv.FormatFloat(v, 'f', 0, 64))
	}
	p.Text(x0+pw/2-20, y0+ph+9, c.XLabel)
	for i, s := range c.Series {
		cr, cg, cb := hexColor(s.Color)
		var band []fpdf.PointType
		for k, pt := range s.Points {
			if k > 0 {
				band = append(band, fpdf.PointType{X: x(pt.X), Y: y(s.Points[k-1].Hi)})
			}
			band = append(band, fpdf.PointType{X: x(pt.X), Y: y(pt.Hi)})
		}
		for k := len(s.Points) - 1; k >= 0; k-- {
			pt := s.Points[k]
			if k < len(s.Points)-1 {
				band = append(band, fpdf.PointType{X: x(s.Points[k+1].X), Y: y(pt.Lo)})
			}
			band = append(band, fpdf.PointType{X: x(pt.X), Y: y(pt.Lo)})
		}
		p.SetAlpha(0.18, "Normal")
		p.SetFillColor(cr, cg, cb)
		p.Polygon(band, "F")
		p.SetAlpha(1, "Normal")
		p.SetDrawColor(cr, cg, cb)
		p.SetLineWidth(0.6)
		for k := 1; k < len(s.Points); k++ {
			a, b := s.Points[k-1], s.Points[k]
			p.Line(x(a.X), y(a.Y), x(b.X), y(a.Y))
			p.Line(x(b.X), y(a.Y), x(b.X), y(b.Y))
		}
		ly := y0 + 6 + 6*float64(i)
		p.Line(x0+pw+6, ly, x0+pw+16, ly)
		p.SetTextColor(0, 0, 0)
		p.Text(x0+pw+18, ly+1, s.Name)
	}
	p.SetLineWidth(0.2)
	p.SetTextColor(85, 85, 85)
	p.Text(x0+pw+6, y0+6+6*float64(len(c.Series)), "shaded: 95% band")
	p.SetTextColor(0, 0, 0)
	p.SetY(y0 + ph + 12)
	p.SetFont("go", "", 8)
	p.SetTextColor(85, 85, 85)
	p.MultiCell(0, 4, c.Desc, "", "L", false)
	p.SetTextColor(0, 0, 0)
	p.Ln(3)
}

func hexColor(s string) (int, int, int) {
	s = strings.TrimPrefix(s, "#")
	v, _ := strconv.ParseUint(s, 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}

// wrap breaks text into lines no wider than w in the current font
// (measured with GetStringWidth, which knows the embedded font's widths).
func (r *pdfWriter) wrap(text string, w float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		try := word
		if line != "" {
			try = line + " " + word
		}
		if r.p.GetStringWidth(try) <= w || line == "" && r.p.GetStringWidth(word) <= w {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		// a word wider than the column breaks between characters
		line = ""
		for _, ch := range word {
			if r.p.GetStringWidth(line+string(ch)) > w && line != "" {
				lines = append(lines, line)
				line = ""
			}
			line += string(ch)
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
