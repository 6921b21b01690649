package reports

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
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
	tmp, err := writePDFTemp(d, path)
	if err != nil {
		return err
	}
	return commitFile(tmp, path)
}

// writePDFTemp writes the PDF of d whole to the temporary file of path,
// synced, and returns its name.
func writePDFTemp(d *Document, path string) (string, error) {
	p, _ := layoutPDF(d)
	if err := p.Error(); err != nil {
		return "", fmt.Errorf("pdf: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	RemoveLeftovers(path)
	tmp := tempPath(path)
	if err := p.OutputFileAndClose(tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return tmp, nil
}

// pdfLayout is what was drawn where, kept while drawing so tests can read
// the layout without parsing the PDF.
type pdfLayout struct {
	PageW, PageH, Margin float64
	Used                 []float64 // per page: the lowest point drawn, in mm from the top
	Cells                []pdfCell
	Texts                []string // loose text: chart labels, numbers at risk
}

// pdfCell is one drawn table cell.
type pdfCell struct {
	Page   int
	Header bool
	Text   string
	Lines  []string
	X, W   float64 // the column's left edge and width
	Inner  float64 // the width the lines were wrapped to
	Font   float64
}

const (
	margin     = 14.0
	footerRoom = 6.0 // between the last row and the bottom margin: the footer
	cellPad    = 1.2 // inside a cell, left and right
	textSize   = 9.5
	textLine   = 4.8
)

// tableSizes are the font sizes a table may use, largest first: a wide
// table shrinks before any word has to break.
var tableSizes = []float64{8, 7.5, 7, 6.5}

type pdfWriter struct {
	p *fpdf.Fpdf
	l *pdfLayout
}

// layoutPDF draws the document. Sections follow one another; a section,
// table or chart starts a new page only when its beginning would not fit.
func layoutPDF(d *Document) (*fpdf.Fpdf, *pdfLayout) {
	p := fpdf.New("L", "mm", "Letter", "")
	p.SetCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) // reproducible bytes
	p.SetModificationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
	p.AddUTF8FontFromBytes("go", "", goregular.TTF)
	p.AddUTF8FontFromBytes("go", "B", gobold.TTF)
	p.SetTitle(d.Title, true)
	p.SetCreator("imet", true)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, margin)
	pw, ph := p.GetPageSize()
	r := &pdfWriter{p: p, l: &pdfLayout{PageW: pw, PageH: ph, Margin: margin}}
	p.SetAcceptPageBreakFunc(func() bool { r.mark(); return true })
	p.SetFooterFunc(func() {
		r.mark()
		p.SetY(-10)
		p.SetFont("go", "", 7.5)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(0, 4, d.Title+"  ·  page "+strconv.Itoa(p.PageNo()), "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	r.paragraph(d.Title, "B", 17, 8, false, "")
	p.SetTextColor(80, 80, 80)
	r.paragraph(d.Subtitle, "", 10, 5, false, "")
	p.SetTextColor(0, 0, 0)
	p.Ln(2)
	for _, f := range d.Facts {
		p.SetFont("go", "B", 9)
		p.CellFormat(40, 5, f[0], "", 0, "L", false, 0, "")
		p.SetFont("go", "", 9)
		p.MultiCell(0, 5, f[1], "", "L", false)
	}
	for i, s := range d.Sections {
		// The heading stays with its opening paragraphs and the start of
		// the first table or chart after them; when that is too much for a
		// page, with the first lines of text.
		need := 14.0 + r.opening(s.Blocks)
		if i > 0 {
			p.Ln(4)
		}
		r.room(need)
		p.SetFont("go", "B", 13)
		p.CellFormat(0, 7, fmt.Sprintf("%d. %s", i+1, s.Title), "B", 1, "L", false, 0, "")
		p.Ln(2)
		for k := 0; k < len(s.Blocks); k++ {
			b := s.Blocks[k]
			switch {
			case b.Text != "":
				r.paragraph(b.Text, "", textSize, textLine, false, "")
				p.Ln(2)
			case b.Note != "":
				p.SetFillColor(255, 244, 239)
				r.paragraph("Read with care: "+b.Note, "B", textSize, textLine, true, "L")
				p.Ln(2)
			case b.Table != nil:
				r.table(b.Table)
			case b.Chart != nil:
				if k+1 < len(s.Blocks) && s.Blocks[k+1].Chart != nil {
					r.charts(b.Chart, s.Blocks[k+1].Chart)
					k++
				} else {
					r.charts(b.Chart, nil)
				}
			}
			r.mark()
		}
	}
	r.mark()
	return p, r.l
}

// mark records how far down the current page has been drawn.
func (r *pdfWriter) mark() {
	n := r.p.PageNo()
	for len(r.l.Used) < n {
		r.l.Used = append(r.l.Used, 0)
	}
	if n > 0 {
		r.l.Used[n-1] = math.Max(r.l.Used[n-1], r.p.GetY())
	}
}

// limit is the lowest y content may reach on a page.
func (r *pdfWriter) limit() float64 {
	return r.l.PageH - margin - footerRoom
}

// room starts a new page unless h millimetres fit below the current point.
func (r *pdfWriter) room(h float64) {
	if r.p.GetY()+h > r.limit() {
		r.mark()
		r.p.AddPage()
	}
}

func (r *pdfWriter) width() float64 {
	return r.l.PageW - 2*margin
}

// opening is the height of a section's beginning that should not be
// split from its heading.
func (r *pdfWriter) opening(blocks []Block) float64 {
	h := 0.0
	for k := range blocks {
		h += r.need(blocks, k, false)
		if blocks[k].Text == "" && blocks[k].Note == "" {
			break
		}
	}
	// A heading with its text left at the foot of a page, its chart on
	// the next, reads as a broken page: the whole opening moves on unless
	// even a fresh page cannot hold it.
	if h > r.limit()-margin-14 && len(blocks) > 0 {
		return r.need(blocks, 0, true)
	}
	return h
}

// need is the height of the start of blocks[k]: its text (or, when short,
// its first three lines), a table's caption, header and first rows, a
// whole chart.
func (r *pdfWriter) need(blocks []Block, k int, short bool) float64 {
	b := blocks[k]
	switch {
	case b.Text != "" || b.Note != "":
		txt := b.Text + b.Note
		r.p.SetFont("go", "B", textSize)
		lines := len(r.wrap(txt, r.width()-2*cellPad))
		if short {
			lines = min(3, lines)
		}
		return float64(lines)*textLine + 2
	case b.Table != nil:
		return r.tableStart(b.Table)
	case b.Chart != nil:
		if k+1 < len(blocks) && blocks[k+1].Chart != nil {
			w := (r.width() - 8) / 2
			return math.Max(r.chartHeight(b.Chart, w), r.chartHeight(blocks[k+1].Chart, w))
		}
		return r.chartHeight(b.Chart, r.singleChartWidth())
	}
	return 0
}

// paragraph draws text wrapped at spaces across the page's width.
func (r *pdfWriter) paragraph(text, style string, size, lh float64, fill bool, border string) {
	p := r.p
	p.SetFont("go", style, size)
	w := r.width()
	for _, line := range r.wrap(text, w-2*cellPad) {
		r.room(lh)
		p.CellFormat(w, lh, line, border, 2, "L", fill, 0, "")
	}
}

// tableLayout is a table's column widths and font size.
type tableLayout struct {
	widths []float64
	size   float64
}

// layoutTable computes column widths from content and the page's width,
// the way a browser lays out a table: every column gets at least its
// widest word (min) and at most its longest cell on one line (max); when
// all maxima fit they are used (stretched to the page), otherwise the room
// beyond the minima is shared in proportion to max − min. A table whose
// minima do not fit even at the smallest font is scaled, and only then do
// words wider than their column break (with a hyphen).
func (r *pdfWriter) layoutTable(t *Table, width float64) tableLayout {
	p := r.p
	n := len(t.Columns)
	var lo, hi []float64
	var size float64
	for _, size = range tableSizes {
		lo, hi = make([]float64, n), make([]float64, n)
		measure := func(j int, s string) {
			for _, w := range strings.Split(s, " ") {
				lo[j] = math.Max(lo[j], p.GetStringWidth(w))
			}
			hi[j] = math.Max(hi[j], p.GetStringWidth(s))
		}
		p.SetFont("go", "B", size)
		for j, c := range t.Columns {
			measure(j, c)
		}
		p.SetFont("go", "", size)
		for _, row := range t.Rows {
			for j := 0; j < n && j < len(row); j++ {
				measure(j, row[j])
			}
		}
		for j := range lo {
			lo[j] += 2*cellPad + 0.4
			hi[j] += 2*cellPad + 0.4
		}
		if sum(lo) <= width {
			break
		}
	}
	widths := make([]float64, n)
	sl, sh := sum(lo), sum(hi)
	switch {
	case sh <= 0.6*width:
		// A small table keeps its natural width: stretched across the
		// page its columns drift apart.
		copy(widths, hi)
	case sh <= width:
		// Room to spare goes to the text columns (numbers stay snug).
		var text float64
		for j := range hi {
			if j >= len(t.Numeric) || !t.Numeric[j] {
				text += hi[j]
			}
		}
		for j := range widths {
			widths[j] = hi[j]
			switch {
			case text == 0:
				widths[j] = hi[j] * width / sh
			case j >= len(t.Numeric) || !t.Numeric[j]:
				widths[j] += (width - sh) * hi[j] / text
			}
		}
	case sl <= width:
		for j := range widths {
			widths[j] = lo[j] + (hi[j]-lo[j])*(width-sl)/(sh-sl)
		}
	default:
		for j := range widths {
			widths[j] = lo[j] * width / sl
		}
	}
	return tableLayout{widths: widths, size: size}
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func lineHeight(size float64) float64 { return size * 0.475 }

const captionSize, captionLine = 9.5, 5.0

// tableStart is the height of a table's caption, header and first rows,
// which are never split from one another.
func (r *pdfWriter) tableStart(t *Table) float64 {
	tl := r.layoutTable(t, r.width())
	r.p.SetFont("go", "B", captionSize)
	h := float64(len(r.wrap(t.Caption, r.width()-2*cellPad))) * captionLine
	r.p.SetFont("go", "B", tl.size)
	h += r.rowHeight(t.Columns, tl)
	r.p.SetFont("go", "", tl.size)
	for i := 0; i < len(t.Rows) && i < 2; i++ {
		h += r.rowHeight(t.Rows[i], tl)
	}
	return h
}

// table draws a table, repeating the header on every new page.
func (r *pdfWriter) table(t *Table) {
	p := r.p
	tl := r.layoutTable(t, r.width())
	r.room(r.tableStart(t))
	r.paragraph(t.Caption, "B", captionSize, captionLine, false, "")
	header := func() {
		p.SetFont("go", "B", tl.size)
		p.SetFillColor(232, 236, 241)
		r.row(t.Columns, tl, t.Numeric, true)
		p.SetFont("go", "", tl.size)
	}
	header()
	for i, row := range t.Rows {
		if p.GetY()+r.rowHeight(row, tl) > r.limit() {
			r.mark()
			p.AddPage()
			header()
		}
		if i%2 == 1 {
			p.SetFillColor(243, 245, 248)
		} else {
			p.SetFillColor(255, 255, 255)
		}
		r.row(row, tl, t.Numeric, false)
	}
	p.Ln(4)
}

func (r *pdfWriter) rowHeight(cells []string, tl tableLayout) float64 {
	lines := 1
	for j, c := range cells {
		if j < len(tl.widths) {
			lines = max(lines, len(r.wrap(c, tl.widths[j]-2*cellPad)))
		}
	}
	return float64(lines)*lineHeight(tl.size) + 1.5
}

// row draws one table row of wrapped cells with a rule below, in the
// current font.
func (r *pdfWriter) row(cells []string, tl tableLayout, numeric []bool, header bool) {
	p := r.p
	h := r.rowHeight(cells, tl)
	x0, y0 := p.GetXY()
	x := x0
	for j, c := range cells {
		if j >= len(tl.widths) {
			break
		}
		w := tl.widths[j]
		p.Rect(x, y0, w, h, "F")
		align := "L"
		if j < len(numeric) && numeric[j] {
			align = "R"
		}
		lines := r.wrap(c, w-2*cellPad)
		r.l.Cells = append(r.l.Cells, pdfCell{Page: p.PageNo(), Header: header, Text: c, Lines: lines, X: x, W: w, Inner: w - 2*cellPad, Font: tl.size})
		p.SetXY(x+cellPad, y0+0.75)
		for _, line := range lines {
			p.CellFormat(w-2*cellPad, lineHeight(tl.size), line, "", 2, align, false, 0, "")
			p.SetX(x + cellPad)
		}
		x += w
	}
	// rules above and below, drawn over the neighbours' fill
	p.SetDrawColor(201, 201, 201)
	p.Line(x0, y0, x, y0)
	p.Line(x0, y0+h, x, y0+h)
	p.SetXY(x0, y0+h)
}

// wrap breaks text into lines no wider than w in the current font
// (measured with GetStringWidth, which knows the embedded font's widths).
// Lines break at spaces only (a no-break space holds a value together); a
// single word wider than w is the one thing broken, with a hyphen at each
// break.
func (r *pdfWriter) wrap(text string, w float64) []string {
	width := r.p.GetStringWidth
	var lines []string
	line := ""
	for _, word := range strings.Split(text, " ") {
		if word == "" {
			continue
		}
		try := word
		if line != "" {
			try = line + " " + word
		}
		if width(try) <= w {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		rs := []rune(word)
		for width(string(rs)) > w && len(rs) > 1 {
			k := 1
			for k+1 < len(rs) && width(string(rs[:k+1])+"-") <= w {
				k++
			}
			lines = append(lines, string(rs[:k])+"-")
			rs = rs[k:]
		}
		line = string(rs)
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// text draws loose text and records it.
func (r *pdfWriter) text(x, y float64, s string) {
	r.p.Text(x, y, s)
	r.l.Texts = append(r.l.Texts, s)
}

// centred draws loose text centred on x.
func (r *pdfWriter) centred(x, y float64, s string) {
	r.text(x-r.p.GetStringWidth(s)/2, y, s)
}

func (r *pdfWriter) singleChartWidth() float64 { return math.Min(r.width(), 190) }

// chartGeom is where a chart's parts go in a box w millimetres wide.
type chartGeom struct {
	title, desc []string
	gutter      float64 // left of the plot: value labels, the series' names at risk
	pw, ph      float64
	risk        bool
	h           float64
}

const (
	chartTitleLine = 5.0
	chartDescLine  = 4.0
	riskLine       = 3.6
)

// chartGeometry lays out c in w; the plot starts at least minGutter from
// the box's left, so the two charts of a pair share their plot's size.
func (r *pdfWriter) chartGeometry(c *Chart, w, minGutter float64) chartGeom {
	p := r.p
	var g chartGeom
	p.SetFont("go", "B", 10)
	g.title = r.wrap(c.Title, w)
	p.SetFont("go", "", 8)
	g.desc = r.wrap(c.Desc, w)
	p.SetFont("go", "", 7)
	g.gutter = math.Max(10, minGutter)
	for _, s := range c.Series {
		if len(s.AtRisk) > 0 {
			// the name, then half the first number (centred on x = 0)
			g.risk = true
			g.gutter = math.Max(g.gutter, p.GetStringWidth(s.riskName())+2+p.GetStringWidth(thousands(s.AtRisk[0].N))/2)
		}
	}
	g.pw = w - g.gutter - 4
	g.ph = math.Min(62, g.pw*0.52)
	g.h = float64(len(g.title))*chartTitleLine + 7 + g.ph + 10
	if g.risk {
		g.h += 4 + riskLine*float64(c.riskRows())
	}
	g.h += 2 + float64(len(g.desc))*chartDescLine + 3
	return g
}

func (r *pdfWriter) chartHeight(c *Chart, w float64) float64 { return r.chartGeometry(c, w, 0).h }

// charts draws one chart, or two side by side (the report's curves come in
// pairs, and a landscape page holds two).
func (r *pdfWriter) charts(a, b *Chart) {
	p := r.p
	if b == nil {
		w := r.singleChartWidth()
		r.room(r.chartHeight(a, w))
		y := p.GetY()
		h := r.chart(a, margin, y, w, 0)
		p.SetXY(margin, y+h)
		return
	}
	w := (r.width() - 8) / 2
	r.room(math.Max(r.chartHeight(a, w), r.chartHeight(b, w)))
	y := p.GetY()
	gutter := math.Max(r.chartGeometry(a, w, 0).gutter, r.chartGeometry(b, w, 0).gutter)
	ha := r.chart(a, margin, y, w, gutter)
	hb := r.chart(b, margin+w+8, y, w, gutter)
	p.SetXY(margin, y+math.Max(ha, hb))
}

// chart draws a chart as the HTML does, in the box at (bx, by) w wide
// (its plot at least minGutter in), and returns its height.
func (r *pdfWriter) chart(c *Chart, bx, by, w, minGutter float64) float64 {
	p := r.p
	g := r.chartGeometry(c, w, minGutter)
	p.SetFont("go", "B", 10)
	y := by
	for _, line := range g.title {
		p.SetXY(bx, y)
		p.CellFormat(w, chartTitleLine, line, "", 0, "L", false, 0, "")
		y += chartTitleLine
	}
	f := newPDFFrame(c, bx+g.gutter, y+7, g.pw, g.ph)
	r.legend(c, f.x0, y+3)
	r.axes(c, f)
	switch {
	case c.Funnel:
		r.funnel(c, f)
	case c.Stacked:
		r.stacked(c, f)
	case c.Lines:
		for _, s := range c.Series {
			r.line(s, f)
		}
	default:
		for _, s := range c.Series {
			r.steps(s, f)
		}
	}
	y = f.y0 + f.ph + 10
	if g.risk {
		y = r.atRisk(c, f, bx, y)
	}
	y += 2
	p.SetFont("go", "", 8)
	p.SetTextColor(85, 85, 85)
	for _, line := range g.desc {
		p.SetXY(bx, y)
		p.CellFormat(w, chartDescLine, line, "", 0, "L", false, 0, "")
		y += chartDescLine
	}
	p.SetTextColor(0, 0, 0)
	return y + 3 - by
}

// pdfFrame is a chart's plotting area on the page and its scales.
type pdfFrame struct {
	x0, y0, pw, ph float64
	xmax           float64
	x, y           func(float64) float64
}

func newPDFFrame(c *Chart, x0, y0, pw, ph float64) pdfFrame {
	xmax, ymax := math.Max(c.XMax, 1), c.YMax
	if ymax <= 0 {
		ymax = 1
	}
	xmin := c.XMin
	if c.Lines && c.XMax <= xmin {
		xmax = xmin + 1
	}
	return pdfFrame{x0: x0, y0: y0, pw: pw, ph: ph, xmax: xmax,
		x: func(v float64) float64 { return x0 + pw*(math.Min(v, xmax)-xmin)/(xmax-xmin) },
		y: func(v float64) float64 { return y0 + ph*(1-v/ymax) }}
}

// legend draws one line under the title: each series' colour and name,
// and what the shading means.
func (r *pdfWriter) legend(c *Chart, lx, ly float64) {
	p := r.p
	p.SetFont("go", "", 7.5)
	if c.Funnel {
		r.funnelLegend(c, lx, ly)
		return
	}
	for _, s := range c.Series {
		cr, cg, cb := hexColor(s.Color)
		if c.Stacked {
			p.SetFillColor(cr, cg, cb)
			p.SetDrawColor(150, 150, 150)
			p.Rect(lx, ly-2.6, 6, 2.8, "FD")
		} else {
			p.SetDrawColor(cr, cg, cb)
			p.SetLineWidth(0.8)
			p.Line(lx, ly-1, lx+7, ly-1)
			p.SetLineWidth(0.2)
		}
		r.text(lx+8.5, ly, s.Name)
		lx += 8.5 + p.GetStringWidth(s.Name) + 6
	}
	p.SetTextColor(85, 85, 85)
	switch {
	case c.Stacked:
		r.text(lx, ly, "dotted: 95% band")
	case !c.Lines:
		r.text(lx, ly, "shaded: 95% band")
	}
	p.SetTextColor(0, 0, 0)
	p.SetLineWidth(0.2)
}

// axes draws the value grid with its labels, the two axes and the time
// ticks with the axis label.
func (r *pdfWriter) axes(c *Chart, f pdfFrame) {
	p := r.p
	ymax := c.YMax
	if ymax <= 0 {
		ymax = 1
	}
	p.SetFont("go", "", 7.5)
	p.SetDrawColor(221, 221, 221)
	for _, v := range c.valueTicks(ymax) {
		p.Line(f.x0, f.y(v), f.x0+f.pw, f.y(v))
		s := c.valueLabel(v)
		r.text(f.x0-1.5-p.GetStringWidth(s), f.y(v)+1, s)
	}
	p.SetDrawColor(50, 50, 50)
	p.Line(f.x0, f.y0+f.ph, f.x0+f.pw, f.y0+f.ph)
	p.Line(f.x0, f.y0, f.x0, f.y0+f.ph)
	for _, v := range c.xTicks(f.xmax) {
		p.Line(f.x(v), f.y0+f.ph, f.x(v), f.y0+f.ph+1.2)
		r.centred(f.x(v), f.y0+f.ph+4.2, strconv.FormatFloat(v, 'f', 0, 64))
	}
	r.centred(f.x0+f.pw/2, f.y0+f.ph+8.5, c.XLabel)
}

// funnelDashPDF is each band's dash pattern in millimetres (funnelDash).
var funnelDashPDF = [][]float64{{1.6, 1.1}, {0.5, 0.8}}

// funnel draws a funnel plot as funnelSVG does.
func (r *pdfWriter) funnel(c *Chart, f pdfFrame) {
	p := r.p
	lr, lg, lb := hexColor(funnelLine)
	p.SetDrawColor(lr, lg, lb)
	p.SetLineWidth(0.3)
	ns := c.funnelNs()
	for band := range FunnelBands {
		p.SetDashPattern(funnelDashPDF[band], 0)
		for side := range 2 {
			for i, n := range ns {
				lo, hi := c.FunnelLimits(band, n)
				v := lo
				if side == 1 {
					v = hi
				}
				if i == 0 {
					p.MoveTo(f.x(n), f.y(v))
				} else {
					p.LineTo(f.x(n), f.y(v))
				}
			}
			p.DrawPath("D")
		}
	}
	p.SetDashPattern([]float64{}, 0)
	p.SetLineWidth(0.4)
	p.Line(f.x(0), f.y(c.P0), f.x(c.XMax), f.y(c.P0))
	p.SetLineWidth(0.2)
	s := c.Series[0]
	p.SetFont("go", "", 7)
	for i, pt := range s.Points {
		out := c.FunnelOutside(i)
		cr, cg, cb := hexColor(funnelDot)
		if out == 1 {
			cr, cg, cb = hexColor(funnelOutlier)
		}
		p.SetFillColor(cr, cg, cb)
		p.Circle(f.x(pt.X), f.y(pt.Y), 0.9, "F")
		if out >= 0 {
			p.SetTextColor(cr, cg, cb)
			w := p.GetStringWidth(s.label(i))
			lx := f.x(pt.X) + 1.4
			if c.funnelLabelLeft(pt.X) {
				lx = f.x(pt.X) - 1.4 - w
			}
			// a white ground keeps the name readable where it crosses a curve
			p.SetFillColor(255, 255, 255)
			p.Rect(lx-0.3, f.y(pt.Y)-1.5, w+0.6, 3, "F")
			r.text(lx, f.y(pt.Y)+1, s.label(i))
			p.SetTextColor(0, 0, 0)
		}
	}
}

// funnelLegend is a funnel plot's legend line: the units, the outliers,
// the pooled share and the limits.
func (r *pdfWriter) funnelLegend(c *Chart, lx, ly float64) {
	p := r.p
	for _, item := range []struct{ color, name string }{{funnelDot, c.Series[0].Name}, {funnelOutlier, "outside 99.8%"}} {
		cr, cg, cb := hexColor(item.color)
		p.SetFillColor(cr, cg, cb)
		p.Circle(lx+1.5, ly-1, 0.9, "F")
		r.text(lx+4, ly, item.name)
		lx += 4 + p.GetStringWidth(item.name) + 5
	}
	lr, lg, lb := hexColor(funnelLine)
	p.SetDrawColor(lr, lg, lb)
	lines := []string{fmt.Sprintf("%s %.0f%%", c.p0Name(), 100*c.P0)}
	for _, fb := range FunnelBands {
		lines = append(lines, fb.Name)
	}
	for i, name := range lines {
		p.SetLineWidth(0.3)
		if i > 0 {
			p.SetDashPattern(funnelDashPDF[i-1], 0)
		}
		p.Line(lx, ly-1, lx+7, ly-1)
		p.SetDashPattern([]float64{}, 0)
		r.text(lx+8.5, ly, name)
		lx += 8.5 + p.GetStringWidth(name) + 5
	}
	p.SetLineWidth(0.2)
	p.SetDrawColor(0, 0, 0)
}

// line draws a series as points joined by straight lines (a trend).
func (r *pdfWriter) line(s Series, f pdfFrame) {
	p := r.p
	cr, cg, cb := hexColor(s.Color)
	p.SetDrawColor(cr, cg, cb)
	p.SetFillColor(cr, cg, cb)
	p.SetLineWidth(0.5)
	for k, pt := range s.Points {
		if k > 0 && s.gap(k) {
			p.SetLineWidth(0.3)
			p.SetDashPattern([]float64{0.6, 1.2}, 0)
			p.Line(f.x(s.Points[k-1].X), f.y(s.Points[k-1].Y), f.x(pt.X), f.y(pt.Y))
			p.SetDashPattern(nil, 0)
			p.SetLineWidth(0.5)
		} else if k > 0 {
			p.Line(f.x(s.Points[k-1].X), f.y(s.Points[k-1].Y), f.x(pt.X), f.y(pt.Y))
		}
		p.Circle(f.x(pt.X), f.y(pt.Y), 0.7, "F")
	}
	p.SetLineWidth(0.2)
}

// steps draws a series as a step function (a Kaplan-Meier curve) over its
// shaded 95% band.
func (r *pdfWriter) steps(s Series, f pdfFrame) {
	p := r.p
	cr, cg, cb := hexColor(s.Color)
	// the band: upper edge forwards, lower edge backwards, as steps
	band := pdfSteps(s.Points, f, func(pt Point) float64 { return pt.Hi })
	lower := pdfSteps(s.Points, f, func(pt Point) float64 { return pt.Lo })
	slices.Reverse(lower)
	band = append(band, lower...)
	p.SetAlpha(0.18, "Normal")
	p.SetFillColor(cr, cg, cb)
	p.Polygon(band, "F")
	p.SetAlpha(1, "Normal")
	p.SetDrawColor(cr, cg, cb)
	p.SetLineWidth(0.5)
	r.polyline(pdfSteps(s.Points, f, func(pt Point) float64 { return pt.Y }))
	p.SetLineWidth(0.2)
}

// polyline draws straight lines through pts.
func (r *pdfWriter) polyline(pts []fpdf.PointType) {
	for k := 1; k < len(pts); k++ {
		r.p.Line(pts[k-1].X, pts[k-1].Y, pts[k].X, pts[k].Y)
	}
}

// stacked draws a stacked chart's layers as filled steps, each down to the
// layer below, and the first layer's band as two dotted steps.
func (r *pdfWriter) stacked(c *Chart, f pdfFrame) {
	p := r.p
	for i, s := range c.Series {
		area := pdfSteps(s.Points, f, func(pt Point) float64 { return pt.Y })
		if i == 0 {
			last, first := s.Points[len(s.Points)-1], s.Points[0]
			area = append(area, fpdf.PointType{X: f.x(last.X), Y: f.y(0)}, fpdf.PointType{X: f.x(first.X), Y: f.y(0)})
		} else {
			edge := pdfSteps(c.Series[i-1].Points, f, func(pt Point) float64 { return pt.Y })
			slices.Reverse(edge)
			area = append(area, edge...)
		}
		cr, cg, cb := hexColor(s.Color)
		p.SetFillColor(cr, cg, cb)
		p.Polygon(area, "F")
	}
	p.SetDrawColor(11, 47, 87)
	p.SetLineWidth(0.3)
	p.SetDashPattern([]float64{0.6, 0.9}, 0)
	for _, edge := range []func(Point) float64{func(pt Point) float64 { return pt.Lo }, func(pt Point) float64 { return pt.Hi }} {
		r.polyline(pdfSteps(c.Series[0].Points, f, edge))
	}
	p.SetDashPattern([]float64{}, 0)
	p.SetLineWidth(0.2)
}

// pdfSteps is the corners of a step function through pts on the page.
func pdfSteps(pts []Point, f pdfFrame, edge func(Point) float64) []fpdf.PointType {
	var out []fpdf.PointType
	for k, pt := range pts {
		if k > 0 {
			out = append(out, fpdf.PointType{X: f.x(pt.X), Y: f.y(edge(pts[k-1]))})
		}
		out = append(out, fpdf.PointType{X: f.x(pt.X), Y: f.y(edge(pt))})
	}
	return out
}

// atRisk writes the number-at-risk table under the time axis and returns
// the y below it.
func (r *pdfWriter) atRisk(c *Chart, f pdfFrame, bx, y float64) float64 {
	p := r.p
	p.SetFont("go", "B", 7)
	r.text(bx, y+2.5, "Number at risk")
	p.SetFont("go", "", 7)
	i := 0
	for _, s := range c.Series {
		if len(s.AtRisk) == 0 {
			continue
		}
		i++
		ry := y + 2.5 + riskLine*float64(i)
		if !c.Stacked {
			cr, cg, cb := hexColor(s.Color)
			p.SetTextColor(cr, cg, cb)
		}
		r.text(bx, ry, s.riskName())
		p.SetTextColor(0, 0, 0)
		for _, a := range s.AtRisk {
			r.centred(f.x(a.X), ry, thousands(a.N))
		}
	}
	return y + 4 + riskLine*float64(i)
}

func hexColor(s string) (int, int, int) {
	s = strings.TrimPrefix(s, "#")
	v, _ := strconv.ParseUint(s, 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
